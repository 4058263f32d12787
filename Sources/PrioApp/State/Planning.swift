import Foundation
import PrioEngine

extension AppState {
    /// `P`: starts planning the sprint after the last one with stories (or the last declared),
    /// with its declared capacity, else the velocity, else 20 points.
    mutating func startPlanning() {
        let order = Planner.sprintOrder(backlog)
        let declared = backlog.header.sprints
        var used = Set<String>()
        for story in backlog.stories { if let sprint = story.value(of: .sprint) { used.insert(sprint) } }
        let declaredNames = Set(declared.map(\.name))
        // The first declared sprint with no done story and nothing in it yet, else the last one
        // (a sprint no story uses has no done story either).
        if let next = order.first(where: { declaredNames.contains($0) && !used.contains($0) }) {
            planSprint = next
        } else if let last = order.last {
            planSprint = last
        }
        if let capacity = declared.first(where: { $0.name == planSprint })?.capacity {
            planCapacity = capacity
        } else if let velocity = Planner.velocity(backlog), let value = DecimalNumber(Exporter.jsonNumber(velocity)) {
            planCapacity = value
        }
        planCache = nil
        mode = .planning
        message = Message(text: "planning \(planSprint): Space adds or removes the story · f fills to capacity · c capacity · w saves · Esc leaves", isError: false)
    }

    /// The plan for the sprint as the backlog stands, computed once per change.
    mutating func currentPlan() -> SprintPlan? {
        if let planCache { return planCache }
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

    /// Space: the selected story joins the sprint, or leaves it.
    mutating func toggleInSprint() {
        guard let index = selectedIndex else { return }
        let old = backlog.stories[index]
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
        var edits: [Edit] = []
        for item in plan.selected where !item.alreadyPlanned {
            let old = backlog.stories[item.storyIndex]
            var new = old
            try? new.setField(FieldKey.sprint.rawValue, planSprint)
            edits.append(.replace(index: item.storyIndex, old: old, new: new))
        }
        guard !edits.isEmpty else {
            message = Message(text: "nothing more fits in \(planSprint)", isError: false)
            return
        }
        perform(.batch(edits), label: "filled \(planSprint)", focus: cursorID)
        let points = currentPlan()?.points ?? plan.points
        message = Message(text: "filled \(planSprint): \(edits.count) \(edits.count == 1 ? "story" : "stories"), \(PlanReport.gauge(points, of: plan.capacity, width: 10))", isError: false)
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
        let workflow = backlog.workflow
        let inSprint = backlog.stories.indices.filter { backlog.stories[$0].value(of: .sprint) == planSprint && !workflow.isDone(backlog.stories[$0]) }
        var used = Fraction(0)
        for index in inSprint { if let p = backlog.stories[index].points { used = used.adding(p.fraction) ?? used } }
        lines.append(("\(planSprint) · capacity \(planCapacity) pts", .bold))
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
