import ArgumentParser
import PrioEngine
import PrioStorage

extension ExportFormat: ExpressibleByArgument {}

/// `prio export --top N`.
enum ExportTop: TopMeaning {
    static let help = "Export only the first N stories."
}

struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export the ranked backlog as CSV, Markdown, JSON or plain text.",
        discussion: """
            Example: prio export --format markdown --strategy wsjf --top 10 -o top10.md
            Columns: rank, id, title, score, why (the short explanation), explanation (the full one), forecast \
            (the sprint a story is in or is forecast to land in at the team's velocity), description, and any \
            field: points, moscow, status, value, ... or a custom field. The default Markdown has rank, ID, \
            title, points, MoSCoW, score, why and forecast (columns empty in every row are left out); CSV and \
            JSON have rank, id, title, score, explanation, every field and the description. Text has the \
            Markdown's columns as aligned plain text, for an email or a chat. In Markdown and text the why is \
            in words ("high value 13, urgent 8, small 3 pts") and the forecast names the sprint's last day \
            ("Sprint 7, ends 2027-01-08"). For a one-page HTML report with charts: prio report.
            """
    )

    @OptionGroup var source: BacklogFileArgument

    @Option(help: "csv, markdown, json, text, or jira-rank (the moves that give the tracker prio's order).")
    var format: ExportChoice

    @OptionGroup var ranked: StrategyOption

    @Option(help: "The columns, comma-separated: rank,id,title,points,why,forecast,... (default: the format's own).")
    var columns: String?

    @OptionGroup var first: TopStories<ExportTop>
    var top: Int? { first.top }

    @Flag(help: "Include done stories.")
    var all = false

    @OptionGroup var filter: FilterOptions

    @Option(name: .shortAndLong, help: "Write to this file (atomically) instead of standard output; '-' is standard output. Never the backlog itself.")
    var output: String?

    @Option(help: ArgumentHelp("Only the stories changed or added since this git revision, with the source's column names (csv or json).",
                               valueName: "rev"))
    var changedSince: String?

    @Flag(help: "CSV: write cells as they are (by default a cell starting with =, +, -, @, tab or CR gets a leading ' so spreadsheets do not run it as a formula).")
    var raw = false

    @Flag(help: "CSV: start with a UTF-8 byte-order mark, so that spreadsheet programs on Windows read accents, CJK and emoji right.")
    var bom = false

    func validate() throws {
        if bom && format != .ranking(.csv) { throw ValidationError("--bom goes with --format csv") }
    }

    func run() throws {
        let path = source.path
        guard case .ranking(let format) = self.format else { return try runJiraRank(path: path) }
        if let changedSince { return try runChangedSince(changedSince, path: path, format: format) }
        let loaded = try loadBacklog(path, readOnly: true)
        let chosen = try chooseStrategy(ranked.strategy, loaded.backlog)
        let chosenColumns = try columns.map { list in try reportingErrors { try ExportColumn.parse(list, in: loaded.backlog) } }
        let ranking = Ranking(loaded.backlog, strategy: chosen, includeDone: all)
        let keep = try filter.flags(loaded.backlog)
        let text = Exporter.export(ranking, format: format, top: top, date: today(),
                                   sourceName: PathName.lastComponent(of: path), columns: chosenColumns,
                                   neutraliseFormulas: !raw, keeping: keep, bom: bom)
        if let target = output, target != "-" {
            try reportingErrors {
                _ = try ExportDestination.check(target, backlogPath: path)
                try atomicWrite(Array(text.utf8), to: target, wait: cliLockWait())
            }
            let count = keep == nil ? min(top ?? Int.max, ranking.entries.count) : ranking.entries(keeping: keep, top: top).count
            printLine("wrote \(count) \(count == 1 ? "story" : "stories") to \(target)")
        } else {
            try prio.output(text)
        }
    }
}
