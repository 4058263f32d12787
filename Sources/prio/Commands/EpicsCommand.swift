import ArgumentParser
import PrioEngine
import PrioStorage

struct EpicsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "epics",
        abstract: "List each story that has children (- parent: ID) with its children and their roll-up.",
        discussion: """
            Example: prio epics --strategy wsjf
            Each epic shows its children's points (not its own), their done points, the share done and the
            sprint its last open child lands in by the plain forecast (prio forecast). Children are listed in
            rank order, done ones included.
            """
    )

    @OptionGroup var source: BacklogFileArgument

    @OptionGroup var ranked: StrategyOption

    @OptionGroup var filter: FilterOptions

    @Option(help: "table or json.")
    var format: RankFormat = .table

    func run() throws {
        let backlog = try loadBacklog(source.path, readOnly: true).backlog
        let chosen = try chooseStrategy(ranked.strategy, backlog)
        let epics = Epics(backlog, strategy: chosen, forecast: plainForecast(backlog, strategy: chosen))
        let keep = try filter.flags(backlog)
        switch format {
        case .json: try output(EpicsReport.json(epics, backlog, keeping: keep))
        case .table: try output(EpicsReport.table(epics, backlog, keeping: keep, width: outputWidth()))
        }
        keepUntilExit((backlog, epics))
    }
}

/// The plain forecast at the measured velocity (what `prio forecast` shows without --velocity),
/// nil when there is no velocity or a dependency cycle stops it.
func plainForecast(_ backlog: Backlog, strategy: any Strategy) -> ForecastReport? {
    let timeline = SprintTimeline(backlog, today: today())
    guard let velocity = timeline.velocity?.value, velocity > Fraction(0) else { return nil }
    return try? ForecastReport.plain(backlog, timeline: timeline, strategy: strategy, velocity: velocity)
}
