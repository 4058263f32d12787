import Dispatch
import Synchronization

/// The stories of a backlog in a strategy's order, each with its rank and score.
///
/// Scored stories come first, highest score first, ties in manual order; then unscored
/// stories in manual order. Then pinned stories (`pin: N`) take their positions in every
/// computed ranking, the others keeping their order around them. Explanations are made on
/// demand, so ranking stays fast.
public struct Ranking: Sendable {
    /// One ranked story.
    public struct Entry: Sendable, Hashable {
        /// 1-based rank.
        public var rank: Int
        /// The story's index in `backlog.stories` (its manual position).
        public var storyIndex: Int
        /// The story's score.
        public var score: Score
        /// The position the story is pinned at (`pin: N`), when a pin placed it.
        public var pin: Int?
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
    /// Each story's index in `entries` (-1 when not ranked), by manual position.
    private let entryTable = ScanThenTable<[Int32]>()
    /// Each story's manual position by ID.
    private let idTable = ScanThenTable<StoryIDMap>()

    /// Ranks a backlog; done stories are left out unless `includeDone`. `workflow`: the
    /// backlog's, when the caller has made it already (many rankings of one backlog).
    public init(_ backlog: Backlog, strategy: any Strategy, includeDone: Bool = false, workflow: Workflow? = nil) {
        self.strategy = strategy
        self.backlog = backlog
        let (halves, unscored) = Ranking.score(backlog, strategy: strategy, includeDone: includeDone, workflow: workflow)
        var entries = Ranking.mergedEntries(halves.first ?? [], halves.count > 1 ? halves[1] : [],
                                            room: unscored.count)
        for item in unscored {
            entries.append(Entry(rank: entries.count + 1, storyIndex: item.index, score: item.score))
        }
        if !(strategy is ManualStrategy) { Self.placePins(&entries, backlog.stories) }
        self.entries = entries
    }

    typealias Scored = [(index: Int, approx: Double, exact: Fraction)]
    typealias Unscored = [(index: Int, score: Score)]

    /// The order of scored stories: higher score first (doubles decide when clearly apart;
    /// otherwise the exact scores), then manual order.
    @inline(__always)
    static func ranksBefore(_ a: Scored.Element, _ b: Scored.Element) -> Bool {
        if decidedByDoubles(a, b) { return a.approx > b.approx }
        let order = Fraction.compare(a.exact, b.exact)
        if order != 0 { return order > 0 }
        return a.index < b.index
    }

    /// Sorts a list in manual order into rank order (`ranksBefore`): by the doubles then the
    /// manual order, as 16-byte keys in a radix sort (cheaper to move than the entries, and no
    /// exact comparison for a tie), then each run of doubles too close to decide is checked with
    /// `ranksBefore` and sorted by it where it disagrees (rare: the doubles round the exact scores).
    static func sortInRankOrder(_ scored: inout Scored) {
        let count = scored.count
        guard count > 1, count < Int(UInt32.max) else {
            scored.sort(by: ranksBefore)
            return
        }
        var keys = [RadixKey]()
        keys.reserveCapacity(count)
        for i in 0..<count { keys.append(RadixKey(key: descendingKey(scored[i].approx), at: UInt32(i))) }
        // A stable sort of a list in manual order: ties keep the manual order.
        radixSort(&keys)
        var sorted = Scored()
        sorted.reserveCapacity(count)
        for key in keys { sorted.append(scored[Int(key.at)]) }
        var start = 0
        while start < count {
            var end = start + 1
            var ordered = true
            while end < count && !decidedByDoubles(sorted[end - 1], sorted[end]) {
                if ordered && !ranksBefore(sorted[end - 1], sorted[end]) { ordered = false }
                end += 1
            }
            if !ordered { sorted[start..<end].sort(by: ranksBefore) }
            start = end
        }
        scored = sorted
    }

    /// A double's place in a sort by descending doubles, as an unsigned integer.
    @inline(__always)
    static func descendingKey(_ value: Double) -> UInt64 {
        let bits = value.bitPattern
        let ascending = bits & (1 << 63) != 0 ? ~bits : bits | (1 << 63)
        return ~ascending
    }

    /// A sort key and the position it came from.
    struct RadixKey {
        var key: UInt64
        var at: UInt32
    }

