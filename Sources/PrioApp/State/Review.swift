import PrioEngine

extension AppState {
    // MARK: Sprint review

    /// `D`: the review of the sprint `prio review` would show (the one holding today).
    mutating func openReview() {
        let timeline = currentTimeline()
        screen = .review(ReviewScreen(sprint: timeline.current.name))
        derived.review = nil
        if let note = timeline.overdueNote { notice = Notice(text: note, isError: true) }
    }

    /// The review screen's rows: each story of the sprint, then its criteria.
    func reviewRows() -> [ReviewRow] {
        guard let review = derived.review else { return [] }
        var rows: [ReviewRow] = []
        for item in review.items {
            rows.append(.story(item.storyIndex))
            for (k, criterion) in backlog.stories[item.storyIndex].criteria.enumerated() {
                rows.append(.criterion(story: item.storyIndex, index: k, criterion))
            }
        }
        return rows
    }

    mutating func handleReview(_ key: Key, _ current: ReviewScreen) {
        var review = current
        let rows = reviewRows()
        let row = rows.indices.contains(review.cursor) ? rows[review.cursor] : nil
        switch key {
        case .escape, .character("q"), .character("D"):
            screen = .list
            return
        case .character("j"), .down: review.cursor = min(max(0, rows.count - 1), review.cursor + 1)
        case .character("k"), .up: review.cursor = max(0, review.cursor - 1)
        case .character("g"), .home: review.cursor = 0
        case .character("G"), .end: review.cursor = max(0, rows.count - 1)
        case .character("["), .character("]"):
            // Every sprint of the timeline (ended ones are reviewed too), then the current one.
            var names = currentTimeline().sprints.map(\.name)
            if !names.contains(review.sprint) { names.append(review.sprint) }
            let at = names.firstIndex(of: review.sprint) ?? 0
            let next = key == .character("]") ? min(names.count - 1, at + 1) : max(0, at - 1)
            if names.indices.contains(next) { review = ReviewScreen(sprint: names[next]) }
            derived.review = nil
        case .character(" "):
            guard case .criterion(let index, let k, let criterion)? = row else {
                notice = Notice(text: "Space ticks an acceptance criterion: move to one (j/k)", isError: false)
                break
            }
            let old = backlog.stories[index]
            guard let new = SprintReview.checking(old, criterion: k, checked: !criterion.isChecked) else { break }
            perform(.replace(index: index, old: old, new: new), label: "\(criterion.isChecked ? "unchecked" : "checked") '\(criterion.text)' of \(old.id)", focus: old.id)
        case .character("a"):
            guard let index = row?.storyIndex else { break }
            let old = backlog.stories[index]
            do {
                let new = try SprintReview.accepting(old, workflow: backlog.workflow, force: false, sprint: review.sprint)
                guard new != old else {
                    notice = Notice(text: "\(old.id) is already \(backlog.workflow.done)", isError: false)
                    break
                }
                perform(.replace(index: index, old: old, new: new), label: "accepted \(old.id)", focus: old.id)
                notice = Notice(text: "accepted \(old.id): \(backlog.workflow.done)", isError: false)
            } catch {
                notice = Notice(text: error.description + (error.unchecked.isEmpty ? "" : "; tick them with Space first"), isError: true)
            }
        case .character("r"):
            guard let index = row?.storyIndex else { break }
            overlay = .rejectReason(backlog.stories[index].id, "")
        case .character("c"):
            overlay = .closeSprint(review.sprint)
        case .character("u"), .control("r"), .character("w"), .character("?"):
            // Undo, redo, save and help work here as everywhere.
            handleList(key)
        default:
            break
        }
        if case .review = screen {
            // An edit (Space, a, r) drops the derived review: read the sprint again before the
            // cursor is kept within its rows, so that it stays on the row it was on.
            if derived.review == nil { derived.review = SprintReview(backlog, sprint: review.sprint, today: clock.today) }
            let count = reviewRows().count
            review.cursor = min(review.cursor, max(0, count - 1))
            screen = .review(review)
        }
    }

    /// Typing the reason of a rejection: Enter rejects (an empty reason is refused), Esc cancels.
    mutating func handleRejectReason(_ key: Key, id: StoryID, text: String) {
        switch key {
        case .escape: overlay = nil
        case .backspace: overlay = .rejectReason(id, String(text.dropLast()))
        case .character(let c): overlay = .rejectReason(id, text + String(c))
        case .enter:
            guard let index = backlog.index(of: id) else { overlay = nil; return }
            let old = backlog.stories[index]
            do {
                let new = try SprintReview.rejecting(old, workflow: backlog.workflow, reason: text, date: clock.today)
                overlay = nil
                perform(.replace(index: index, old: old, new: new), label: "rejected \(id)", focus: id)
                notice = Notice(text: "rejected \(id): back to \(backlog.workflow.statuses.first ?? "todo"), out of the sprint", isError: false)
            } catch {
                notice = Notice(text: error.description.replacing(" (--reason TEXT)", with: ""), isError: true)
            }
        default: break
        }
    }

    /// Closing the sprint: `n` moves its unfinished stories to the next sprint, `b` back to the
    /// backlog (the engine's `SprintReview.close`), as one undoable edit.
    mutating func handleCloseSprint(_ key: Key, sprint: String) {
        let mode: SprintTimeline.CarryOver
        switch key {
        case .character("n"): mode = .next
        case .character("b"): mode = .backlog
        case .escape:
            overlay = nil
            return
        default: return
        }
        overlay = nil
        var closed = backlog
        let closing: SprintTimeline.Closing
        do {
            closing = try SprintTimeline.close(&closed, sprint: sprint, carryOver: mode, today: clock.today)
        } catch {
            notice = Notice(text: error.description, isError: true)
            return
        }
        var edits: [Edit] = []
        if closed.header != backlog.header { edits.append(.header(old: backlog.header, new: closed.header)) }
        for id in closing.moved {
            guard let index = backlog.index(of: id) else { continue }
            edits.append(.replace(index: index, old: backlog.stories[index], new: closed.stories[index]))
        }
        if !edits.isEmpty { perform(.batch(edits), label: "closed \(sprint)", focus: closing.moved.first) }
        notice = Notice(text: closing.summary(sprint), isError: false)
    }
}
