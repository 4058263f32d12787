import CCrashSave
import CNcursesw
import PrioApp
import PrioEngine
import PrioStorage
import PrioRuntime
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The interactive screen on a real terminal: ncurses in, `Session` in the middle, cells out.
public enum TerminalUI {
    /// Runs the screen on a backlog file until the user quits; returns the exit status.
    ///
    /// Everything that can fail before the screen starts (no terminal, a missing or malformed
    /// file, an unknown terminal type) is reported on stderr with status 1. A SIGTERM, SIGHUP
    /// or SIGINT writes unsaved changes to the recovery file and ends with 128 + the signal.
    public static func run(path: String) -> Int32 {
        let environment = processEnvironment()
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            printError("prio: error: the interactive screen needs a terminal (use a subcommand such as 'prio rank' in scripts)")
            return 1
        }
        guard fileExists(path) else {
            printError("prio: error: \(path) does not exist (create it with 'prio init \(path)', or name a file)")
            return 1
        }
        let session: Session
        do {
            let file = try BacklogFile.load(path)
            session = Session(file: file, recovery: FileRunner.recoveryStore(for: path, environment: environment))
        } catch let errors as BacklogErrors {
            printError(errors.rendered())
            return 1
        } catch let error as PrioError {
            printError("prio: error: \(error.message)")
            return 1
        } catch {
            printError("prio: error: \(error)")
            return 1
        }

        useUTF8Locale()
        let signals = TerminationSignals()
        defer { signals.restore() }
        // A crash (SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT) writes the unsaved work the loop
        // prepared last; installed before curses, so it knows the shell's terminal modes.
        prio_crashsave_install()
        defer { prio_crashsave_uninstall() }
        guard let screen = CursesScreen(environment: environment) else {
            let term = environment["TERM"] ?? ""
            printError("prio: error: cannot start the screen on this terminal (TERM=\(term.isEmpty ? "unset" : term))")
            return 1
        }
        var loop = Loop(session: session, screen: screen, signals: signals,
                        runner: TerminalRunner(files: FileRunner(environment: environment), screen: screen))
        let exit = loop.run()
        screen.end()
        if let message = exit.farewell { printError(message) }
        return exit.status
    }

    /// `setlocale(LC_ALL, "")` so that ncursesw reads and writes UTF-8. When the environment
    /// names no UTF-8 locale (LANG unset or C, as in many containers), use C.UTF-8 for
    /// characters: prio's files are UTF-8 and every terminal it is likely to meet is too.
    private static func useUTF8Locale() {
        setlocale(LC_ALL, "")
        let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } ?? ""
        if codeset.uppercased().filter({ $0 != "-" }) != "UTF8" {
            if setlocale(LC_CTYPE, "C.UTF-8") == nil { setlocale(LC_CTYPE, "en_US.UTF-8") }
        }
    }

    /// Writes a line to stderr, ignoring failures: after a hangup the terminal is gone, and
    /// `FileHandle.write` would trap on the EIO.
    static func printError(_ text: String) {
        let bytes = Array((text + "\n").utf8)
        var written = 0
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress!, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { return }
            written += count
        }
    }
}

/// The main loop: draw, read a key, send it to the session, carry out the effects it asks for.
private struct Loop {
    let session: Session
    let screen: CursesScreen
    let signals: TerminationSignals
    var runner: TerminalRunner
    /// The size the session was last told.
    private var size = (width: -1, height: -1)
    /// The session's edit stamp when the crash recovery was last prepared.
    private var preparedStamp: [Int] = []

    init(session: Session, screen: CursesScreen, signals: TerminationSignals, runner: TerminalRunner) {
        self.session = session
        self.screen = screen
        self.signals = signals
        self.runner = runner
    }

    /// Runs until the session asks to quit or a signal arrives; returns how it ended.
    mutating func run() -> Exit {
        // The session was made before curses knew the size; the first frame uses the real one.
        if let exit = session.run(session.start(), with: &runner) { return exit }
        if let exit = resizeIfNeeded() { return exit }
        var needsDraw = true
        while true {
            if let number = signals.take() { return end(signal: number) }
            if screen.terminalLost { return end(signal: SIGHUP) }
            if needsDraw {
                screen.draw(session.render())
                needsDraw = false
            }
            guard let key = screen.readKey() else {
                runner.tick(session)
                prepareCrashRecovery()
                continue
            }
            needsDraw = true
            if case .resize(let width, let height) = key { size = (width, height) }
            if let exit = session.dispatch(.key(key), with: &runner) { return exit }
            // The terminal may have been resized while the editor had it.
            if runner.editorRan, let exit = resizeIfNeeded() { return exit }
            runner.editorRan = false
        }
    }

    /// When no key came for a moment and the work changed since: the bytes a crash should write
    /// (done while idle, so keys never wait for it; a crash loses at most the last moment's edits).
    private mutating func prepareCrashRecovery() {
        let stamp = session.editStamp
        guard stamp != preparedStamp else { return }
        preparedStamp = stamp
        if let recovery = session.crashRecovery(), let path = recovery.store.freePath() {
            _ = recovery.bytes.withUnsafeBufferPointer { prio_crashsave_prepare(path, $0.baseAddress, $0.count) }
        } else {
            _ = prio_crashsave_prepare(nil, nil, 0)
        }
    }

    /// Tells the session the terminal's size when it is not the one it was last told.
    private mutating func resizeIfNeeded() -> Exit? {
        let (width, height) = screen.size
        guard width != size.width || height != size.height else { return nil }
        size = (width, height)
        return session.dispatch(.key(.resize(width: width, height: height)), with: &runner)
    }

    /// A signal: the session keeps unsaved work in a recovery file and ends with 128 + the signal.
    private mutating func end(signal number: Int32) -> Exit {
        session.dispatch(.terminate(signal: number), with: &runner) ?? Exit(status: 128 + number, farewell: nil)
    }
}

/// The terminal's runner: files and the clock through `FileRunner`, the external editor with
/// the screen suspended.
private struct TerminalRunner: EffectRunner {
    var files: FileRunner
    let screen: CursesScreen
    /// True once the editor ran for the current key (the terminal may have changed size).
    var editorRan = false
    /// The last day the clock was read, to tell the session when the date changes.
    private var lastClockRead = Planner.currentTime()

    init(files: FileRunner, screen: CursesScreen) {
        self.files = files
        self.screen = screen
    }

    mutating func perform(_ effect: Effect) -> Message? {
        switch effect {
        case .editExternally(let text, let suffix):
            screen.suspend()
            let edited = ExternalEditor.edit(text, suffix: suffix)
            screen.resume()
            editorRan = true
            return .edited(edited)
        case .readClock:
            lastClockRead = Planner.currentTime()
            return files.perform(effect)
        default:
            return files.perform(effect)
        }
    }

    /// While no key comes: reads the clock again once a minute, so that a session left open
    /// past midnight plans and exports with the new date.
    mutating func tick(_ session: Session) {
        guard Planner.currentTime() - lastClockRead >= 60 else { return }
        _ = session.run([.readClock], with: &self)
    }
}
