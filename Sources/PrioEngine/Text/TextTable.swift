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
        var widths = columns.map { DisplayWidth.of($0.title) }
        for row in cells {
            for (i, cell) in row.enumerated() where i < widths.count {
                widths[i] = max(widths[i], DisplayWidth.of(cell))
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
        func line(_ values: [String]) -> String {
            var parts: [String] = []
            for (i, value) in values.enumerated() where i < widths.count {
                parts.append(DisplayWidth.pad(value, to: widths[i], alignRight: columns[i].alignRight))
            }
            var text = parts.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        lines.append(line(columns.map(\.title)))
        for row in cells { lines.append(line(row)) }
        return lines.joined(separator: "\n")
    }
}
