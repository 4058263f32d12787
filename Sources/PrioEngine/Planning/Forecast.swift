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
    /// The plain forecast: every story not done and not in a planned or active sprint (overdue
    /// ones included) lands in the sprints the timeline gives from today, by the same rules as
    /// `plan`: the current sprint first at its capacity minus what is already in it, then the
    /// later declared sprints likewise, then sprints on the cadence at `velocity` points each.
    ///
    /// Each sprint is filled in passes down the ranking: a story is taken when its
    /// dependencies are done or planned (in an earlier sprint, or earlier in this one) and its
    /// points fit what is left; a pass that took something is followed by another, so a story
    /// whose dependency was taken later in the sprint can follow it. `ForecastModel` does this
    /// in O(log n) per story taken.
    public static func forecast(_ backlog: Backlog, timeline: SprintTimeline, velocity: Fraction, strategy: any Strategy,
                                maxSprints: Int = 1_000) throws(DependencyCycle) -> Forecast {
        let model = ForecastModel(backlog, timeline: timeline)
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
    /// Per story: true when it is not done and in a sprint that is planned or active, where it
    /// stays (the forecast does not move it).
    private var placed: [Bool]
    /// A dependency cycle, if any: then there is no forecast.
    public let cycle: DependencyCycle?
    /// The velocity the timeline gives (the mean of its history, else the last declared capacity).
    public let velocity: Fraction?
    private let names: FutureSprintNames

    /// Reads what forecasts need from a backlog and its sprints.
    public init(_ backlog: Backlog, timeline: SprintTimeline) {
        graph = PlanningGraph(backlog)
        cycle = graph.findCycle()
        let open = Set(timeline.sprints.filter(\.isOpen).map(\.name))
        var placed = [Bool](repeating: false, count: graph.count)
        for i in 0..<graph.count where !graph.isDone[i] {
            if let name = graph.sprint[i], open.contains(name) { placed[i] = true }
        }
        self.placed = placed
        velocity = timeline.velocity?.value
        names = FutureSprintNames(timeline: timeline)
    }

    /// Whole-number units for forecasts at the velocities `extra`, when every amount is exact in them.
    func wholeAmounts(extra: [Fraction]) -> WholeAmounts? {
        WholeAmounts(graph: graph, names: names, extra: extra)
    }

    /// True when story `i` stays in the planned or active sprint it is in (the forecast does not move it).
    public func isPlaced(_ i: Int) -> Bool { placed[i] }

    /// The number of stories the model was read from.
    public var storyCount: Int { graph.count }

    /// Follows `Backlog.swapStories(a, b)`. False when the model cannot (stories sharing an
    /// ID); read the backlog again then.
    public mutating func swapStories(_ a: Int, _ b: Int) -> Bool {
        guard graph.swapStories(a, b) else { return false }
        placed.swapAt(a, b)
        return true
    }

    /// The forecast of the stories in `order` (story indices of stories not done, in rank
    /// order; nil for the manual order). The model must have no cycle.
    public func forecast(order: [Int]?, velocity: Fraction, maxSprints: Int) -> ForecastOutcome {
        forecast(order: order, velocity: velocity, maxSprints: maxSprints, draw: nil)
    }

    /// The forecast with the velocity of each sprint without a declared capacity drawn by `draw`
    /// (one call per such sprint, in order); a drawn velocity of 0 is a sprint that takes nothing.
    /// Declared capacities stay, as in the plain forecast.
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
        /// The same as bit sets, when there are at most 64 point keys.
        var bits: KeyBitsets?
    }

    /// Prepares forecasts along `order` (nil: the manual order); many forecasts at different
    /// velocities can start from one preparation.
    func prepare(order: [Int]?) -> Prepared {
        let g = graph
        let n = g.count
        var planned = [Bool](repeating: false, count: g.slotCount)
        for i in 0..<n where g.isDone[i] || placed[i] { planned[Int(g.slot[i])] = true }

        // What is left to forecast, in rank order; stories without points are set aside first.
        var outcome = [Int32](repeating: ForecastOutcome.notForecast, count: n)
        var unplaceable: [Int32] = []
        var candidates: [Int32] = []
        candidates.reserveCapacity(n)
        let placed = self.placed
        func consider(_ i: Int) {
            guard !placed[i], !g.isDone[i] else { return }
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
        var bits: KeyBitsets?
        if g.distinctPoints.count <= KeyBitsets.maxKeys {
            var sets = KeyBitsets(count: m, keys: g.distinctPoints.count)
            for p in 0..<m where unplanned[p] == 0 && g.pointKey[Int(candidates[p])] >= 0 {
                sets.insert(p, key: g.pointKey[Int(candidates[p])])
            }
            bits = sets
        }
        return Prepared(planned: planned, outcome: outcome, unplaceable: unplaceable, candidates: candidates,
                        unplanned: unplanned, dependentStart: dependentStart, dependents: dependents, tree: tree, bits: bits)
    }

    /// The forecast from a preparation, the velocity of each sprint after the declared ones
    /// drawn by `draw` when given.
    func forecast(prepared: Prepared, velocity: Fraction, maxSprints: Int, draw: (() -> Fraction)?) -> ForecastOutcome {
        let state = FillState(prepared: prepared, available: prepared.tree)
        let amounts = FractionAmounts(graph: graph, names: names)
        let filled = fill(prepared: prepared, state: state, amounts: amounts, velocity: velocity, maxSprints: maxSprints, draw: draw)
        return outcome(filled, prepared: prepared, state: state, velocity: velocity, maxSprints: maxSprints)
    }

    /// One fill in exact fractions from a reusable state (a Monte Carlo trial).
    func fill<Index: AvailableStories>(prepared: Prepared, state: FillState<Index>, velocity: Fraction, maxSprints: Int,
                                       draw: (() -> Fraction)?) -> Filled {
        fill(prepared: prepared, state: state, amounts: FractionAmounts(graph: graph, names: names), velocity: velocity,
             maxSprints: maxSprints, draw: draw)
    }

    /// The whole outcome of a fill: where each story landed, and why the others did not.
    func outcome<Index>(_ filled: Filled, prepared: Prepared, state: FillState<Index>, velocity: Fraction,
                        maxSprints: Int) -> ForecastOutcome {
        var outcome = prepared.outcome
        var from = 0
        for (k, end) in filled.sprintEnds.enumerated() {
            for t in from..<end { outcome[Int(filled.taken[t])] = Int32(k) }
            from = end
        }
        var unplaceable = prepared.unplaceable
        if filled.taken.count < prepared.candidates.count {
            for i in prepared.candidates where outcome[Int(i)] == ForecastOutcome.left { unplaceable.append(i) }
        }
        return ForecastOutcome(graph: graph, velocity: velocity, maxSprints: maxSprints, outcome: outcome,
                               planned: Array(state.planned), taken: filled.taken, sprintEnds: filled.sprintEnds,
                               sprintPoints: filled.sprintPoints, alone: filled.alone, unplaceable: unplaceable, names: names)
    }

    /// What one fill took: the stories in the order taken, where each sprint's stories end, each
    /// sprint's points, and which sprints hold one story larger than their capacity.
    struct Filled {
        var taken: [Int32] = []
        var sprintEnds: [Int] = []
        var sprintPoints: [Fraction] = []
        var alone: [Bool] = []
    }

    /// The one rule of the forecast, in any arithmetic and with any index of the available
    /// stories that give the same answers: fills sprint after sprint along the prepared order,
    /// starting from `state` (as the preparation left it) and leaving in it what the fill
    /// planned; `state.reset()` makes it ready for another fill.
    func fill<A: SprintAmounts, Index: AvailableStories>(prepared: Prepared, state: FillState<Index>, amounts: A,
                                                         velocity: A.Amount, maxSprints: Int,
                                                         draw: (() -> A.Amount)?) -> Filled {
        let g = graph
        let planned = state.planned
        let unplanned = state.unplanned
        let candidates = prepared.candidates
        let dependentStart = prepared.dependentStart
        let dependents = prepared.dependents
        let m = candidates.count

        var filled = Filled()
        filled.taken.reserveCapacity(min(m, 4_096))
        var left = m
        // Locals while the fill runs (a class's properties would be checked for exclusive
        // access on every change); the logs go back to the state at the end.
        var available = state.start
        var plannedLog = state.takePlannedLog()
        var unplannedLog = state.takeUnplannedLog()
        defer { state.keep(plannedLog: plannedLog, unplannedLog: unplannedLog) }
        /// Takes candidate `p` (story `i`) into the sprint being filled: the stories waiting for
        /// it become available once their last dependency is planned.
        func take(_ p: Int, _ i: Int) {
            filled.taken.append(Int32(i))
            left -= 1
            available.remove(p, key: g.pointKey[i])
            let s = Int(g.slot[i])
            guard !planned[s] else { return }
            planned[s] = true
            plannedLog.append(Int32(s))
            for k in Int(dependentStart[s])..<Int(dependentStart[s + 1]) {
                let q = Int(dependents[k])
                unplanned[q] -= 1
                unplannedLog.append(Int32(q))
                if unplanned[q] == 0 { available.insert(q, key: g.pointKey[Int(candidates[q])]) }
            }
        }
        let zero = amounts.zero
        while left > 0 && filled.sprintEnds.count < maxSprints && (velocity > zero || amounts.isUpcoming(filled.sprintEnds.count)) {
            // Declared capacities stay; the velocity (or a drawn one) elsewhere; what is already
            // in a sprint counts first.
            let k = filled.sprintEnds.count
            let upcoming = amounts.isUpcoming(k)
            let full = amounts.capacity(at: k) ?? draw?() ?? velocity
            let committed = amounts.committed(at: k)
            let capacity = committed == zero ? full : max(zero, amounts.difference(full, committed) ?? zero)
            // The best-ranked story ready to go that is larger than an empty sprint goes alone in it.
            if committed == zero, capacity > zero, let p = available.first(from: 0, below: MinKeyTree.none),
               let points = amounts.points(Int(candidates[p])), points > capacity {
                take(p, Int(candidates[p]))
                filled.sprintEnds.append(filled.taken.count)
                filled.sprintPoints.append(amounts.fraction(points))
                filled.alone.append(true)
                continue
            }
            var used = zero
            var fits = amounts.keysAtMost(capacity)
            var cursor = 0
            var progress = false
            let first = filled.taken.count
            while true {
                guard let p = available.first(from: cursor, below: fits) else {
                    // The end of a pass: another one when this one took something.
                    guard progress else { break }
                    progress = false
                    cursor = 0
                    continue
                }
                cursor = p + 1
                let i = Int(candidates[p])
                // The index's test is exact; this one is the rule itself (it also refuses sums
                // too large to add).
                guard let points = amounts.points(i), let total = amounts.sum(used, points), total <= capacity else { continue }
                used = total
                progress = true
                take(p, i)
                fits = amounts.difference(capacity, used).map { amounts.keysAtMost($0) } ?? amounts.allKeys
            }
            if filled.taken.count == first {
                // A sprint of the timeline that takes nothing (full already, a holiday) stays
                // empty, and so does a drawn sprint of 0; on the cadence, nothing taken means
                // nothing can be.
                guard upcoming || (capacity == zero && draw != nil) else { break }
            }
            filled.sprintEnds.append(filled.taken.count)
            filled.sprintPoints.append(amounts.fraction(used))
            filled.alone.append(false)
        }
        return filled
    }
}

