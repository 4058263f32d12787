import CNcursesw
import PrioApp
import PrioEngine
import PrioStorage
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The curses screen: starts and ends ncurses, copies `ScreenBuffer`s to the terminal and
/// reads keys. All curses calls of prio go through here, on one thread.
final class CursesScreen {
    private var screen: OpaquePointer?
    private var colors = false
    /// What was last drawn, to redraw only changed rows; nil forces a full redraw.
    private var drawn: ScreenBuffer?
    /// Key codes for sequences ncurses does not know from terminfo (see `defineShiftKeys`).
    private var extraKeys: [Int32: Key] = [:]
    /// Consecutive reads that failed at once rather than timing out (a lost terminal).
    private var instantFailures = 0

    /// Starts curses on stdin/stdout; nil when the terminal type is unusable.
    init?(environment: [String: String]) {
        guard let screen = prio_newterm() else { return nil }
        guard prio_can_address_cursor() else {
            endwin()
            delscreen(screen)
            return nil
        }
        self.screen = screen
        raw()  // Ctrl-C, Ctrl-Z, Ctrl-S arrive as keys
        noecho()
        nonl()  // Enter arrives as 13 and does not get translated on output
        keypad(prio_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        wtimeout(prio_stdscr(), 100)
        mouseinterval(0)  // report presses at once instead of waiting to tell clicks from drags
        mousemask(prio_BUTTON1_PRESSED() | prio_BUTTON1_CLICKED() | prio_BUTTON4_PRESSED() | prio_BUTTON5_PRESSED(),
                  nil)
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        if !noColor && has_colors() && start_color() == OK && use_default_colors() == OK {
            for (pair, color) in Self.colorPairs {
                init_pair(pair, color, -1)
            }
            colors = true
        }
        defineShiftKeys()
    }

    /// The colour pair for each `CellColor` but `.normal`, and its foreground.
    private static let colorPairs: [(Int16, Int16)] = [
        (1, Int16(COLOR_RED)), (2, Int16(COLOR_GREEN)), (3, Int16(COLOR_YELLOW)),
        (4, Int16(COLOR_BLUE)), (5, Int16(COLOR_MAGENTA)), (6, Int16(COLOR_CYAN)),
    ]

    private static func pair(_ color: CellColor) -> Int16 {
        switch color {
        case .normal: 0
        case .red: 1
        case .green: 2
        case .yellow: 3
        case .blue: 4
        case .magenta: 5
        case .cyan: 6
        }
    }

    /// Shift-↑ and Shift-↓. Terminfo calls them kri/kind (KEY_SR/KEY_SF) or kUP/kDN, and some
    /// entries (screen-256color) have neither although tmux sends the xterm sequences; ncurses
    /// would then hand the sequence over as ESC [ 1 ; 2 A, one character at a time. Each
    /// sequence is mapped to the code ncurses already has for it, or given a code of our own.
    private func defineShiftKeys() {
        let sequences: [(String, Key)] = [
            ("\u{1B}[1;2A", .shiftUp), ("\u{1B}[1;2B", .shiftDown),  // xterm, tmux, screen
            ("\u{1B}[a", .shiftUp), ("\u{1B}[b", .shiftDown),  // rxvt
        ]
        var nextCode: Int32 = 0x6F00  // far above KEY_MAX and the codes ncurses gives extended keys
        for (sequence, key) in sequences {
            let code = key_defined(sequence)
            if code > 0 {
                if code != KEY_SR && code != KEY_SF { extraKeys[code] = key }
            } else if code == 0 {
                if define_key(sequence, nextCode) == OK { extraKeys[nextCode] = key }
                nextCode += 1
            }
            // -1: the sequence is a prefix of another one; leave it alone.
        }
    }

    /// Leaves curses for good (idempotent).
    func end() {
        guard let screen else { return }
        endwin()
        delscreen(screen)
        self.screen = nil
    }

    /// Gives the terminal back to the shell for a while (before running the editor).
    func suspend() {
        def_prog_mode()
        endwin()
    }

    /// Takes the terminal back after `suspend`; the next draw repaints everything.
    func resume() {
        reset_prog_mode()
        drawn = nil
        clearok(prio_stdscr(), true)
        refresh()
    }

    /// The terminal size in cells.
    var size: (width: Int, height: Int) {
        (max(0, Int(prio_cols())), max(0, Int(prio_rows())))
    }

    /// Forgets what is on the terminal: the next draw clears it and repaints everything.
    func invalidate() {
        drawn = nil
    }

    // MARK: Output

    /// Copies a buffer to the terminal, redrawing only the rows that changed since the last draw.
    func draw(_ buffer: ScreenBuffer) {
        let window = prio_stdscr()
        let (columns, rows) = size
        let full: Bool
        if let drawn, drawn.width == buffer.width, drawn.height == buffer.height {
            full = false
        } else {
            full = true
            werase(window)
            clearok(window, true)
        }
        let width = min(buffer.width, columns)
        for row in 0..<min(buffer.height, rows) {
            let start = row * buffer.width
            if !full, let drawn, drawn.cells[start..<start + buffer.width] == buffer.cells[start..<start + buffer.width] {
                continue
            }
            drawRow(buffer, row: row, width: width)
        }
        drawn = buffer
        wnoutrefresh(window)
        doupdate()
    }

    /// Draws one row left to right, each cell at its own column so that a character the
    /// terminal measures differently cannot shift the rest of the row.
    private func drawRow(_ buffer: ScreenBuffer, row: Int, width: Int) {
        var column = 0
        while column < width {
            let cell = buffer[row, column]
            let wide = column + 1 < width && buffer[row, column + 1].isContinuation && !cell.isContinuation
            // A continuation cell without its wide character, or an empty cell: a blank.
            let text = cell.isContinuation ? " " : TerminalSafe.sanitize(cell.text)
            put(text.isEmpty ? " " : text, row: row, column: column, style: cell.style)
            if wide {
                // The right half belongs to the wide character. If curses measured it as
                // narrow, blank the right half so nothing stale stays there.
                if Int(getcurx(prio_stdscr())) == column + 1 {
                    put(" ", row: row, column: column + 1, style: cell.style)
                }
                column += 2
            } else {
                column += 1
            }
        }
    }

    /// Draws one grapheme; errors are ignored (the bottom-right cell always reports one).
    private func put(_ text: String, row: Int, column: Int, style: CellStyle) {
        var attributes = prio_A_NORMAL()
        if style.bold { attributes |= prio_A_BOLD() }
        if style.reverse { attributes |= prio_A_REVERSE() }
        if style.dim { attributes |= prio_A_DIM() }
        if style.underline { attributes |= prio_A_UNDERLINE() }
        let pair = colors ? Self.pair(style.color) : 0
        let characters = text.unicodeScalars.map { wchar_t(bitPattern: $0.value) }
        _ = characters.withUnsafeBufferPointer {
            prio_put_grapheme(Int32(row), Int32(column), $0.baseAddress, Int32($0.count), attributes, pair)
        }
    }

    // MARK: Input

    /// Waits up to 100 ms for a key; nil when none came (or it was one prio does not use).
    func readKey() -> Key? {
        var value: wint_t = 0
        let started = monotonicMilliseconds()
        let result = prio_get_wch(&value)
        switch result {
        case OK:
            instantFailures = 0
            return Self.key(forCharacter: UInt32(value))
        case KEY_CODE_YES:
            instantFailures = 0
            return key(forCode: Int32(bitPattern: UInt32(value)))
        default:
            // A timeout takes 100 ms; a read that fails at once, again and again, means the
            // terminal is gone (stdin at end of file) and no SIGHUP came.
            if monotonicMilliseconds() - started < 5 { instantFailures += 1 } else { instantFailures = 0 }
            return nil
        }
    }

    /// True when reads have been failing at once for a while.
    var terminalLost: Bool { instantFailures > 200 }

    /// The key for a character `wget_wch` returned with OK.
    static func key(forCharacter value: UInt32) -> Key? {
        switch value {
        case 10, 13: return .enter
        case 27: return .escape
        case 9: return .tab
        case 8, 127: return .backspace
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(value + 96))))
        case 0...31, 0x80...0x9F: return nil
        default: return Unicode.Scalar(value).map { .character(Character($0)) }
        }
    }

    /// The key for a key code `wget_wch` returned with KEY_CODE_YES.
    private func key(forCode code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_SR: return .shiftUp
        case KEY_SF: return .shiftDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_BTAB: return .backTab
        case KEY_DC: return .delete
        case KEY_BACKSPACE: return .backspace
        case KEY_ENTER: return .enter
        case KEY_RESIZE:
            drawn = nil
            let (width, height) = size
            return .resize(width: width, height: height)
        case KEY_MOUSE:
            return mouseKey()
        default:
            if let key = extraKeys[code] { return key }
            // Extended terminfo keys (kUP, kDN) get codes at run time; know them by name.
            if let name = keyname(code).map({ String(cString: $0) }) {
                if name == "kUP" { return .shiftUp }
                if name == "kDN" { return .shiftDown }
            }
            return nil
        }
    }

    private func mouseKey() -> Key? {
        var row: Int32 = 0
        var column: Int32 = 0
        var buttons: mmask_t = 0
        guard prio_getmouse(&row, &column, &buttons) == OK else { return nil }
        if buttons & prio_BUTTON4_PRESSED() != 0 { return .wheelUp }
        if buttons & prio_BUTTON5_PRESSED() != 0 { return .wheelDown }
        if buttons & (prio_BUTTON1_PRESSED() | prio_BUTTON1_CLICKED()) != 0 {
            return .click(row: Int(row), column: Int(column))
        }
        return nil
    }

    private func monotonicMilliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int(now.tv_sec) * 1000 + Int(now.tv_nsec) / 1_000_000
    }
}
