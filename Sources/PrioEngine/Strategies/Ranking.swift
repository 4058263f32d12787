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
    private let contextCache = BuiltOnce<RankingContext?>()
    /// Each story's index in `entries` (-1 when not ranked), by manual position.
    private let entryTable = BuiltOnce<[Int32]>()
    /// Each story's manual position by ID.
    private let idTable = BuiltOnce<StoryIDMap>()
    /// How many entries from the first are in rank order: all of them, unless the ranking was
    /// made for its first N only (`first`), when the others follow in no particular order.
    public let orderedCount: Int

    /// Ranks a backlog; done stories are left out unless `includeDone`. `workflow`: the
    /// backlog's, when the caller has made it already (many rankings of one backlog).
    ///
    /// `first`: only the first N entries will be read (`prio rank --top N`, no filter): they
    /// are put in order, the others only found to come after them (a selection, not a sort of
    /// 100,000 scores). `rank(ofEntryAt:)` still gives any entry's exact rank.
    public init(_ backlog: Backlog, strategy: any Strategy, includeDone: Bool = false, workflow: Workflow? = nil,
                first: Int? = nil) {
        self.strategy = strategy
        self.backlog = backlog
        let manual = strategy is ManualStrategy
        // Pins move stories about the whole list: a ranking with pins is put wholly in order.
        let select = first.flatMap { $0 >= 1 && (manual || !Ranking.anyPinned(backlog.stories)) ? $0 : nil }
        let (halves, unscored, selected) = Ranking.score(backlog, strategy: strategy, includeDone: includeDone,
                                                         workflow: workflow, first: select)
        var entries = Ranking.mergedEntries(halves.first ?? [], halves.count > 1 ? halves[1] : [],
                                            room: unscored.count)
        let scoredCount = entries.count
        for item in unscored {
            entries.append(Entry(rank: entries.count + 1, storyIndex: item.index, score: item.score))
        }
        if !manual { Self.placePins(&entries, backlog.stories) }
        self.entries = entries
        self.orderedCount = selected.map { min($0, scoredCount) } ?? entries.count
    }

    /// True when some story is pinned (one look at each story's key bits).
    static func anyPinned(_ stories: [Story]) -> Bool {
        stories.contains { $0.hasField(.pin) }
    }

    /// The exact rank of the entry at `index` in `entries`: its own for one in order; for one
    /// after `orderedCount` (a ranking made for its first N), counted among the others.
    public func rank(ofEntryAt index: Int) -> Int {
        let entry = entries[index]
        guard index >= orderedCount, case .value(let exact) = entry.score else { return entry.rank }
        let item = (index: entry.storyIndex, approx: exact.doubleValue, exact: exact)
        var before = 0
        for other in entries[orderedCount...] where other.storyIndex != entry.storyIndex {
            guard case .value(let otherExact) = other.score else { continue }
            if Ranking.ranksBefore((other.storyIndex, otherExact.doubleValue, otherExact), item) { before += 1 }
        }
        return orderedCount + before + 1
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

    /// True when `ranksBefore` orders the two by their doubles alone (they are clearly apart).
    @inline(__always)
    static func decidedByDoubles(_ a: Scored.Element, _ b: Scored.Element) -> Bool {
        let gap = abs(a.approx - b.approx)
        return gap > 1e-9 * max(abs(a.approx), abs(b.approx)) && gap.isFinite
    }

    /// Scores the stories (done ones only with `includeDone`): the scored ones in rank order
    /// (`ranksBefore`) in one list, or two for a big backlog (scored and sorted in halves on
    /// two threads; `merge` joins them); the unscored in manual order.
    /// With `first`, a half of more than four times N stories only has its first N put in
    /// order (the third value is then N).
    static func score(_ backlog: Backlog, strategy: any Strategy, includeDone: Bool,
                      workflow given: Workflow? = nil, first: Int? = nil) -> ([Scored], Unscored, Int?) {
        let workflow = given ?? backlog.workflow
        let count = backlog.stories.count
        @Sendable func scoreRange(_ range: Range<Int>) -> (Scored, Unscored) {
            var scored: Scored = []
            var unscored: Unscored = []
            scored.reserveCapacity(range.count)
            // Loops, not closures, over the span: a span captured by a closure crashes the
            // optimizer of Swift 6.3.1 (SIL ownership verification, in a release build).
            let stories = backlog.stories.span
            var indices: [Int] = []
            indices.reserveCapacity(range.count)
            for i in range where includeDone || !workflow.isDone(stories[i].status) { indices.append(i) }
            for (index, score) in zip(indices, strategy.scores(of: stories, at: indices)) {
                if case .value(let exact) = score {
                    scored.append((index, exact.doubleValue, exact))
                } else {
                    unscored.append((index, score))
                }
            }
            if let first, first <= scored.count / 4 {
                selectFirst(&scored, first)
            } else {
                scored.sort(by: ranksBefore)
            }
            return (scored, unscored)
        }
        let parts = inHalves(count, scoreRange)
        return (parts.map(\.0), parts.flatMap(\.1), first)
    }

    /// Puts the first `k` items by `ranksBefore` at the front, in order; the others follow in
    /// their own order. A heap of the best `k` so far, the worst of them on top: O(n log k).
    static func selectFirst(_ items: inout Scored, _ k: Int) {
        var heap: [Int] = []
        heap.reserveCapacity(k)
        // True when item a ranks after item b: a belongs nearer the heap's top.
        func after(_ a: Int, _ b: Int) -> Bool { ranksBefore(items[b], items[a]) }
        func siftDown(_ start: Int) {
            var parent = start
            while true {
                let left = 2 * parent + 1, right = left + 1
                var worst = parent
                if left < heap.count && after(heap[left], heap[worst]) { worst = left }
                if right < heap.count && after(heap[right], heap[worst]) { worst = right }
                if worst == parent { return }
                heap.swapAt(parent, worst)
                parent = worst
            }
        }
        for i in items.indices {
            if heap.count < k {
                heap.append(i)
                var child = heap.count - 1
                while child > 0 {
                    let parent = (child - 1) / 2
                    guard after(heap[child], heap[parent]) else { break }
                    heap.swapAt(child, parent)
                    child = parent
                }
            } else if ranksBefore(items[i], items[heap[0]]) {
                heap[0] = i
                siftDown(0)
            }
        }
        heap.sort { ranksBefore(items[$0], items[$1]) }
        var chosen = [Bool](repeating: false, count: items.count)
        for i in heap { chosen[i] = true }
        var out: Scored = []
        out.reserveCapacity(items.count)
        for i in heap { out.append(items[i]) }
        for i in items.indices where !chosen[i] { out.append(items[i]) }
        items = out
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

    /// The entries of two lists sorted by `ranksBefore`, merged in rank order, with room for
    /// `room` more (the unscored, which go after them).
    static func mergedEntries(_ a: Scored, _ b: Scored, room: Int = 0) -> [Entry] {
        var entries: [Entry] = []
        entries.reserveCapacity(a.count + b.count + room)
        merge(a[...], b[...]) { item in
            entries.append(Entry(rank: entries.count + 1, storyIndex: item.index, score: .value(item.exact)))
        }
        return entries
    }

    /// Backlogs with at least this many stories are scored on two threads.
    static var parallelThreshold: Int { twoThreadCount }

    /// Moves pinned stories to their positions (clamped to the list; pins on one position keep
    /// the manual order, the later one just below), the others keeping their order; renumbers.
    static func placePins(_ entries: inout [Entry], _ stories: [Story]) {
        var pinned: [(entry: Entry, pin: Int)] = []
        unsafe stories.withUnsafeBufferPointer { stories in
            // Most backlogs pin nothing: one pass in manual order (no jumping about) tells.
            var anyPin = false
            for i in stories.indices where unsafe stories[i].hasField(.pin) {
                anyPin = true
                break
            }
            guard anyPin else { return }
            for entry in entries where unsafe stories[entry.storyIndex].hasField(.pin) {
                if let pin = unsafe stories[entry.storyIndex].pin { pinned.append((entry, pin)) }
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
        if let estimates = estimatesText(story) { text += "; " + estimates }
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

    /// "the team estimated ana 3, ben 5, chen 13 (spread: ...)" when the strategy reads points
    /// and the story holds the team's estimates; nil otherwise. The points read are the confirmed ones.
    func estimatesText(_ story: Story) -> String? {
        guard story.hasVoteLines, strategy.inputs.contains(.points) else { return nil }
        let estimates = story.estimates
        guard !estimates.isEmpty else { return nil }
        let spread = backlog.panel.disagreement(estimates).map { " (spread: \($0))" } ?? ""
        return "the team estimated " + Vote.text(estimates) + spread
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
            let rank = self.rank(ofEntryAt: found)
            guard rank > entry.rank else { return nil }
            return (id, rank)
        }
    }

    /// The entry of the story at a manual position, if it is ranked.
    public func entry(forStory index: Int) -> Entry? {
        guard index >= 0, index < backlog.stories.count, let found = entryIndex(ofStory: index) else {
            return nil
        }
        var entry = entries[found]
        entry.rank = rank(ofEntryAt: found)
        return entry
    }

    /// The index in `entries` of the story at a manual position, or nil when it is not ranked.
    private func entryIndex(ofStory index: Int) -> Int? {
        let table = entryTable.value {
            var built = [Int32](repeating: -1, count: backlog.stories.count)
            for (i, entry) in entries.enumerated() { built[entry.storyIndex] = Int32(i) }
            return built
        }
        return table[index] >= 0 ? Int(table[index]) : nil
    }

    /// The manual position of the story with an ID, or nil.
    private func storyIndex(of id: StoryID) -> Int? {
        idTable.value {
            var built = StoryIDMap(capacity: backlog.stories.count)
            for (i, story) in backlog.stories.enumerated() { built.insertIfAbsent(story.id, i) }
            return built
        }[id]
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

/// A value computed on first use and kept (a ranking's lookup tables, its context); safe to
/// share between threads (two threads asking at once may both compute it; one result is kept).
final class BuiltOnce<Value: Sendable>: Sendable {
    private let storage = Mutex<Value?>(nil)

    /// The value, computed by `build` the first time.
    func value(_ build: () -> Value) -> Value {
        if let cached = storage.withLock({ $0 }) { return cached }
        let built = build()
        return storage.withLock { stored in
            if let stored { return stored }
            stored = built
            return built
        }
    }
}