/// The buffers a fill changes, kept for many fills from one preparation: a fill logs what it
/// changes, and `reset` undoes exactly that, so the Monte Carlo forecast's ten thousand trials
/// do not copy the backlog's arrays ten thousand times. One per thread.
final class FillState<Index: AvailableStories> {
    /// Per ID slot: planned (done, in an open sprint, or taken).
    let planned: UnsafeMutableBufferPointer<Bool>
    /// Per candidate: its dependencies not planned yet.
    let unplanned: UnsafeMutableBufferPointer<Int32>
    /// The stories ready to go as the preparation left them: each fill changes a copy.
    let start: Index
    /// The slots a fill planned and the candidates whose count it lowered, once per change.
    private var plannedLog: [Int32] = []
    private var unplannedLog: [Int32] = []

    init(prepared: ForecastModel.Prepared, available: Index) {
        planned = UnsafeMutableBufferPointer<Bool>.allocate(capacity: prepared.planned.count)
        _ = planned.initialize(from: prepared.planned)
        unplanned = UnsafeMutableBufferPointer<Int32>.allocate(capacity: prepared.unplanned.count)
        _ = unplanned.initialize(from: prepared.unplanned)
        start = available
    }

    /// The logs, for a fill to append to (their storage is reused from fill to fill).
    func takePlannedLog() -> [Int32] {
        var log: [Int32] = []
        swap(&log, &plannedLog)
        return log
    }

