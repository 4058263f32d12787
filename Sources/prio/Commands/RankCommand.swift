import ArgumentParser
import PrioEngine
import PrioStorage

/// Output formats of `prio rank`.
enum RankFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}

/// What `prio rank --group` groups by.
enum RankGrouping: String, ExpressibleByArgument, CaseIterable {
    case parent
}

/// `prio rank --top N`.
enum RankTop: TopMeaning {
    static let help = "Show only the first N stories."
}

struct RankCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rank",
        abstract: "Show the backlog ranked by a strategy, with each score explained.",
        discussion: "Example: prio rank --strategy wsjf --top 10"
    )

    @OptionGroup var source: BacklogFileArgument

    @OptionGroup var ranked: StrategyOption

    @OptionGroup var first: TopStories<RankTop>

    @Flag(help: "Include done stories.")
    var all = false

    @Option(help: "Show only the stories whose goal field contains this text (any case); ranks stay the whole backlog's.")
    var goal: String?

    @OptionGroup var filter: FilterOptions

    @OptionGroup var shape: TableOrJSON
    var format: RankFormat { shape.format }

    @Option(help: "parent: group the table by epic, each epic with its roll-up (children's points, share done).")
    var group: RankGrouping?

    @Flag(help: "Rewrite the manual order to match this ranking (done stories keep their places).")
    var apply = false

    func validate() throws {
        if group != nil && format != .table { throw ValidationError("--group is for the table; prio epics --format json gives the roll-ups") }
        if group != nil && apply { throw ValidationError("--group shows the ranking; run --apply without it") }
    }

    func run() throws {
        let loaded = try loadBacklog(source.path, readOnly: !apply)
        var backlog = loaded.backlog
        let chosen = try chooseStrategy(ranked.strategy, backlog)
        let keep = try filter.flags(backlog)
        // The first N alone are shown: only they need putting in order (not with a filter,
        // a goal, a grouping or --apply, which read the whole order).
        let onlyFirst = keep == nil && goal == nil && group == nil && !apply ? first.top : nil
        let ranking = Ranking(backlog, strategy: chosen, includeDone: all, first: onlyFirst)
        let entries = ranking.entries(keeping: keep, servingGoal: goal, top: first.top)
        switch format {
        case .json:
            try output(Exporter.rankJSON(ranking, entries))
        case .table:
            // The value/effort ranking shows each story's quadrant as a column too.
            let quadrants = chosen is ValueEffortStrategy
            let row = { (entry: Ranking.Entry) -> [String] in
                let story = ranking.story(entry)
                // ⚠ marks a story ranked above a story it depends on (its Why says which).
                // ≠ marks a story whose stakeholders' votes disagree or whose team's estimates spread.
                let mark = !ranking.waitsFor(entry).isEmpty ? "⚠ " : (ranking.backlog.disagreements(of: story).isEmpty ? "" : "≠ ")
                var row = [String(entry.rank), story.id.description, mark + story.title,
                           story.points?.description ?? "", entry.score.fraction?.formatted ?? "–"]
                if quadrants { row.append(ValueEffortStrategy.quadrant(of: story, context: ranking.context) ?? "") }
                return row + [ranking.explanation(entry)]
            }
            var columns: [TextTable.Column] = [
                .init("#", alignRight: true), .init("ID"), .init("Title", minWidth: 12),
                .init("Pts", alignRight: true), .init("Score", alignRight: true),
            ]
            if quadrants { columns.append(.init("Quadrant")) }
            var rows: [[String]] = []
            if group == .parent {
                let epics = Epics(backlog, strategy: chosen, forecast: nil)
                for part in epics.groups(entries, in: backlog) {
                    var heading = [String](repeating: "", count: columns.count + 1)
                    if let epic = part.epic, let rollup = part.rollup {
                        let story = backlog.stories[epic]
                        heading[1] = story.id.description
                        heading[2] = "▾ \(story.title): " + EpicsReport.summary(rollup)
                    } else {
                        heading[2] = "▾ No epic"
                    }
                    rows.append(heading)
                    rows += part.entries.map { entry in
                        var cells = row(entry)
                        if part.epic != entry.storyIndex { cells[2] = "  " + cells[2] }
                        return cells
                    }
                }
            } else {
                rows = entries.map(row)
            }
            columns.append(.init("Why", minWidth: 12))
            let table = TextTable(columns: columns, rows: rows)
            let lines = backlog.header.goalLines
            try output((lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n\n") + table.render(width: outputWidth()) + "\n")
        }
        if apply {
            let before = backlog.stories.map(\.id)
            backlog.apply(ranking)
            let moved = zip(before, backlog.stories.map(\.id)).filter { $0 != $1 }.count
            try saveBacklog(loaded, backlog)
            printLine("applied the \(chosen.name) order to \(loaded.path) (\(moved) stories changed place)")
        }
        keepUntilExit((loaded, ranking))
    }
}
