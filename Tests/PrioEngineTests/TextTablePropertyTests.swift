import PrioEngine
import PrioStorage
import PropertyBased
import Testing

/// `TextTable.render` as it was before issue 8 (each cell measured three times, trailing
/// spaces removed one by one), kept as the reference for the faster one.
enum OracleTextTable {
    static func render(_ columns: [TextTable.Column], _ rows: [[String]], width: Int) -> String {
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

@Suite("Text tables against the reference")
struct TextTablePropertyTests {
    static let cells = ["", " ", "a", "a ", "ab  ", "日本語", "日本 ", "🎁 gift", "e\u{301}", " \u{301}", "\u{600} ",
                        "x\ty", "line\nbreak", "S-12", "20", "did not fit (5 pts, 2 left)",
                        String(repeating: "long ", count: 30), "ｗｉｄｅ", "\u{1B}[31mred"]

    @Test("Any table renders exactly as before")
    func sameAsBefore() async {
        await propertyCheck(count: 500, input: Gen.int(in: 0...Int.max)) { seed in
            var random = PlanningBacklogs(seed: UInt64(seed))
            let columns = (0..<(1 + random.next(5))).map { k in
                TextTable.Column(["#", "ID", "Title", "Pts", "Why not"][k], alignRight: random.chance(40),
                                 minWidth: random.chance(50) ? random.next(10) : nil)
            }
            let rows = (0..<random.next(8)).map { _ in
                (0..<(random.chance(10) ? random.next(columns.count + 1) : columns.count)).map { _ in random.pick(Self.cells) }
            }
            let width = random.next(130)
            #expect(TextTable(columns: columns, rows: rows).render(width: width)
                == OracleTextTable.render(columns, rows, width: width))
        }
    }
}
