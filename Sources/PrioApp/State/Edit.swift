import PrioEngine

/// One undoable change to the backlog. Edits hold only what changed, so undo history stays
/// small at 100,000 stories and has no limit within a session.
enum Edit: Sendable {
    /// Two stories changed places (J/K).
    case swap(Int, Int)
    /// A story moved from one position to another.
    case move(from: Int, to: Int)
    /// A story changed (fields, title, description).
    case replace(index: Int, old: Story, new: Story)
    /// A story was added.
    case insert(index: Int, story: Story)
    /// A story was removed.
    case remove(index: Int, story: Story)
    /// The whole order changed: `order[i]` is the old index of the story now at `i`.
    case reorder([Int])
    /// The header changed (a sprint's capacity set on the planning screen).
    case header(old: BacklogHeader, new: BacklogHeader)
    /// Several edits as one step.
    case batch([Edit])

    /// Applies the edit to a backlog.
    func apply(to backlog: inout Backlog) {
        switch self {
        case .swap(let a, let b): backlog.swapStories(a, b)
        case .move(let from, let to): backlog.move(from: from, to: to)
        case .replace(let index, _, let new): backlog.replaceStory(at: index, with: new)
        case .insert(let index, let story): backlog.insertStory(story, at: index)
        case .remove(let index, _): backlog.removeStory(at: index)
        case .reorder(let order): backlog.reorder(order)
        case .header(_, let new): backlog.header = new
        case .batch(let edits): for edit in edits { edit.apply(to: &backlog) }
        }
    }

    /// False for edits that only change the order (the totals stay the same).
    var changesContent: Bool {
        switch self {
        case .swap, .move, .reorder: false
        case .replace, .insert, .remove, .header: true
        case .batch(let edits): edits.contains { $0.changesContent }
        }
    }

    /// The edit that undoes this one.
    var inverse: Edit {
        switch self {
        case .swap(let a, let b): return .swap(a, b)
        case .move(let from, let to): return .move(from: to, to: from)
        case .replace(let index, let old, let new): return .replace(index: index, old: new, new: old)
        case .insert(let index, let story): return .remove(index: index, story: story)
        case .remove(let index, let story): return .insert(index: index, story: story)
        case .reorder(let order):
            var inverse = [Int](repeating: 0, count: order.count)
            for (newIndex, oldIndex) in order.enumerated() { inverse[oldIndex] = newIndex }
            return .reorder(inverse)
        case .header(let old, let new): return .header(old: new, new: old)
        case .batch(let edits): return .batch(edits.reversed().map(\.inverse))
        }
    }
}

/// An edit in the undo history, with what the screen should show after it.
struct HistoryEntry: Sendable {
    var edit: Edit
    /// The story the cursor was on when the edit was made.
    var focus: StoryID?
    /// A short description for the status line ("moved S-4").
    var label: String
    /// A number unique to this entry, to tell whether the file holds this state.
    var serial: Int
}
