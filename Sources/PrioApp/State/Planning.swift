import PrioEngine

extension AppState {
    /// `P`: opens the planning screen on the sprint the engine's one rule chooses (the one
    /// holding today, else the next not finished, else a new one on the cadence), at its capacity.
    ///
    /// It fills along the ranking the list shows; from the manual order (how the screen opens)
    /// it switches to the backlog's strategy, which `prio plan` fills along, so the two agree.
    /// `s` / `S` / `R` choose another ranking; the pane names the one it fills by.
    mutating func startPlanning() {
        let timeline = currentTimeline()
        screen = .planning(PlanningState())
        if strategy is ManualStrategy, let header = headerStrategyIndex, header != list.strategyIndex {
            list.strategyIndex = header
            rebuildView()
        }
        choosePlanSprint(Planner.chooseSprint(backlog, today: clock.today, timeline: timeline))
        requestEvidence()
        guard planning?.capacityKnown == true, derived.planProblem == nil else { return }
        var text = "planning \(planning?.sprint ?? "") by \(strategy.title): Space plans a story · f fills · c capacity · "
            + "t starts the sprint · [ ] other sprint · w saves · Esc leaves"
        if let note = timeline.overdueNote { text = note }
        notice = Notice(text: text, isError: timeline.overdueNote != nil)
    }

    /// Plans another sprint, with the capacity the same rule gives it.
    mutating func choosePlanSprint(_ choice: SprintChoice) {
        updatePlanning { planning in
            planning.sprint = choice.sprint.name
            if let capacity = choice.capacity {
                planning.capacity = capacity
                planning.capacityKnown = true
            } else {
                planning.capacityKnown = false
            }
        }
        derived.plan = nil
        derived.planProblem = choice.problem
        if let problem = choice.problem {
            notice = Notice(text: problem, isError: true)
        } else if choice.capacity == nil {
            notice = Notice(text: "\(choice.sprint.name) has no capacity: c sets one (\(SprintChoice.noCapacity))", isError: true)
        }
    }

    /// `[` / `]`: the previous or next sprint (every sprint known, then the next new one).
    mutating func stepPlanSprint(_ step: Int) {
        guard let planning else { return }
        let names = Planner.plannableSprints(backlog, today: clock.today)
        guard !names.isEmpty else { return }
        let current = names.firstIndex(of: planning.sprint) ?? (step > 0 ? -1 : names.count)
        let next = min(max(0, current + step), names.count - 1)
        choosePlanSprint(Planner.chooseSprint(backlog, today: clock.today, named: names[next]))
        if self.planning?.capacityKnown == true {
            notice = Notice(text: "planning \(names[next]) (\(next + 1) of \(names.count))", isError: false)
        }
    }

    /// `c` Enter: the new capacity, kept in the header (declaring the sprint when it is new) as
    /// one undoable step, so that `w` saves it with the plan.
    mutating func setPlanCapacity(_ value: DecimalNumber) {
        guard let sprint = planning?.sprint else { return }
        updatePlanning { planning in
            planning.capacity = value
            planning.capacityKnown = true
        }
        derived.plan = nil
        var header = backlog.header
        do {
            try Planner.recordCapacity(value, for: Planner.chooseSprint(backlog, today: clock.today, named: sprint).sprint, in: &header)
        } catch {
            notice = Notice(text: "cannot keep the capacity of \(sprint): \(error.message)", isError: true)
            return
        }
        if header != backlog.header {
            perform(.header(old: backlog.header, new: header), label: "capacity of \(sprint)", focus: list.cursorID)
        }
        notice = Notice(text: "\(sprint) capacity: \(Plural.points(value)) (w saves it with the plan)", isError: false)
    }

    /// The plan for the sprint as the backlog stands, computed once per change.
    mutating func currentPlan() -> SprintPlan? {
        if let plan = derived.plan { return plan }
        guard let planning else { return nil }
        if let problem = currentTimeline().refusal(planning: planning.sprint) {
            derived.planProblem = problem
            return nil
        }
        guard planning.capacityKnown else {
            derived.planProblem = "\(planning.sprint) has no capacity yet: press c to set one"
            return nil
        }
        do {
            let plan = try Planner.plan(backlog, sprint: planning.sprint, capacity: planning.capacity, strategy: strategy)
            derived.plan = plan
            derived.planProblem = nil
            return plan
        } catch {
            derived.planProblem = error.description
            return nil
        }
    }

    /// Space: the selected story joins the sprint, or leaves it. A story the plan would not take
    /// (blocked, unestimated, planned in another sprint, or too big for what is left) is taken
    /// only after asking.
    mutating func toggleInSprint() {
        guard let index = selectedIndex else { return }
        toggleInSprint(index: index, confirmed: false)
    }

