import PrioEngine

/// The keys of the compare and matrix screens. Both keep the list's cursor on the story they
/// select, so that leaving them shows the same story.
extension AppState {
    /// `C` in the list: the compare screen, on the list's story (or the first compared one when
    /// the list's is not compared, being done).
    mutating func openCompare() {
        screen = .compare(CompareScreen())
        prepareComparison(sortedBy: 0)
        if let comparison = derived.comparison, let order = derived.compareOrder, let first = order.rows.first,
           selectedIndex.map({ order.rowOf[$0] < 0 }) ?? true {
            list.cursorID = backlog.stories[comparison.rows[first].storyIndex].id
            placeCursor()
        }
        if let order = derived.compareOrder, let index = selectedIndex, order.rowOf[index] >= 0 {
            let visible = max(1, (layout.list?.height ?? 1) - 1)
            screen = .compare(CompareScreen(sortColumn: 0, top: max(0, Int(order.rowOf[index]) - visible / 2)))
        }
        notice = Notice(text: "every strategy side by side: ←/→ sort by a column · Enter detail · Esc back", isError: false)
    }

    /// `M` in the list: the matrix, on the list's story (or the first placed one).
    mutating func openMatrix() {
        screen = .matrix
        notice = nil
        prepareMatrix()
        if let matrix = derived.matrix, let first = matrix.points.first,
           !(selectedIndex.map { index in matrix.points.contains { $0.storyIndex == index } } ?? false) {
            list.cursorID = backlog.stories[first.storyIndex].id
            placeCursor()
        }
    }

    /// `C`: j/k and the pages move, ←/→ (h/l) sort by another column, Enter opens the detail.
    mutating func handleCompare(_ key: Key, _ state: CompareScreen) {
        guard let comparison = derived.comparison, let order = derived.compareOrder else { return }
        var state = state
        let count = order.rows.count
        let current = selectedIndex.map { Int(order.rowOf[$0]) } ?? -1
        let visible = max(1, (layout.list?.height ?? 1) - 1)
        let page = max(1, visible - 1)
        func select(_ row: Int) {
            guard count > 0 else { return }
            let row = min(max(0, row), count - 1)
            list.cursorID = backlog.stories[comparison.rows[order.rows[row]].storyIndex].id
            placeCursor()
            if row < state.top { state.top = row }
            if row >= state.top + visible { state.top = row - visible + 1 }
        }
        let columns = comparison.strategies.count
        switch key {
        case .character("j"), .down: select(current + 1)
        case .character("k"), .up: select(max(0, current - 1))
        case .character("g"), .home: select(0)
        case .character("G"), .end: select(count - 1)
        case .pageDown, .control("d"): select(current + page)
        case .pageUp, .control("u"): select(current - page)
        case .character("l"), .right, .tab: state.sortColumn = (state.sortColumn + 1) % columns
        case .character("h"), .left, .backTab: state.sortColumn = (state.sortColumn + columns - 1) % columns
        case .character(let c) where c.isASCII && c.isNumber:
            if let n = Int(String(c)), n < columns { state.sortColumn = n }
        case .enter:
            if selectedStory != nil {
                list.detailScroll = 0
                screen = .detail
                return
            }
        case .escape, .character("q"), .character("C"):
            screen = .list
            placeCursor()
            return
        case .click(let row, let column):
            if let listRow = layout.listRow(atRow: row, column: column) { select(state.top + listRow) }
        case .character("?"): overlay = .help
        default: break
        }
        if state.sortColumn != order.column {
            // The same story stays selected, at its row in the new order.
            screen = .compare(state)
            prepareComparison(sortedBy: state.sortColumn)
            if let order = derived.compareOrder, let index = selectedIndex, order.rowOf[index] >= 0 {
                let row = Int(order.rowOf[index])
                state.top = max(0, row - visible / 2)
            }
            let name = state.sortColumn == 0 ? "the manual order" : comparison.strategies[state.sortColumn].title
            notice = Notice(text: "sorted by \(name)", isError: false)
        }
        screen = .compare(state)
    }

    /// `M`: the arrows move to the nearest story that way, n/N step through them in rank
    /// order, Enter opens the detail.
    mutating func handleMatrix(_ key: Key) {
        guard let matrix = derived.matrix, let plot = derived.matrixPlot?.plot, !matrix.points.isEmpty else {
            if key == .escape || key == .character("q") || key == .character("M") { screen = .list }
            return
        }
        let current = selectedIndex.flatMap { index in matrix.points.firstIndex { $0.storyIndex == index } }
        func select(_ point: Int) {
            list.cursorID = backlog.stories[matrix.points[point].storyIndex].id
            placeCursor()
        }
        guard let current else {
            switch key {
            case .escape, .character("q"), .character("M"): screen = .list
            default: select(0)
            }
            return
        }
        switch key {
        case .right, .character("l"): if let next = nearest(plot.cells, from: current, dx: 1, dy: 0) { select(next) }
        case .left, .character("h"): if let next = nearest(plot.cells, from: current, dx: -1, dy: 0) { select(next) }
        case .up, .character("k"): if let next = nearest(plot.cells, from: current, dx: 0, dy: -1) { select(next) }
        case .down, .character("j"): if let next = nearest(plot.cells, from: current, dx: 0, dy: 1) { select(next) }
        case .character("n"), .tab: select((current + 1) % matrix.points.count)
        case .character("N"), .backTab: select((current + matrix.points.count - 1) % matrix.points.count)
        case .enter:
            list.detailScroll = 0
            screen = .detail
        case .escape, .character("q"), .character("M"):
            screen = .list
        case .character("?"): overlay = .help
        default: break
        }
    }

    /// The point nearest to `from` in a direction: ahead of it that way, closest with the
    /// sideways distance counting double; nil when none is that way.
    func nearest(_ cells: [(column: Int, row: Int)], from: Int, dx: Int, dy: Int) -> Int? {
        let origin = cells[from]
        var best: (index: Int, cost: Int)?
        for (i, cell) in cells.enumerated() where i != from {
            let ahead = dx != 0 ? (cell.column - origin.column) * dx : (cell.row - origin.row) * dy
            let side = dx != 0 ? abs(cell.row - origin.row) : abs(cell.column - origin.column)
            guard ahead > 0 else { continue }
            let cost = ahead + 2 * side
            if best.map({ cost < $0.cost }) ?? true { best = (i, cost) }
        }
        return best?.index
    }
}
