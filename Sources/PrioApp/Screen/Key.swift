/// One input event, as the app sees it: no ncurses types here.
public enum Key: Sendable, Hashable {
    /// A printable character (letters, digits, punctuation, CJK, emoji).
    case character(Character)
    /// Ctrl plus a letter, lower case: `.control("c")` is Ctrl-C.
    case control(Character)
    case up, down, left, right
    /// Shift-↑ and Shift-↓.
    case shiftUp, shiftDown
    case home, end, pageUp, pageDown
    case enter, escape, tab, backTab, backspace, delete
    /// The terminal now has this size.
    case resize(width: Int, height: Int)
    /// A mouse click at a 0-based screen position.
    case click(row: Int, column: Int)
    case wheelUp, wheelDown
}

extension Key: CustomStringConvertible {
    public var description: String {
        switch self {
        case .character(let c): String(c)
        case .control(let c): "Ctrl-\(c.uppercased())"
        case .resize(let w, let h): "resize(\(w)x\(h))"
        case .click(let r, let c): "click(\(r),\(c))"
        case .up: "up"
        case .down: "down"
        case .left: "left"
        case .right: "right"
        case .shiftUp: "shift-up"
        case .shiftDown: "shift-down"
        case .home: "home"
        case .end: "end"
        case .pageUp: "page-up"
        case .pageDown: "page-down"
        case .enter: "enter"
        case .escape: "escape"
        case .tab: "tab"
        case .backTab: "back-tab"
        case .backspace: "backspace"
        case .delete: "delete"
        case .wheelUp: "wheel-up"
        case .wheelDown: "wheel-down"
        }
    }

    /// Keys for a string of plain characters (for tests and scripted input).
    public static func typing(_ text: String) -> [Key] {
        text.map { $0 == "\n" ? .enter : .character($0) }
    }
}
