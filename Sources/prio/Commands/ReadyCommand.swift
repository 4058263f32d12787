import ArgumentParser
import PrioEngine
import PrioStorage

/// `prio ready --top N`.
enum ReadyTop: TopMeaning {
    static let help = "Look at the first N stories of the ranking (default 20)."
}

struct ReadyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ready",
        abstract: "List the stories near the top of the ranking that are not ready, and what each lacks.",
        discussion: """
            Example: prio ready --top 30 --strategy wsjf
            The header's Definition of Ready (- ready: points, value, criteria, depends-done) says what a
            story needs; criteria means at least one task item (- [ ] ...) in its description. Without it,
            a story needs points. The stories looked at are those of prio rank --top N (open ones,
            in-progress included).
            """
    )

    @OptionGroup var source: BacklogFileArgument

    @OptionGroup var first: TopStories<ReadyTop>
    var top: Int { first.top ?? ReadyList.defaultTop }

    @OptionGroup var ranked: StrategyOption

    @OptionGroup var shape: TableOrJSON
    var format: RankFormat { shape.format }

    func run() throws {
        let backlog = try loadBacklog(source.path, readOnly: true).backlog
        let chosen = try chooseStrategy(ranked.strategy, backlog)
        let ranking = Ranking(backlog, strategy: chosen)
        let list = ReadyList(ranking, top: top)
        switch format {
        case .json: try output(list.json(backlog))
        case .table: try output(list.table(backlog, top: top, width: outputWidth()))
        }
        keepUntilExit((backlog, ranking))
    }
}
