import PrioEngine

/// The whole screen: each rectangle of the frame's `Layout` drawn by its view, then the overlay
/// over them. Reads the state; changes nothing.
struct Frame: View {
    let state: AppState

    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        guard !area.isEmpty else { return }
        let layout = state.layout
        HeaderBar(state: state).render(in: layout.header, into: &buffer)
        if let banner = layout.banner {
            // The goal first: it is what this sprint's choices serve; the vision after it.
            let header = state.backlog.header
            let text = [header.goal.map { "Goal: " + $0 }, header.vision.map { "Vision: " + $0 }].compactMap { $0 }
                .joined(separator: "  ·  ")
            buffer.put(" " + text, row: banner.y, column: banner.x, style: .dim, maxWidth: banner.width)
        }
        switch state.screen {
        case .compare(let compare):
            if let list = layout.list { CompareTable(state: state, screen: compare).render(in: list, into: &buffer) }
            if let comparison = state.derived.comparison, layout.body.height > 1 {
                buffer.put(CompareTable.agreement(comparison), row: layout.body.y + layout.body.height - 1, column: 2,
                           style: .dim, maxWidth: layout.body.width - 2)
            }
        case .matrix:
            MatrixView(state: state).render(in: layout.body, into: &buffer)
        case .review(let review):
            ReviewView(state: state, screen: review).render(in: layout.body, into: &buffer)
        default:
            if let list = layout.list { StoryTable(state: state).render(in: list, into: &buffer) }
        }
        if let divider = layout.divider, divider.height > 1 {
            for row in divider.y..<(divider.y + divider.height) { buffer.put("│", row: row, column: divider.x, style: .dim) }
        }
        if let pane = layout.pane {
            if let planning = state.planning {
                PlanningPane(state: state, planning: planning).render(in: pane, into: &buffer)
            } else if layout.list == nil || pane.height > 1 {
                DetailPane(state: state).render(in: pane, into: &buffer)
            }
        }
        if let status = layout.status { StatusBar(state: state).render(in: status, into: &buffer) }
        switch state.overlay {
        case .help?: HelpOverlay(planning: state.planning != nil).render(in: layout.frame, into: &buffer)
        case .history(let id, let lines, let scroll)?:
            Box(title: "History of \(id)", lines: lines.dropFirst(scroll).map { ($0, CellStyle.plain) }, minWidth: 60)
                .render(in: layout.frame, into: &buffer)
        case .form(let form)?: FormOverlay(form: form).render(in: layout.frame, into: &buffer)
        case .filterMenu(let menu)?: FilterMenuOverlay(menu: menu, filter: state.list.filter).render(in: layout.frame, into: &buffer)
        case .strategyPicker(let selection)?:
            StrategyPickerOverlay(strategies: state.document.strategies, selection: selection, current: state.list.strategyIndex).render(in: layout.frame, into: &buffer)
        case .voting(let session)?:
            Box(title: "Stakeholder vote", lines: state.votingLines(session), minWidth: 56).render(in: layout.frame, into: &buffer)
        case .estimating(let round)?:
            Box(title: "Estimation round", lines: state.estimationLines(round), minWidth: 56).render(in: layout.frame, into: &buffer)
        case .editFailed(let failure, let id)?:
            ProblemsOverlay(problems: failure.problems.map { $0.described(shift: failure.notesRemoved) }, id: id)
                .render(in: layout.frame, into: &buffer)
        default: break
        }
    }
}
