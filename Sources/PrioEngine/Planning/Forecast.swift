import Foundation

/// Where each remaining story is expected to land, sprint by sprint, at a given velocity.
public struct Forecast: Sendable {
    /// A future sprint and the stories in it.
    public struct FutureSprint: Sendable {
        public var name: String
        public var start: String?
        public var end: String?
        public var points: Fraction
        public var storyIndices: [Int]
        /// Why the sprint is as it is, when it is out of the ordinary: a story larger than its
        /// capacity, forecast alone in it.
        public var note: String?
    }

    public var velocity: Fraction
    public var sprints: [FutureSprint]
    /// Stories that cannot be forecast, with why (no estimate, blocked, beyond the last sprint).
    public var unplaceable: [(storyIndex: Int, reason: String)]

    /// The sprint a story is forecast to land in, by story index.
    public func sprint(of storyIndex: Int) -> FutureSprint? {
        sprints.first { $0.storyIndices.contains(storyIndex) }
    }
}

extension Planner {
    /// Assigns every story that is not done and not yet in a sprint to the sprints after the
    /// last declared one, `velocity` points each, by the same rules as `plan`.
    ///
    /// Each sprint is filled in passes down the ranking: a story is taken when its
    /// dependencies are done or planned (in an earlier sprint, or earlier in this one) and its
    /// points fit what is left; a pass that took something is followed by another, so a story
    /// whose dependency was taken later in the sprint can follow it. `ForecastModel` does this
    /// in O(log n) per story taken.
    public static func forecast(_ backlog: Backlog, velocity: Fraction, strategy: any Strategy,
                                maxSprints: Int = 1_000) throws(DependencyCycle) -> Forecast {
        let model = ForecastModel(backlog)
        if let cycle = model.cycle { throw cycle }
        let ranking = Ranking(backlog, strategy: strategy)
        return model.forecast(order: ranking.entries.map(\.storyIndex), velocity: velocity, maxSprints: maxSprints)
            .forecast
    }
}

/// A backlog's planning facts, read once, for forecasts in any ranking and at any velocity.
///
/// The screen keeps one per version of the backlog's contents: a forecast from it costs
/// O(n + e + t log n) for n stories, e dependencies and t stories taken, with no field read
/// again; J/K (two stories changing places) is followed in place with `swapStories`.
public struct ForecastModel: Sendable {
    private var graph: PlanningGraph
    /// A dependency cycle, if any: then there is no forecast.
    public let cycle: DependencyCycle?
    /// `Planner.velocity` of the backlog (nil when no sprint has done stories).
    public private(set) var measuredVelocity: Fraction?
    /// The last declared sprint's capacity, the velocity to use when none is measured.
    public let declaredCapacity: Fraction?
    private let sprintOrder: [String]
    private let names: FutureSprintNames

    /// Reads what forecasts need from a backlog.
    public init(_ backlog: Backlog) {
        graph = PlanningGraph(backlog)
        cycle = graph.findCycle()
        let declared = backlog.header.sprints
        declaredCapacity = declared.last?.capacity?.fraction
        let used = graph.usedSprints
        sprintOrder = Planner.sprintOrder(header: backlog.header, used: used)
        measuredVelocity = Planner.velocity(history: Planner.history(done: graph.donePoints, order: sprintOrder))
        names = FutureSprintNames(order: sprintOrder, declared: declared, used: used)
    }

    /// The velocity a forecast of the backlog uses, the way `ForecastModel` finds it:
    /// `measuredVelocity`, else `declaredCapacity`; nil when there is neither (no sprint
    /// has done stories and no sprint is declared with a capacity), and no forecast can be
    /// made. Reads only each story's `sprint` field and the points of done stories in one,
    /// so it costs a fraction of reading the model.
    public static func velocity(of backlog: Backlog) -> Fraction? {
        var used = Set<String>()
        var done: [(sprint: String, points: DecimalNumber)] = []
        let workflow = backlog.workflow
        backlog.stories.withUnsafeBufferPointer { stories in
            for i in stories.indices {
                guard let sprint = stories[i].value(of: .sprint) else { continue }
                used.insert(sprint)
                if workflow.isDone(stories[i].status), let points = stories[i].points { done.append((sprint, points)) }
            }
        }
        let order = Planner.sprintOrder(header: backlog.header, used: used)
        return Planner.velocity(history: Planner.history(done: done, order: order))
            ?? backlog.header.sprints.last?.capacity?.fraction
    }