    func takeUnplannedLog() -> [Int32] {
        var log: [Int32] = []
        swap(&log, &unplannedLog)
        return log
    }

    /// What a fill changed, for `reset`.
    func keep(plannedLog: [Int32], unplannedLog: [Int32]) {
        self.plannedLog = plannedLog
        self.unplannedLog = unplannedLog
    }

    deinit {
        planned.deallocate()
        unplanned.deallocate()
    }

    /// Back to the state of the preparation.
    func reset() {
        for s in plannedLog { planned[Int(s)] = false }
        for q in unplannedLog { unplanned[Int(q)] += 1 }
        plannedLog.removeAll(keepingCapacity: true)
        unplannedLog.removeAll(keepingCapacity: true)
    }
}

/// The arithmetic a forecast fills sprints with: exact fractions, or whole numbers of the
/// smallest decimal unit the backlog uses (the same answers, faster).
protocol SprintAmounts {
    associatedtype Amount: Comparable
    var zero: Amount { get }
    /// Every point key: the tree's bound when any story may fit.
    var allKeys: Int32 { get }
    /// Story `i`'s points, nil when it has none.
    func points(_ i: Int) -> Amount?
    /// How many distinct point values are at most `limit` (the tree's bound for what fits).
    func keysAtMost(_ limit: Amount) -> Int32
    /// `a + b`, nil when too large.
    func sum(_ a: Amount, _ b: Amount) -> Amount?
    /// `a - b`, nil when too large.
    func difference(_ a: Amount, _ b: Amount) -> Amount?
    /// The declared capacity of future sprint `k`, when it is a declared one with a capacity.
    func capacity(at k: Int) -> Amount?
    /// The points already in future sprint `k` (zero on the cadence).
    func committed(at k: Int) -> Amount
    /// True when future sprint `k` is one of the timeline's (not on the cadence).
    func isUpcoming(_ k: Int) -> Bool
    /// The amount as a fraction of points.
    func fraction(_ a: Amount) -> Fraction
}

