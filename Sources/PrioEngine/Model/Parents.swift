/// The rules for `parent` (a story's epic): the parent is a story of the file, not the story
/// itself, and no chain of parents comes back to where it started.
enum ParentRules {
    /// What is wrong with `story` naming `parent`, nil when nothing is.
    static func problem(_ story: StoryID, parent: StoryID, exists: Bool) -> String? {
        if parent == story { return "\(story) cannot be its own parent" }
        if !exists { return "\(story)'s parent \(parent) is not in the backlog" }
        return nil
    }

    /// The message for a chain of parents that comes back: `S-1 → S-2 → S-1`.
    static func cycleMessage(_ path: [StoryID]) -> String {
        "parent cycle: \(path.map(\.description).joined(separator: " → ")) (a story cannot be inside itself; remove one of these parents)"
    }

    /// Each cycle of parents among parsed fields, once, at the parent field of the cycle's first
    /// story in the file.
    static func cycles(in fields: [DependencyField]) -> [(position: FieldPosition, offset: Int, message: String)] {
        let parents = fields.filter { $0.isParent && $0.targets.count == 1 }
        guard !parents.isEmpty else { return [] }
        // Each story's parent line, by the story's ID (no hashing: 100,000 stories with epics
        // are checked on every load).
        var parentLine = StoryIDMap(capacity: parents.count)
        for (i, field) in parents.enumerated() { parentLine.insertIfAbsent(field.story, i) }
        var state = [UInt8](repeating: 0, count: parents.count)  // 1: on the path being walked, 2: finished
        var found: [(position: FieldPosition, offset: Int, message: String)] = []
        for start in parents.indices where state[start] == 0 {
            var path: [Int] = []
            var current: Int? = start
            while let line = current, state[line] == 0 {
                state[line] = 1
                path.append(line)
                current = parentLine[parents[line].targets[0].id]
            }
            // A story that is its own parent is said by `problem` already.
            if let line = current, state[line] == 1, let cycleStart = path.firstIndex(of: line), cycleStart < path.count - 1 {
                let cycle = Array(path[cycleStart...])
                // Reported at the story of the cycle that comes first in the file.
                let first = cycle.min() ?? line
                let at = parents[first]
                var rotated = Array(cycle.drop { $0 != first }) + cycle.prefix { $0 != first }
                rotated.append(first)
                found.append((at.position, at.targets[0].offset, cycleMessage(rotated.map { parents[$0].story })))
            }
            for line in path { state[line] = 2 }
        }
        return found
    }
}

extension Story {
    /// The story's epic (`parent: ID`), if any.
    public var parent: StoryID? {
        guard hasField(.parent), let text = value(of: .parent) else { return nil }
        return StoryID(text.trimmingASCIIWhitespace())
    }
}

extension Backlog {
    /// The indices of the stories whose parent is `id`, in manual order.
    public func children(of id: StoryID) -> [Int] {
        stories.indices.filter { stories[$0].hasField(.parent) && stories[$0].parent == id }
    }

    /// Each story's children (manual indices, manual order), for the stories that have any:
    /// one pass over the backlog.
    public func childrenByParent() -> [Int: [Int]] {
        var indexOf = StoryIDMap(capacity: 0)
        var out: [Int: [Int]] = [:]
        var built = false
        for (i, story) in stories.enumerated() where story.hasField(.parent) {
            guard let parent = story.parent else { continue }
            if !built {
                indexOf = StoryIDMap(indexing: storyIDs)
                built = true
            }
            if let p = indexOf[parent] { out[p, default: []].append(i) }
        }
        return out
    }

    /// What is wrong with a story's parent if it were put into this backlog (replacing the story
    /// with its ID): itself, a story not there, or a cycle. The check of every save.
    public func parentProblem(of story: Story) -> String? {
        guard let parent = story.parent else { return nil }
        if let problem = ParentRules.problem(story.id, parent: parent, exists: index(of: parent) != nil) { return problem }
        var path = [story.id]
        var current: StoryID? = parent
        while let id = current, path.count <= stories.count + 1 {
            path.append(id)
            if id == story.id { return ParentRules.cycleMessage(path) }
            current = self.story(id)?.parent
        }
        return nil
    }

    /// Every parent problem of the backlog (the check before a save; nothing when no story has a parent).
    public func parentProblems() -> [String] {
        guard stories.contains(where: { $0.hasField(.parent) }) else { return [] }
        let ids = StoryIDSet(storyIDs)
        var problems: [String] = []
        var parentOf: [StoryID: StoryID] = [:]
        for story in stories where story.hasField(.parent) {
            guard let parent = story.parent else { continue }
            if let problem = ParentRules.problem(story.id, parent: parent, exists: ids.contains(parent)) {
                problems.append(problem)
            }
            parentOf[story.id] = parent
        }
        var finished: Set<StoryID> = []
        for story in stories where parentOf[story.id] != nil && !finished.contains(story.id) {
            var path: [StoryID] = []
            var onPath: Set<StoryID> = []
            var current: StoryID? = story.id
            while let id = current, !finished.contains(id), onPath.insert(id).inserted {
                path.append(id)
                current = parentOf[id]
            }
            if let id = current, let start = path.firstIndex(of: id) {
                problems.append(ParentRules.cycleMessage(Array(path[start...]) + [id]))
            }
            finished.formUnion(path)
        }
        return problems
    }
}
