import PrioEngine
import PrioStorage
import PropertyBased
import Testing

/// Random backlogs for planning: points (some missing, some zero or fractional), done stories,
/// stories in declared and undeclared sprints, and dependency graphs of several shapes.
struct PlanningBacklogs {
    /// The shapes of dependency graphs.
    enum Shape: CaseIterable {
        case scattered, chain, reversedChain, fanIn, fanOut, anything
    }

    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(_ bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(max(1, bound)))
    }

    mutating func chance(_ percent: Int) -> Bool { next(100) < percent }

    mutating func pick<T>(_ items: [T]) -> T { items[next(items.count)] }

    /// A backlog of up to `maxCount` stories. IDs are shuffled against the manual order; some
    /// dependencies are written zero-padded (`S-07`), some repeat, some name stories that do not
    /// exist; `anything` may make cycles, and `duplicates` lets two stories share an ID.
    mutating func backlog(maxCount: Int = 40, duplicates: Bool = false) -> Backlog {
        var backlog = Backlog(name: "Random", strategy: "wsjf")
        let declared = ["Sprint 1", "Sprint 2", "Sprint 3", "Alpha"]
        let dated = ["2026-11-02 .. 2026-11-13", "2026-11-16 .. 2026-11-27", "2026-12-07 .. 2026-12-25", ""]
        for k in 0..<next(4) {
            let dates = dated[chance(70) ? k : 3]
            // Some sprints were started (a recorded commitment) or closed (recorded done and day).
            let closed = chance(20)
            try? backlog.header.addSprint(Sprint(name: declared[k], capacity: chance(60) ? DecimalNumber(pick([5, 10, 13, 20])) : nil,
                                     start: dates.isEmpty ? nil : String(dates.prefix(10)),
                                     end: dates.isEmpty ? nil : String(dates.suffix(10)),
                                     committed: closed || chance(15) ? DecimalNumber(pick([8, 13])) : nil,
                                     done: closed ? DecimalNumber(pick([0, 5, 7])) : nil, closed: closed ? "2026-11-28" : nil))
        }
        let count = next(maxCount + 1)
        var numbers = Array(1...max(1, count))
        for i in numbers.indices.reversed() { numbers.swapAt(i, next(i + 1)) }
        let shape = pick(Shape.allCases)
        let hub = next(max(1, count))
        for position in 0..<count {
            var story = Story(id: StoryID(prefix: "S", number: numbers[position]), title: "Story \(position)")
            if duplicates && position > 0 && chance(10) {
                story = Story(id: StoryID(prefix: "S", number: numbers[next(position)]), title: "Twin \(position)")
            }
            func set(_ key: String, _ value: String) { try? story.setField(key, value) }
            set("value", String(pick([1, 2, 3, 5, 8])))
            set("time-criticality", String(pick([0, 1, 2])))
            set("risk-reduction", String(pick([0, 1])))
            if chance(85) { set("points", pick(["1", "2", "3", "5", "8", "13", "0", "0.5", "2.5", "20"])) }
            if chance(40) { set("moscow", pick(["must", "should", "could", "wont"])) }
            if chance(20) { set("status", "done") }
            if chance(25) { set("sprint", pick(["Sprint 1", "Sprint 2", "Sprint 3", "Alpha", "Sprint 10", "Later"])) }
            var dependencies: [Int] = []  // positions
            switch shape {
            case .scattered:
                if position > 0 { for _ in 0..<next(3) where chance(50) { dependencies.append(next(position)) } }
            case .chain: if position > 0 { dependencies.append(position - 1) }
            case .reversedChain: if position + 1 < count { dependencies.append(position + 1) }
            case .fanIn: if position != hub && chance(80) { dependencies.append(hub) }
            case .fanOut: if position == hub { dependencies = (0..<count).filter { $0 != hub && chance(70) } }
            case .anything: for _ in 0..<next(3) { dependencies.append(next(max(1, count))) }
            }
            var written = dependencies.map { n -> String in
                chance(15) ? "S-0\(numbers[n])" : "S-\(numbers[n])"
            }
            if !written.isEmpty && chance(10) { written.append(written[0]) }
            if chance(5) { written.append("S-999") }
            if !written.isEmpty { set("depends", written.joined(separator: ", ")) }
            backlog.insertStory(story, at: backlog.stories.count)
        }
        return backlog
    }
}

