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
        if !matrix.unscored.isEmpty {
            out += list("unscored (no value, or no effort or points)", matrix.unscored.map { backlog.stories[$0].id.description }, width: width)
        }
        return out
    }

    /// `quick win (3): S-1, S-4, S-9`, wrapped at `width`.
    static func list(_ name: String, _ ids: [String], width: Int) -> String {
        var lines: [String] = []
        var line = "\(name) (\(ids.count)):"
        for (i, id) in ids.enumerated() {
            let piece = " " + id + (i == ids.count - 1 ? "" : ",")
            if line.count + piece.count > max(20, width) {
                lines.append(line)
                line = "   "
            }
            line += piece
        }
        lines.append(line)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The 2×2 drawn with box lines at the medians and each story's ID at its place (a dot where
    /// IDs would overlap), the quadrant names in the corners.
    static func scatter(_ matrix: ValueEffortMatrix, backlog: Backlog, width: Int, height: Int) -> String {
        let (cells, medianColumn, medianRow) = matrix.layout(width: width, height: height)
        var grid = [[Character]](repeating: [Character](repeating: " ", count: width), count: height)
        for r in 0..<height { grid[r][medianColumn] = "│" }
        for c in 0..<width { grid[medianRow][c] = c == medianColumn ? "┼" : "─" }
        var free = [[Bool]](repeating: [Bool](repeating: true, count: width), count: height)
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
        for r in 0..<height { free[r][medianColumn] = false }
        for c in 0..<width { free[medianRow][c] = false }
        for (point, cell) in zip(matrix.points, cells) {
            let id = Array(backlog.stories[point.storyIndex].id.description)
            // The ID at its cell, else just left of it, else a dot, else nothing (it is in the lists).
            var placed = false
            for start in [cell.column, cell.column - id.count + 1] where start >= 0 && start + id.count <= width {
                if (start..<(start + id.count)).allSatisfy({ free[cell.row][$0] }) {
                    for (i, ch) in id.enumerated() {
                        grid[cell.row][start + i] = ch
                        free[cell.row][start + i] = false
                    }
                    // Keep a space after an ID so that neighbours stay readable.
                    if start + id.count < width { free[cell.row][start + id.count] = false }
                    placed = true
                    break
                }
            }
            if !placed, free[cell.row][cell.column] {
                grid[cell.row][cell.column] = "•"
                free[cell.row][cell.column] = false
            }
        }
        var out = "value ▲\n"
        for row in grid {
            var line = String(row)
            while line.hasSuffix(" ") { line.removeLast() }
            out += "  " + line + "\n"
        }
        out += String(repeating: " ", count: max(0, width - 6)) + "effort ▶\n"
        return out
    }

    /// `{"x": "effort", "y": "value", "x_median", "y_median", "quadrants": {...}, "unscored": [...]}`.
    public static func json(_ matrix: ValueEffortMatrix, backlog: Backlog) -> String {
        func ids(_ indices: [Int]) -> String {
            "[" + indices.map { JSON.string(backlog.stories[$0].id.description) }.joined(separator: ", ") + "]"
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