/// Exact fractions: the plain forecast.
struct FractionAmounts: SprintAmounts {
    let graph: PlanningGraph
    let names: FutureSprintNames
    var zero: Fraction { Fraction(0) }
    var allKeys: Int32 { graph.keysAtMost(nil) }
    func points(_ i: Int) -> Fraction? { graph.points[i]?.fraction }
    func keysAtMost(_ limit: Fraction) -> Int32 { graph.keysAtMost(limit) }
    func sum(_ a: Fraction, _ b: Fraction) -> Fraction? { a.adding(b) }
    func difference(_ a: Fraction, _ b: Fraction) -> Fraction? {
        b.numerator == Int128.min ? nil : a.adding(Fraction(numerator: -b.numerator, denominator: b.denominator))
    }
    func capacity(at k: Int) -> Fraction? { names.capacity(at: k) }
    func committed(at k: Int) -> Fraction { names.committed(at: k) }
    func isUpcoming(_ k: Int) -> Bool { k < names.upcoming.count }
    func fraction(_ a: Fraction) -> Fraction { a }
}

/// Whole numbers of 10^-scale points: every story's points, declared capacity and drawn
/// velocity of a Monte Carlo forecast are exact decimals, so at their largest scale they
/// are integers; sums and comparisons are then plain integer operations, and what fits a
/// remaining capacity is a table lookup.
struct WholeAmounts: SprintAmounts {
    let scale: Int
    private let unit: Int128
    /// Per story: its points in units, -1 without points.
    private let storyPoints: [Int64]
    /// Per amount from 0: how many distinct point values are at most it.
    private let fitTable: [Int32]
    let allKeys: Int32
    private let declared: [Int64?]
    private let committedUnits: [Int64]

    var zero: Int64 { 0 }

