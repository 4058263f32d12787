/// `prio matrix` as text (a scatter of story IDs in the four quadrants, the lists beneath) and JSON.
public enum MatrixReport {
    /// The scatter and the quadrant lists, fitted to `width` columns.
    public static func text(_ matrix: ValueEffortMatrix, backlog: Backlog, width: Int) -> String {
        guard let vm = matrix.valueMedian, let em = matrix.effortMedian, !matrix.points.isEmpty else {
            return "No story has both a value and an effort (or points): nothing to place.\n"
                + list("unscored", matrix.unscored.map { backlog.stories[$0].id.description }, width: width)
        }
        var out = "Value / effort: \(Plural.count(matrix.points.count, "story", "stories")) placed, split at the medians "
            + "(value \(decimalText(vm)), effort \(decimalText(em)))\n\n"
        out += scatter(matrix, backlog: backlog, width: max(24, min(width, 100) - 2), height: 16)
        out += "\n"
        for quadrant in ValueEffortMatrix.quadrants {
            out += list(quadrant, matrix.points(in: quadrant).map { backlog.stories[$0.storyIndex].id.description }, width: width)
        }
        let tooLarge = Set(matrix.tooLarge)
        let missing = matrix.unscored.filter { !tooLarge.contains($0) }
        if !missing.isEmpty {
            out += list("unscored (no value, or no effort or points)", missing.map { backlog.stories[$0].id.description }, width: width)
        }
        if !tooLarge.isEmpty {
            out += list("unscored (value / effort too large to score)", matrix.tooLarge.map { backlog.stories[$0].id.description }, width: width)
        }
        return out
    }

    /// `quick win (3): S-1, S-4, S-9`, wrapped at `width`.
    static func list(_ name: String, _ ids: [String], width: Int) -> String {
        var out = "\(name) (\(ids.count)):"
        // The current line's width, kept rather than counted again for every ID.
        var lineWidth = out.count
        for (i, id) in ids.enumerated() {
            let piece = " " + id + (i == ids.count - 1 ? "" : ",")
            let pieceWidth = piece.count
            if lineWidth + pieceWidth > max(20, width) {
                out += "\n   "
                lineWidth = 3
            }
            out += piece
            lineWidth += pieceWidth
        }
        return out + "\n"
    }

    /// The 2×2 as lines of text with the axis names.
    static func scatter(_ matrix: ValueEffortMatrix, backlog: Backlog, width: Int, height: Int) -> String {
        let plot = MatrixPlot(matrix, backlog: backlog, width: width, height: height)
        var out = "value ▲\n"
        for line in plot.lines {
            var text = line
            while text.hasSuffix(" ") { text.removeLast() }
            out += "  " + text + "\n"
        }
        out += String(repeating: " ", count: max(0, width - 6)) + "effort ▶\n"
        return out
    }

    /// `{"x": "effort", "y": "value", "x_median", "y_median", "quadrants": {...}, "unscored": [...]}`.
    public static func json(_ matrix: ValueEffortMatrix, backlog: Backlog) -> String {
        func ids(_ indices: [Int]) -> String {
            // An ID is letters, digits, `_` and `-`: nothing in it needs escaping.
            var out: [UInt8] = [UInt8(ascii: "[")]
            out.reserveCapacity(indices.count * 12 + 2)
            unsafe backlog.stories.withUnsafeBufferPointer { stories in
                for (i, index) in indices.enumerated() {
                    if i > 0 { out.append(contentsOf: [UInt8(ascii: ","), UInt8(ascii: " ")]) }
                    out.append(UInt8(ascii: "\""))
                    unsafe stories[index].id.write(to: &out)
                    out.append(UInt8(ascii: "\""))
                }
            }
            out.append(UInt8(ascii: "]"))
            return String(decoding: out, as: UTF8.self)
        }
        var out = "{\n  \"x\": \"effort\",\n  \"y\": \"value\",\n"
        out += "  \"x_median\": \(matrix.effortMedian.map(decimalText) ?? "null"),\n"
        out += "  \"y_median\": \(matrix.valueMedian.map(decimalText) ?? "null"),\n"
        out += "  \"quadrants\": {\n"
        out += ValueEffortMatrix.quadrants.map { q in
            "    \(JSON.string(q)): \(ids(matrix.points(in: q).map(\.storyIndex)))"
        }.joined(separator: ",\n")
        out += "\n  },\n  \"unscored\": \(ids(matrix.unscored))\n}\n"
        return out
    }

