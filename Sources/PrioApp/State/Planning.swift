import Foundation
import PrioEngine

extension AppState {
    /// `P`: starts planning the sprint the engine's one rule chooses (the one holding today,
    /// else the next not finished, else a new one on the cadence), at its capacity.
    mutating func startPlanning() {
        choosePlanSprint(Planner.chooseSprint(backlog, today: today))
        mode = .planning
        message = Message(text: "planning \(planSprint): Space plans a story · f fills · c capacity · [ ] other sprint · w saves · Esc leaves", isError: false)
    }

    /// Plans another sprint, with the capacity the same rule gives it.
    mutating func choosePlanSprint(_ choice: SprintChoice) {
        planSprint = choice.sprint.name
        if let capacity = choice.capacity {
            planCapacity = capacity
            planCapacityKnown = true
        } else {
            planCapacityKnown = false
            message = Message(text: "\(planSprint) has no capacity: c sets one (\(SprintChoice.noCapacity))", isError: true)
        }
        planCache = nil
    }

    /// `[` / `]`: the previous or next sprint (every sprint known, then the next new one).
    mutating func stepPlanSprint(_ step: Int) {
        let names = Planner.plannableSprints(backlog, today: today)
        guard !names.isEmpty else { return }
        let current = names.firstIndex(of: planSprint) ?? (step > 0 ? -1 : names.count)
        let next = min(max(0, current + step), names.count - 1)
        choosePlanSprint(Planner.chooseSprint(backlog, today: today, named: names[next]))
        if planCapacityKnown { message = Message(text: "planning \(planSprint) (\(next + 1) of \(names.count))", isError: false) }
    }

    /// `c` Enter: the new capacity, kept in the header (declaring the sprint when it is new) as
    /// one undoable step, so that `w` saves it with the plan.
    mutating func setPlanCapacity(_ value: DecimalNumber) {
        planCapacity = value
        planCapacityKnown = true
        planCache = nil
        var header = backlog.header
        if !header.setSprintCapacity(planSprint, value) {
            let choice = Planner.chooseSprint(backlog, today: today, named: planSprint)
            var sprint = choice.sprint
            sprint.capacity = value
            try? header.addSprint(sprint)
        }
        if header != backlog.header {
            perform(.header(old: backlog.header, new: header), label: "capacity of \(planSprint)", focus: cursorID)
        }
        message = Message(text: "\(planSprint) capacity: \(Plural.points(value)) (w saves it with the plan)", isError: false)
    }

    /// The plan for the sprint as the backlog stands, computed once per change.
    mutating func currentPlan() -> SprintPlan? {
        if let planCache { return planCache }
        guard planCapacityKnown else {
            planProblem = "\(planSprint) has no capacity yet: press c to set one"
            return nil
        }
        do {
            let plan = try Planner.plan(backlog, sprint: planSprint, capacity: planCapacity, strategy: strategy)
            planCache = plan
            planProblem = nil
            return plan
        } catch {
            planProblem = error.description
            return nil
        }
    }

    /// Space: the selected story joins the sprint, or leaves it. A story the plan would not take
    /// (blocked, unestimated, planned in another sprint) is taken only after asking.
    mutating func toggleInSprint() {
        guard let index = selectedIndex else { return }
        toggleInSprint(index: index, confirmed: false)
    }

    mutating func toggleInSprint(index: Int, confirmed: Bool) {
        let old = backlog.stories[index]
        if !confirmed, old.value(of: .sprint) != planSprint, let plan = currentPlan(),
           let left = plan.below.first(where: { $0.storyIndex == index }) {
            switch left.reason {
            case .blockedBy, .noEstimate, .plannedIn:
                mode = .planConfirm(old.id, left.reason.description)
                return
            case .didNotFit, .overCapacity:
                break
            }
        }
        guard !backlog.workflow.isDone(old) else {
            message = Message(text: "\(old.id) is done; done stories are not planned", isError: true)
            return
        }
        var new = old
        let joining = old.value(of: .sprint) != planSprint
        try? new.setField(FieldKey.sprint.rawValue, joining ? planSprint : "")
        perform(.replace(index: index, old: old, new: new), label: joining ? "planned \(old.id)" : "unplanned \(old.id)",
                focus: old.id)
        message = Message(text: joining ? "\(old.id) joins \(planSprint)" : "\(old.id) leaves \(planSprint)", isError: false)
    }