    /// The units for a graph and the amounts `extra` (velocities) that must be whole too; nil
    /// when some value is not a whole number of units or the table would be too large.
    init?(graph: PlanningGraph, names: FutureSprintNames, extra: [Fraction]) {
        var scale = 0
        for p in graph.points { if let p { scale = max(scale, p.scale) } }
        for sprint in names.upcoming {
            if let c = sprint.sprint.capacity { scale = max(scale, c.scale) }
        }
        guard scale <= 6, let unit = pow10(scale) else { return nil }
        self.scale = scale
        self.unit = unit
        func whole(_ f: Fraction) -> Int64? {
            let (n, overflow) = f.numerator.multipliedReportingOverflow(by: unit)
            guard !overflow, n % f.denominator == 0 else { return nil }
            return Int64(exactly: n / f.denominator)
        }
        var storyPoints = [Int64](repeating: -1, count: graph.points.count)
        for (i, p) in graph.points.enumerated() {
            guard let p else { continue }
            guard let w = whole(p.fraction), w >= 0 else { return nil }
            storyPoints[i] = w
        }
        var declared: [Int64?] = []
        var committedUnits: [Int64] = []
        for sprint in names.upcoming {
            if let c = sprint.capacity {
                guard let w = whole(c) else { return nil }
                declared.append(w)
            } else {
                declared.append(nil)
            }
            guard let w = whole(sprint.committed) else { return nil }
            committedUnits.append(w)
        }
        var largest: Int64 = 0
        for value in extra {
            guard let w = whole(value) else { return nil }
            largest = max(largest, w)
        }
        for case let c? in declared { largest = max(largest, c) }
        guard largest < 1 << 20 else { return nil }
        let distinct = graph.distinctPoints.compactMap(whole)
        guard distinct.count == graph.distinctPoints.count else { return nil }
        var table = [Int32](repeating: 0, count: Int(largest) + 1)
        var k = 0
        for amount in 0...Int(largest) {
            while k < distinct.count && distinct[k] <= Int64(amount) { k += 1 }
            table[amount] = Int32(k)
        }
        self.storyPoints = storyPoints
        self.fitTable = table
        self.allKeys = Int32(distinct.count)
        self.declared = declared
        self.committedUnits = committedUnits
    }

    /// A fraction in units (it must be whole).
    func units(_ f: Fraction) -> Int64 {
        Int64((f.numerator * unit) / f.denominator)
    }

    func points(_ i: Int) -> Int64? {
        let p = storyPoints[i]
        return p < 0 ? nil : p
    }

    func keysAtMost(_ limit: Int64) -> Int32 {
        if limit < 0 { return 0 }
        return limit < fitTable.count ? fitTable[Int(limit)] : allKeys
    }

    func sum(_ a: Int64, _ b: Int64) -> Int64? {
        let (r, overflow) = a.addingReportingOverflow(b)
        return overflow ? nil : r
    }

    func difference(_ a: Int64, _ b: Int64) -> Int64? {
        let (r, overflow) = a.subtractingReportingOverflow(b)
        return overflow ? nil : r
    }

    func capacity(at k: Int) -> Int64? { k < declared.count ? declared[k] : nil }

    func committed(at k: Int) -> Int64 { k < committedUnits.count ? committedUnits[k] : 0 }

    func isUpcoming(_ k: Int) -> Bool { k < declared.count }

    func fraction(_ a: Int64) -> Fraction { Fraction(numerator: Int128(a), denominator: unit) }
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

/// The sprints a forecast fills, in order: the timeline's current sprint and the later ones
/// still open (each with its declared capacity and what is already in it), then sprints on
/// the cadence.
struct FutureSprintNames: Sendable {
    /// A sprint of the timeline.
    struct Upcoming: Sendable {
        var sprint: Sprint
        /// Its declared capacity.
        var capacity: Fraction?
        /// The points already in it (done stories included; sums of story points, so whole in
        /// the units of the stories' points).
        var committed: Fraction
    }

    let upcoming: [Upcoming]
    let namer: SprintNamer
    let cadenceStart: Int

    init(timeline: SprintTimeline) {
        upcoming = timeline.openSprints.map { status in
            Upcoming(sprint: status.sprint, capacity: status.sprint.capacity?.fraction, committed: status.inSprint)
        }
        namer = timeline.namer
        cadenceStart = timeline.cadenceStart
    }

