import PrioEngine

/// Marked stories (`v`, and `Ctrl-V` for the range from the last mark to the cursor): the edit
/// (`e`: `key=value ...` on all of them), tag, status and sprint changes, and the moves to the
/// top or bottom (`T`, `B`) apply to every marked story as one undoable step.
extension AppState {
    /// The marked stories, in the order marked.
    public var markedIDs: [StoryID] { list.marks }

    /// The indices of the marked stories, in manual order (stories gone since are skipped).
    var markedIndices: [Int] {
        list.marks.compactMap { backlog.index(of: $0) }.sorted()
    }

    /// `v`: marks the story under the cursor, or unmarks it.
    mutating func toggleMark() {
        guard let id = selectedStory?.id else { return }
        if let i = list.marks.firstIndex(of: id) {
            list.marks.remove(at: i)
        } else {
            list.marks.append(id)
            list.markAnchor = id
        }
        notice = Notice(text: list.marks.isEmpty ? "no story marked" : "\(list.marks.count) marked · e set fields · T/B move · Esc unmark",
                        isError: false)
    }

    /// `Ctrl-V`: marks every shown story from the last one marked with `v` to the cursor.
    mutating func markRange() {
        guard let anchor = list.markAnchor, let from = row(of: anchor) else { return toggleMark() }
        for r in min(from, list.cursor)...max(from, list.cursor) {
            let id = backlog.stories[storyIndex(atRow: r)].id
            if !list.marks.contains(id) { list.marks.append(id) }
        }
        notice = Notice(text: "\(list.marks.count) marked · e set fields · T/B move · Esc unmark", isError: false)
    }

    /// Esc on the list: the marks go.
    mutating func clearMarks() {
        list.marks = []
        list.markAnchor = nil
        notice = Notice(text: "marks cleared", isError: false)
    }

    /// `e` with marks: `key=value ...` typed once, set on every marked story by the rule of
    /// `prio set` (`Backlog.set`): all or nothing, one undoable step. A refusal stays in the prompt.
    mutating func setOnMarked(_ text: String) {
        let assignments = MarkedSet.assignments(text)
        guard !assignments.isEmpty else {
            notice = Notice(text: "type key=value pairs, like status=ready sprint=Sprint 5", isError: true)
            return
        }
        var next = backlog
        do {
            let change = try next.set(assignments, at: markedIndices)
            overlay = nil
            let edits = change.changed.map { Edit.replace(index: $0, old: backlog.stories[$0], new: next.stories[$0]) }
            let keys = assignments.map(\.key).joined(separator: ", ")
            if !edits.isEmpty {
                perform(.batch(edits), label: "set \(keys) on \(Plural.count(edits.count, "story", "stories"))", focus: selectedStory?.id)
            }
            notice = Notice(text: "set \(keys) on \(Plural.count(edits.count, "story", "stories")) of \(change.asked) marked", isError: false)
        } catch {
            notice = Notice(text: error.lines.first ?? error.description, isError: true)
        }
    }

    /// `T`/`B` with marks: the marked stories to the top or the bottom of the manual order,
    /// keeping their order, as one step; a marked epic takes its children (the engine's blocks).
    mutating func moveMarked(toTop: Bool) {
        guard requireManual() else { return }
        let chosen = markedIndices
        let marked = backlog.blocks(of: chosen)
        var isMarked = [Bool](repeating: false, count: backlog.stories.count)
        for i in marked { isMarked[i] = true }
        let rest = backlog.stories.indices.filter { !isMarked[$0] }
        let order = toTop ? marked + rest : rest + marked
        guard order != Array(backlog.stories.indices) else { return }
        let under = marked.count > chosen.count ? " with \(Plural.count(marked.count - chosen.count, "story", "stories")) under them" : ""
        perform(.reorder(order), label: "moved \(Plural.count(chosen.count, "marked story", "marked stories"))\(under) to the \(toTop ? "top" : "bottom")",
                focus: selectedStory?.id)
    }

    /// `e` on marked stories: typing `key=value ...`.
    mutating func handleMarkedSet(_ key: Key, text: String) {
        switch key {
        case .escape: overlay = nil
        case .enter: setOnMarked(text)
        case .backspace: overlay = .markedSet(String(text.dropLast()))
        case .control("u"): overlay = .markedSet("")
        case .character(let c): overlay = .markedSet(text + String(c))
        default: break
        }
    }
}

/// Reading `status=ready sprint=Sprint 5 tags=a, b`: each word with `=` starts an assignment;
/// the words after it, up to the next, belong to its value.
enum MarkedSet {
    static func assignments(_ text: String) -> [(key: String, value: String)] {
        var out: [(key: String, value: String)] = []
        for word in text.split(separator: " ", omittingEmptySubsequences: true) {
            if let equals = word.firstIndex(of: "="), equals != word.startIndex {
                out.append((String(word[..<equals]), String(word[word.index(after: equals)...])))
            } else if !out.isEmpty {
                out[out.count - 1].value += (out[out.count - 1].value.isEmpty ? "" : " ") + word
            }
        }
        return out
    }
}
