/// Why a story is below the cut line.
public enum CutReason: Sendable, Hashable, CustomStringConvertible {
    /// Its points exceed what is left of the capacity.
    case didNotFit(points: DecimalNumber, remaining: Fraction)
    /// It depends on stories that are neither done nor planned in this or an earlier sprint.
    case blockedBy([StoryID])
    /// It has no points.
    case noEstimate
    /// It is in this sprint (the file says so), but the stories ranked above it already fill the
    /// capacity: it stays in the sprint until the plan is applied, which takes it out.
    case overCapacity(points: DecimalNumber)
    /// It is planned in another sprint.
    case plannedIn(String)

    public var description: String {
        switch self {
        case .overCapacity(let points): "over capacity (\(Plural.points(points))): in the sprint; f or --apply takes it out"
        case .didNotFit(let points, let remaining):
            "did not fit (\(points) pts, \(formatPoints(remaining)) left)"
        case .blockedBy(let ids): "blocked by \(ids.map(\.description).joined(separator: ", "))"
        case .noEstimate: "no estimate"
        case .plannedIn(let sprint): "planned in \(sprint)"
        }
    }
}

/// A sprint plan: what is taken, in order, and everything below the cut line with why.
public struct SprintPlan: Sendable {
    /// A story in the sprint.
    public struct Taken: Sendable, Hashable {
        public var storyIndex: Int
        /// Its rank in the strategy's ranking (nil when it was already in the sprint and done-free ranking left it out).
        public var rank: Int?
        public var score: Score
        public var points: DecimalNumber
        /// True when the story was in the sprint before the fill.
        public var alreadyPlanned: Bool
        /// True when the story is done (it counts, and stays).
        public var isDone = false
    }

    /// A story below the cut line.
    public struct Left: Sendable, Hashable {
        public var storyIndex: Int
        public var rank: Int
        public var reason: CutReason
    }

    public var sprint: String
    public var capacity: Fraction
    /// Points taken: the stories kept in the sprint and those the plan adds.
    public var points: Fraction
    /// The points the file has in the sprint now (done stories and any over capacity included):
    /// what every view shows as committed until the plan is applied.
    public var inSprint: Fraction
    /// The points over the capacity in the file now (zero when it fits).
    public var over: Fraction { inSprint > capacity ? capacity.subtracting(from: inSprint) : Fraction(0) }
    public var selected: [Taken]
    public var below: [Left]
    /// Warnings such as the DSDM 60 % Must-have guard.
    public var warnings: [String]

    /// What applying the plan changes, story by story (index, new story): the stories taken get
    /// the sprint, the ones over capacity lose it. The one rule for `prio plan --apply` and `f`.
    public func changes(in backlog: Backlog) -> [(index: Int, story: Story)] {
        var out: [(index: Int, story: Story)] = []
        for item in selected where !item.alreadyPlanned {
            var story = backlog.stories[item.storyIndex]
            guard (try? story.setField(FieldKey.sprint.rawValue, sprint)) != nil else { continue }
            out.append((item.storyIndex, story))
        }
        for item in below {
            guard case .overCapacity = item.reason else { continue }
            var story = backlog.stories[item.storyIndex]
            story.removeField(FieldKey.sprint.rawValue)
            out.append((item.storyIndex, story))
        }
        return out
    }
}

/// A dependency cycle, which makes planning impossible.
public struct DependencyCycle: Error, Sendable, CustomStringConvertible {
    /// The stories in the cycle, the first repeated at the end.
    public var path: [StoryID]

    public var description: String {
        "dependency cycle: " + path.map(\.description).joined(separator: " → ")
    }
}