    /// A fraction as an exact decimal when it has one (`8`, `2.5`), else with six decimals.
    public static func decimalText(_ f: Fraction) -> String {
        let r = f.reduced()
        var d = r.denominator.magnitude
        var twos = 0, fives = 0
        while d % 2 == 0 { d /= 2; twos += 1 }
        while d % 5 == 0 { d /= 5; fives += 1 }
        guard d == 1 else { return CompareReport.number(r.doubleValue) }
        let scale = max(twos, fives)
        guard scale <= 30 else { return CompareReport.number(r.doubleValue) }
        var factor: Int128 = 1
        for _ in 0..<scale { factor *= 10 }
        guard let (scaled, overflow) = Optional(r.numerator.multipliedReportingOverflow(by: factor / r.denominator)), !overflow else {
            return CompareReport.number(r.doubleValue)
        }
        return DecimalNumber(mantissa: scaled, scale: scale).description
    }
}

/// The value/effort 2×2 drawn on a grid of characters: box lines at the medians, the quadrant
/// names in the corners, each story's ID at its place (`S-4+2` where three share a place, a
/// dot where labels would overlap). The
/// report prints it; the screen draws it and highlights a point.
public struct MatrixPlot: Sendable {
    /// The grid, one string per row, each `width` characters.
    public let lines: [String]
    /// Where each point of the matrix was drawn (row, column, length), nil when it did not fit.
    public let placements: [(row: Int, column: Int, length: Int)?]
    /// Each point's cell (where it belongs, drawn or not).
    public let cells: [(column: Int, row: Int)]

    /// Lays out `matrix` on `width` × `height` characters.
    public init(_ matrix: ValueEffortMatrix, backlog: Backlog, width: Int, height: Int) {
        let width = max(1, width), height = max(1, height)
        let (cells, medianColumn, medianRow) = matrix.layout(width: width, height: height)
        var grid = [[Character]](repeating: [Character](repeating: " ", count: width), count: height)
        var free = [[Bool]](repeating: [Bool](repeating: true, count: width), count: height)
        if !matrix.points.isEmpty {
            // The median lines give way to labels: a story on a median is drawn over the line.
            for r in 0..<height { grid[r][medianColumn] = "│" }
            for c in 0..<width { grid[medianRow][c] = c == medianColumn ? "┼" : "─" }
        }
        // Corner names first, so points never hide them.
        func label(_ text: String, row: Int, right: Bool) {
            let chars = Array(text)
            let start = right ? max(0, width - chars.count) : 0
            for (i, ch) in chars.enumerated() where start + i < width {
                grid[row][start + i] = ch
                free[row][start + i] = false
            }
        }
        let counts = Dictionary(grouping: matrix.points, by: \.quadrant).mapValues(\.count)
        func name(_ q: String) -> String { "\(q) (\(counts[q] ?? 0))" }
        label(name("quick win"), row: 0, right: false)
        label(name("big bet"), row: 0, right: true)
        label(name("fill-in"), row: height - 1, right: false)
        label(name("money pit"), row: height - 1, right: true)
        // Stories on one cell share one label: the first ID (in rank order) and how many more.
        var groups: [Int: [Int]] = [:]
        var cellOrder: [Int] = []
        for (i, cell) in cells.enumerated() {
            let key = cell.row * width + cell.column
            if groups[key] == nil { cellOrder.append(key) }
            groups[key, default: []].append(i)
        }
        var placements = [(row: Int, column: Int, length: Int)?](repeating: nil, count: matrix.points.count)
        for key in cellOrder {
            guard let members = groups[key], let firstMember = members.first else { continue }
            let cell = cells[firstMember]
            var text = backlog.stories[matrix.points[firstMember].storyIndex].id.description
            if members.count > 1 { text += "+\(members.count - 1)" }
            let id = Array(text)
            // The label at its cell, else just left of it, else a dot, else nothing (it is in the lists).
            var placed: (row: Int, column: Int, length: Int)?
            for start in [cell.column, cell.column - id.count + 1] where start >= 0 && start + id.count <= width {
                if (start..<(start + id.count)).allSatisfy({ free[cell.row][$0] }) {
                    for (i, ch) in id.enumerated() {
                        grid[cell.row][start + i] = ch
                        free[cell.row][start + i] = false
                    }
                    // Keep a space after a label so that neighbours stay readable.
                    if start + id.count < width { free[cell.row][start + id.count] = false }
                    placed = (cell.row, start, id.count)
                    break
                }
            }
            if placed == nil, free[cell.row][cell.column] {
                grid[cell.row][cell.column] = "•"
                free[cell.row][cell.column] = false
                placed = (cell.row, cell.column, 1)
            }
            for member in members { placements[member] = placed }
        }
        lines = grid.map { String($0) }
        self.placements = placements
        self.cells = cells
    }
}
