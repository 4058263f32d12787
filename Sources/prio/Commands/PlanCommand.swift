import ArgumentParser
import PrioEngine
import PrioStorage

/// Output formats of `prio plan`.
enum PlanFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, markdown
}

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Fill a sprint to capacity along a ranking, with a cut line and the reasons below it.",
        discussion: """
            Example: prio plan --capacity 20 --sprint "Sprint 4" --strategy wsjf --apply
            The sprint defaults to the current one (the active sprint, else the next planned one, else
            the sprint on the cadence holding today); ended and closed sprints are not planned. The
            capacity defaults to the sprint's declared capacity, else to the velocity (the mean done
            points of the last sprints that ended, --window of them).
            """
    )

    @OptionGroup var source: BacklogFileArgument

    @Option(help: "Capacity in story points.")
    var capacity: String?

    @Option(help: "The sprint to plan (its name in the header and in stories' sprint field).")
    var sprint: String?

    @OptionGroup var ranked: StrategyOption

    @Flag(help: "Write the plan: set the sprint field of the stories taken.")
    var apply = false

    @Option(help: "table, json or markdown.")
    var format: PlanFormat = .table

    @Option(help: "How many stories below the cut line to list: a number, or all (default 20).")
    var below: String?

    @OptionGroup var history: VelocityWindow

    @OptionGroup var filter: FilterOptions

    func validate() throws {
        if apply && !filter.isEmpty {
            throw ValidationError("--where and --view choose what the plan lists; --apply writes the whole plan, so run it without them")
        }
        if let below, below != "all", Int(below).map({ $0 >= 0 }) != true {
            throw ValidationError("--below must be a number of stories or all, got '\(below)'")
        }
    }

    func run() throws {
        let loaded = try loadBacklog(source.path, readOnly: !apply)
        var backlog = loaded.backlog
        let chosen = try chooseStrategy(ranked.strategy, backlog)
        let timeline = SprintTimeline(backlog, today: today(), window: history.window)
        var given: DecimalNumber?
        if let capacity {
            guard let value = DecimalNumber(capacity), !value.isNegative else {
                throw fail("--capacity must be a number of points, got '\(capacity)'")
            }
            given = value
        }
        // One rule for which sprint and what capacity, shared with the screen.
        let choice = Planner.chooseSprint(backlog, today: today(), named: sprint, capacity: given, timeline: timeline)
        let name = choice.sprint.name
        try reportingErrors { try Sprint.checkName(name) }
        if let problem = choice.problem { throw fail(problem) }
        guard let limit = choice.capacity else { throw fail(SprintChoice.noCapacity) }
        let plan: SprintPlan
        do {
            plan = try Planner.plan(backlog, sprint: name, capacity: limit, strategy: chosen)
        } catch {
            throw fail(error.description)
        }
        let shown = try filter.flags(backlog).map { plan.keeping($0) } ?? plan
        let listed = below == "all" ? nil : Int(below ?? "") ?? PlanReport.defaultBelow
        let source = choice.capacityFrom(timeline)
        switch format {
        case .json: try output(PlanReport.json(shown, backlog, below: listed, capacityFrom: source))
        case .markdown: try output(PlanReport.markdown(shown, backlog, strategy: chosen, below: listed))
        case .table: try output(PlanReport.table(shown, backlog, strategy: chosen, width: outputWidth(), below: listed, capacityFrom: source))
        }
        for warning in plan.warnings { printLine("prio: warning: \(warning)") }
        if let note = timeline.overdueNote { printLine("prio: note: \(note)") }
        if apply {
            // A capacity given for the plan is the sprint's capacity from now on; a new sprint is declared.
            _ = try reportingErrors {
                try Planner.apply(plan, sprint: choice.sprint, capacity: limit, recordingCapacity: choice.capacitySource == .given,
                                  to: &backlog)
            }
            try saveBacklog(loaded, backlog)
            let added = plan.selected.filter { !$0.alreadyPlanned }.count
            let removed = plan.below.filter { if case .overCapacity = $0.reason { true } else { false } }.count
            printLine("planned \(Plural.count(added, "story", "stories")) into \(name) in \(loaded.path)"
                       + (removed > 0 ? "; took \(removed) over capacity out of it" : ""))
        }
    }
}