/// Sprint planning: fill a sprint to capacity along a ranking, respecting dependencies.
public enum Planner {
    /// Fills `sprint` up to `capacity`, walking the strategy's ranking.
    ///
    /// Stories already in the sprint count first. Then each story in rank order (scored, then
    /// unscored in manual order) is taken when its points fit what is left; a story that does
    /// not fit is skipped and the walk goes on. A story whose dependencies are not done and not
    /// planned in this or an earlier sprint waits until they are taken. Capacity is inclusive.
    public static func plan(_ backlog: Backlog, sprint: String, capacity: DecimalNumber,
                            strategy: any Strategy) throws(DependencyCycle) -> SprintPlan {
        let graph = PlanningGraph(backlog)
        if let cycle = graph.findCycle() { throw cycle }
        let ranking = Ranking(backlog, strategy: strategy)
        let sprints = sprintOrder(header: backlog.header, used: graph.usedSprints)
        let position = sprints.firstIndex(of: sprint) ?? sprints.count
        let earlier = Set(sprints.prefix(position + 1)).union([sprint])
        // Planned slots, and per story how many of its dependencies are not planned yet.
        var planned = [Bool](repeating: false, count: graph.slotCount)
        for i in 0..<graph.count where graph.isDone[i] || graph.sprint[i].map(earlier.contains) == true {
            planned[Int(graph.slot[i])] = true
        }
        var unplanned = [Int32](repeating: 0, count: graph.count)
        // The stories that depend on each slot, once per mention (a CSR list).
        var dependentStart = [Int32](repeating: 0, count: graph.slotCount + 1)
        for i in 0..<graph.count where !graph.isDone[i] {
            for d in graph.dependencies(of: i) where !planned[Int(graph.depSlots[d])] {
                unplanned[i] += 1
                dependentStart[Int(graph.depSlots[d]) + 1] += 1
            }
        }
        for s in 0..<graph.slotCount { dependentStart[s + 1] += dependentStart[s] }
        var fill = dependentStart
        var dependents = [Int32](repeating: 0, count: Int(dependentStart[graph.slotCount]))
        for i in 0..<graph.count where !graph.isDone[i] {
            for d in graph.dependencies(of: i) where !planned[Int(graph.depSlots[d])] {
                let s = Int(graph.depSlots[d])
                dependents[Int(fill[s])] = Int32(i)
                fill[s] += 1
            }
        }

        let limit = capacity.fraction
        var used = Fraction(0)
        var selected: [SprintPlan.Taken] = []
        var entryOf = [Int](repeating: -1, count: graph.count)
        for (e, entry) in ranking.entries.enumerated() { entryOf[entry.storyIndex] = e }

        // Stories already in the sprint count first, in rank order; those that no longer fit the
        // capacity (it was lowered, or they were planned by hand) go below the line, "over capacity".
        var alreadyIn = [Bool](repeating: false, count: graph.count)
        var committed: [Int] = []
        var inSprint = Fraction(0)
        // Done stories in the sprint count first and stay.
        for index in 0..<graph.count where graph.sprint[index] == sprint {
            alreadyIn[index] = true
            let points = graph.points[index] ?? DecimalNumber(0)
            inSprint = inSprint.adding(points.fraction) ?? inSprint
            guard graph.isDone[index] else {
                committed.append(index)
                continue
            }
            used = used.adding(points.fraction) ?? used
            let entry = entryOf[index] >= 0 ? ranking.entries[entryOf[index]] : nil
            selected.append(.init(storyIndex: index, rank: entry?.rank, score: entry?.score ?? .none,
                                  points: points, alreadyPlanned: true, isDone: true))
        }
        committed.sort { (entryOf[$0] < 0 ? Int.max : entryOf[$0], $0) < (entryOf[$1] < 0 ? Int.max : entryOf[$1], $1) }
        var overCapacity: [SprintPlan.Left] = []
        for index in committed {
            let points = graph.points[index] ?? DecimalNumber(0)
            let entry = entryOf[index] >= 0 ? ranking.entries[entryOf[index]] : nil
            guard let total = used.adding(points.fraction), total <= limit else {
                overCapacity.append(SprintPlan.Left(storyIndex: index, rank: entry?.rank ?? Int.max, reason: .overCapacity(points: points)))
                continue
            }
            used = total
            selected.append(.init(storyIndex: index, rank: entry?.rank, score: entry?.score ?? .none,
                                  points: points, alreadyPlanned: true))
        }

        // Stories below the line so far, in rank order; `gone` marks ones taken later. A story
        // blocked by dependencies is tried again as soon as the last of them is taken.
        var waiting: [(entry: Ranking.Entry, reason: CutReason)] = []
        var gone: [Bool] = []
        var waitingPosition = [Int](repeating: -1, count: graph.count)
        var ready = MinHeap()
        func take(_ entry: Ranking.Entry) -> CutReason? {
            let index = entry.storyIndex
            guard let points = graph.points[index] else { return .noEstimate }
            if unplanned[index] > 0 { return .blockedBy([]) }  // the list is filled in at the end
            guard let total = used.adding(points.fraction), total <= limit else {
                return .didNotFit(points: points, remaining: used.subtracting(from: limit))
            }
            used = total
            let s = Int(graph.slot[index])
            if !planned[s] {
                planned[s] = true
                for k in Int(dependentStart[s])..<Int(dependentStart[s + 1]) {
                    let d = Int(dependents[k])
                    unplanned[d] -= 1
                    if unplanned[d] == 0, waitingPosition[d] >= 0, case .blockedBy = waiting[waitingPosition[d]].reason {
                        ready.push(waitingPosition[d])
                    }
                }
            }
            selected.append(.init(storyIndex: index, rank: entry.rank, score: entry.score, points: points,
                                  alreadyPlanned: false))
            return nil
        }
        func wait(_ entry: Ranking.Entry, _ reason: CutReason) {
            waitingPosition[entry.storyIndex] = waiting.count
            waiting.append((entry, reason))
            gone.append(false)
        }
        for entry in ranking.entries where !alreadyIn[entry.storyIndex] {
            if let other = graph.sprint[entry.storyIndex], other != sprint {
                wait(entry, .plannedIn(other))
                continue
            }
            if let reason = take(entry) {
                wait(entry, reason)
                continue
            }
            // A story taken may unblock ones that waited for it; they come right after it, the
            // best ranked first, each tried when the last of its dependencies is taken.
            while let w = ready.popMin() {
                if let reason = take(waiting[w].entry) {
                    waiting[w].reason = reason
                } else {
                    gone[w] = true
                }
            }
        }
        var below: [SprintPlan.Left] = overCapacity
        for (w, item) in waiting.enumerated() where !gone[w] {
            var reason = item.reason
            if case .blockedBy = reason {
                let index = item.entry.storyIndex
                reason = .blockedBy(graph.dependencies(of: index).filter { !planned[Int(graph.depSlots[$0])] }
                    .map { graph.depIDs[$0] })
            }
            below.append(SprintPlan.Left(storyIndex: item.entry.storyIndex, rank: item.entry.rank, reason: reason))
        }
        below.sort { $0.rank < $1.rank }

        var warnings: [String] = []
        var must = Fraction(0)
        for item in selected where backlog.stories[item.storyIndex].moscow == .must {
            must = must.adding(item.points.fraction) ?? must
        }
        if used > Fraction(0), let share = must.divided(by: used), share > Fraction(numerator: 3, denominator: 5) {
            warnings.append("Must-haves are \(formatFixed(share.doubleValue * 100, decimals: 0))% of the sprint's points "
                            + "(DSDM advises at most 60%, to leave room for contingency)")
        }
        if let notReady = ReadyJudge.plannedWarning(backlog, selected.filter { !$0.isDone }.map(\.storyIndex)) {
            warnings.append(notReady)
        }
        return SprintPlan(sprint: sprint, capacity: limit, points: used, inSprint: inSprint, selected: selected, below: below,
                          warnings: warnings)
    }

