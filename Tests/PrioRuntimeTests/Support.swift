@_exported import PrioTestFixtures
import Foundation
import PrioApp
import PrioEngine
import PrioStorage
import PrioRuntime
import Testing


/// A backlog file in a fresh temporary folder, removed when the value goes away: the runner's
/// tests work on real files.
final class TempBacklog {
    let directory: URL
    let path: String

    init(_ text: String = fixture, name: String = "backlog.md") throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("prio-runtime-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent(name).path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    var text: String { (try? String(contentsOfFile: path, encoding: .utf8)) ?? "" }

    /// A session on the file, started as the terminal starts it, with the real runner.
    func session(width: Int = 80, height: Int = 24, environment: [String: String] = [:]) throws -> RealSession {
        let file = try BacklogFile.load(path)
        let session = Session(file: file, recovery: FileRunner.recoveryStore(for: path, environment: environment),
                              width: width, height: height)
        let real = RealSession(session, runner: FileRunner(environment: environment))
        real.exit = session.run(session.start(), with: &real.runner)
        return real
    }
}

/// A session whose effects the real runner carries out on real files.
final class RealSession {
    let session: Session
    var runner: FileRunner
    var exit: Exit?

    init(_ session: Session, runner: FileRunner) {
        self.session = session
        self.runner = runner
    }

    var state: AppState { session.state }
    var isDirty: Bool { session.isDirty }

    @discardableResult
    func send(_ keys: Key...) -> Exit? { send(keys) }

    @discardableResult
    func send(_ keys: [Key]) -> Exit? {
        for key in keys {
            if let exit = session.dispatch(.key(key), with: &runner) {
                self.exit = exit
                return exit
            }
        }
        return nil
    }

    @discardableResult
    func type(_ text: String) -> Exit? { send(Key.typing(text)) }

    /// A signal ends the session: the unsaved work's recovery file, or why none was written;
    /// nil when there was nothing unsaved.
    func writeRecovery() -> Result<String, PrioError>? {
        for effect in session.update(.terminate(signal: 15)) {
            if case .writeRecovery = effect, case .recoveryWritten(let result)? = runner.perform(effect) { return result }
        }
        return nil
    }

    var screen: String { session.render().text }
}
