import PrioEngine

extension AppState {
    /// True when other stories name this one as their parent (kept until the contents change).
    mutating func hasChildren(_ index: Int) -> Bool {
        let ids = derived.parentIDs ?? backlog.parentIDs()
        derived.parentIDs = ids
        return ids.contains(backlog.stories[index].id)
    }

    /// Moves a story in the manual order by the engine's one rule (`Backlog.order(moving:to:)`):
    /// an epic takes its children with it; one undoable step, the cursor staying on the story.
    mutating func moveBlock(_ index: Int, to placement: Placement) {
        let story = backlog.stories[index]
        let order: [Int]
        do {
            guard let found = try backlog.order(moving: index, to: placement) else { return }
            order = found
        } catch {
            notice = Notice(text: error.description, isError: true)
            return
        }
        let target = order.firstIndex(of: index) ?? index
        let carried = backlog.block(of: index).count - 1
        if carried == 0 {
            perform(.move(from: index, to: target), label: "moved \(story.id) to \(target + 1)", focus: story.id)
        } else {
            let label = "moved \(story.id) with \(Plural.count(carried, "story", "stories")) under it"
            perform(.reorder(order), label: label, focus: story.id)
            notice = Notice(text: label, isError: false)
        }
    }

    /// Where J (`step` 1) or K (-1) puts the story at the cursor: after or before the next row's
    /// story that does not move with it. In the folded list a row moves among rows of its kind:
    /// an epic past the next epic with all of that epic's stories, a child among its epic's
    /// children, a story in no epic among those; nil (and a note) when there is none that way.
    mutating func stepPlacement(index: Int, step: Int) -> Placement? {
        let block = backlog.block(of: index)
        var moving = Set(block)
        var row = list.cursor + step
        guard let fold = list.fold, let here = foldRow(atRow: list.cursor) else {
            // Flat: the next shown story outside the block.
            while row >= 0 && row < rowCount && moving.contains(storyIndex(atRow: row)) { row += step }
            guard row >= 0 && row < rowCount else { return nil }
            let other = backlog.stories[storyIndex(atRow: row)].id
            return step > 0 ? .after(other) : .before(other)
        }
        let id = backlog.stories[index].id
        let way = step > 0 ? "last" : "first"
        if !here.isEpic, let group = here.group {
            // A child, among the children of its epic.
            guard fold.rows.indices.contains(row), fold.rows[row].group == group, !fold.rows[row].isEpic else {
                let epic = fold.groups[group].epic.map { backlog.stories[$0].id.description } ?? ""
                notice = Notice(text: "\(id) is the \(way) story under \(epic) (z shows the list flat, to move it anywhere)", isError: false)
                return nil
            }
            let other = backlog.stories[fold.rows[row].storyIndex].id
            return step > 0 ? .after(other) : .before(other)
        }
        // An epic or a story in no epic: the next row of the same kind, past children and the block.
        while fold.rows.indices.contains(row), fold.rows[row].group != nil && !fold.rows[row].isEpic || moving.contains(fold.rows[row].storyIndex) {
            row += step
        }
        guard fold.rows.indices.contains(row), fold.rows[row].isEpic == here.isEpic else {
            let kind = here.isEpic ? "epic (the stories in no epic follow the epics)" : "story in no epic"
            notice = Notice(text: "\(id) is the \(way) \(kind)", isError: false)
            return nil
        }
        let neighbour = fold.rows[row].storyIndex
        guard here.isEpic else {
            let other = backlog.stories[neighbour].id
            return step > 0 ? .after(other) : .before(other)
        }
        // Past the whole of the other epic: after its last story, or before its first.
        moving.insert(index)
        let others = backlog.block(of: neighbour).filter { !moving.contains($0) }
        guard let anchor = step > 0 ? others.max() : others.min() else { return nil }
        return step > 0 ? .after(backlog.stories[anchor].id) : .before(backlog.stories[anchor].id)
    }
}