    /// The declared capacity of the `k`th sprint, when it is a sprint of the timeline that has one.
    func capacity(at k: Int) -> Fraction? {
        k < upcoming.count ? upcoming[k].capacity : nil
    }

    /// The points already in the `k`th sprint.
    func committed(at k: Int) -> Fraction {
        k < upcoming.count ? upcoming[k].committed : Fraction(0)
    }

    /// The `k`th sprint (from 0): name, start and end.
    func sprint(at k: Int) -> (String, String?, String?) {
        if k < upcoming.count { return (upcoming[k].sprint.name, upcoming[k].sprint.start, upcoming[k].sprint.end) }
        return namer.sprint(at: cadenceStart + k - upcoming.count)
    }
}

/// The stories ready to go, by rank position, with their point keys: what the forecast asks
/// is the first one at or after a position whose key is below a bound.
protocol AvailableStories {
    /// The first position at or after `from` whose key is below `bound`.
    func first(from: Int, below bound: Int32) -> Int?
    /// Position `p` (with key `key`) is no longer available.
    mutating func remove(_ p: Int, key: Int32)
    /// Position `p` becomes available with key `key`.
    mutating func insert(_ p: Int, key: Int32)
}

extension MinKeyTree: AvailableStories {
    mutating func remove(_ p: Int, key: Int32) { update(p, MinKeyTree.none) }
    mutating func insert(_ p: Int, key: Int32) { update(p, key) }
}

/// The available stories as one bit set per point key k, holding the positions whose key is
/// at most k: the first position below a bound is the first set bit of one set from a word
/// on, and a change touches one bit in each set above the key. For backlogs with few distinct
/// point values (the usual 1, 2, 3, 5, 8, 13).
struct KeyBitsets: AvailableStories, Sendable {
    static let maxKeys = 64
    private let words: Int
    private let keys: Int
    private var bits: [UInt64]

    init(count: Int, keys: Int) {
        words = (count + 63) / 64
        self.keys = keys
        bits = [UInt64](repeating: 0, count: max(1, words * keys))
    }

    func first(from: Int, below bound: Int32) -> Int? {
        guard bound > 0, keys > 0 else { return nil }
        let layer = Int(min(Int32(keys), bound)) - 1
        var w = from >> 6
        guard w < words else { return nil }
        let keys = self.keys
        return bits.withUnsafeBufferPointer { all in
            // Word w of layer k is at w * keys + k: a change touches one cache line.
            var word = all[w &* keys &+ layer] & (~0 << UInt64(from & 63))
            while true {
                if word != 0 { return w << 6 + word.trailingZeroBitCount }
                w &+= 1
                if w == words { return nil }
                word = all[w &* keys &+ layer]
            }
        }
    }

    mutating func remove(_ p: Int, key: Int32) { set(p, key: key, to: false) }

    mutating func insert(_ p: Int, key: Int32) { set(p, key: key, to: true) }

    /// Sets or clears position `p`'s bit in every layer from its key up.
    @inline(__always)
    private mutating func set(_ p: Int, key: Int32, to on: Bool) {
        guard key >= 0 else { return }
        let bit = UInt64(1) << UInt64(p & 63)
        let start = (p >> 6) &* keys
        let keys = self.keys
        bits.withUnsafeMutableBufferPointer { all in
            var i = start &+ Int(key)
            let end = start &+ keys
            while i < end {
                if on { all[i] |= bit } else { all[i] &= ~bit }
                i &+= 1
            }
        }
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
            // A number too big to count on (Int64.max would overflow) is part of the name.
            if let n = Int(String(digits.reversed())), !digits.isEmpty, n < 1_000_000_000_000 {
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
        // A date needs four digits for its year: past 9999-12-31 a sprint has no dates.
        guard (calendar.dateComponents([.year], from: end).year ?? 10_000) <= 9999 else { return (name, nil, nil) }
        return (name, format(current), format(end))
    }

    func parse(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    func format(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        func padded(_ value: Int, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(padded(c.year ?? 0, 4))-\(padded(c.month ?? 0, 2))-\(padded(c.day ?? 0, 2))"
    }
}
