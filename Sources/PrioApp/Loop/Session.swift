import PrioEngine

/// One interactive session on a backlog file: the state, the update function and the views,
/// driven by a runner. The terminal backend feeds it keys through `dispatch` and draws what
/// `render()` returns; tests do the same with an in-memory screen and a fake runner.
public final class Session {
    /// The state the update function works on.
    public private(set) var state: AppState

    /// Starts a session on a file its runner has read; recovery files go where `recovery` says.
    public init(file: BacklogFile, recovery: RecoveryStore? = nil, width: Int = 80, height: Int = 24) {
        state = AppState(file: file, width: width, height: height, recovery: recovery)
    }

    /// What to do before the first key: read the clock, look for recovery files.
    public func start() -> [Effect] {
        [.readClock, .findRecoveries(state.document.recovery)]
    }

    /// True when there are changes not yet saved.
    public var isDirty: Bool { state.isDirty }

    /// Changes whenever the backlog being edited may have changed (an edit, an undo, a redo, a
    /// save, a reload, a restore): when it is the same, so is `crashRecovery()`.
    public var editStamp: [Int] {
        let history = state.document.history
        return [history.nextSerial, history.undo.last?.serial ?? 0, history.undo.count, history.redo.count,
                history.savedSerial, history.forcedDirty ? 1 : 0]
    }

    /// What a crash should leave behind: the backlog's recovery store (where the runner finds
    /// a free recovery file) and the bytes the recovery file of the unsaved work would hold;
    /// nil while nothing is unsaved.
    public func crashRecovery() -> (store: RecoveryStore, bytes: [UInt8])? {
        guard state.isDirty else { return nil }
        return (state.document.recovery, state.document.recovery.contents(state.backlog, base: state.document.file.loadedBytes))
    }

    /// One step of the loop: a message in, the effects it asks for out.
    public func update(_ message: Message) -> [Effect] {
        state.update(message)
    }

    /// Draws the current screen; changes nothing.
    public func render() -> ScreenBuffer {
        var buffer = ScreenBuffer(width: state.width, height: state.height)
        Frame(state: state).render(in: Rect(x: 0, y: 0, width: state.width, height: state.height), into: &buffer)
        return buffer
    }

    /// Carries out effects with `runner`, feeding each answer back through `update`, in order,
    /// until none is left; returns the `quit` effect's status and farewell when one was asked
    /// for (effects after it are not carried out).
    public func run(_ effects: [Effect], with runner: inout some EffectRunner) -> Exit? {
        var queue = effects[...]
        while let effect = queue.popFirst() {
            if case .quit(let status, let farewell) = effect { return Exit(status: status, farewell: farewell) }
            if let answer = runner.perform(effect) { queue.append(contentsOf: update(answer)) }
        }
        return nil
    }

    /// Sends a message and carries out what follows from it (see `run`).
    public func dispatch(_ message: Message, with runner: inout some EffectRunner) -> Exit? {
        run(update(message), with: &runner)
    }
}

/// How the session ended: the exit status, and a line for stderr once the screen is gone.
public struct Exit: Sendable, Equatable {
    /// The exit status.
    public var status: Int32
    /// A line for stderr, or nil.
    public var farewell: String?

    /// An ending.
    public init(status: Int32, farewell: String?) {
        self.status = status
        self.farewell = farewell
    }
}