    /// The number of stories the model was read from.
    public var storyCount: Int { graph.count }

    /// Follows `Backlog.swapStories(a, b)`. False when the model cannot (stories sharing an
    /// ID); read the backlog again then.
    public mutating func swapStories(_ a: Int, _ b: Int) -> Bool {
        let bothDone = graph.isDone[a] && graph.isDone[b]
        guard graph.swapStories(a, b) else { return false }
        // Done points are summed in backlog order; only two done stories changing places
        // changes that order.
        if bothDone {
            measuredVelocity = Planner.velocity(history: Planner.history(done: graph.donePoints, order: sprintOrder))
        }
        return true
    }

    /// The forecast of the stories in `order` (story indices of stories not done, in rank
    /// order; nil for the manual order). The model must have no cycle.
    public func forecast(order: [Int]?, velocity: Fraction, maxSprints: Int) -> ForecastOutcome {
        forecast(order: order, velocity: velocity, maxSprints: maxSprints, draw: nil)
    }

    /// The forecast with the velocity of each sprint after the declared ones drawn by `draw`
    /// (one call per such sprint, in order); a drawn velocity of 0 is a sprint that takes nothing.
    /// Declared sprints keep their own capacity, as in the plain forecast.
    func forecast(order: [Int]?, velocity: Fraction, maxSprints: Int, draw: (() -> Fraction)?) -> ForecastOutcome {
        forecast(prepared: prepare(order: order), velocity: velocity, maxSprints: maxSprints, draw: draw)
    }

    /// What every forecast along one order starts from: the candidates in rank order, their
    /// unplanned dependencies, who waits for whom, and the tree of available candidates.
    struct Prepared: Sendable {
        var planned: [Bool]
        var outcome: [Int32]
        var unplaceable: [Int32]
        var candidates: [Int32]
        var unplanned: [Int32]
        var dependentStart: [Int32]
        var dependents: [Int32]
        var tree: MinKeyTree
    }

    /// Prepares forecasts along `order` (nil: the manual order); many forecasts at different
    /// velocities can start from one preparation.
    func prepare(order: [Int]?) -> Prepared {
        let g = graph
        let n = g.count
        var planned = [Bool](repeating: false, count: g.slotCount)
        for i in 0..<n where g.isDone[i] || g.sprint[i] != nil { planned[Int(g.slot[i])] = true }

        // What is left to forecast, in rank order; stories without points are set aside first.
        var outcome = [Int32](repeating: ForecastOutcome.notForecast, count: n)
        var unplaceable: [Int32] = []
        var candidates: [Int32] = []
        candidates.reserveCapacity(n)
        func consider(_ i: Int) {
            guard g.sprint[i] == nil else { return }
            let key = g.pointKey[i]
            if key < 0 {
                outcome[i] = ForecastOutcome.noEstimate
                unplaceable.append(Int32(i))
            } else {
                outcome[i] = ForecastOutcome.left
                candidates.append(Int32(i))
            }
        }
        if let order {
            for i in order { consider(i) }
        } else {
            for i in 0..<n where !g.isDone[i] { consider(i) }
        }

        // Per candidate, its dependencies not planned yet; per slot, the candidates waiting for it.
        let m = candidates.count
        var unplanned = [Int32](repeating: 0, count: m)
        var dependentStart = [Int32](repeating: 0, count: g.slotCount + 1)
        for p in 0..<m {
            for d in g.dependencies(of: Int(candidates[p])) where !planned[Int(g.depSlots[d])] {
                unplanned[p] += 1
                dependentStart[Int(g.depSlots[d]) + 1] += 1
            }
        }
        for s in 0..<g.slotCount { dependentStart[s + 1] += dependentStart[s] }
        var fill = dependentStart
        var dependents = [Int32](repeating: 0, count: Int(dependentStart[g.slotCount]))
        for p in 0..<m {
            for d in g.dependencies(of: Int(candidates[p])) where !planned[Int(g.depSlots[d])] {
                let s = Int(g.depSlots[d])
                dependents[Int(fill[s])] = Int32(p)
                fill[s] += 1
            }
        }

        // A story is available when all its dependencies are planned; the tree finds the next
        // available one whose points fit.
        var tree = MinKeyTree(count: m)
        for p in 0..<m where unplanned[p] == 0 { tree.set(p, g.pointKey[Int(candidates[p])]) }
        tree.build()
        return Prepared(planned: planned, outcome: outcome, unplaceable: unplaceable, candidates: candidates,
                        unplanned: unplanned, dependentStart: dependentStart, dependents: dependents, tree: tree)
    }