    /// `f`: takes every story the plan selects, as one undoable step.
    mutating func autoFill() {
        guard let plan = currentPlan() else {
            message = Message(text: "cannot plan: \(planProblem ?? "unknown problem")", isError: true)
            return
        }
        let changes = plan.changes(in: backlog)
        guard !changes.isEmpty else {
            message = Message(text: "nothing more fits in \(planSprint)", isError: false)
            return
        }
        let edits = changes.map { Edit.replace(index: $0.index, old: backlog.stories[$0.index], new: $0.story) }
        let added = plan.selected.filter { !$0.alreadyPlanned }.count
        let removed = changes.count - added
        perform(.batch(edits), label: "filled \(planSprint)", focus: cursorID)
        let points = currentPlan()?.points ?? plan.points
        var text = "filled \(planSprint): \(Plural.count(added, "story", "stories"))"
        if removed > 0 { text += ", \(removed) over capacity taken out" }
        message = Message(text: text + ", \(PlanReport.gauge(points, of: plan.capacity, width: 10))", isError: false)
    }

    /// Computes what the next frame shows and caches it: the plan in planning mode, and the
    /// forecast for the detail pane.
    mutating func prepareForRender() {
        prepareReference()
        if countsCache[countsKey] == nil { countsCache[countsKey] = computeCounts() }
        if case .planning = mode { _ = currentPlan() }
        if case .capacity = mode { _ = currentPlan() }
        let detailShown: Bool
        if case .detail = mode { detailShown = true } else { detailShown = paneWidth > 0 }
        if detailShown { prepareForecast() }
    }

    /// The detail pane's forecast (the velocity, else the last declared capacity; 200 sprints),
    /// made only when the selected story is one a forecast places and none is cached for this
    /// version of the backlog and this strategy. The backlog is read again only after edits to
    /// stories' contents; after J/K the forecast is redone from the model, in O(n) array work.
    mutating func prepareForecast() {
        guard forecasts[strategyIndex] == nil, let story = selectedStory, !backlog.workflow.isDone(story),
              story.value(of: .sprint) == nil else { return }
        if forecastModel == nil { forecastModel = ForecastModel(backlog) }
        guard let model = forecastModel, model.cycle == nil,
              let velocity = model.measuredVelocity ?? model.declaredCapacity, velocity > Fraction(0) else { return }
        let order: [Int]?
        if strategy is ManualStrategy {
            order = nil
        } else {
            order = (ranking ?? Ranking(backlog, strategy: strategy)).entries.map(\.storyIndex)
        }
        forecasts[strategyIndex] = model.forecast(order: order, velocity: velocity, maxSprints: 200)
    }

    mutating func handlePlanning(_ key: Key) -> SessionRequest? {
        switch key {
        case .escape, .character("P"):
            mode = .list
            message = Message(text: "left planning; w saves the plan", isError: false)
        case .character(" "), .enter: toggleInSprint()
        case .character("f"): autoFill()
        case .character("c"): mode = .capacity("")
        case .character("["): stepPlanSprint(-1)
        case .character("]"): stepPlanSprint(1)
        case .character("?"):
            helpFromPlanning = true
            mode = .help
        case .character("J"), .character("K"), .shiftUp, .shiftDown, .character("T"), .character("B"), .character("m"),
             .character("e"), .character("E"), .character("a"), .character("d"), .character("x"), .character("/"):
            message = Message(text: "in planning: Space plans a story, f fills, c sets the capacity; Esc goes back to the list for other keys", isError: false)
        default:
            let request = handleList(key)
            if case .list = mode { mode = .planning }
            return request
        }
        return nil
    }
}

