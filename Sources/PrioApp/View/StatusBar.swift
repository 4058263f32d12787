import PrioEngine

/// The status line: what the open prompt or dialog takes, else the last notice, else the totals.
struct StatusBar: View {
    let state: AppState

    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let row = area.y
        let width = area.width
        buffer.fill(row: row, from: area.x, width: width, style: .reverse)
        var style = CellStyle.reverse
        let text: String
        if let overlay = state.overlay {
            text = prompt(overlay, style: &style)
        } else if state.notice == nil, case .compare = state.screen {
            text = " j/k move · ←/→ or 0-\(min(9, state.document.strategies.all.count - 1)) sort by a column · Enter detail · Esc back"
        } else if state.notice == nil, case .review = state.screen {
            text = " j/k · Space tick · a accept · r reject · c close sprint · [ ] sprint · u undo · w save · Esc back"
        } else if state.notice == nil, case .matrix = state.screen {
            text = " ←↑↓→ the nearest story that way · n/N next/previous · Enter detail · Esc back"
        } else if state.planning != nil, state.notice == nil {
            if let warning = state.derived.plan?.warnings.first {
                // The DSDM guard shows at any height: the status line is always there.
                text = " ⚠ " + warning
                style.bold = true
            } else {
                text = " Space plan/unplan · f fill · c capacity · [ ] sprint · ? keys · w save · Esc leave"
            }
        } else if let notice = state.notice {
            text = " " + notice.text
            if notice.isError {
                style.bold = true
                style.color = .red
            }
        } else {
            text = (state.list.marks.isEmpty ? " " : " \(state.list.marks.count) marked · ") + state.counts()
            let hints = "? help · q quit "
            let hintWidth = DisplayWidth.of(hints)
            if DisplayWidth.of(text) + hintWidth + 2 <= width {
                buffer.put(hints, row: row, column: area.x + width - hintWidth, style: .reverse)
            }
        }
        buffer.put(text, row: row, column: area.x, style: style, maxWidth: width)
    }

    /// What an overlay's keys do (or what is being typed), for the status line.
    func prompt(_ overlay: Overlay, style: inout CellStyle) -> String {
        let sprint = state.planning?.sprint ?? ""
        switch overlay {
        case .quitPrompt: return " s save and quit · d discard and quit · Esc cancel — unsaved changes"
        case .deleteConfirm(let id):
            let dependents = state.backlog.dependents(of: id)
            var text = " Delete \(id)? y yes · any other key no"
            if !dependents.isEmpty { text += " (drops it from the depends of \(dependents.map(\.description).joined(separator: ", ")))" }
            return text
        case .moveTo(let typed):
            return " Move \(state.list.cursorID?.description ?? "") to position (1-\(state.backlog.stories.count)): \(typed)▏"
        case .search(let query, _): return " /\(query)▏"
        case .goTo(let typed): return " Go to ID: \(typed)▏ (Enter goes, Esc cancels)"
        case .markedSet(let typed):
            let head = " Set on \(Plural.count(state.list.marks.count, "marked story", "marked stories")): \(typed)▏"
            if let notice = state.notice, notice.isError {
                style.bold = true
                style.color = .red
                return head + " — " + notice.text
            }
            return head + " (key=value ..., like status=ready sprint=Sprint 5; Enter sets all, Esc cancels)"
        case .filterText(let typed):
            if let notice = state.notice, notice.isError {
                style.bold = true
                style.color = .red
                return " Filter: \(typed)▏ — \(notice.text)"
            }
            return " Filter (text, or like points <= 3 and status != done): \(typed)▏ (Enter filters, empty removes, Esc cancels)"
        case .conflict:
            return " \(PathName.lastComponent(of: state.document.file.path)) changed on disk: r reload (keeps yours aside) · o overwrite (keeps theirs aside) · a save as · Esc"
        case .saveAs(let typed):
            if let notice = state.notice, notice.isError {
                style.bold = true
                style.color = .red
                return " Save a copy as: \(typed)▏ — \(notice.text)"
            }
            return " Save a copy as: \(typed)▏ (Enter saves, Esc cancels)"
        case .recovery(let found, _):
            return " Unsaved changes from \(state.clock.format(found.modified)) were recovered: r restore · d discard · k keep for later"
        case .exportOverwrite(let form):
            let name = form.fields.first { $0.key == "file" }?.text ?? ""
            return " \(name) exists: y replace it · n back to the form"
        case .editFailed(let failure, let id): return " The edit of \(id) does not parse (e edit again · d discard): \(failure.summary)"
        case .form(let form) where form.focusIsChoice:
            return " ←/→ or Space change · Tab/↓ next field · ↑ previous · Enter \(form.submitVerb) · Esc cancel"
        case .form(let form): return " Tab/↓ next field · ↑ previous · Enter \(form.submitVerb) · Esc cancel · Ctrl-U clear field"
        case .filterMenu: return " j/k move · Space toggle · / text · F clear all · Esc close"
        case .strategyPicker: return " j/k move · Enter rank by it · 1-\(min(9, state.document.strategies.all.count)) choose · Esc close"
        case .help: return " any key closes the help"
        case .voting(let session):
            switch session.phase {
            case .handOver: return " Enter start · Esc cancel the vote"
            case .entering: return " type a score · Enter next (empty: no vote) · Esc cancel the vote"
            case .reveal: return " a accept (writes the votes) · n new round · Esc close without writing"
            }
        case .estimating(let round):
            switch round.phase {
            case .handOver: return " Enter start · Esc close the round"
            case .entering: return " type points · Enter next (empty: no estimate) · Esc close the round"
            case .reveal:
                return " type the agreed points · Enter/a writes them · n new round" + (round.queue.isEmpty ? "" : " · s skip") + " · Esc close"
            }
        case .closeSprint(let sprint):
            return " Close \(sprint): unfinished stories to n the next sprint · b the backlog · Esc cancel"
        case .rejectReason(let id, let typed): return " Reject \(id) because: \(typed)▏ (Enter rejects, Esc cancels)"
        case .history(let id, _, _): return " History of \(id) (prio log): j/k scroll · any other key closes"
        case .capacity(let typed): return " Capacity of \(sprint) in points: \(typed)▏ (Enter sets, Esc cancels)"
        case .planConfirm(let id, let reason): return " \(id) (\(reason)): plan it in \(sprint) anyway? y yes · any other key no"
        }
    }
}
