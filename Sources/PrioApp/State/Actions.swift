import PrioEngine

extension AppState {
    // MARK: Edits and history

    /// Applies an edit as one undoable step and keeps the cursor on `focus`.
    mutating func perform(_ edit: Edit, label: String, focus: StoryID?) {
        dropRankings(keepingForecastThrough: edit)
        if edit.changesContent { derived.counts = [:] }
        updateReference(after: edit)
        edit.apply(to: &document.backlog)
        document.history.undo.append(HistoryEntry(edit: edit, focus: focus, label: label, serial: document.history.nextSerial))
        document.history.nextSerial += 1
        document.history.redo.removeAll()
        if let focus { list.cursorID = focus }
        rebuildView()
    }

    mutating func undo() {
        guard let entry = document.history.undo.popLast() else {
            notice = Notice(text: "nothing to undo", isError: false)
            return
        }
        dropRankings(keepingForecastThrough: entry.edit.inverse)
        if entry.edit.changesContent { derived.counts = [:] }
        updateReference(after: entry.edit.inverse)
        entry.edit.inverse.apply(to: &document.backlog)
        document.history.redo.append(entry)
        if let focus = entry.focus { list.cursorID = focus }
        rebuildView()
        notice = Notice(text: "undid: \(entry.label)", isError: false)
    }

    mutating func redo() {
        guard let entry = document.history.redo.popLast() else {
            notice = Notice(text: "nothing to redo", isError: false)
            return
        }
        dropRankings(keepingForecastThrough: entry.edit)
        if entry.edit.changesContent { derived.counts = [:] }
        updateReference(after: entry.edit)
        entry.edit.apply(to: &document.backlog)
        document.history.undo.append(entry)
        if let focus = entry.focus { list.cursorID = focus }
        rebuildView()
        notice = Notice(text: "redid: \(entry.label)", isError: false)
    }

    // MARK: Moving stories

    /// Moving happens in the manual order; in a computed ranking it is refused with a hint.
    mutating func requireManual() -> Bool {
        guard isManual else {
            notice = Notice(text: "stories move in the manual order: press s until 'Manual order', or A to apply this ranking", isError: true)
            return false
        }
        return true
    }

    /// J/K: one place down or up, past the next shown story when a filter is on. An epic moves
    /// with its children (the engine's block), and in the folded list each row moves past the
    /// next row of its kind (`stepPlacement`).
    mutating func moveSelected(by step: Int) {
        guard requireManual(), let index = selectedIndex, let story = selectedStory else { return }
        if list.fold != nil || hasChildren(index) {
            if let placement = stepPlacement(index: index, step: step) { moveBlock(index, to: placement) }
            return
        }
        let targetRow = list.cursor + step
        guard targetRow >= 0 && targetRow < rowCount else { return }
        let target = storyIndex(atRow: targetRow)
        if list.rows == nil {
            // Neighbours in the manual order: a swap is O(1) even at 100,000 stories.
            dropRankings(keepingForecastThrough: .swap(index, target))
            updateReference(after: .swap(index, target))
            Edit.swap(index, target).apply(to: &document.backlog)
            record(.swap(index, target), label: "moved \(story.id)", focus: story.id)
            list.cursor = targetRow
            scrollToCursor()
        } else {
            perform(.move(from: index, to: target), label: "moved \(story.id)", focus: story.id)
        }
    }

    /// Records an edit that was already applied (the fast path of J/K).
    mutating func record(_ edit: Edit, label: String, focus: StoryID?) {
        document.history.undo.append(HistoryEntry(edit: edit, focus: focus, label: label, serial: document.history.nextSerial))
        document.history.nextSerial += 1
        document.history.redo.removeAll()
    }

    /// T, B and `m N`: to a 0-based position in the manual order (an epic with its children).
    mutating func moveSelected(toPosition position: Int) {
        guard requireManual(), let index = selectedIndex else { return }
        moveBlock(index, to: .position(max(0, position) + 1))
    }

    /// `m N`: N as typed, 1-based; positions out of range go to the top or bottom, and say so.
    mutating func moveSelected(toTypedPosition n: Int) {
        guard requireManual(), let index = selectedIndex, let story = selectedStory else { return }
        let count = backlog.stories.count
        let target = min(max(1, n), count)
        let note = n < 1 ? " (positions start at 1)" : n > count ? " (the last position: there are \(Plural.count(count, "story", "stories")))" : ""
        if target - 1 == index {
            notice = Notice(text: "\(story.id) is already at \(target)\(note)", isError: false)
            return
        }
        moveSelected(toPosition: target - 1)
        notice = Notice(text: "moved \(story.id) to \(target)\(note)", isError: false)
    }

    /// A: the shown ranking becomes the manual order, as one step.
    mutating func applyRanking() {
        guard let ranking = list.ranking else {
            notice = Notice(text: "this is the manual order already; press s for a ranking to apply", isError: true)
            return
        }
        let order = ranking.impliedOrder
        let moved = order.enumerated().filter { $0.offset != $0.element }.count
        let name = ranking.strategy.title
        perform(.reorder(order), label: "applied \(name)", focus: list.cursorID)
        notice = Notice(text: "applied \(name) to the manual order (\(moved) stories changed place; u undoes)", isError: false)
    }

    // MARK: Deleting

    /// Deletes a story and drops it from other stories' `depends`, as one step.
    mutating func delete(_ id: StoryID) {
        guard let index = backlog.index(of: id) else { return }
        var edits: [Edit] = []
        for (i, story) in backlog.stories.enumerated() where story.dependencies.contains(id) {
            var changed = story
            let rest = story.dependencies.filter { $0 != id }.map(\.description).joined(separator: ", ")
            try? changed.setField(FieldKey.depends.rawValue, rest)
            edits.append(.replace(index: i, old: story, new: changed))
        }
        edits.append(.remove(index: index, story: backlog.stories[index]))
        let next = rowCount > list.cursor + 1 ? backlog.stories[storyIndex(atRow: list.cursor + 1)].id
            : (list.cursor > 0 ? backlog.stories[storyIndex(atRow: list.cursor - 1)].id : nil)
        perform(.batch(edits), label: "deleted \(id)", focus: next)
        notice = Notice(text: "deleted \(id) (u undoes)", isError: false)
    }

    // MARK: Search

    /// The next row at or after `start` (wrapping; backwards with `step` -1) whose story matches.
    func findMatch(_ query: String, from start: Int, step: Int = 1) -> Int? {
        guard let query = TextQuery(query), rowCount > 0 else { return nil }
        var row = (start % rowCount + rowCount) % rowCount
        for _ in 0..<rowCount {
            if query.matches(backlog.stories[storyIndex(atRow: row)]) { return row }
            row = (row + step + rowCount) % rowCount
        }
        return nil
    }
}