/// Everything a forecast says, as text, to compare two forecasts whole.
func summary(_ forecast: Forecast) -> [String] {
    ["velocity \(forecast.velocity.numerator)/\(forecast.velocity.denominator)"]
        + forecast.sprints.map { s in
            "\(s.name) \(s.start ?? "-") \(s.end ?? "-") \(s.points.numerator)/\(s.points.denominator): \(s.storyIndices)"
        }
        + forecast.unplaceable.map { "\($0.storyIndex): \($0.reason)" }
}

/// Everything a plan says, as text.
func summary(_ plan: SprintPlan) -> [String] {
    ["\(plan.sprint) \(plan.capacity) \(plan.points.numerator)/\(plan.points.denominator)"]
        + plan.selected.map { "\($0.storyIndex) \($0.rank.map(String.init) ?? "-") \($0.score) \($0.points) \($0.alreadyPlanned)" }
        + ["-- cut --"] + plan.below.map { "\($0.storyIndex) \($0.rank) \($0.reason)" }
        + plan.warnings
}

/// A result or the error's text.
func outcome<T>(_ body: () throws(DependencyCycle) -> T, _ show: (T) -> [String]) -> [String] {
    do {
        return show(try body())
    } catch {
        return ["error: \(error.description)"]
    }
}

@Suite("Planning against the reference planner")
struct PlanningPropertyTests {
    static let velocities: [Fraction] = [Fraction(0), Fraction(1), Fraction(3), Fraction(5), Fraction(numerator: 15, denominator: 2),
                                         Fraction(10), Fraction(13), Fraction(20), Fraction(numerator: 44, denominator: 3), Fraction(100)]
    /// Days before, between, inside and after the generated sprints.
    static let days = ["2026-10-01", "2026-11-10", "2026-11-20", "2026-12-01", "2026-12-10", "2027-03-01"]