    /// The forecast from a preparation, the velocity of each sprint after the declared ones
    /// drawn by `draw` when given.
    func forecast(prepared: Prepared, velocity: Fraction, maxSprints: Int, draw: (() -> Fraction)?) -> ForecastOutcome {
        let g = graph
        var planned = prepared.planned
        var outcome = prepared.outcome
        var unplaceable = prepared.unplaceable
        let candidates = prepared.candidates
        var unplanned = prepared.unplanned
        let dependentStart = prepared.dependentStart
        let dependents = prepared.dependents
        var tree = prepared.tree
        let m = candidates.count

        var sprintEnds: [Int] = []
        var sprintPoints: [Fraction] = []
        var taken: [Int32] = []
        var left = m
        var alone: [Bool] = []
        /// Takes candidate `p` (story `i`) into the sprint being filled: the stories waiting for
        /// it become available once their last dependency is planned.
        func take(_ p: Int, _ i: Int) {
            outcome[i] = Int32(sprintEnds.count)
            taken.append(Int32(i))
            left -= 1
            tree.update(p, MinKeyTree.none)
            let s = Int(g.slot[i])
            guard !planned[s] else { return }
            planned[s] = true
            for k in Int(dependentStart[s])..<Int(dependentStart[s + 1]) {
                let q = Int(dependents[k])
                unplanned[q] -= 1
                if unplanned[q] == 0 { tree.update(q, g.pointKey[Int(candidates[q])]) }
            }
        }
        while left > 0 && sprintEnds.count < maxSprints && velocity > Fraction(0) {
            // Declared sprints plan to their own capacity; the velocity beyond them.
            let declared = names.capacity(at: sprintEnds.count)
            let capacity = declared ?? draw?() ?? velocity
            // The best-ranked story ready to go that is larger than the sprint goes alone in it.
            if capacity > Fraction(0), let p = tree.first(from: 0, below: MinKeyTree.none),
               let points = g.points[Int(candidates[p])], points.fraction > capacity {
                take(p, Int(candidates[p]))
                sprintEnds.append(taken.count)
                sprintPoints.append(points.fraction)
                alone.append(true)
                continue
            }
            var used = Fraction(0)
            var fits = g.keysAtMost(capacity)
            var cursor = 0
            var progress = false
            let first = taken.count
            while true {
                guard let p = tree.first(from: cursor, below: fits) else {
                    // The end of a pass: another one when this one took something.
                    guard progress else { break }
                    progress = false
                    cursor = 0
                    continue
                }
                cursor = p + 1
                let i = Int(candidates[p])
                // The tree's test is exact; this one is the rule itself (it also refuses sums too
                // large to add).
                guard let points = g.points[i], let total = used.adding(points.fraction), total <= capacity else { continue }
                used = total
                progress = true
                take(p, i)
                fits = used.numerator == Int128.min ? g.keysAtMost(nil)
                    : g.keysAtMost(capacity.adding(Fraction(numerator: -used.numerator, denominator: used.denominator)))
            }
            if taken.count == first {
                // A declared sprint with no room (capacity 0: a holiday) stays empty; otherwise stop.
                guard capacity == Fraction(0), declared != nil || draw != nil else { break }
            }
            sprintEnds.append(taken.count)
            sprintPoints.append(used)
            alone.append(false)
        }
        for i in candidates where outcome[Int(i)] == ForecastOutcome.left { unplaceable.append(i) }
        return ForecastOutcome(graph: g, velocity: velocity, maxSprints: maxSprints, outcome: outcome, planned: planned,
                               taken: taken, sprintEnds: sprintEnds, sprintPoints: sprintPoints, alone: alone,
                               unplaceable: unplaceable, names: names)
    }
}

extension Planner {
    /// True when a forecast fills some declared sprint to its own capacity (a declared sprint
    /// with a capacity comes after the last sprint that has stories).
    public static func forecastUsesDeclaredCapacity(_ backlog: Backlog) -> Bool {
        var used = Set<String>()
        for story in backlog.stories { if let s = story.value(of: .sprint) { used.insert(s) } }
        let names = FutureSprintNames(order: sprintOrder(header: backlog.header, used: used),
                                      declared: backlog.header.sprints, used: used)
        return names.upcoming.contains { $0.capacity != nil }
    }
}

