/// A small, fast, seedable random number generator (SplitMix64): the same seed gives the same
/// draws on every machine, so a forecast with `--seed` is repeatable.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// Starts the sequence of a seed.
    public init(seed: UInt64) {
        state = seed
    }

    /// The generator of one chunk of a forecast's trials: each chunk has a seed of its own, so
    /// the answer does not depend on how many threads share the chunks.
    public init(seed: UInt64, chunk: Int) {
        state = seed &+ UInt64(truncatingIfNeeded: chunk) &* 0xD1B5_4A32_D192_ED03
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Draws sprint velocities from the history of done points per past sprint, each past sprint
/// equally likely (the last one included: `Int.random(in:using:)` is uniform over the whole range).
public struct VelocitySampler: Sendable {
    /// The done points of each past sprint, oldest first.
    public let history: [Fraction]

    /// A sampler over a history (at least one sprint).
    public init(history: [Fraction]) {
        precondition(!history.isEmpty, "a sampler needs at least one past sprint")
        self.history = history
    }

    /// One velocity, drawn uniformly from the history.
    public func draw(using generator: inout some RandomNumberGenerator) -> Fraction {
        history[drawIndex(using: &generator)]
    }

    /// The position in the history of one draw.
    public func drawIndex(using generator: inout some RandomNumberGenerator) -> Int {
        Int.random(in: 0..<history.count, using: &generator)
    }
}

/// Why no forecast with confidence can be made.
public struct ConfidenceProblem: Error, Sendable, CustomStringConvertible {
    /// What is wrong, in words.
    public let description: String
}

/// A Monte Carlo forecast: in each trial, every sprint after the declared ones gets a velocity
/// drawn from the history of done points per past sprint (declared sprints keep their declared
/// capacity, as in the plain forecast); the ranking is walked with the plain forecast's rules.
/// For each story not done: the sprint by which it is done with 50 %, 85 % and 95 % probability.
///
/// A constant history gives the plain forecast in every trial.
public struct ConfidenceForecast: Sendable {
    /// A sprint by which a story is done: its name and dates.
    public struct Landing: Sendable, Hashable {
        /// The sprint's name.
        public var sprint: String
        /// Its first day, when known.
        public var start: String?
        /// Its last day, when known.
        public var end: String?
    }

    /// One story's outlook.
    public struct Outlook: Sendable {
        /// The story, by index in the backlog.
        public var storyIndex: Int
        /// The sprint by which it is done in 50 %, 85 % and 95 % of the trials; nil beyond the horizon.
        public var p50: Landing?
        public var p85: Landing?
        public var p95: Landing?
        /// Why it has no forecast (no estimate, blocked, beyond the horizon), when it has none.
        public var reason: String?
        /// In how many trials the story landed in each future sprint (none for a story already
        /// planned in a sprint).
        var histogram = Histogram()
        /// Per future sprint from 0, the trials in which the story landed in it.
        var landings: [Int32] {
            histogram.counts.isEmpty ? [] : Array(repeating: 0, count: Int(histogram.first)) + histogram.counts
        }
        /// The sprint the story is already planned in.
        var plannedSprint: Landing?
        /// True for a story already planned in a sprint (its percentiles are that sprint).
        public var isPlanned: Bool { plannedSprint != nil }
    }

    /// The number of trials.
    public let trials: Int
    /// The seed the trials were drawn with.
    public let seed: UInt64
    /// The history the velocities were drawn from, oldest first.
    public let history: [(sprint: String, points: Fraction)]
    /// One outlook per story not done, in rank order (stories already in a sprint first, in
    /// backlog order).
    public let stories: [Outlook]
    /// The most future sprints a trial fills.
    public let horizon: Int
    private let outcome: ForecastOutcome

    /// The fewest past sprints with done stories a forecast with confidence needs.
    public static let minimumHistory = 3

    /// How many sprints ahead a trial looks unless told otherwise: about four years of two-week
    /// sprints. A trial costs time in proportion to the sprints it fills, and what lies further
    /// out is not worth a percentile (at 100,000 stories, 1,000 sprints took 12 s).
    public static let defaultHorizon = 100

    /// Runs `trials` trials along the ranking of `strategy`, on all cores, at most `horizon`
    /// sprints ahead.
    public init(_ backlog: Backlog, timeline: SprintTimeline, strategy: any Strategy, trials: Int = 10_000, seed: UInt64,
                horizon: Int = defaultHorizon) throws(ConfidenceProblem) {
        try self.init(backlog, timeline: timeline, strategy: strategy, trials: trials, seed: seed, horizon: horizon, exact: false)
    }

    /// With `exact`, every trial uses the plain forecast's fractions and tree (tests compare it
    /// with the fast path).
    init(_ backlog: Backlog, timeline: SprintTimeline, strategy: any Strategy, trials: Int, seed: UInt64, horizon: Int,
         exact: Bool, threads: Int = 2) throws(ConfidenceProblem) {
        let history = timeline.history
        guard history.count >= Self.minimumHistory else {
            throw ConfidenceProblem(description: "a forecast with confidence needs the done points of at least "
                + "\(Self.minimumHistory) sprints that ended; this backlog has \(history.count) (close sprints with "
                + "prio close-sprint, or use 'prio forecast' without --confidence)")
        }
        guard trials > 0 else { throw ConfidenceProblem(description: "--trials must be at least 1") }
        let model = ForecastModel(backlog, timeline: timeline)
        if let cycle = model.cycle { throw ConfidenceProblem(description: cycle.description) }
        let order = Ranking(backlog, strategy: strategy).entries.map(\.storyIndex)
        let sampler = VelocitySampler(history: history.map(\.points))
        let mean = timeline.meanVelocity ?? Fraction(1)
        guard mean > Fraction(0) else {
            throw ConfidenceProblem(description: "the sprints in the history delivered no points (\(timeline.historyLine)): no forecast can be made")
        }
        // The plain forecast at the slowest velocity that delivers something bounds how many
        // sprints the trials need; sprints that deliver nothing stretch it by their share.
        let positive = history.map(\.points).filter { $0 > Fraction(0) }
        let slowest = positive.min() ?? mean
        let zeroShare = Double(history.count - positive.count) / Double(history.count)
        guard horizon >= 1 else { throw ConfidenceProblem(description: "--horizon must be at least 1 sprint") }
        let bound = model.forecast(order: order, velocity: mean, maxSprints: horizon, draw: { slowest })
        let base = model.forecast(order: order, velocity: mean, maxSprints: horizon)
        var needed = 0
        for i in order { if let k = bound.sprintNumber(of: i) { needed = max(needed, k + 1) } }
        let stretched = Int((Double(needed) / max(0.05, 1 - zeroShare)).rounded(.up))
        let width = min(horizon, max(stretched * 2, stretched + 16)) + 1

        // Stories to follow: those the forecast considers (not done, not in an open sprint).
        let followed = order.filter { !model.isPlaced($0) }
        var index = [Int32](repeating: -1, count: backlog.stories.count)
        for (j, i) in followed.enumerated() { index[i] = Int32(j) }
        let followIndex = index
        let maxSprints = width - 1
        let chunk = 250
        let chunks = (trials + chunk - 1) / chunk
        // Each chunk has its own seed and the counts are sums: the answer is the same for any
        // number of threads.
        let workers = max(1, min(chunks, threads))
        let tallies = (0..<workers).map { _ in Tally(stories: followed.count) }
        let prepared = model.prepare(order: order)
        let whole = exact ? nil : model.wholeAmounts(extra: sampler.history)
        let wholeHistory = whole.map { units in sampler.history.map { units.units($0) } }
        // The loop only needs a velocity above 0 to run; every sprint's capacity is drawn or declared.
        let wholeMean = wholeHistory.map { $0.max() ?? 0 }
        _ = concurrentMap(workers) { worker in
            let tally = tallies[worker]
            // One state per worker, reset after each trial. Whole numbers when every amount is a
            // whole number of some decimal unit, with bit sets when the point values are few (the
            // same answers, faster); exact fractions and the tree otherwise.
            let bitsState = whole != nil ? prepared.bits.map { FillState(prepared: prepared, available: $0) } : nil
            let treeState = bitsState == nil ? FillState(prepared: prepared, available: prepared.tree) : nil
            var c = worker
            while c < chunks {
                // Chunks of trials have seeds of their own, so the answer does not depend on how
                // many workers share them.
                var generator = SeededGenerator(seed: seed, chunk: c)
                for _ in 0..<min(chunk, trials - c * chunk) {
                    let filled: ForecastModel.Filled
                    if let whole, let wholeHistory, let wholeMean, let bitsState {
                        filled = model.fill(prepared: prepared, state: bitsState, amounts: whole, velocity: wholeMean,
                                            maxSprints: maxSprints, draw: { wholeHistory[sampler.drawIndex(using: &generator)] })
                        bitsState.reset()
                    } else if let whole, let wholeHistory, let wholeMean, let treeState {
                        filled = model.fill(prepared: prepared, state: treeState, amounts: whole, velocity: wholeMean,
                                            maxSprints: maxSprints, draw: { wholeHistory[sampler.drawIndex(using: &generator)] })
                        treeState.reset()
                    } else if let treeState {
                        filled = model.fill(prepared: prepared, state: treeState, velocity: mean, maxSprints: maxSprints,
                                            draw: { sampler.draw(using: &generator) })
                        treeState.reset()
                    } else {
                        continue
                    }
                    tally.count(filled, followIndex: followIndex)
                }
                c += workers
            }
        }
        for other in tallies.dropFirst() { tallies[0].merge(other) }
        let total = tallies.first?.histograms ?? []

        let sprints = Dictionary(backlog.header.sprints.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var outlooks: [Outlook] = []
        for (i, story) in backlog.stories.enumerated() where model.isPlaced(i) {
            guard let name = story.value(of: .sprint) else { continue }
            let landing = Landing(sprint: name, start: sprints[name]?.start, end: sprints[name]?.end)
            outlooks.append(Outlook(storyIndex: i, p50: landing, p85: landing, p95: landing, plannedSprint: landing))
        }
        // Sprint names and dates are worked out once per sprint, not once per story.
        var sprintLandings: [Int: Landing] = [:]
        func landing(at k: Int) -> Landing {
            if let known = sprintLandings[k] { return known }
            let sprint = base.sprint(at: k)
            let made = Landing(sprint: sprint.name, start: sprint.start, end: sprint.end)
            sprintLandings[k] = made
            return made
        }
        for (j, i) in followed.enumerated() {
            let histogram = j < total.count ? total[j] : Histogram()
            var outlook = Outlook(storyIndex: i, histogram: histogram)
            func percentile(_ p: Int) -> Landing? {
                // The smallest sprint by which at least p % of the trials are done.
                let needed = (trials * p + 99) / 100
                var sum = 0
                for (offset, count) in histogram.counts.enumerated() {
                    sum += Int(count)
                    if sum >= needed { return landing(at: Int(histogram.first) + offset) }
                }
                return nil
            }
            outlook.p50 = percentile(50)
            outlook.p85 = percentile(85)
            outlook.p95 = percentile(95)
            if outlook.p50 == nil, case .none(let reason)? = base.placement(of: i) { outlook.reason = reason }
            if outlook.p95 == nil && outlook.reason == nil { outlook.reason = "beyond \(width - 1) sprints in some trials" }
            outlooks.append(outlook)
        }
        self.trials = trials
        self.seed = seed
        self.history = history
        self.stories = outlooks
        self.horizon = width - 1
        self.outcome = base
    }

    /// Each story's probability of being done by the end of `date` (`YYYY-MM-DD`): the share of
    /// trials in which its sprint ends on or before it, in the forecast's order. Nil when the
    /// sprints have no dates.
    public func probabilities(doneBy date: String) -> [(storyIndex: Int, probability: Double)]? {
        var ends: [String?] = []
        func end(of k: Int) -> String? {
            while ends.count <= k { ends.append(outcome.sprint(at: ends.count).end) }
            return ends[k]
        }
        var out: [(storyIndex: Int, probability: Double)] = []
        for outlook in stories {
            if let planned = outlook.plannedSprint {
                guard let last = planned.end else { return nil }
                out.append((outlook.storyIndex, last <= date ? 1 : 0))
                continue
            }
            var made = 0
            for (offset, count) in outlook.histogram.counts.enumerated() where count > 0 {
                guard let last = end(of: Int(outlook.histogram.first) + offset) else { return nil }
                if last <= date { made += Int(count) }
            }
            out.append((outlook.storyIndex, Double(made) / Double(trials)))
        }
        return out
    }

    /// The outlook of a story, by index in the backlog.
    public func outlook(of storyIndex: Int) -> Outlook? {
        stories.first { $0.storyIndex == storyIndex }
    }
}

/// In how many trials a story landed in each future sprint: counts from sprint `first` on,
/// only as wide as the sprints it actually landed in (memory follows the spread of the
/// answers, not the horizon).
struct Histogram: Sendable {
    var first: Int32 = 0
    var counts: [Int32] = []

    /// One more trial landed in sprint `k`.
    mutating func add(_ k: Int32) {
        if counts.isEmpty {
            first = k
            counts = [1]
            return
        }
        if k < first {
            counts.insert(contentsOf: repeatElement(Int32(0), count: Int(first - k)), at: 0)
            first = k
        }
        let at = Int(k - first)
        if at >= counts.count { counts.append(contentsOf: repeatElement(Int32(0), count: at - counts.count + 1)) }
        counts[at] += 1
    }

    /// Adds another histogram's counts.
    mutating func merge(_ other: Histogram) {
        guard !other.counts.isEmpty else { return }
        guard !counts.isEmpty else {
            self = other
            return
        }
        let low = min(first, other.first)
        let high = max(first + Int32(counts.count), other.first + Int32(other.counts.count))
        var merged = [Int32](repeating: 0, count: Int(high - low))
        for (offset, count) in counts.enumerated() { merged[Int(first - low) + offset] += count }
        for (offset, count) in other.counts.enumerated() { merged[Int(other.first - low) + offset] += count }
        first = low
        counts = merged
    }
}

/// One worker's histograms, one per followed story (each worker writes only its own).
private final class Tally: @unchecked Sendable {
    var histograms: [Histogram]

    init(stories: Int) {
        histograms = Array(repeating: Histogram(), count: stories)
    }

    /// Counts where the stories of one trial landed.
    func count(_ filled: ForecastModel.Filled, followIndex: [Int32]) {
        // Changed as a local (no exclusivity check per story), then put back.
        var local: [Histogram] = []
        swap(&local, &histograms)
        defer { swap(&local, &histograms) }
        var from = 0
        for (k, end) in filled.sprintEnds.enumerated() {
            for t in from..<end {
                let j = followIndex[Int(filled.taken[t])]
                if j >= 0 { local[Int(j)].add(Int32(k)) }
            }
            from = end
        }
    }

    func merge(_ other: Tally) {
        for j in histograms.indices where !other.histograms[j].counts.isEmpty {
            histograms[j].merge(other.histograms[j])
        }
    }
}