    @Test("The forecast equals the reference forecast: same sprints, same order inside them, same reasons")
    func forecast() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...Int.max)) { seed in
            var random = PlanningBacklogs(seed: UInt64(seed))
            let backlog = random.backlog(duplicates: random.chance(20))
            let strategy = random.pick(StrategyRegistry.all)
            let timeline = SprintTimeline(backlog, today: random.pick(Self.days))
            let velocity = random.chance(20) ? (timeline.velocity?.value ?? Fraction(8)) : random.pick(Self.velocities)
            let maxSprints = random.pick([1, 2, 3, 5, 1_000])
            let fast = outcome({ () throws(DependencyCycle) in
                try Planner.forecast(backlog, timeline: timeline, velocity: velocity, strategy: strategy, maxSprints: maxSprints)
            }, summary)
            let reference = outcome({ () throws(DependencyCycle) in
                try OraclePlanner.forecast(backlog, timeline: timeline, velocity: velocity, strategy: strategy, maxSprints: maxSprints)
            }, summary)
            #expect(fast == reference)
        }
    }

    @Test("The plan equals the reference plan: same stories, same order, same cut line and reasons")
    func plan() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...Int.max)) { seed in
            var random = PlanningBacklogs(seed: UInt64(seed))
            let backlog = random.backlog(duplicates: random.chance(20))
            let strategy = random.pick(StrategyRegistry.all)
            let sprint = random.pick(["Sprint 1", "Sprint 2", "Sprint 3", "Alpha", "Sprint 10", "Later", "New"])
            let capacity = DecimalNumber(random.pick([0, 1, 3, 5, 8, 10, 13, 20, 40, 100]))
            let fast = outcome({ () throws(DependencyCycle) in
                try Planner.plan(backlog, sprint: sprint, capacity: capacity, strategy: strategy)
            }, summary)
            let reference = outcome({ () throws(DependencyCycle) in
                try OraclePlanner.plan(backlog, sprint: sprint, capacity: capacity, strategy: strategy)
            }, summary)
            #expect(fast == reference)
        }
    }

    @Test("Cycles, sprint order, history and velocity equal the reference")
    func helpers() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max)) { seed in
            var random = PlanningBacklogs(seed: UInt64(seed))
            let backlog = random.backlog(duplicates: random.chance(20))
            let today = random.pick(Self.days)
            let timeline = SprintTimeline(backlog, today: today)
            #expect(Planner.findCycle(backlog)?.description == OraclePlanner.findCycle(backlog)?.description)
            #expect(Planner.sprintOrder(backlog) == OraclePlanner.sprintOrder(backlog))
            #expect(timeline.history.map { "\($0.sprint) \($0.points)" }
                == OraclePlanner.history(backlog, today: today).map { "\($0.sprint) \($0.points)" })
            #expect(timeline.meanVelocity == OraclePlanner.velocity(backlog, today: today))
            let model = ForecastModel(backlog, timeline: timeline)
            #expect(model.velocity == timeline.velocity?.value)
        }
    }

    @Test("A forecast model kept through swaps answers like the reference forecast of the swapped backlog")
    func modelThroughSwaps() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int.max)) { seed in
            var random = PlanningBacklogs(seed: UInt64(seed))
            var backlog = random.backlog(maxCount: 25, duplicates: random.chance(20))
            guard backlog.stories.count >= 2 else { return }
            let today = random.pick(Self.days)
            var model: ForecastModel? = ForecastModel(backlog, timeline: SprintTimeline(backlog, today: today))
            for _ in 0..<random.next(12) {
                let a = random.next(backlog.stories.count)
                let b = random.chance(70) ? min(a + 1, backlog.stories.count - 1) : random.next(backlog.stories.count)
                backlog.swapStories(a, b)
                if model?.swapStories(a, b) == false { model = nil }
            }
            let timeline = SprintTimeline(backlog, today: today)
            let current = model ?? ForecastModel(backlog, timeline: timeline)
            #expect(current.velocity == OraclePlanner.velocity(backlog, today: today) ?? timeline.velocity?.value)
            let velocity = current.velocity ?? random.pick(Self.velocities)
            let reference = try? OraclePlanner.forecast(backlog, timeline: timeline, velocity: velocity, strategy: ManualStrategy(),
                                                        maxSprints: 6)
            #expect((current.cycle == nil) == (reference != nil))
            guard let reference, current.cycle == nil else { return }
            let outcome = current.forecast(order: nil, velocity: velocity, maxSprints: 6)
            #expect(summary(outcome.forecast) == summary(reference))
            for index in backlog.stories.indices {
                let expected: ForecastOutcome.Placement?
                if let sprint = reference.sprint(of: index) {
                    expected = .sprint(name: sprint.name, start: sprint.start, end: sprint.end)
                } else if let reason = reference.unplaceable.first(where: { $0.storyIndex == index })?.reason {
                    expected = .none(reason: reason)
                } else {
                    expected = nil
                }
                #expect(outcome.placement(of: index) == expected)
            }
        }
    }

    @Test("Sprint lines parse as before")
    func sprintLines() async {
        let pieces = ["Sprint 1", " | ", "|", "capacity 20", "capacity: 7.5", "20 pts", "13 points", "capacity -3", "capacity x",
                      "2026-11-02 .. 2026-11-13", "2026-11-02..2026-11-13", "2026-11-02 – 2026-11-13", "2026-11-02 to 2026-11-13",
                      "2026-11-13 .. 2026-11-02", "2026-13-01 .. 2026-13-02", "–\u{301}", ". .", "to", " ", "", "Ünï ✓", "pts"]
        await propertyCheck(count: 500, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...6)) { choices in
            let text = choices.map { pieces[$0] }.joined()
            let fast = Sprint.parse(text), reference = OracleSprint.parse(text)
            switch (fast, reference) {
            case (.success(let a), .success(let b)): #expect(a == b, "\(text)")
            case (.failure(let a), .failure(let b)): #expect(a == b, "\(text)")
            default: Issue.record("\(text): \(fast) != \(reference)")
            }
        }
    }
}
