import PrioEngine

/// Colours a cell may ask for; the backend maps them, or ignores them under NO_COLOR.
public enum CellColor: Sendable, Hashable {
    case normal, red, green, yellow, blue, magenta, cyan
}

/// How a cell looks. Every state the screen shows must stay readable without colour
/// (reverse video, bold, markers), so colour is only ever an extra.
public struct CellStyle: Sendable, Hashable {
    public var bold = false
    public var reverse = false
    public var dim = false
    public var underline = false
    public var color: CellColor = .normal

    /// Plain text.
    public static let plain = CellStyle()
    /// Reverse video (the cursor row, the header and status bars).
    public static let reverse = CellStyle(reverse: true)
    /// Bold.
    public static let bold = CellStyle(bold: true)
    /// Dim (secondary text).
    public static let dim = CellStyle(dim: true)

    /// Creates a style.
    public init(bold: Bool = false, reverse: Bool = false, dim: Bool = false, underline: Bool = false,
                color: CellColor = .normal) {
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
        self.color = color
    }
}

/// One terminal cell: a grapheme cluster and its style. The right half of a double-width
/// character is a continuation cell with empty text.
public struct Cell: Sendable, Hashable {
    /// The grapheme shown, `" "` when blank, `""` for the right half of a wide character.
    public var text: String
    /// The look.
    public var style: CellStyle

    /// A blank cell.
    public static let blank = Cell(text: " ", style: .plain)

    /// Creates a cell.
    public init(text: String, style: CellStyle) {
        self.text = text
        self.style = style
    }

    /// True for the right half of a double-width character.
    public var isContinuation: Bool { text.isEmpty }
}

/// An in-memory grid of cells that views draw into; the backend copies it to the terminal,
/// and tests compare it as text.
public struct ScreenBuffer: Sendable, Hashable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// The cells, row by row.
    public private(set) var cells: [Cell]

    /// A blank buffer.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The cell at a position.
    public subscript(row: Int, column: Int) -> Cell {
        cells[row * width + column]
    }

    /// Fills a row range with one style (spaces).
    public mutating func fill(row: Int, from column: Int = 0, width count: Int? = nil, style: CellStyle) {
        guard row >= 0 && row < height else { return }
        let end = min(width, column + (count ?? width))
        var c = max(0, column)
        while c < end {
            cells[row * width + c] = Cell(text: " ", style: style)
            c += 1
        }
    }

    /// Changes the style of `count` cells of a row in place (the text stays), clipped to the buffer.
    public mutating func restyle(row: Int, column: Int, width count: Int, _ change: (inout CellStyle) -> Void) {
        guard row >= 0 && row < height else { return }
        for c in max(0, column)..<max(max(0, column), min(width, column + count)) {
            change(&cells[row * width + c].style)
        }
    }

    /// Writes text at a position, clipped to `maxWidth` columns and the buffer's edge.
    /// Control characters are shown as placeholders; a wide character that does not fit
    /// whole is replaced by a space. Returns the columns used.
    @discardableResult
    public mutating func put(_ text: String, row: Int, column: Int, style: CellStyle = .plain,
                             maxWidth: Int? = nil) -> Int {
        guard row >= 0 && row < height && column < width else { return 0 }
        let limit = min(width, column + (maxWidth ?? width))
        var c = column
        for character in TerminalSafe.sanitize(text) {
            let w = DisplayWidth.of(character)
            if w == 0 {
                // A lone combining mark or zero-width character joins nothing here: skip it.
                continue
            }
            if c + w > limit {
                if c < limit && c >= 0 { cells[row * width + c] = Cell(text: " ", style: style) }
                c = limit
                break
            }
            if c >= 0 {
                cells[row * width + c] = Cell(text: String(character), style: style)
                if w == 2 { cells[row * width + c + 1] = Cell(text: "", style: style) }
            }
            c += w
        }
        return c - column
    }

    /// The rows as plain text (wide characters once, trailing spaces trimmed): what tests compare.
    public var lines: [String] {
        (0..<height).map { row in
            var line = ""
            for column in 0..<width {
                let cell = cells[row * width + column]
                if !cell.isContinuation { line += cell.text }
            }
            while line.hasSuffix(" ") { line.removeLast() }
            return line
        }
    }

    /// The whole screen as text, one line per row.
    public var text: String { lines.joined(separator: "\n") }
}
