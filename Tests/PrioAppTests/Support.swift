@_exported import PrioTestFixtures
import Foundation
import PrioApp
import PrioEngine
import Testing


/// The file system and clock the app sees in tests: files in memory, a fixed date, an editor
/// that answers with a function. It carries out effects as the real runner does, on these
/// files, and logs them, so tests can assert effects as values. No file is ever touched.
struct FakeRunner: EffectRunner {
    /// File contents by path.
    var files: [String: [UInt8]] = [:]
    /// What `readClock` answers.
    var clock = Clock(today: "2026-11-20", utcOffset: 0)
    /// Recovery files `findRecoveries` answers with (their contents are in `files`).
    var recoveries: [RecoveryStore.Found] = []
    /// The external editor: the text in, the edited text out (nil: the editor failed).
    var editor: @Sendable (String) -> String? = { _ in nil }
    /// What `readHistory` answers (nil: no repository).
    var history: String?
    /// What `readDeliveryHistory` answers (nil: no repository).
    var deliveryHistory: DeliveryHistory?
    /// Every effect carried out, in order.
    var performed: [Effect] = []

    func text(_ path: String) -> String? { files[path].map { String(decoding: $0, as: UTF8.self) } }

    private func exists(_ path: String) -> Bool { files[path] != nil }

    mutating func perform(_ effect: Effect) -> Message? {
        performed.append(effect)
        switch effect {
        case .save(let file, let backlog):
            guard files[file.path] == file.loadedBytes, !file.basedOnOtherVersion else { return .saved(.changedOnDisk) }
            files[file.path] = BacklogWriter.write(backlog)
            return .saved(.saved(reread(file)))
        case .reloadKeepingMine(let file, let backlog):
            let mine = file.freeSibling("mine", exists: exists)
            files[mine] = BacklogWriter.write(backlog)
            return .reloaded(.success(reread(file)), keptMineAs: mine)
        case .overwriteKeepingTheirs(let file, let backlog):
            let theirs = file.freeSibling("theirs", exists: exists)
            files[theirs] = files[file.path]
            files[file.path] = BacklogWriter.write(backlog)
            return .overwritten(.success(reread(file)), keptTheirsAs: theirs)
        case .findCopyName(let file):
            return .copyNameFound(file.freeSibling("copy", exists: exists))
        case .saveCopy(let job):
            if job.path == job.file.path || exists(job.path) { return .copySaved(job, PrioError("\(job.shownAs) already exists")) }
            files[job.path] = BacklogWriter.write(job.backlog)
            return .copySaved(job, nil)
        case .writeExport(let job):
            if job.path == job.backlogPath { return .exported(job, .failed("\(job.shownAs) is the backlog itself")) }
            if exists(job.path) && !job.replace { return .exported(job, .exists) }
            files[job.path] = Array(job.text.utf8)
            return .exported(job, .written)
        case .findRecoveries:
            return .recoveriesFound(recoveries.filter { exists($0.path) })
        case .readRecovery(let found):
            guard let bytes = files[found.path] else { return .recoveryRead(found, .failure(PrioError("gone"))) }
            return .recoveryRead(found, .success(RecoveryStore.Contents(bytes: bytes, base: nil)))
        case .writeRecovery(let store, let backlog, _):
            let path = store.backlogPath + ".recovered"
            files[path] = BacklogWriter.write(backlog)
            return .recoveryWritten(.success(path))
        case .removeFile(let path):
            files[path] = nil
            return nil
        case .editExternally(let text, _):
            return .edited(editor(text))
        case .readClock:
            return .clock(clock)
        case .readScope(_, _, let confirmed):
            return .scopeRead(nil, confirmed: confirmed)
        case .readHistory(_, let id, _):
            return .history(id, history.map { .success($0) } ?? .failure(PrioError("not in a git repository")))
        case .readDeliveryHistory:
            return .deliveryHistory(deliveryHistory.map { .success($0) } ?? .failure(PrioError("not in a git repository")))
        case .quit:
            return nil
        }
    }

    /// The file as saved, read back (as the real runner's `BacklogFile.save` leaves it).
    private func reread(_ file: BacklogFile) -> BacklogFile {
        (try? BacklogFile.parse(files[file.path] ?? [], path: file.path)) ?? file
    }
}

/// A backlog file that exists only in a fake runner's memory.
final class TestBacklog {
    /// Where the backlog "is"; other files go beside it.
    let path: String
    var runner = FakeRunner()

    init(_ text: String = fixture, name: String = "backlog.md", today: String = "2026-11-20") throws {
        path = "/project/" + name
        runner.files[path] = Array(text.utf8)
        runner.clock.today = today
    }

    /// The backlog file's text now.
    var text: String { runner.text(path) ?? "" }

    /// The text of a file beside the backlog.
    func sibling(_ name: String) -> String? { runner.text("/project/" + name) }

    /// Someone else writes the backlog file (another editor, a git pull).
    func writeBehindTheBack(_ text: String) { runner.files[path] = Array(text.utf8) }

    /// A session on the file as it is now, started as the terminal starts it.
    func session(width: Int = 80, height: Int = 24) throws -> TestSession {
        let file = try BacklogFile.parse(runner.files[path] ?? [], path: path)
        let session = TestSession(Session(file: file, width: width, height: height), backlog: self)
        session.exit = session.session.run(session.session.start(), with: &runner)
        return session
    }
}

/// A session driven as the terminal drives it, with the effects answered by the fake runner.
final class TestSession {
    let session: Session
    let backlog: TestBacklog
    /// How the session ended, once it did.
    var exit: Exit?

    init(_ session: Session, backlog: TestBacklog) {
        self.session = session
        self.backlog = backlog
    }

    var state: AppState { session.state }
    var isDirty: Bool { session.isDirty }

    /// Sends keys, carrying out their effects; returns how the session ended, if it did.
    @discardableResult
    func send(_ keys: [Key]) -> Exit? {
        for key in keys {
            if let exit = session.dispatch(.key(key), with: &backlog.runner) {
                self.exit = exit
                return exit
            }
        }
        return nil
    }

    @discardableResult
    func send(_ keys: Key...) -> Exit? { send(keys) }

    /// Types plain characters.
    @discardableResult
    func type(_ text: String) -> Exit? { send(Key.typing(text)) }

    /// Sends one message (an effect's answer, a signal) and carries out what follows.
    @discardableResult
    func dispatch(_ message: Message) -> Exit? {
        session.dispatch(message, with: &backlog.runner)
    }

    /// The effects one key asks for, without carrying them out.
    func effects(of key: Key) -> [Effect] { session.update(.key(key)) }

    func render() -> ScreenBuffer { session.render() }

    /// The screen as text.
    var screen: String { render().text }
}

extension Exit {
    /// A plain quit.
    static let quit = Exit(status: 0, farewell: nil)
}

/// Compares a screen with `Snapshots/NAME.txt`; with RECORD_SNAPSHOTS set, writes it instead.
func assertSnapshot(_ screen: String, named name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Snapshots").appendingPathComponent("\(name).txt")
    if let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"], !record.isEmpty {
        try? Data((screen + "\n").utf8).write(to: url)
        return
    }
    guard let expected = try? String(contentsOf: url, encoding: .utf8) else {
        Issue.record("no snapshot \(name).txt: run with RECORD_SNAPSHOTS=1 and review it", sourceLocation: sourceLocation)
        return
    }
    #expect(screen + "\n" == expected, "screen \(name) differs", sourceLocation: sourceLocation)
}
