/// Moving an epic moves its children: a story and its descendants (children, their children…)
/// form a block, the story first, then the descendants in their current manual order. The one
/// rule for `prio move` and the screen's moves (J/K, T/B, `m N`).
extension Backlog {
    /// The block a story moves as: the story's index first, then every descendant's (through
    /// any depth of `parent`) in manual order. A story without children is a block of one. A
    /// parent cycle (which the parser refuses) cannot make it loop: each story is taken once.
    public func block(of index: Int) -> [Int] {
        guard stories.indices.contains(index) else { return [] }
        return blocks(of: [index])
    }

    /// The blocks of several stories, one after another in the order given, each story once: a
    /// story already taken (as a descendant of an earlier one) is not taken again. One pass over
    /// the backlog for the children, whatever the number of stories.
    public func blocks(of indices: [Int]) -> [Int] {
        let children = childrenByParent()
        var taken: Set<Int> = []
        var out: [Int] = []
        for index in indices where stories.indices.contains(index) && taken.insert(index).inserted {
            out.append(index)
            guard children[index] != nil else { continue }
            var descendants: [Int] = []
            var waiting = [index]
            while let next = waiting.popLast() {
                for child in children[next] ?? [] where taken.insert(child).inserted {
                    descendants.append(child)
                    waiting.append(child)
                }
            }
            out += descendants.sorted()
        }
        return out
    }

    /// The IDs other stories name as their parent (the epics'): one pass, for asking of many
    /// stories whether they have children; moving stories does not change it.
    public func parentIDs() -> StoryIDSet {
        var ids = StoryIDSet()
        for story in stories where story.hasField(.parent) {
            if let parent = story.parent { _ = ids.insert(parent) }
        }
        return ids
    }

    /// The manual order after moving a story (with its block unless `alone`) to a placement, as
    /// the old indices in their new order; nil when nothing would change. Placements count among
    /// the stories outside the block: `--to N` puts the story at N (or as near as the block fits),
    /// `--before`/`--after` next to another story, which may not be in the block.
    public func order(moving index: Int, to placement: Placement, alone: Bool = false) throws(PrioError) -> [Int]? {
        guard stories.indices.contains(index) else { throw PrioError("no story at position \(index + 1)") }
        let members = alone ? [index] : block(of: index)
        var moving = [Bool](repeating: false, count: stories.count)
        for member in members { moving[member] = true }
        let rest = stories.indices.filter { !moving[$0] }
        let at: Int
        switch placement {
        case .top: at = 0
        case .bottom: at = rest.count
        case .position(let n):
            guard n >= 1 else { throw PrioError("position must be 1 or more") }
            at = Swift.min(n - 1, rest.count)
        case .before(let other), .after(let other):
            let id = stories[index].id
            guard other != id else { throw PrioError("cannot move \(id) relative to itself") }
            let anchor = try requireIndex(of: other)
            if moving[anchor] {
                throw PrioError("cannot move \(id) relative to \(other), which moves with it (one of its children; --alone moves \(id) without them)")
            }
            // The anchor's place among the stories that stay.
            var place = 0
            for i in 0..<anchor where !moving[i] { place += 1 }
            if case .after = placement { place += 1 }
            at = place
        }
        let order = Array(rest[..<at]) + members + Array(rest[at...])
        return order.elementsEqual(stories.indices) ? nil : order
    }

    /// Moves a story in the manual order, its children with it unless `alone`.
    public mutating func move(_ id: StoryID, to placement: Placement, alone: Bool = false) throws(PrioError) {
        let index = try requireIndex(of: id)
        guard let order = try order(moving: index, to: placement, alone: alone) else { return }
        reorder(order)
    }
}
