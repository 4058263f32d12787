import ArgumentParser
import PrioEngine
import PrioStorage

/// `prio compare --top N`: rows of the table and the N of the top-N overlap.
enum CompareTop: TopMeaning {
    static let help = "Rows of the table, and the N of the top-N overlap (default 10)."
    static let rows = 10
    static let counts = 1...Int.max
}

struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "How far the strategies agree: each story's rank under each, Kendall's tau and the top-N overlap of each pair.",
        discussion: "Example: prio compare --strategies wsjf,rice,value-effort --top 5"
    )

    @OptionGroup var source: BacklogFileArgument

    @Option(help: "Comma-separated strategies to compare, the first being the base of the movements (default: every strategy).")
    var strategies: String?

    @OptionGroup var first: TopStories<CompareTop>
    var top: Int { first.top ?? CompareTop.rows }

    @Flag(help: "Compare done stories too.")
    var all = false

    @OptionGroup var filter: FilterOptions

    @OptionGroup var shape: TableOrJSON
    var format: RankFormat { shape.format }

    func run() throws {
        let backlog = try loadBacklog(source.path, readOnly: true).backlog
        let catalogue = backlog.strategies
        var chosen: [any Strategy] = catalogue.all
        if let strategies {
            let names = strategies.split(separator: ",").map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
            guard names.count >= 2 else { throw fail("--strategies takes two or more names, separated by commas") }
            chosen = try names.map { try chooseStrategy($0, backlog) }
            var seen: Set<String> = []
            for strategy in chosen where !seen.insert(strategy.name).inserted {
                throw fail("\(strategy.name) is named twice in --strategies")
            }
        }
        let whole = StrategyComparison(backlog, strategies: chosen, top: top, includeDone: all)
        let comparison = try filter.flags(backlog).map { whole.keeping($0) } ?? whole
        switch format {
        case .json: try output(CompareReport.json(comparison))
        case .table: try output(CompareReport.table(comparison, rows: top, width: outputWidth()))
        }
        keepUntilExit(comparison)
    }
}
