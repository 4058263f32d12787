import CNcursesw
import Foundation
import PrioApp
import PrioEngine
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
        let environment = ProcessInfo.processInfo.environment
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
            session = try Session(path: path, environment: environment)
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
        guard let screen = CursesScreen(environment: environment) else {
            let term = environment["TERM"] ?? ""
            printError("prio: error: cannot start the screen on this terminal (TERM=\(term.isEmpty ? "unset" : term))")
            return 1
        }
        var loop = Loop(session: session, screen: screen, signals: signals)
        let status = loop.run()
        screen.end()
        if let message = loop.farewell { printError(message) }
        return status
    }

    /// `setlocale(LC_ALL, "")` so that ncursesw reads and writes UTF-8. When the environment
    /// names no UTF-8 locale (LANG unset or C, as in many containers), use C.UTF-8 for
    /// characters: prio's files are UTF-8 and every terminal it is likely to meet is too.
    private static func useUTF8Locale() {
        setlocale(LC_ALL, "")
        let codeset = nl_langinfo(nl_item(CODESET)).map { String(cString: $0) } ?? ""
        if codeset.uppercased().replacingOccurrences(of: "-", with: "") != "UTF8" {
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

/// The main loop: draw, read a key, hand it to the session, do what it asks.
private struct Loop {
    let session: Session
    let screen: CursesScreen
    let signals: TerminationSignals
    /// A line to print on stderr once curses has ended.
    var farewell: String?
    /// The size the session was last told.
    private var size = (width: -1, height: -1)

    init(session: Session, screen: CursesScreen, signals: TerminationSignals) {
        self.session = session
        self.screen = screen
        self.signals = signals
    }

    /// Runs until the session asks to quit or a signal arrives; returns the exit status.
    mutating func run() -> Int32 {
        // The session was made before curses knew the size; the first frame uses the real one.
        if let resize = resizeIfNeeded(), let status = perform(session.handle(resize)) { return status }
        var needsDraw = true
        while true {
            if let number = signals.take() { return endBySignal(number) }
            if screen.terminalLost { return endBySignal(SIGHUP) }
            if needsDraw {
                screen.draw(session.render())
                needsDraw = false
            }
            guard let key = screen.readKey() else { continue }
            needsDraw = true
            if case .resize(let width, let height) = key { size = (width, height) }
            if let status = perform(session.handle(key)) { return status }
        }
    }

    /// Carries out a request; returns the exit status when the program should end.
    private mutating func perform(_ request: SessionRequest?) -> Int32? {
        var request = request
        while let current = request {
            request = nil
            switch current {
            case .quit:
                return 0
            case .editExternally(let text, let suffix):
                screen.suspend()
                let edited = ExternalEditor.edit(text, suffix: suffix)
                screen.resume()
                session.finishExternalEdit(edited)
                // The terminal may have been resized while the editor had it.
                if let resize = resizeIfNeeded() { request = session.handle(resize) }
            }
        }
        return nil
    }

    /// A resize key when the terminal's size is not the one the session was last told.
    private mutating func resizeIfNeeded() -> Key? {
        let (width, height) = screen.size
        guard width != size.width || height != size.height else { return nil }
        size = (width, height)
        return .resize(width: width, height: height)
    }

    /// Keeps unsaved work in the recovery file and ends with 128 + the signal.
    private mutating func endBySignal(_ number: Int32) -> Int32 {
        switch session.writeRecovery() {
        case .success(let path):
            farewell = "prio: unsaved changes were kept in \(path); open the backlog again to restore them"
        case .failure(let error):
            farewell = "prio: error: unsaved changes could not be kept: no recovery file could be written (\(error.message))"
        case nil:
            break
        }
        return 128 + number
    }
}
