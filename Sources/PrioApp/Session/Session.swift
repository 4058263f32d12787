import Foundation
import PrioEngine

/// One interactive session on a backlog file: the app's state, its update function and its
/// views, plus the file I/O they ask for. The terminal backend feeds it keys and draws
/// what `render()` returns; tests do the same with an in-memory screen.
public final class Session {
    /// The state the update function works on.
    public internal(set) var state: AppState

    /// Opens a backlog file; throws `PrioError` or `BacklogErrors` (printed before any screen).
    public convenience init(path: String, width: Int = 80, height: Int = 24,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let file = try BacklogFile.load(path)
        self.init(file: file, width: width, height: height, environment: environment)
    }

    /// Starts a session on a loaded file. `environment` names the fallback folder for recovery
    /// files ($XDG_STATE_HOME/prio/recovery, else ~/.local/state/prio/recovery).
    public init(file: BacklogFile, width: Int = 80, height: Int = 24, environment: [String: String] = [:]) {
        let recovery = RecoveryStore(backlogPath: file.path, fallbackDirectory: Session.fallbackDirectory(environment))
        state = AppState(file: file, width: width, height: height, recovery: recovery)
        state.today = Planner.today(environment: environment)
        state.offerRecoveryIfAny()
    }

    /// The user's private folder for recovery files that cannot go beside the backlog.
    static func fallbackDirectory(_ environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/prio/recovery" }
        if let home = environment["HOME"], home.hasPrefix("/") { return home + "/.local/state/prio/recovery" }
        return nil
    }

    /// True when there are changes not yet saved.
    public var isDirty: Bool { state.isDirty }

    /// Handles one key; returns what only the backend can do, if anything.
    public func handle(_ key: Key) -> SessionRequest? {
        state.handle(key)
    }

    /// Takes the text the user saved in the external editor (nil when the editor failed).
    public func finishExternalEdit(_ text: String?) {
        state.finishExternalEdit(text)
    }

    /// Draws the current screen.
    public func render() -> ScreenBuffer {
        state.prepareForRender()
        var buffer = ScreenBuffer(width: state.width, height: state.height)
        state.render(into: &buffer)
        return buffer
    }

    /// Writes unsaved changes to a new recovery file (on SIGTERM, SIGHUP or SIGINT): its path,
    /// or why none could be written; nil when there was nothing unsaved.
    @discardableResult
    public func writeRecovery() -> Result<String, PrioError>? {
        state.writeRecovery()
    }
}