    /// Sorts by key, stably: a byte at a time from the lowest (a byte that all keys share is
    /// skipped), so 16-byte records move a few times rather than being compared n log n times.
    static func radixSort(_ keys: inout [RadixKey]) {
        let count = keys.count
        guard count > 1 else { return }
        var spare = keys
        var counts = [Int](repeating: 0, count: 256)
        for shift in stride(from: UInt64(0), to: 64, by: 8) {
            for k in 0..<256 { counts[k] = 0 }
            for record in keys { counts[Int(truncatingIfNeeded: (record.key >> shift) & 0xFF)] += 1 }
            if counts.contains(count) { continue }
            var start = 0
            for k in 0..<256 {
                let n = counts[k]
                counts[k] = start
                start += n
            }
            keys.withUnsafeBufferPointer { from in
                spare.withUnsafeMutableBufferPointer { to in
                    for record in from {
                        let digit = Int(truncatingIfNeeded: (record.key >> shift) & 0xFF)
                        to[counts[digit]] = record
                        counts[digit] += 1
                    }
                }
            }
            swap(&keys, &spare)
        }
    }

    /// True when `ranksBefore` orders the two by their doubles alone (they are clearly apart).
    @inline(__always)
    static func decidedByDoubles(_ a: Scored.Element, _ b: Scored.Element) -> Bool {
        let gap = abs(a.approx - b.approx)
        return gap > 1e-9 * max(abs(a.approx), abs(b.approx)) && gap.isFinite
    }

    /// Scores the stories (done ones only with `includeDone`): the scored ones in rank order
    /// (`ranksBefore`) in one list, or two for a big backlog (scored and sorted in halves on
    /// two threads; `merge` joins them); the unscored in manual order.
    static func score(_ backlog: Backlog, strategy: any Strategy, includeDone: Bool,
                      workflow given: Workflow? = nil) -> ([Scored], Unscored) {
        let workflow = given ?? backlog.workflow
        let count = backlog.stories.count
        @Sendable func scoreRange(_ range: Range<Int>) -> (Scored, Unscored) {
            var scored: Scored = []
            var unscored: Unscored = []
            scored.reserveCapacity(range.count)
            backlog.stories.withUnsafeBufferPointer { stories in
                let indices = range.filter { includeDone || !workflow.isDone(stories[$0].status) }
                for (index, score) in zip(indices, strategy.scores(of: stories, at: indices)) {
                    if case .value(let exact) = score {
                        scored.append((index, exact.doubleValue, exact))
                    } else {
                        unscored.append((index, score))
                    }
                }
            }
            sortInRankOrder(&scored)
            return (scored, unscored)
        }
        let parts = inHalves(count, scoreRange)
        return (parts.map(\.0), parts.flatMap(\.1))
    }

    /// Two lists sorted by `ranksBefore`, handed to `body` merged, in rank order.
    static func merge(_ a: ArraySlice<Scored.Element>, _ b: ArraySlice<Scored.Element>,
                      _ body: (Scored.Element) -> Void) {
        var i = a.startIndex, j = b.startIndex
        while i < a.endIndex && j < b.endIndex {
            if ranksBefore(b[j], a[i]) {
                body(b[j])
                j += 1
            } else {
                body(a[i])
                i += 1
            }
        }
        for k in i..<a.endIndex { body(a[k]) }
        for k in j..<b.endIndex { body(b[k]) }
    }

    /// The entries being written by two threads, each to its own part (the caller waits for both).
    private struct SharedEntries: @unchecked Sendable {
        let base: UnsafeMutablePointer<Entry>
    }

    /// The entries of two lists sorted by `ranksBefore`, merged in rank order (with room for
    /// `room` more): straight into
    /// the entries (no merged list in between), the first and the second half of the result
    /// on two threads for a big backlog (`mergeSplit` tells where each starts).
    static func mergedEntries(_ a: Scored, _ b: Scored, room: Int = 0) -> [Entry] {
        let total = a.count + b.count
        let parts = total >= twoThreadCount ? 2 : 1
        let middle = total / 2
        let split = parts == 2 ? mergeSplit(a, b, at: middle) : a.count
        // `room` more entries fit without moving these (the unscored go after them).
        return [Entry](unsafeUninitializedCapacity: total + room) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            let target = SharedEntries(base: base)
            @Sendable func part(_ k: Int) {
                let (aRange, bRange, start) = k == 0 || parts == 1
                    ? (0..<(parts == 1 ? a.count : split), 0..<(parts == 1 ? b.count : middle - split), 0)
                    : (split..<a.count, (middle - split)..<b.count, middle)
                var position = start
                merge(a[aRange], b[bRange]) { item in
                    (target.base + position).initialize(
                        to: Entry(rank: position + 1, storyIndex: item.index, score: .value(item.exact)))
                    position += 1
                }
            }
            if parts == 2 {
                DispatchQueue.concurrentPerform(iterations: 2, execute: part)
            } else {
                part(0)
            }
            initialized = total
        }
    }

