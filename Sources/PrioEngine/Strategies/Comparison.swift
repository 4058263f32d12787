/// How far strategies agree: each story's rank under each, and for each pair of strategies
/// Kendall's tau over the ranks and the overlap of their top-N lists.
///
/// Ranks are 1-based positions as `prio rank` orders them (unscored stories last, in manual
/// order; pins hold). Ties are already broken by the manual order, so every ranking is a strict
/// order, and tau-b equals tau-a: (concordant − discordant) / (n(n−1)/2).
public struct StrategyComparison: Sendable {
    /// The strategies compared, the first being the one movements are measured against.
    public let strategies: [any Strategy]
    /// The rankings, one per strategy.
    public let rankings: [Ranking]
    /// Every story compared (non-done, or all), in the first strategy's order.
    public internal(set) var rows: [Row]
    /// Each pair of strategies, in order (a before b).
    public let pairs: [Pair]
    /// The N of the top-N overlap.
    public let top: Int

    /// One story: its manual position and its rank under each strategy.
    public struct Row: Sendable, Hashable {
        /// The story's index in the backlog (its manual position, 0-based).
        public var storyIndex: Int
        /// Its 1-based rank under each strategy, in `strategies` order.
        public var ranks: [Int]
    }

    /// Agreement of two strategies.
    public struct Pair: Sendable, Hashable {
        /// Indices into `strategies`.
        public var a: Int
        public var b: Int
        /// Kendall's tau over the compared stories; nil for fewer than two stories.
        public var kendallTau: Double?
        /// How many stories the two top-N lists share.
        public var topOverlap: Int
    }

    /// Up to this many strategies, every pair is compared; above it (a header with thousands
    /// of formulas), each strategy against the first only, so that the work stays linear in
    /// the number of strategies.
    public static let allPairsLimit = 16

    /// Compares `strategies` on `backlog` (done stories only with `includeDone`), with top-N
    /// overlaps for `top`.
    public init(_ backlog: Backlog, strategies: [any Strategy], top: Int = 10, includeDone: Bool = false) {
        self.strategies = strategies
        self.top = top
        // The rankings are independent: one per core.
        // The workflow is made once, not once per ranking (2,000 formulas stay linear).
        let workflow = backlog.workflow
        rankings = concurrentMap(strategies.count) {
            Ranking(backlog, strategy: strategies[$0], includeDone: includeDone, workflow: workflow)
        }
        let count = backlog.stories.count
        // rank[s][storyIndex], 0 when the story is not compared.
        var ranks = [[Int32]](repeating: [Int32](repeating: 0, count: count), count: strategies.count)
        for (s, ranking) in rankings.enumerated() {
            for (position, entry) in ranking.entries.enumerated() { ranks[s][entry.storyIndex] = Int32(position + 1) }
        }
        rows = (rankings.first?.entries ?? []).map { entry in
            Row(storyIndex: entry.storyIndex, ranks: ranks.map { Int($0[entry.storyIndex]) })
        }
        // The pairs are independent too: their Kendall's taus on every core.
        let indexPairs = strategies.count <= Self.allPairsLimit
            ? strategies.indices.flatMap { a in strategies.indices.filter { $0 > a }.map { (a, $0) } }
            : strategies.indices.dropFirst().map { (0, $0) }
        let rankings = self.rankings, positions = ranks
        pairs = concurrentMap(indexPairs.count) { p in
            let (a, b) = indexPairs[p]
            let tau = StrategyComparison.kendallTau(rankings[a].entries.map(\.storyIndex), positions[b])
            let topA = Set(rankings[a].entries.prefix(top).map(\.storyIndex))
            let overlap = rankings[b].entries.prefix(top).filter { topA.contains($0.storyIndex) }.count
            return Pair(a: a, b: b, kendallTau: tau, topOverlap: overlap)
        }
    }

    /// Kendall's tau-a of two strict orders of the same items: `order` lists the items in the
    /// first order; `rank[item]` is the item's position in the second. O(n log n): the
    /// discordant pairs are the inversions of the second ranks read in the first order.
    public static func kendallTau(_ order: [Int], _ rank: [Int32]) -> Double? {
        let n = order.count
        guard n >= 2 else { return nil }
        var sequence = order.map { rank[$0] }
        var buffer = sequence
        let discordant = countInversions(&sequence, &buffer, 0, n)
        let total = Double(n) * Double(n - 1) / 2
        return (total - 2 * Double(discordant)) / total
    }

    /// Inversions in `a[low..<high]` by merge sort (sorts the range).
    private static func countInversions(_ a: inout [Int32], _ buffer: inout [Int32], _ low: Int, _ high: Int) -> Int {
        unsafe a.withUnsafeMutableBufferPointer { a in
            unsafe buffer.withUnsafeMutableBufferPointer { buffer in unsafe countInversions(a, buffer, low, high) }
        }
    }

    private static func countInversions(_ a: UnsafeMutableBufferPointer<Int32>, _ buffer: UnsafeMutableBufferPointer<Int32>,
                                        _ low: Int, _ high: Int) -> Int {
        if high - low < 2 { return 0 }
        let middle = (low + high) / 2
        var count = unsafe countInversions(a, buffer, low, middle) + countInversions(a, buffer, middle, high)
        var i = low, j = middle, k = low
        while i < middle && j < high {
            if unsafe a[i] <= a[j] {
                unsafe buffer[k] = unsafe a[i]; i += 1
            } else {
                unsafe buffer[k] = unsafe a[j]; j += 1
                count += middle - i
            }
            k += 1
        }
        while i < middle { unsafe buffer[k] = unsafe a[i]; i += 1; k += 1 }
        while j < high { unsafe buffer[k] = unsafe a[j]; j += 1; k += 1 }
        for index in low..<high { unsafe a[index] = unsafe buffer[index] }
        return count
    }
}
