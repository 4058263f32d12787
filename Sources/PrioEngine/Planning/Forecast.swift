#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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
    private(set) var graph: PlanningGraph
    /// Per story: true when it is not done and in a sprint that is planned or active, where it
    /// stays (the forecast does not move it).
    private var placed: [Bool]
    /// A dependency cycle, if any: then there is no forecast.
    public let cycle: DependencyCycle?
    /// The velocity the timeline gives (the mean of its history, else the last declared capacity).
    public let velocity: Fraction?
    let names: FutureSprintNames

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
        return unsafe ForecastOutcome(graph: graph, velocity: velocity, maxSprints: maxSprints, outcome: outcome,
                               planned: Array(state.planned), taken: filled.taken, sprintEnds: filled.sprintEnds,
                               sprintPoints: filled.sprintPoints, alone: filled.alone, unplaceable: unplaceable, names: names)
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