    /// How many of `a` are among the first `m` of the merge of `a` and `b` (each in rank order).
    static func mergeSplit(_ a: Scored, _ b: Scored, at m: Int) -> Int {
        // Taking `i` from `a` (and `m - i` from `b`) is not too many while a's last taken ranks
        // before b's first left: the largest such `i`.
        var low = max(0, m - b.count), high = min(m, a.count)
        while low < high {
            let i = (low + high + 1) / 2
            if m - i >= b.count || ranksBefore(a[i - 1], b[m - i]) { low = i } else { high = i - 1 }
        }
        return low
    }

    /// Backlogs with at least this many stories are scored on two threads.
    static var parallelThreshold: Int { twoThreadCount }

    /// Moves pinned stories to their positions (clamped to the list; pins on one position keep
    /// the manual order, the later one just below), the others keeping their order; renumbers.
    static func placePins(_ entries: inout [Entry], _ stories: [Story]) {
        var pinned: [(entry: Entry, pin: Int)] = []
        stories.withUnsafeBufferPointer { stories in
            // Most backlogs pin nothing: one pass in manual order (no jumping about) tells.
            var anyPin = false
            for i in stories.indices where stories[i].hasField(.pin) {
                anyPin = true
                break
            }
            guard anyPin else { return }
            for entry in entries where stories[entry.storyIndex].hasField(.pin) {
                if let pin = stories[entry.storyIndex].pin { pinned.append((entry, pin)) }
            }
        }
        guard !pinned.isEmpty else { return }
        let count = entries.count
        pinned.sort { ($0.pin, $0.entry.storyIndex) < ($1.pin, $1.entry.storyIndex) }
        // Each pin's slot: its position, or just below the previous pin's; then pulled back
        // from the end so that all fit.
        var slots: [Int] = []
        var last = -1
        for item in pinned {
            let slot = max(min(item.pin, count) - 1, last + 1)
            slots.append(slot)
            last = slot
        }
        var limit = count - 1
        for i in slots.indices.reversed() {
            slots[i] = min(slots[i], limit)
            limit = slots[i] - 1
        }
        var placed = [Entry?](repeating: nil, count: count)
        for (item, slot) in zip(pinned, slots) {
            var entry = item.entry
            entry.pin = item.pin
            placed[slot] = entry
        }
        let pinnedStories = Set(pinned.map(\.entry.storyIndex))
        var others = entries.lazy.filter { !pinnedStories.contains($0.storyIndex) }.makeIterator()
        for slot in placed.indices where placed[slot] == nil { placed[slot] = others.next() }
        entries = placed.enumerated().compactMap { offset, entry in
            guard var entry else { return nil }
            entry.rank = offset + 1
            return entry
        }
    }

    /// The story of an entry.
    public func story(_ entry: Entry) -> Story {
        backlog.stories[entry.storyIndex]
    }

    /// The one-line explanation of an entry's score, and what it waits for when it is ranked
    /// above stories it depends on: `WSJF 3.20 = (8 + 5 + 3) / 5; waits for S-4, ranked 12`.
    public func explanation(_ entry: Entry) -> String {
        let story = backlog.stories[entry.storyIndex]
        var text = strategy.explain(story, score: entry.score, context: context)
        if let pin = pinText(entry) { text = pin + "; " + text }
        if let votes = Ranking.votesText(story, strategy: strategy) { text += "; " + votes }
        let waits = waitsFor(entry)
        guard !waits.isEmpty else { return text }
        return text + "; " + Ranking.waitsText(waits)
    }

    /// "value 10 = weighted mean of alice 13 ×2, bob 4" for each input of the strategy that the
    /// story's votes give; nil when none does.
    public static func votesText(_ story: Story, strategy: any Strategy) -> String? {
        guard let tallies = story.tallies else { return nil }
        let used = tallies.filter { strategy.inputs.contains($0.field) }
        return used.isEmpty ? nil : used.map(\.explanation).joined(separator: "; ")
    }

    /// "waits for S-4, ranked 12 and S-9, ranked 15".
    public static func waitsText(_ waits: [(id: StoryID, rank: Int)]) -> String {
        "waits for " + waits.map { "\($0.id), ranked \($0.rank)" }.joined(separator: " and ")
    }

