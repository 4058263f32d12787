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
        let loaded = try loadBacklog(backlogPath(file))
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
        for warning in plan.warnings { printError("prio: warning: \(warning)") }
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
            printError("planned \(Plural.count(added, "story", "stories")) into \(name) in \(loaded.path)"
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

    func run() throws {
        let loaded = try loadBacklog(backlogPath(file))
        let backlog = loaded.backlog
        let chosen = try chooseStrategy(strategy, backlog)
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
