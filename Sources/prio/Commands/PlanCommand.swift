import ArgumentParser
import PrioEngine

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
            The capacity defaults to the sprint's declared capacity, else to the velocity (the average
            done points of the last three sprints). The sprint defaults to the last one declared in the header.
            """
    )

    @Argument(help: "The backlog file (default: ./backlog.md or $PRIO_FILE).")
    var file: String?

    @Option(help: "Capacity in story points.")
    var capacity: String?

    @Option(help: "The sprint to plan (its name in the header and in stories' sprint field).")
    var sprint: String?

    @Option(name: .shortAndLong, help: "The ranking to walk (default: the backlog's strategy setting).")
    var strategy: String?

    @Flag(help: "Write the plan: set the sprint field of the stories taken.")
    var apply = false

    @Option(help: "table, json or markdown.")
    var format: PlanFormat = .table

    func run() throws {
        let loaded = try loadBacklog(backlogPath(file), readOnly: !apply)
        var backlog = loaded.backlog
        let chosen = try chooseStrategy(strategy, backlog)
        var given: DecimalNumber?
        if let capacity {
            guard let value = DecimalNumber(capacity), !value.isNegative else {
                throw fail("--capacity must be a number of points, got '\(capacity)'")
            }
            given = value
        }
        // One rule for which sprint and what capacity, shared with the screen.
        let choice = Planner.chooseSprint(backlog, today: today(), named: sprint, capacity: given)
        let name = choice.sprint.name
        try reportingErrors { try Sprint.checkName(name) }
        guard let limit = choice.capacity else { throw fail(SprintChoice.noCapacity) }
        let plan: SprintPlan
        do {
            plan = try Planner.plan(backlog, sprint: name, capacity: limit, strategy: chosen)
        } catch {
            throw fail(error.description)
        }
        switch format {
        case .json: try output(PlanReport.json(plan, backlog))
        case .markdown: try output(PlanReport.markdown(plan, backlog, strategy: chosen))
        case .table: try output(PlanReport.table(plan, backlog, strategy: chosen, width: outputWidth()))
        }
        for warning in plan.warnings { printLine("prio: warning: \(warning)") }
        if apply {
            for change in plan.changes(in: backlog) { backlog.replaceStory(at: change.index, with: change.story) }
            if choice.isDeclared {
                // A capacity given for the plan is the sprint's capacity from now on.
                if choice.capacitySource == .given { backlog.header.setSprintCapacity(name, limit) }
            } else {
                var new = choice.sprint
                new.capacity = limit
                try reportingErrors { try backlog.header.addSprint(new) }
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
        abstract: "Forecast the sprint each remaining story lands in, at the team's velocity.",
        discussion: "Example: prio forecast --velocity 20 --strategy wsjf"
    )

    @Argument(help: "The backlog file (default: ./backlog.md or $PRIO_FILE).")
    var file: String?

    @Option(help: "Points per sprint (default: the average of the last three sprints).")
    var velocity: String?

    @Option(name: .shortAndLong, help: "The ranking to follow (default: the backlog's strategy setting).")
    var strategy: String?

    @Flag(help: "A Monte Carlo forecast: per story, the sprint by which it is done with 50, 85 and 95 % probability.")
    var confidence = false

    @Option(help: "With --confidence: the number of trials (default 10000).")
    var trials: Int = 10_000

    @Option(help: "With --confidence: the seed that makes the trials repeatable (default: a random one, printed).")
    var seed: UInt64?

    @Option(help: "Which stories are done by this date (YYYY-MM-DD) with 85 % probability, and the chance of those near the line.")
    var by: String?

    @Option(help: "table or json (json needs --confidence or --by).")
    var format: RankFormat = .table

    func validate() throws {
        if trials < 1 || trials > 10_000_000 { throw ValidationError("--trials must be from 1 to 10000000") }
        if let by, Planner.validDate(by) == nil { throw ValidationError("--by must be a date YYYY-MM-DD, got '\(by)'") }
        if !confidence && by == nil {
            if seed != nil || trials != 10_000 { throw ValidationError("--trials and --seed go with --confidence or --by") }
            if format == .json { throw ValidationError("--format json goes with --confidence or --by") }
        }
        if (confidence || by != nil) && velocity != nil {
            throw ValidationError("--velocity is for the plain forecast; --confidence draws velocities from the past sprints")
        }
    }

    func run() throws {
        let loaded = try loadBacklog(backlogPath(file), readOnly: true)
        let backlog = loaded.backlog
        let chosen = try chooseStrategy(strategy, backlog)
        if confidence || by != nil {
            let seed = self.seed ?? UInt64.random(in: 0...UInt64(UInt32.max))
            let forecast: ConfidenceForecast
            do {
                forecast = try ConfidenceForecast(backlog, strategy: chosen, trials: trials, seed: seed)
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
        } else if let measured = Planner.forecastVelocity(backlog) {
            // The same velocity as the screen and the export: measured, else the last declared capacity.
            speed = measured
        } else {
            throw fail("no velocity: give --velocity N (no past sprint has done stories and no sprint declares a capacity)")
        }
        let forecast: Forecast
        do {
            forecast = try Planner.forecast(backlog, velocity: speed, strategy: chosen)
        } catch {
            throw fail(error.description)
        }
        try output(PlanReport.forecast(forecast, backlog, strategy: chosen, width: outputWidth()))
    }
}