/// A forecast in compact form: where each story lands, looked up one story at a time, or the
/// whole `Forecast` with every reason written out.
public struct ForecastOutcome: Sendable {
    static let notForecast: Int32 = -1
    static let noEstimate: Int32 = -2
    static let left: Int32 = -4

    fileprivate let graph: PlanningGraph
    /// Points per sprint.
    public let velocity: Fraction
    fileprivate let maxSprints: Int
    /// Per story: its sprint (from 0), or one of the negative constants above.
    fileprivate let outcome: [Int32]
    /// Per ID slot: planned by the end.
    fileprivate let planned: [Bool]
    fileprivate let taken: [Int32]
    fileprivate let sprintEnds: [Int]
    fileprivate let sprintPoints: [Fraction]
    /// Per sprint: true when it holds one story larger than its capacity.
    fileprivate let alone: [Bool]
    fileprivate let unplaceable: [Int32]
    fileprivate let names: FutureSprintNames

    /// Where one story lands.
    public enum Placement: Sendable, Hashable {
        /// In a future sprint, with its dates when known.
        case sprint(name: String, start: String?, end: String?)
        /// Nowhere, and why.
        case none(reason: String)
    }

    /// The capacity the forecast filled sprint `k` to: its declared one, else the velocity.
    public func capacity(at k: Int) -> Fraction {
        names.capacity(at: k) ?? velocity
    }

    /// The name and dates of future sprint `k` (from 0).
    public func sprint(at k: Int) -> (name: String, start: String?, end: String?) {
        names.sprint(at: k)
    }

    /// The future sprint (from 0) a story lands in, or nil.
    public func sprintNumber(of storyIndex: Int) -> Int? {
        outcome[storyIndex] >= 0 ? Int(outcome[storyIndex]) : nil
    }

    /// The note of a sprint that holds one story larger than its capacity.
    static func aloneNote(points: Fraction, capacity: Fraction) -> String {
        "larger than the sprint's capacity (\(formatPoints(points)) > \(formatPoints(capacity)) pts): forecast alone in it"
    }

    /// The note on the sprint a story lands in (a story larger than the sprint's capacity).
    public func note(of storyIndex: Int) -> String? {
        let k = Int(outcome[storyIndex])
        guard k >= 0, k < alone.count, alone[k] else { return nil }
        return ForecastOutcome.aloneNote(points: sprintPoints[k], capacity: capacity(at: k))
    }

    /// Where a story lands; nil for stories not forecast (done, in a sprint, left out of the ranking).
    public func placement(of storyIndex: Int) -> Placement? {
        let value = outcome[storyIndex]
        if value >= 0 {
            let (name, start, end) = names.sprint(at: Int(value))
            return .sprint(name: name, start: start, end: end)
        }
        return reason(storyIndex).map { .none(reason: $0) }
    }

    private func reason(_ i: Int) -> String? {
        switch outcome[i] {
        case ForecastOutcome.noEstimate: return CutReason.noEstimate.description
        case ForecastOutcome.left:
            let missing = graph.dependencies(of: i).filter { !planned[Int(graph.depSlots[$0])] }.map { graph.depIDs[$0] }
            return missing.isEmpty ? "beyond \(maxSprints) sprints" : CutReason.blockedBy(missing).description
        default: return nil
        }
    }

    /// The whole forecast: every sprint with its stories, and every story that cannot be placed.
    public var forecast: Forecast {
        var sprints: [Forecast.FutureSprint] = []
        var from = 0
        for (k, end) in sprintEnds.enumerated() {
            let (name, start, last) = names.sprint(at: k)
            sprints.append(.init(name: name, start: start, end: last, points: sprintPoints[k],
                                 storyIndices: taken[from..<end].map { Int($0) },
                                 note: alone[k] ? ForecastOutcome.aloneNote(points: sprintPoints[k], capacity: capacity(at: k)) : nil))
            from = end
        }
        let rest = unplaceable.map { (storyIndex: Int($0), reason: reason(Int($0)) ?? "") }
        return Forecast(velocity: velocity, sprints: sprints, unplaceable: rest)
    }
}

/// The names and dates of the sprints a forecast fills: declared sprints after the last one
/// that has stories come first; then new ones follow the last sprint known, with its length
/// and cadence.
struct FutureSprintNames: Sendable {
    let upcoming: [Sprint]
    let namer: SprintNamer

