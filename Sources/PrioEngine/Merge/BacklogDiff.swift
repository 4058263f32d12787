/// The semantic difference between two versions of a backlog: stories added and removed,
/// field changes (a rename is a change of `title`), moves in the manual order, and rank changes.
public struct BacklogDiff: Sendable {
    /// One field's change (nil: absent on that side).
    public struct Change: Sendable, Hashable {
        public var field: String
        public var from: String?
        public var to: String?

        /// A change of `field` from `from` to `to` (nil: the field was not there).
        package init(field: String, from: String?, to: String?) {
            self.field = field
            self.from = from
            self.to = to
        }
    }

    /// A position or a rank, before and after (1-based; nil where the story is not there).
    public struct Move: Sendable, Hashable {
        public var id: StoryID
        public var from: Int?
        public var to: Int?
    }

    public let added: [StoryID]
    public let removed: [StoryID]
    /// Stories in both versions whose title, fields or description changed.
    public let changed: [(id: StoryID, changes: [Change])]
    /// Stories whose place in the manual order changed beyond the shift others' moves cause.
    public let moved: [Move]
    /// Stories whose rank under the strategy changed.
    public let rankChanges: [Move]
    /// The strategy ranked by.
    public let strategy: any Strategy

    /// Compares two versions; ranks by `strategy` (done stories are left out of ranks).
    public init(from old: Backlog, to new: Backlog, strategy: any Strategy) {
        self.strategy = strategy
        let oldIndex = Dictionary(old.stories.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newIndex = Dictionary(new.stories.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        added = new.storyIDs.filter { oldIndex[$0] == nil }
        removed = old.storyIDs.filter { newIndex[$0] == nil }
        var changed: [(id: StoryID, changes: [Change])] = []
        for story in new.stories {
            guard let i = oldIndex[story.id] else { continue }
            let changes = BacklogDiff.changes(old.stories[i], story)
            if !changes.isEmpty { changed.append((story.id, changes)) }
        }
        self.changed = changed
        let movedIDs = BacklogMergeOrder.moved(from: old.storyIDs.filter { newIndex[$0] != nil },
                                               to: new.storyIDs.filter { oldIndex[$0] != nil })
        moved = new.stories.enumerated().compactMap { position, story in
            guard movedIDs.contains(story.id), let before = oldIndex[story.id] else { return nil }
            return Move(id: story.id, from: before + 1, to: position + 1)
        }
        let oldRanks = BacklogDiff.ranks(old, strategy), newRanks = BacklogDiff.ranks(new, strategy)
        var rankChanges: [Move] = []
        for story in new.stories where oldIndex[story.id] != nil {
            let a = oldRanks[story.id], b = newRanks[story.id]
            if a != b { rankChanges.append(Move(id: story.id, from: a, to: b)) }
        }
        self.rankChanges = rankChanges.sorted { ($0.to ?? Int.max, $0.id) < ($1.to ?? Int.max, $1.id) }
    }

    /// Each story's rank by ID.
    package static func ranks(_ backlog: Backlog, _ strategy: any Strategy) -> StoryIDMap {
        var ranks = StoryIDMap(capacity: backlog.stories.count)
        unsafe backlog.stories.withUnsafeBufferPointer { stories in
            for entry in Ranking(backlog, strategy: strategy).entries {
                unsafe ranks.insertIfAbsent(stories[entry.storyIndex].id, entry.rank)
            }
        }
        return ranks
    }

    /// What changed in a story: its title, each field (by key), its description.
    public static func changes(_ a: Story, _ b: Story) -> [Change] {
        if a == b { return [] }
        var changes: [Change] = []
        if a.title != b.title { changes.append(Change(field: "title", from: a.title, to: b.title)) }
        var keys: [String] = []
        for field in a.fields + b.fields where !keys.contains(field.key) { keys.append(field.key) }
        for key in keys {
            let x = a.fields.first { $0.key == key }?.value, y = b.fields.first { $0.key == key }?.value
            if x != y { changes.append(Change(field: key, from: x, to: y)) }
        }
        if a.description != b.description { changes.append(Change(field: "description", from: a.description, to: b.description)) }
        return changes
    }

    /// True when nothing differs.
    public var isEmpty: Bool { added.isEmpty && removed.isEmpty && changed.isEmpty && moved.isEmpty && rankChanges.isEmpty }
}

/// The order rule shared by the merge and the diff: which stories moved.
enum BacklogMergeOrder {
    /// The stories whose place changed from `before` to `after` (and those added): everything
    /// outside a longest common subsequence of the two orders, O(n log n).
    static func moved(from before: [StoryID], to after: [StoryID]) -> StoryIDSet {
        let beforeIndex = StoryIDMap(indexing: before)
        let common = after.filter { beforeIndex[$0] != nil }
        let positions = common.compactMap { beforeIndex[$0] }
        var tails: [Int] = []
        var previous = [Int](repeating: -1, count: positions.count)
        for (i, p) in positions.enumerated() {
            var low = 0, high = tails.count
            while low < high {
                let mid = (low + high) / 2
                if positions[tails[mid]] < p { low = mid + 1 } else { high = mid }
            }
            if low > 0 { previous[i] = tails[low - 1] }
            if low == tails.count { tails.append(i) } else { tails[low] = i }
        }
        var stable = StoryIDSet(capacity: common.count)
        var k = tails.last ?? -1
        while k >= 0 {
            stable.insert(common[k])
            k = previous[k]
        }
        return StoryIDSet(after.filter { !stable.contains($0) })
    }
}

/// `prio diff` as text and JSON.
public enum DiffReport {
    /// Text: one section per kind of change.
    public static func text(_ diff: BacklogDiff, old: Backlog, new: Backlog) -> String {
        if diff.isEmpty { return "No difference.\n" }
        func title(_ id: StoryID, _ backlog: Backlog) -> String { backlog.story(id).map { "\(id) \($0.title)" } ?? id.description }
        var out = ""
        if !diff.added.isEmpty { out += "Added:\n" + diff.added.map { "  + " + title($0, new) }.joined(separator: "\n") + "\n" }
        if !diff.removed.isEmpty { out += "Removed:\n" + diff.removed.map { "  - " + title($0, old) }.joined(separator: "\n") + "\n" }
        if !diff.changed.isEmpty {
            out += "Changed:\n"
            for item in diff.changed {
                out += "  " + title(item.id, new) + "\n"
                for change in item.changes { out += "    \(change.field): \(shown(change.from)) → \(shown(change.to))\n" }
            }
        }
        if !diff.moved.isEmpty {
            out += "Moved in the manual order:\n" + diff.moved.map { "  \(title($0.id, new)): \($0.from ?? 0) → \($0.to ?? 0)" }.joined(separator: "\n") + "\n"
        }
        if !diff.rankChanges.isEmpty {
            out += "Rank by \(diff.strategy.title):\n" + diff.rankChanges.map {
                "  \(title($0.id, new)): \($0.from.map(String.init) ?? "–") → \($0.to.map(String.init) ?? "–")"
            }.joined(separator: "\n") + "\n"
        }
        return out
    }

    package static func shown(_ value: String?) -> String {
        guard let value else { return "(none)" }
        if value.contains("\n") { return "(\(value.split(separator: "\n").count) lines)" }
        return value.isEmpty ? "(empty)" : value
    }

    /// `{"added", "removed", "changed": [{"id", "changes": [{"field", "from", "to"}]}], "moved", "rank_changes"}`.
    public static func json(_ diff: BacklogDiff) -> String {
        func ids(_ list: [StoryID]) -> String { "[" + list.map { JSON.string($0.description) }.joined(separator: ", ") + "]" }
        func value(_ text: String?) -> String { text.map(JSON.string) ?? "null" }
        func number(_ n: Int?) -> String { n.map(String.init) ?? "null" }
        func moves(_ list: [BacklogDiff.Move]) -> String {
            "[" + list.map { "{\"id\": \(JSON.string($0.id.description)), \"from\": \(number($0.from)), \"to\": \(number($0.to))}" }
                .joined(separator: ", ") + "]"
        }
        let changed = diff.changed.map { item in
            "{\"id\": \(JSON.string(item.id.description)), \"changes\": ["
                + item.changes.map { "{\"field\": \(JSON.string($0.field)), \"from\": \(value($0.from)), \"to\": \(value($0.to))}" }
                    .joined(separator: ", ") + "]}"
        }
        return "{\n  \"added\": \(ids(diff.added)),\n  \"removed\": \(ids(diff.removed)),\n  \"changed\": [" + changed.joined(separator: ", ")
            + "],\n  \"moved\": \(moves(diff.moved)),\n  \"strategy\": \(JSON.string(diff.strategy.name)),\n  \"rank_changes\": \(moves(diff.rankChanges))\n}\n"
    }
}
