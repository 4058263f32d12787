import Synchronization

/// The stories of a backlog in a strategy's order, each with its rank and score.
///
/// Scored stories come first, highest score first, ties in manual order; then unscored
/// stories in manual order. Explanations are made on demand, so ranking stays fast.
public struct Ranking: Sendable {
    /// One ranked story.
    public struct Entry: Sendable, Hashable {
        /// 1-based rank.
        public var rank: Int
        /// The story's index in `backlog.stories` (its manual position).
        public var storyIndex: Int
        /// The story's score.
        public var score: Score
    }

    /// The strategy that ranked.
    public let strategy: any Strategy
    /// The backlog that was ranked.
    public let backlog: Backlog
    /// The entries in rank order.
    public private(set) var entries: [Entry]
    /// What explanations need from the whole ranking, worked out on first use.
    public var context: RankingContext? {
        contextCache.value { strategy.context(for: self) }
    }
    private let contextCache = ContextCache()

    /// Ranks a backlog; done stories are left out unless `includeDone`.
    public init(_ backlog: Backlog, strategy: any Strategy, includeDone: Bool = false) {
        self.strategy = strategy
        self.backlog = backlog
        var scored: [(index: Int, approx: Double, exact: Fraction)] = []
        var unscored: [(index: Int, score: Score)] = []
        scored.reserveCapacity(backlog.stories.count)
        let workflow = backlog.workflow
        backlog.stories.withUnsafeBufferPointer { stories in
            for index in stories.indices where includeDone || !workflow.isDone(stories[index]) {
                let score = strategy.score(stories[index])
                if case .value(let exact) = score {
                    scored.append((index, exact.doubleValue, exact))
                } else {
                    unscored.append((index, score))
                }
            }
        }
        scored.sort { a, b in
            // Doubles decide when clearly apart; otherwise compare exactly, then by manual order.
            let gap = abs(a.approx - b.approx)
            if gap > 1e-9 * max(abs(a.approx), abs(b.approx)) && gap.isFinite { return a.approx > b.approx }
            let order = Fraction.compare(a.exact, b.exact)
            if order != 0 { return order > 0 }
            return a.index < b.index
        }
        var entries: [Entry] = []
        entries.reserveCapacity(scored.count + unscored.count)
        for item in scored {
            entries.append(Entry(rank: entries.count + 1, storyIndex: item.index, score: .value(item.exact)))
        }
        for item in unscored {
            entries.append(Entry(rank: entries.count + 1, storyIndex: item.index, score: item.score))
        }
        self.entries = entries
    }

    /// The story of an entry.
    public func story(_ entry: Entry) -> Story {
        backlog.stories[entry.storyIndex]
    }

    /// The one-line explanation of an entry's score.
    public func explanation(_ entry: Entry) -> String {
        strategy.explain(backlog.stories[entry.storyIndex], score: entry.score, in: self)
    }

    /// The first `count` entries (all when nil).
    public func top(_ count: Int?) -> ArraySlice<Entry> {
        guard let count else { return entries[...] }
        return entries.prefix(max(0, count))
    }

    /// The manual order this ranking implies for the whole backlog, as old indices in new order.
    ///
    /// Ranked stories fill the positions that ranked stories held, in rank order; stories left
    /// out of the ranking (done ones) keep their positions, so applying moves as little as it can.
    public var impliedOrder: [Int] {
        var ranked = [Bool](repeating: false, count: backlog.stories.count)
        for entry in entries { ranked[entry.storyIndex] = true }
        var next = entries.makeIterator()
        return backlog.stories.indices.map { index in
            ranked[index] ? (next.next()?.storyIndex ?? index) : index
        }
    }
}

/// Holds a ranking's context once it has been computed; safe to share between threads.
final class ContextCache: Sendable {
    private let storage = Mutex<RankingContext??>(nil)

    func value(_ compute: () -> RankingContext?) -> RankingContext? {
        if let cached = storage.withLock({ $0 }) { return cached }
        let computed = compute()
        storage.withLock { $0 = .some(computed) }
        return computed
    }
}
