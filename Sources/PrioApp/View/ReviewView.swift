import PrioEngine

/// The sprint review: the sprint's committed and done points, then each story with its
/// status, criteria checked and points, and its acceptance criteria beneath it.
struct ReviewView: View {
    let state: AppState
    let screen: ReviewScreen

    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        guard area.height > 0, area.width > 0, let review = state.derived.review else { return }
        let summary = " " + ReviewReport.summary(review) + "  "
            + PlanReport.gauge(review.done, of: review.committed ?? review.inSprint, width: 16)
        buffer.put(summary, row: area.y, column: area.x, style: .bold, maxWidth: area.width)
        guard area.height > 2 else { return }
        let rows = state.reviewRows()
        if rows.isEmpty {
            buffer.put("  No story is in \(review.sprint). [ and ] show the other sprints.", row: area.y + 2, column: area.x,
                       style: .dim, maxWidth: area.width)
            return
        }
        let visible = area.height - 2
        // Keep the cursor in sight.
        var top = min(screen.top, max(0, rows.count - visible))
        if screen.cursor < top { top = screen.cursor }
        if screen.cursor >= top + visible { top = screen.cursor - visible + 1 }
        let items = Dictionary(review.items.map { ($0.storyIndex, $0) }, uniquingKeysWith: { a, _ in a })
        let right = 26
        let titleWidth = max(8, area.width - right - 8)
        for (offset, row) in rows.dropFirst(top).prefix(visible).enumerated() {
            let y = area.y + 2 + offset
            let selected = top + offset == screen.cursor
            let pointer = selected ? "›" : " "
            switch row {
            case .story(let index):
                let story = state.backlog.stories[index]
                let item = items[index]
                let criteria = (item?.criteria ?? 0) == 0 ? "–" : "\(item?.checked ?? 0)/\(item?.criteria ?? 0)"
                let done = item?.isDone == true
                var style = CellStyle(bold: true, reverse: selected)
                if done { style.color = .green }
                buffer.fill(row: y, from: area.x, width: area.width, style: selected ? .reverse : .plain)
                let used = buffer.put("\(pointer) \(story.id) ", row: y, column: area.x, style: style, maxWidth: area.width)
                buffer.put(story.title, row: y, column: area.x + used, style: style, maxWidth: min(titleWidth, area.width - used))
                let status = story.status.description
                let tail = "\(status.padding(12)) \(criteria.leftPadding(5)) \((story.points?.description ?? "").leftPadding(4)) pts"
                if area.width > right + 10 {
                    buffer.put(tail, row: y, column: area.x + area.width - DisplayWidth.of(tail) - 1, style: style)
                }
            case .criterion(_, _, let criterion):
                let box = criterion.isChecked ? "[x]" : "[ ]"
                let style = CellStyle(reverse: selected, dim: criterion.isChecked)
                if selected { buffer.fill(row: y, from: area.x, width: area.width, style: .reverse) }
                buffer.put("\(pointer)     \(box) \(criterion.text)", row: y, column: area.x, style: style, maxWidth: area.width)
            }
        }
    }
}

private extension String {
    func padding(_ width: Int) -> String {
        let w = DisplayWidth.of(self)
        return w >= width ? self : self + String(repeating: " ", count: width - w)
    }

    func leftPadding(_ width: Int) -> String {
        let w = DisplayWidth.of(self)
        return w >= width ? self : String(repeating: " ", count: width - w) + self
    }
}
