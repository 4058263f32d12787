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

    /// Starts a session on a loaded file.
    public init(file: BacklogFile, width: Int = 80, height: Int = 24, environment: [String: String] = [:]) {
        state = AppState(file: file, width: width, height: height)
        state.offerRecoveryIfAny()
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

    /// Writes unsaved changes to the recovery file beside the backlog (on SIGTERM or SIGHUP);
    /// returns its path, or nil when there was nothing unsaved.
    @discardableResult
    public func writeRecovery() -> String? {
        state.writeRecovery()
    }

    /// Where the recovery file for a backlog lives: `.NAME.prio-recovery` in the same folder.
    public static func recoveryPath(for path: String) -> String {
        AppState.recoveryPath(for: path)
    }
}