    mutating func toggleInSprint(index: Int, confirmed: Bool) {
        guard let sprint = planning?.sprint else { return }
        let old = backlog.stories[index]
        if !confirmed, old.value(of: .sprint) != sprint, let plan = currentPlan(),
           let left = plan.below.first(where: { $0.storyIndex == index }) {
            switch left.reason {
            case .blockedBy, .noEstimate, .plannedIn, .didNotFit:
                overlay = .planConfirm(old.id, left.reason.description)
                return
            case .overCapacity:
                break
            }
        }
        guard !backlog.workflow.isDone(old) else {
            notice = Notice(text: "\(old.id) is done; done stories are not planned", isError: true)
            return
        }
        var new = old
        let joining = old.value(of: .sprint) != sprint
        try? new.setField(FieldKey.sprint.rawValue, joining ? sprint : "")
        perform(.replace(index: index, old: old, new: new), label: joining ? "planned \(old.id)" : "unplanned \(old.id)",
                focus: old.id)
        notice = Notice(text: joining ? "\(old.id) joins \(sprint)" : "\(old.id) leaves \(sprint)", isError: false)
    }

    /// `f`: takes every story the plan selects, as one undoable step.
    mutating func autoFill() {
        guard let sprint = planning?.sprint else { return }
        guard let plan = currentPlan() else {
            notice = Notice(text: "cannot plan: \(derived.planProblem ?? "unknown problem")", isError: true)
            return
        }
        guard !plan.changes(in: backlog).isEmpty else {
            notice = Notice(text: "nothing more fits in \(sprint)", isError: false)
            return
        }
        // The engine's one rule for writing a plan (as `prio plan --apply`): a sprint not declared
        // yet is declared with the capacity planned to.
        var applied = backlog
        let changed: [Int]
        do {
            let chosen = Planner.chooseSprint(backlog, today: clock.today, named: sprint, timeline: currentTimeline()).sprint
            changed = try Planner.apply(plan, sprint: chosen, capacity: planning?.capacity ?? DecimalNumber(0),
                                        recordingCapacity: false, to: &applied)
        } catch {
            notice = Notice(text: "cannot plan: \(error.message)", isError: true)
            return
        }
        var edits = changed.map { Edit.replace(index: $0, old: backlog.stories[$0], new: applied.stories[$0]) }
        if applied.header != backlog.header { edits.insert(.header(old: backlog.header, new: applied.header), at: 0) }
        let added = plan.selected.filter { !$0.alreadyPlanned }.count
        let removed = changed.count - added
        perform(.batch(edits), label: "filled \(sprint)", focus: list.cursorID)
        let points = currentPlan()?.points ?? plan.points
        var text = "filled \(sprint): \(Plural.count(added, "story", "stories"))"
        if removed > 0 { text += ", \(removed) over capacity taken out" }
        notice = Notice(text: text + ", \(PlanReport.gauge(points, of: plan.capacity, width: 10))", isError: false)
    }

    /// `t`: starts the sprint being planned: its commitment (the points in it now) is recorded on
    /// its header line, once (the engine's `SprintTimeline.start`), as one undoable edit.
    mutating func startSprint() {
        guard let sprint = planning?.sprint else { return }
        var started = backlog
        do {
            let starting = try SprintTimeline.start(&started, sprint: sprint, today: clock.today)
            perform(.header(old: backlog.header, new: started.header), label: "started \(sprint)", focus: list.cursorID)
            notice = Notice(text: "started \(sprint) with \(Plural.points(starting.committed)) committed (w saves it)", isError: false)
        } catch {
            notice = Notice(text: error.description, isError: true)
        }
    }

    /// The planning screen's keys; the rest work as in the list.
    mutating func handlePlanning(_ key: Key) {
        switch key {
        case .escape, .character("P"):
            screen = .list
            derived.plan = nil
            derived.planProblem = nil
            notice = Notice(text: "left planning; w saves the plan", isError: false)
        case .character(" "), .enter: toggleInSprint()
        case .character("f"): autoFill()
        case .character("t"): startSprint()
        case .character("c"): overlay = .capacity("")
        case .character("["): stepPlanSprint(-1)
        case .character("]"): stepPlanSprint(1)
        case .character("?"): overlay = .help
        case .character("J"), .character("K"), .shiftUp, .shiftDown, .character("T"), .character("B"), .character("m"),
             .character("e"), .character("E"), .character("a"), .character("d"), .character("x"), .character("/"), .character("p"):
            notice = Notice(text: "in planning: Space plans a story, f fills, c sets the capacity; Esc goes back to the list for other keys", isError: false)
        default:
            handleList(key)
        }
    }
}