struct ForecastCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forecast",
        abstract: "Forecast the sprint each remaining story lands in, from the current sprint on.",
        discussion: """
            Example: prio forecast --strategy wsjf
            Example: prio forecast --from-git --when --top 10
            The forecast fills the current sprint (at its capacity minus what is in it), then the later
            declared sprints, then sprints on the cadence at the velocity: the mean done points of the
            last sprints that ended (--window of them, zeros included). Overdue stories (not done in an
            ended sprint) are work still to do.
            --from-git forecasts from the backlog's git history instead: the days stories became done
            over the last --days (90), drawn at random day by day in 10,000 trials; --when gives the
            dates by which the open stories are done in 50/70/85/95 % of trials, --by DATE how many
            are done by then, --backtest how often such forecasts held for this team.
            """
    )

    @OptionGroup var source: BacklogFileArgument

    @Option(help: "Points per sprint on the cadence (default: the mean of the history).")
    var velocity: String?

    @OptionGroup var ranked: StrategyOption

    @Flag(help: "A Monte Carlo forecast: per story, the sprint by which it is done with 50, 85 and 95 % probability.")
    var confidence = false

    @Option(help: "With --confidence, --by or --from-git: the number of trials (default 10000).")
    var trials: Int = 10_000

    @Option(help: "With --confidence, --by or --from-git: the seed that makes the trials repeatable (default: a random one, printed; with --from-git, 29).")
    var seed: UInt64?

    @Option(help: "Which stories are done by this date (YYYY-MM-DD) with 85 % probability, and the chance of those near the line (with --from-git: how many at 50/70/85/95 %).")
    var by: String?

    @Option(help: "With --confidence or --by: how many sprints ahead the trials look (default 100, at most 1000).")
    var horizon: Int?

    @OptionGroup var history: VelocityWindow

    @OptionGroup(title: "Forecasts from git") var git: GitForecastOptions

    @Option(help: "table or json.")
    var format: RankFormat = .table

    func validate() throws {
        if git.fromGit { return try validateFromGit() }
        if trials < 1 || trials > 10_000_000 { throw ValidationError("--trials must be from 1 to 10000000") }
        if let by, Day(by) == nil { throw ValidationError("--by must be a real date YYYY-MM-DD, got '\(by)'") }
        if !confidence && by == nil, seed != nil || trials != 10_000 {
            throw ValidationError("--trials and --seed go with --confidence or --by")
        }
        if (confidence || by != nil) && velocity != nil {
            throw ValidationError("--velocity is for the plain forecast; --confidence draws velocities from the past sprints")
        }
        if let horizon, horizon < 1 || horizon > 1_000 { throw ValidationError("--horizon must be from 1 to 1000") }
        if horizon != nil && !confidence && by == nil { throw ValidationError("--horizon goes with --confidence or --by") }
    }

    func run() throws {
        if git.fromGit { return try runFromGit() }
        let loaded = try loadBacklog(source.path, readOnly: true)
        let backlog = loaded.backlog
        let chosen = try chooseStrategy(ranked.strategy, backlog)
        let timeline = SprintTimeline(backlog, today: today(), window: history.window)
        defer { if let note = timeline.overdueNote { printLine("prio: note: \(note)") } }
        if confidence || by != nil {
            let seed = self.seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
            let forecast: ConfidenceForecast
            do {
                forecast = try ConfidenceForecast(backlog, timeline: timeline, strategy: chosen, trials: trials, seed: seed,
                                                  horizon: horizon ?? ConfidenceForecast.defaultHorizon)
            } catch {
                throw fail(error.description)
            }
            if let by {
                guard let chances = ConfidenceReport.probabilities(forecast, doneBy: by) else {
                    throw fail("the sprints have no dates: declare them with dates (- sprint: NAME | capacity N | YYYY-MM-DD .. YYYY-MM-DD) to forecast by a date")
                }
                try output(format == .json ? ConfidenceReport.byDateJSON(forecast, backlog, date: by, probabilities: chances)
                    : ConfidenceReport.byDate(forecast, backlog, date: by, probabilities: chances, width: outputWidth()))
            } else {
                try output(format == .json ? ConfidenceReport.json(forecast, backlog)
                    : ConfidenceReport.table(forecast, backlog, strategy: chosen, width: outputWidth()))
            }
            return
        }
        let speed: Fraction
        if let velocity {
            guard let value = DecimalNumber(velocity), !value.isNegative, !value.isZero else {
                throw fail("--velocity must be a number of points above 0, got '\(velocity)'")
            }
            speed = value.fraction
        } else if let measured = timeline.velocity, measured.value > Fraction(0) {
            speed = measured.value
        } else if timeline.velocity != nil {
            throw fail("no velocity: the sprints in the history delivered no points (\(timeline.historyLine)); give --velocity N")
        } else {
            throw fail("no velocity: give --velocity N (no sprint has ended yet and no sprint declares a capacity)")
        }
        let report = try reportingErrors {
            try ForecastReport.plain(backlog, timeline: timeline, strategy: chosen, velocity: speed)
        }
        try output(format == .json ? report.json(backlog) : report.table(backlog, strategy: chosen, width: outputWidth()))
    }
}