    init(order: [String], declared: [Sprint], used: Set<String>) {
        var byName: [String: Sprint] = [:]
        for sprint in declared where byName[sprint.name] == nil { byName[sprint.name] = sprint }
        let lastUsed = order.lastIndex { used.contains($0) } ?? -1
        upcoming = order.dropFirst(lastUsed + 1).map { name in byName[name] ?? Sprint(name: name) }
        let lastKnown = order.last.map { name in byName[name] ?? Sprint(name: name) }
        var previous: Sprint?
        if order.count >= 2 { previous = byName[order[order.count - 2]] }
        namer = SprintNamer(after: lastKnown, previous: previous)
    }

    /// The declared capacity of the `k`th sprint, when it is a declared one that has one.
    func capacity(at k: Int) -> Fraction? {
        k < upcoming.count ? upcoming[k].capacity?.fraction : nil
    }

    /// The `k`th sprint (from 0): name, start and end.
    func sprint(at k: Int) -> (String, String?, String?) {
        if k < upcoming.count { return (upcoming[k].name, upcoming[k].start, upcoming[k].end) }
        return namer.sprint(at: k - upcoming.count)
    }
}

/// A segment tree of keys (points ranks) over rank positions: finds the first position at or
/// after a cursor whose key is below a bound in O(log n).
struct MinKeyTree {
    static let none = Int32.max
    private var size: Int
    private var nodes: [Int32]

    init(count: Int) {
        size = 1
        while size < count { size *= 2 }
        nodes = [Int32](repeating: MinKeyTree.none, count: 2 * size)
    }

    /// Sets a leaf before `build`.
    mutating func set(_ position: Int, _ key: Int32) {
        nodes[size + position] = key
    }

    /// Computes the inner nodes from the leaves.
    mutating func build() {
        var i = size - 1
        while i >= 1 {
            nodes[i] = min(nodes[2 * i], nodes[2 * i + 1])
            i -= 1
        }
    }

    /// Changes a leaf and the nodes above it.
    mutating func update(_ position: Int, _ key: Int32) {
        var i = size + position
        nodes[i] = key
        i /= 2
        while i >= 1 {
            let smallest = min(nodes[2 * i], nodes[2 * i + 1])
            // Nodes above an unchanged one are unchanged too.
            if nodes[i] == smallest { break }
            nodes[i] = smallest
            i /= 2
        }
    }

    /// The first position at or after `from` whose key is below `bound`.
    func first(from: Int, below bound: Int32) -> Int? {
        guard from < size else { return nil }
        var i = size + from
        while true {
            if nodes[i] < bound {
                while i < size {
                    i *= 2
                    if nodes[i] >= bound { i += 1 }
                }
                return i - size
            }
            // Up while this node is a right child, then over to the right sibling.
            while i & 1 == 1 {
                if i == 1 { return nil }
                i /= 2
            }
            i += 1
        }
    }
}

/// Names and dates for future sprints, continuing the last declared sprint.
struct SprintNamer: Sendable {
    var prefix = "Sprint "
    var number = 0
    var start: Date?
    var length = 14
    var cadence = 14
    let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        return calendar
    }()

    init(after last: Sprint?, previous: Sprint? = nil) {
        if let last {
            // "Sprint 14" continues as "Sprint 15"; other names get "Sprint 1", "Sprint 2"...
            let digits = last.name.reversed().prefix { $0.isNumber }
            if let n = Int(String(digits.reversed())), !digits.isEmpty {
                number = n
                prefix = String(last.name.dropLast(digits.count))
            } else {
                prefix = "\(last.name) + "
            }
            if let s = last.start.flatMap(parse), let e = last.end.flatMap(parse) {
                length = (calendar.dateComponents([.day], from: s, to: e).day ?? 13) + 1
                // The cadence: the gap between the last two starts, else the length in whole weeks.
                if let p = previous?.start.flatMap(parse), let gap = calendar.dateComponents([.day], from: p, to: s).day, gap > 0 {
                    cadence = gap
                } else {
                    cadence = (length + 6) / 7 * 7
                }
                start = calendar.date(byAdding: .day, value: cadence, to: s)
            }
        }
    }

    /// The sprint `step` sprints after the last known one (from 0): name, start and end.
    func sprint(at step: Int) -> (String, String?, String?) {
        let name = "\(prefix)\(number + step + 1)"
        guard let first = start else { return (name, nil, nil) }
        let current = calendar.date(byAdding: .day, value: cadence * step, to: first) ?? first
        let end = calendar.date(byAdding: .day, value: length - 1, to: current) ?? current
        return (name, format(current), format(end))
    }

    func parse(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    func format(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}
