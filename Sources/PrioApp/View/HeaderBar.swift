import PrioEngine

/// The title bar: the backlog's name and file, the unsaved marker, the filter and the ranking.
struct HeaderBar: View {
    let state: AppState

    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let width = area.width
        buffer.fill(row: area.y, from: area.x, width: width, style: .reverse)
        let name = state.backlog.header.name ?? "Backlog"
        let fileName = PathName.lastComponent(of: state.document.file.path)
        // The unsaved marker is the last thing a narrow screen gives up.
        let marker = state.isDirty ? " [+]" : ""
        var right = state.strategy.title
        if state.isManual, let index = state.headerStrategyIndex { right += " · ranks by \(state.document.strategies.all[index].title)" }
        if state.list.fold != nil { right += " · by epic" }
        if !state.list.filter.isEmpty { right = "filter: \(state.list.filter.summary) · " + right }
        switch state.screen {
        case .compare(let compare):
            let column = compare.sortColumn
            let strategies = state.document.strategies.all
            right = "Compare strategies · sorted by " + (column == 0 || column >= strategies.count ? "the manual order" : strategies[column].title)
        case .matrix: right = "Value / effort matrix"
        case .review(let review): right = "Sprint review · \(review.sprint)"
        default: break
        }
        right += " "
        var rightWidth = DisplayWidth.of(right)
        if rightWidth + DisplayWidth.of(marker) + 8 > width {
            right = ""
            rightWidth = 0
        }
        let markerWidth = DisplayWidth.of(marker)
        let room = max(0, width - rightWidth - markerWidth - (rightWidth > 0 ? 1 : 0))
        let used = buffer.put(" \(name) — \(fileName)", row: area.y, column: area.x, style: .reverse, maxWidth: room)
        buffer.put(marker, row: area.y, column: area.x + used, style: CellStyle(bold: true, reverse: true, color: .yellow))
        if rightWidth > 0 {
            buffer.put(right, row: area.y, column: area.x + width - rightWidth, style: .reverse)
        }
    }
}