    /// Writes a plan into a backlog: the stories taken get the sprint, the ones over capacity
    /// lose it (`SprintPlan.changes`), and the sprint's header line keeps the capacity planned to:
    /// a sprint not declared yet is declared with it (with the dates the choice gave it), and a
    /// declared one gets it when `recordingCapacity` (a capacity given for this plan). The one
    /// rule for `prio plan --apply` and `f` on the screen; returns the indices of the stories changed.
    @discardableResult
    public static func apply(_ plan: SprintPlan, sprint: Sprint, capacity: DecimalNumber, recordingCapacity: Bool,
                             to backlog: inout Backlog) throws(FieldProblem) -> [Int] {
        let changes = plan.changes(in: backlog)
        if recordingCapacity || !backlog.header.sprints.contains(where: { $0.name == sprint.name }) {
            try recordCapacity(capacity, for: sprint, in: &backlog.header)
        }
        for change in changes { backlog.replaceStory(at: change.index, with: change.story) }
        return changes.map(\.index)
    }

    /// Keeps a sprint's capacity in the header: its line's capacity when it is declared, else a
    /// new line declaring it (its name, the capacity, and its dates when it has them). The one
    /// rule for `--capacity` with `--apply` and `c` on the planning screen.
    public static func recordCapacity(_ capacity: DecimalNumber, for sprint: Sprint, in header: inout BacklogHeader) throws(FieldProblem) {
        if header.setSprintCapacity(sprint.name, capacity) { return }
        var declared = sprint
        declared.capacity = capacity
        try header.addSprint(declared)
    }

    /// A cycle in the `depends` graph of stories not done, if any.
    public static func findCycle(_ backlog: Backlog) -> DependencyCycle? {
        PlanningGraph(backlog).findCycle()
    }

    /// Every sprint in order: those declared in the header first, then names only stories use,
    /// in natural order ("Sprint 2" before "Sprint 10").
    public static func sprintOrder(_ backlog: Backlog) -> [String] {
        var used = Set<String>()
        for story in backlog.stories { if let sprint = story.value(of: .sprint) { used.insert(sprint) } }
        return sprintOrder(header: backlog.header, used: used)
    }

    /// `sprintOrder` from the header and the sprint names stories use.
    static func sprintOrder(header: BacklogHeader, used: Set<String>) -> [String] {
        var names = header.sprints.map(\.name)
        names += used.subtracting(names).sorted { naturalLess($0, $1) }
        return names
    }
}

extension Fraction {
    /// `other - self`, or zero on overflow.
    func subtracting(from other: Fraction) -> Fraction {
        other.subtracting(self) ?? Fraction(0)
    }
}

/// Points as people write them: `20`, `7.5`.
func formatPoints(_ value: Fraction) -> String {
    if value.denominator == 1 { return String(value.numerator) }
    var text = formatFixed(value.doubleValue, decimals: 2)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}

/// Compares names with numbers in them by value: "Sprint 2" < "Sprint 10".
func naturalLess(_ a: String, _ b: String) -> Bool {
    func split(_ s: String) -> (String, Int?) {
        let digits = s.reversed().prefix { $0.isASCII && $0.isNumber }
        return (String(s.dropLast(digits.count)), Int(String(digits.reversed())))
    }
    let (pa, na) = split(a)
    let (pb, nb) = split(b)
    if pa == pb, let na, let nb { return na < nb }
    return a < b
}
