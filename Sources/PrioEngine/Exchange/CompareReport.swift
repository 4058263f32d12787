/// `prio compare` as text and JSON: one writer for the command (and for anyone scripting it).
public enum CompareReport {
    /// "2 ▲3": a rank and its movement against another (▲ ranked higher, ▼ lower, = same).
    public static func movement(_ rank: Int, against base: Int) -> String {
        if rank == base { return "\(rank) =" }
        return rank < base ? "\(rank) ▲\(base - rank)" : "\(rank) ▼\(rank - base)"
    }

    /// Kendall's tau with two decimals (`0.42`, `-1.00`), or `–` when undefined.
    public static func tauText(_ tau: Double?) -> String {
        guard let tau else { return "–" }
        return formatFixed(tau, decimals: 2)
    }

    /// The table: the first `rows` stories in the first strategy's order with their rank under
    /// each strategy (the others with their movement against the first), then the agreement
    /// of each pair.
    public static func table(_ comparison: StrategyComparison, rows limit: Int?, width: Int) -> String {
        guard let first = comparison.rankings.first else { return "" }
        let backlog = first.backlog
        let names = comparison.strategies.map(\.name)
        let rows = comparison.rows.prefix(limit ?? comparison.rows.count).map { row -> [String] in
            let story = backlog.stories[row.storyIndex]
            var cells = [story.id.description, story.title]
            for (s, rank) in row.ranks.enumerated() {
                cells.append(s == 0 ? String(rank) : movement(rank, against: row.ranks[0]))
            }
            return cells
        }
        var columns: [TextTable.Column] = [.init("ID"), .init("Title", minWidth: 12)]
        columns += names.map { TextTable.Column($0, alignRight: true) }
        var text = TextTable(columns: columns, rows: rows).render(width: width)
        let n = comparison.rows.count
        text += "\n\nAgreement over \(Plural.count(n, "story", "stories")) (Kendall's tau: 1 same order, 0 unrelated, -1 reversed)"
        if names.count > StrategyComparison.allPairsLimit {
            text += "\n  (\(names.count) strategies: each against \(names[0]) only; name up to \(StrategyComparison.allPairsLimit) with --strategies for every pair)"
        }
        let nameWidth = names.map { DisplayWidth.of($0) }.max() ?? 0
        for pair in comparison.pairs {
            let label = DisplayWidth.pad(names[pair.a], to: nameWidth) + " · " + DisplayWidth.pad(names[pair.b], to: nameWidth)
            let tau = DisplayWidth.pad(tauText(pair.kendallTau), to: 5, alignRight: true)
            let shown = min(comparison.top, n)
            text += "\n  \(label)  tau \(tau)  top-\(comparison.top) overlap \(pair.topOverlap)/\(shown)"
        }
        return text + "\n"
    }

    /// The JSON: `{"strategies", "stories": [{"id", "title", "ranks"}], "pairs": [...]}`.
    public static func json(_ comparison: StrategyComparison) -> String {
        guard let first = comparison.rankings.first else { return "{}\n" }
        let backlog = first.backlog
        let names = comparison.strategies.map(\.name)
        var out = "{\n  \"strategies\": [" + names.map(JSON.string).joined(separator: ", ") + "],\n  \"stories\": ["
        for (i, row) in comparison.rows.enumerated() {
            let story = backlog.stories[row.storyIndex]
            let ranks = zip(names, row.ranks).map { "\(JSON.string($0)): \($1)" }.joined(separator: ", ")
            out += (i == 0 ? "\n" : ",\n")
            out += "    {\"id\": \(JSON.string(story.id.description)), \"title\": \(JSON.string(story.title)), \"ranks\": {\(ranks)}}"
        }
        out += comparison.rows.isEmpty ? "],\n  \"pairs\": [" : "\n  ],\n  \"pairs\": ["
        for (i, pair) in comparison.pairs.enumerated() {
            let tau = pair.kendallTau.map { number($0) } ?? "null"
            out += (i == 0 ? "\n" : ",\n")
            out += "    {\"a\": \(JSON.string(names[pair.a])), \"b\": \(JSON.string(names[pair.b])), \"kendall_tau\": \(tau), "
                + "\"top_overlap\": \(pair.topOverlap), \"top\": \(comparison.top)}"
        }
        out += comparison.pairs.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }

    /// A JSON number with at most six decimals, without trailing zeros (`0.6`, `-0.333333`, `1`).
    static func number(_ value: Double) -> String {
        var text = formatFixed(value, decimals: 6)
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text == "-0" ? "0" : text
    }
}
