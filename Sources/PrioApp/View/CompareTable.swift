import PrioEngine

/// The compare screen: each story's manual position and its rank under every strategy, with
/// ▲/▼ against the manual order, sorted by one column; the agreement with the manual order at
/// the bottom.
struct CompareTable: View {
    let state: AppState
    let screen: CompareScreen

    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        guard area.height > 0, let comparison = state.derived.comparison, let order = state.derived.compareOrder else { return }
        let strategies = comparison.strategies
        let number = max(3, String(max(1, comparison.rows.count)).count)
        // Each strategy column: its name, or "9999 ▲9999" at most.
        let rankWidths = strategies.indices.map { k in k == 0 ? number : max(DisplayWidth.of(strategies[k].name), 2 * number + 2) }
        let idWidth = max(2, comparison.rows.prefix(500).map { DisplayWidth.of(state.backlog.stories[$0.storyIndex].id.description) }.max() ?? 2)
        let fixed = 2 + idWidth + 1 + rankWidths.reduce(0) { $0 + $1 + 1 }
        let titleWidth = max(8, area.width - fixed)
        var x = area.x + 2
        func title(_ text: String, _ width: Int, right: Bool, sorted: Bool) {
            let shown = right ? DisplayWidth.pad(text, to: width, alignRight: true) : DisplayWidth.pad(text, to: width)
            buffer.put(shown, row: area.y, column: x, style: CellStyle(bold: true, reverse: sorted, underline: !sorted), maxWidth: width)
            x += width + 1
        }
        title("ID", idWidth, right: false, sorted: false)
        title("Title", titleWidth, right: false, sorted: false)
        for (k, strategy) in strategies.enumerated() {
            title(k == 0 ? "#" : strategy.name, rankWidths[k], right: true, sorted: k == screen.sortColumn)
        }
        let selected = state.selectedIndex.map { Int(order.rowOf[$0]) } ?? -1
        let rows = max(0, area.height - 1)
        for screenRow in 0..<rows {
            let row = screen.top + screenRow
            guard row < order.rows.count else { break }
            let item = comparison.rows[order.rows[row]]
            let story = state.backlog.stories[item.storyIndex]
            let y = area.y + 1 + screenRow
            let isSelected = row == selected
            let style = isSelected ? CellStyle(bold: true, reverse: true) : CellStyle.plain
            if isSelected { buffer.fill(row: y, from: area.x, width: area.width, style: style) }
            buffer.put(isSelected ? "›" : " ", row: y, column: area.x, style: style)
            var x = area.x + 2
            buffer.put(story.id.description, row: y, column: x, style: style, maxWidth: idWidth)
            x += idWidth + 1
            buffer.put(DisplayWidth.truncate(story.title, to: titleWidth), row: y, column: x, style: style, maxWidth: titleWidth)
            x += titleWidth + 1
            for (k, rank) in item.ranks.enumerated() {
                let manual = item.ranks[0]
                var text = String(rank)
                var cellStyle = style
                if k > 0 {
                    text = CompareReport.movement(rank, against: manual)
                    if !isSelected { cellStyle.color = rank < manual ? .green : rank > manual ? .red : .normal }
                }
                buffer.put(DisplayWidth.pad(text, to: rankWidths[k], alignRight: true), row: y, column: x, style: cellStyle,
                           maxWidth: rankWidths[k])
                x += rankWidths[k] + 1
            }
        }
    }

    /// "tau against the manual order: moscow 0.77 · wsjf 0.36 · …", for the line under the table.
    static func agreement(_ comparison: StrategyComparison) -> String {
        let parts = comparison.pairs.filter { $0.a == 0 }.map { "\(comparison.strategies[$0.b].name) \(CompareReport.tauText($0.kendallTau))" }
        return "Kendall's tau against the manual order: " + parts.joined(separator: " · ")
    }
}

/// The matrix screen: the value/effort 2×2 with the selected story highlighted and described.
struct MatrixView: View {
    let state: AppState

    /// Where the plot goes in the body: two columns of margin, the axis names and the
    /// selected story's line kept free.
    static func plotArea(_ body: Rect) -> Rect {
        Rect(x: body.x + 2, y: body.y + 1, width: body.width - 4, height: body.height - 3)
    }

    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        guard area.height > 3, let matrix = state.derived.matrix else { return }
        guard let plot = state.derived.matrixPlot?.plot, !matrix.points.isEmpty,
              let vm = matrix.valueMedian, let em = matrix.effortMedian else {
            buffer.put("No story has both a value and an effort (or points): nothing to place. Esc goes back.",
                       row: area.y + 1, column: area.x + 2, style: .dim, maxWidth: area.width - 2)
            return
        }
        let plotArea = MatrixView.plotArea(area)
        buffer.put("value ▲   split at the medians: value \(MatrixReport.decimalText(vm)), effort \(MatrixReport.decimalText(em))",
                   row: area.y, column: area.x, style: .dim, maxWidth: area.width)
        for (i, line) in plot.lines.enumerated() where i < plotArea.height {
            buffer.put(line, row: plotArea.y + i, column: plotArea.x, maxWidth: plotArea.width)
        }
        buffer.put("effort ▶", row: plotArea.y + plotArea.height, column: area.x + max(0, area.width - 10), style: .dim)
        let selected = state.selectedIndex.flatMap { index in matrix.points.firstIndex { $0.storyIndex == index } }
        guard let selected else {
            buffer.put("the selected story is not in the matrix: arrows or n pick one", row: area.y + area.height - 1,
                       column: area.x, style: .dim, maxWidth: area.width)
            return
        }
        if let place = plot.placements[selected] {
            buffer.restyle(row: plotArea.y + place.row, column: plotArea.x + place.column, width: place.length) {
                $0 = CellStyle(bold: true, reverse: true)
            }
        }
        let point = matrix.points[selected]
        let story = state.backlog.stories[point.storyIndex]
        let effortName = story.number(.effort) != nil ? "effort" : "points"
        let text = "\(story.id) \(story.title) · value \(story.value(of: .value) ?? "?") · \(effortName) "
            + "\(story.value(of: effortName == "effort" ? .effort : .points) ?? "?") · \(point.quadrant) · rank \(selected + 1) of \(matrix.points.count) by value/effort"
        buffer.put(text, row: area.y + area.height - 1, column: area.x, style: .bold, maxWidth: area.width)
    }
}