extension AppState {
    /// The planning screen: the list on the left, the sprint, its gauge and the cut line on the right.
    func drawPlanning(into buffer: inout ScreenBuffer) {
        let paneWidth = width >= 70 ? max(34, width * 2 / 5) : 0
        let listWidth = paneWidth > 0 ? width - paneWidth - 1 : width
        drawList(into: &buffer, width: listWidth)
        guard paneWidth > 0 && height > 3 else { return }
        for row in 1..<(height - 1) { buffer.put("│", row: row, column: listWidth, style: .dim) }
        let left = listWidth + 2
        let inner = paneWidth - 2
        var lines: [(String, CellStyle)] = []
        // Above the cut line: the stories in the sprint that the plan keeps (over-capacity ones are
        // below it, with their reason); without a plan, every story in the sprint.
        let inSprint: [Int]
        if let plan = planCache {
            inSprint = plan.selected.filter(\.alreadyPlanned).map(\.storyIndex)
        } else {
            let workflow = backlog.workflow
            inSprint = backlog.stories.indices.filter { backlog.stories[$0].value(of: .sprint) == planSprint && !workflow.isDone(backlog.stories[$0]) }
        }
        var used = Fraction(0)
        for index in inSprint { if let p = backlog.stories[index].points { used = used.adding(p.fraction) ?? used } }
        lines.append(("\(planSprint) · capacity \(planCapacityKnown ? Plural.points(planCapacity) : "not set (c sets it)")", .bold))
        lines.append((PlanReport.gauge(used, of: planCapacity.fraction, width: max(5, min(20, inner - 14))),
                      used > planCapacity.fraction ? CellStyle(bold: true, color: .red) : CellStyle(color: .green)))
        lines.append(("", .plain))
        if inSprint.isEmpty { lines.append(("nothing planned yet: f fills, Space adds", .dim)) }
        let room = height - 2  // lines that fit; the rest are not built
        for index in inSprint {
            if lines.count >= room { break }
            let story = backlog.stories[index]
            lines.append((row(story.id.description, story.title, story.points?.description ?? "?", width: inner), .plain))
        }
        lines.append(("── cut line " + String(repeating: "─", count: max(0, inner - 12)), .bold))
        if let planProblem {
            lines.append(("cannot plan: \(planProblem)", CellStyle(bold: true, color: .red)))
        } else if let plan = planCache {
            let wouldFit = plan.selected.filter { !$0.alreadyPlanned }
            if !wouldFit.isEmpty {
                lines.append(("f would add:", .dim))
                for item in wouldFit {
                    if lines.count >= room { break }
                    let story = backlog.stories[item.storyIndex]
                    lines.append((row(story.id.description, story.title, item.points.description, width: inner), .dim))
                }
            }
            for item in plan.below {
                if lines.count >= room { break }
                let story = backlog.stories[item.storyIndex]
                lines.append((row(story.id.description, story.title, story.points?.description ?? "", width: inner), .plain))
                lines.append(("   " + item.reason.description, .dim))
            }
            for warning in plan.warnings { lines.append(("! " + warning, .bold)) }
        }
        for (i, line) in lines.prefix(height - 2).enumerated() {
            buffer.put(line.0, row: 1 + i, column: left, style: line.1, maxWidth: inner)
        }
    }

    /// `ID  Title…  pts` in a fixed width.
    private func row(_ id: String, _ title: String, _ points: String, width: Int) -> String {
        let idPart = DisplayWidth.pad(id, to: 6)
        let pointsPart = DisplayWidth.pad(points, to: 3, alignRight: true)
        let titleWidth = max(1, width - 6 - 1 - 3 - 1)
        return idPart + " " + DisplayWidth.pad(title, to: titleWidth) + " " + pointsPart
    }
}
