/// A plain-text table that fits a width, aligning by display width (CJK and emoji count two).
public struct TextTable: Sendable {
    /// One column.
    public struct Column: Sendable {
        /// The heading.
        public var title: String
        /// Right-aligned (numbers) or left-aligned.
        public var alignRight: Bool
        /// How narrow the column may get when the table must shrink; nil keeps its natural width.
        public var minWidth: Int?

        /// Creates a column.
        public init(_ title: String, alignRight: Bool = false, minWidth: Int? = nil) {
            self.title = title
            self.alignRight = alignRight
            self.minWidth = minWidth
        }
    }

    /// The columns.
    public var columns: [Column]
    /// The rows; each has one cell per column.
    public var rows: [[String]]

    /// Creates a table.
    public init(columns: [Column], rows: [[String]]) {
        self.columns = columns
        self.rows = rows
    }

    /// The table as lines no wider than `width`; cells are sanitised for the terminal.
    public func render(width: Int) -> String {
        let cells = rows.map { $0.map(TerminalSafe.sanitize) }
        // Each cell is measured once (tables of plans and forecasts have 100,000 rows).
        let cellWidths = cells.map { $0.map { DisplayWidth.of($0) } }
        var widths = columns.map { DisplayWidth.of($0.title) }
        for row in cellWidths {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], cell)
            }
        }
        let gaps = 2 * (columns.count - 1)
        var excess = widths.reduce(0, +) + gaps - width
        // Shrink flexible columns, last first, down to their minimum.
        for i in columns.indices.reversed() where excess > 0 {
            guard let minimum = columns[i].minWidth else { continue }
            let cut = min(excess, max(0, widths[i] - minimum))
            widths[i] -= cut
            excess -= cut
        }
        var lines: [String] = []
        lines.reserveCapacity(cells.count + 1)
        func line(_ values: [String], _ measured: [Int]) -> String {
            var text = ""
            for (i, value) in values.enumerated() where i < widths.count {
                if i > 0 { text += "  " }
                let gap = widths[i] - measured[i]
                guard gap >= 0 && (widths[i] > 0 || value.isEmpty) else {
                    text += DisplayWidth.pad(value, to: widths[i], alignRight: columns[i].alignRight)
                    continue
                }
                // What `DisplayWidth.pad` gives for a cell that fits, without measuring it again.
                if columns[i].alignRight {
                    text += String(repeating: " ", count: gap)
                    text += value
                } else {
                    text += value
                    text += String(repeating: " ", count: gap)
                }
            }
            return trimmingTrailingSpaces(text)
        }
        lines.append(line(columns.map(\.title), columns.map { DisplayWidth.of($0.title) }))
        for (row, measured) in zip(cells, cellWidths) { lines.append(line(row, measured)) }
        return lines.joined(separator: "\n")
    }

    /// `text` without its trailing spaces (whole characters, as `removeLast` would take them).
    private func trimmingTrailingSpaces(_ text: String) -> String {
        let bytes = text.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: " ") { end = bytes.index(before: end) }
        guard end != bytes.endIndex else { return text }
        // After an ASCII character every space is a character of its own; otherwise (a space
        // joined to what comes before it) trim character by character.
        if end == bytes.startIndex || bytes[bytes.index(before: end)] < 0x80 {
            return String(text[..<end])
        }
        var trimmed = text
        while trimmed.hasSuffix(" ") { trimmed.removeLast() }
        return trimmed
    }
}
