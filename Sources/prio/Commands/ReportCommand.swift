import ArgumentParser
import PrioEngine
import PrioStorage

/// `prio report --top N`.
enum ReportTop: TopMeaning {
    static let help = "How many stories the top table, the forecast and 'later' follow (default 10)."
    static let counts = StakeholderReport.Options.topCounts
}

struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a one-page HTML report for stakeholders: roadmap, top N, forecast, burn-up, value/effort, stakeholders.",
        discussion: """
            Example: prio report --top 10 -o report.html
            One self-contained page (inline CSS and SVG, no script, nothing fetched) to attach to an email, \
            open on a phone, print on A4 or publish: the backlog's vision, goal and sprint; now, next and later; \
            the top N with why in words and when each is done with 85 % probability; the Monte Carlo forecast \
            as a fan chart (the dates of 'prio forecast --confidence' with the same --seed and day); the \
            burn-up of the past sprints (the scope from the file's git history where it has one); the \
            value/effort 2x2 of 'prio matrix'; and the stakeholders with where they disagree. The same \
            file, day ($PRIO_TODAY) and seed give the same bytes.
            """
    )

    @OptionGroup var source: BacklogFileArgument

    @Option(name: .shortAndLong, help: "The page to write (atomically); '-' is standard output. Never the backlog itself.")
    var output: String = "report.html"

    @OptionGroup var first: TopStories<ReportTop>
    var top: Int { first.top ?? StakeholderReport.Options.defaultTop }

    @OptionGroup var ranked: StrategyOption

    @Option(help: "The seed of the Monte Carlo forecast (default 1): the same seed gives the same page.")
    var seed: UInt64 = StakeholderReport.Options.defaultSeed

    @Option(help: "The page's title (default: the backlog's name and 'backlog report').")
    var title: String?

    func run() throws {
        let path = source.path
        let loaded = try loadBacklog(path)
        let backlog = loaded.backlog
        let chosen = try chooseStrategy(ranked.strategy, backlog)
        // The scope line from the file's history, where it is in git.
        let scope = GitRepository.containing(path).flatMap { repository in
            ScopeHistory.scope(repository, path: repository.relative(path), sprints: backlog.header.sprints.map { ($0.name, $0.end) })
        }
        let options = StakeholderReport.Options(strategy: chosen, top: top, seed: seed, title: title)
        let report = StakeholderReport(backlog, today: today(), options: options, sourceName: PathName.lastComponent(of: path),
                                       scope: scope)
        let page = ReportHTML.page(report)
        if output == "-" {
            try prio.output(page)
        } else {
            try reportingErrors {
                _ = try ExportDestination.check(output, backlogPath: path)
                try atomicWrite(Array(page.utf8), to: output, wait: cliLockWait())
            }
            printLine("wrote the report (top \(report.top.count), \(page.utf8.count / 1024 + 1) KB) to \(output)")
        }
        keepUntilExit((backlog, report))
    }
}