    /// The stories an entry's story depends on that this ranking puts below it (not done), with
    /// their ranks: the order cannot be worked in as shown.
    public func waitsFor(_ entry: Entry) -> [(id: StoryID, rank: Int)] {
        let dependencies = backlog.stories[entry.storyIndex].dependencies
        guard !dependencies.isEmpty else { return [] }
        let workflow = backlog.workflow
        return dependencies.compactMap { id in
            guard let index = storyIndex(of: id), !workflow.isDone(backlog.stories[index]),
                  let found = entryIndex(ofStory: index) else { return nil }
            let rank = entries[found].rank
            guard rank > entry.rank else { return nil }
            return (id, rank)
        }
    }

    /// The entry of the story at a manual position, if it is ranked.
    public func entry(forStory index: Int) -> Entry? {
        guard index >= 0, index < backlog.stories.count, let found = entryIndex(ofStory: index) else {
            return nil
        }
        return entries[found]
    }

    /// The index in `entries` of the story at a manual position, or nil when it is not ranked.
    private func entryIndex(ofStory index: Int) -> Int? {
        let table = entryTable.table {
            var built = [Int32](repeating: -1, count: backlog.stories.count)
            for (i, entry) in entries.enumerated() { built[entry.storyIndex] = Int32(i) }
            return built
        }
        if let table { return table[index] >= 0 ? Int(table[index]) : nil }
        return entries.withUnsafeBufferPointer { entries in entries.firstIndex { $0.storyIndex == index } }
    }

    /// The manual position of the story with an ID, or nil.
    private func storyIndex(of id: StoryID) -> Int? {
        let map = idTable.table {
            var built = StoryIDMap(capacity: backlog.stories.count)
            backlog.stories.withUnsafeBufferPointer { stories in
                for i in stories.indices { built.insertIfAbsent(stories[i].id, i) }
            }
            return built
        }
        return map.map { $0[id] } ?? backlog.index(of: id)
    }

    /// The short explanation of an entry's score, for tables that show the score beside it.
    public func why(_ entry: Entry) -> String {
        let text = strategy.why(backlog.stories[entry.storyIndex], score: entry.score, context: context)
        guard let pin = pinText(entry) else { return text }
        return pin + "; " + text
    }

    /// "pinned at 1: promised to the board in Q3", for a pinned entry.
    public func pinText(_ entry: Entry) -> String? {
        guard let pin = entry.pin else { return nil }
        let reason = backlog.stories[entry.storyIndex].pinReason.map { ": " + $0 } ?? ""
        return "pinned at \(pin)\(reason)"
    }

    /// The first `count` entries (all when nil).
    public func top(_ count: Int?) -> ArraySlice<Entry> {
        guard let count else { return entries[...] }
        return entries.prefix(max(0, count))
    }

    /// The first `count` entries (all when nil) of the stories serving a goal (all stories when
    /// `goal` is nil); ranks stay those of the whole ranking. The rule of `prio rank --goal`.
    public func entries(servingGoal goal: String?, top count: Int?) -> [Entry] {
        entries(keeping: nil, servingGoal: goal, top: count)
    }

    /// The first `count` entries (all when nil) of the stories `keep` flags (by manual index;
    /// all when nil) that serve a goal (all when nil); ranks stay those of the whole ranking.
    /// The rule of `--where`, `--view` and `--goal`.
    public func entries(keeping keep: [Bool]?, servingGoal goal: String? = nil, top count: Int?) -> [Entry] {
        guard keep != nil || goal != nil else { return Array(top(count)) }
        let stories = backlog.stories
        let shown = entries.lazy.filter { entry in
            keep.map { $0[entry.storyIndex] } ?? true && goal.map { stories[entry.storyIndex].serves(goal: $0) } ?? true
        }
        guard let count else { return Array(shown) }
        return Array(shown.prefix(max(0, count)))
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

/// A table built only once the questions add up: until then each question is answered by a
/// scan (`prio rank --top 10` asks two or three, fewer than building a table of 100,000
/// stories costs; a whole list of marks on the screen asks many). Safe to share between threads.
final class ScanThenTable<Table: Sendable>: Sendable {
    private let storage = Mutex<(asked: Int, table: Table?)>((0, nil))
    /// Questions answered by scanning before the table is built.
    static var scans: Int { 32 }

    /// Counts a question; the table once it is worth having (built then), nil while a scan should answer.
    func table(_ build: () -> Table) -> Table? {
        let (asked, table) = storage.withLock { state in
            state.asked += 1
            return (state.asked, state.table)
        }
        if let table { return table }
        guard asked > Self.scans else { return nil }
        let built = build()
        storage.withLock { $0.table = built }
        return built
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
