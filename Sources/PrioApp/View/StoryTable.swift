import PrioEngine

/// The story list: column titles, then one row per story from the scroll position, with the
/// cursor row, the score bars and the search highlights.
struct StoryTable: View {
    let state: AppState

    struct Column {
        var title: String
        var width: Int
        var alignRight = false
        /// What the column's title row shows, when not its title.
        var heading: String?
    }

    /// The mark of an open story that fails the header's Definition of Ready.
    static let notReadyMark = "○"

    func columns(width: Int) -> [Column] {
        let showScore = !state.isManual || state.derived.reference != nil
        var idWidth = 2
        var numberWidthShown = 4
        let visible = min(state.rowCount, state.list.top + state.listHeight)
        for row in state.list.top..<max(state.list.top, visible) {
            idWidth = max(idWidth, DisplayWidth.of(state.backlog.stories[state.storyIndex(atRow: row)].id.description))
            if !state.isManual, let fraction = score(atRow: row)?.fraction { numberWidthShown = max(numberWidthShown, fraction.formatted.count) }
        }
        // Positions and ranks go up to the backlog's size, whatever the filter shows.
        let numberWidth = max(1, String(max(state.backlog.stories.count, 1)).count)
        var columns: [Column] = [Column(title: "#", width: numberWidth, alignRight: true)]
        // A narrow column for the not-ready mark, when the header declares a Definition of Ready.
        if state.derived.ready != nil { columns.append(Column(title: "Ready", width: 1, heading: "")) }
        columns += [Column(title: "ID", width: idWidth), Column(title: "Title", width: 0)]
        var optional: [Column] = []
        if state.isManual && state.derived.reference != nil { optional.append(Column(title: "Rank", width: max(4, numberWidth), alignRight: true)) }
        optional.append(Column(title: "MoSCoW", width: 6))
        // A computed ranking draws a bar before the number (`▇▇▇▁▁ 4.80`).
        if showScore { optional.append(Column(title: "Score", width: state.isManual ? 8 : StoryTable.scoreBarWidth + 1 + numberWidthShown, alignRight: true)) }
        optional += [Column(title: "Pts", width: 4, alignRight: true), Column(title: "Status", width: 11)]
        // Drop optional columns from the right until the title keeps at least 12 columns.
        func used(_ cols: [Column]) -> Int { cols.reduce(0) { $0 + $1.width } + 2 + cols.count }
        while !optional.isEmpty && used(columns + optional) + 12 > width {
            // Keep the score and rank longest: they are why a ranking is shown.
            if let index = optional.lastIndex(where: { $0.title != "Score" && $0.title != "Rank" }) {
                optional.remove(at: index)
            } else {
                optional.removeLast()
            }
        }
        columns += optional
        let titleIndex = columns.firstIndex { $0.title == "Title" } ?? 2
        columns[titleIndex].width = max(1, width - used(columns))
        return columns
    }

    /// Draws the titles on the first row of `area` and the stories below.
    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        guard area.height > 0 else { return }
        let width = area.width
        let columns = columns(width: width)
        // Column titles.
        var x = area.x + 2
        for column in columns {
            let title = column.heading ?? column.title
            let text = column.alignRight ? String(repeating: " ", count: max(0, column.width - DisplayWidth.of(title))) + title : title
            buffer.put(text, row: area.y, column: x, style: CellStyle(bold: true, underline: true), maxWidth: column.width)
            x += column.width + 1
        }
        if state.rowCount == 0 {
            let text = emptyListReason()
            if area.height > 1 { buffer.put(text, row: area.y + 1, column: area.x + 2, style: .dim, maxWidth: width - 2) }
            return
        }
        let workflow = state.backlog.workflow
        let showsScore = columns.contains { $0.title == "Score" }
        // The bar is scaled to the top score: the ranking's first entry (rankings sort by score).
        let topScore = topScoreShown()
        var highlight: TextQuery?
        if case .search(let typed, _)? = state.overlay { highlight = TextQuery(typed) } else { highlight = TextQuery(state.list.searchQuery) }
        for screenRow in 0..<min(state.listHeight, area.height - 1) {
            let row = state.list.top + screenRow
            guard row < state.rowCount else { break }
            let story = state.backlog.stories[state.storyIndex(atRow: row)]
            let selected = row == state.list.cursor
            // Done and unscored rows step back: dim, without colour (the text says why).
            let done = workflow.isDone(story)
            let unscored = showsScore && score(atRow: row)?.fraction == nil
            // An epic row shown only for its children (done under a ranking, filtered out) steps back too.
            let context = state.foldRow(atRow: row).map { !$0.isShown } ?? false
            var style = CellStyle.plain
            if done || unscored || context { style.dim = true }
            if selected { style = CellStyle(bold: true, reverse: true) }
            let colored = !selected && !style.dim
            let y = area.y + 1 + screenRow
            if selected { buffer.fill(row: y, from: area.x, width: width, style: style) }
            let marked = !state.list.marks.isEmpty && state.list.marks.contains(story.id)
            buffer.put(selected ? (marked ? "»" : "›") : (marked ? "•" : " "), row: y, column: area.x, style: style)
            var x = area.x + 2
            for column in columns {
                var text = cell(column.title, story: story, row: row, width: column.width)
                var cellStyle = style
                if colored {
                    if column.title == "Ready" { cellStyle = CellStyle(bold: true, color: .yellow) }
                    if column.title == "MoSCoW" { cellStyle = StoryTable.style(of: story.moscow) }
                    if column.title == "Status" { cellStyle = StoryTable.style(ofStatus: story.status.description) }
                }
                if column.title == "Score", !state.isManual, let topScore, let fraction = score(atRow: row)?.fraction,
                   DisplayWidth.of(text) <= column.width - StoryTable.scoreBarWidth - 1 {
                    // The bar, then the number right-aligned after it.
                    let filled = StoryTable.scoreBarCells(fraction, top: topScore)
                    buffer.put(String(repeating: "▇", count: filled), row: y, column: x,
                               style: colored ? CellStyle(color: .green) : style)
                    buffer.put(String(repeating: "▁", count: StoryTable.scoreBarWidth - filled), row: y, column: x + filled,
                               style: colored ? .dim : style)
                    text = DisplayWidth.pad(text, to: column.width - StoryTable.scoreBarWidth - 1, alignRight: true)
                    buffer.put(" " + text, row: y, column: x + StoryTable.scoreBarWidth, style: cellStyle)
                    x += column.width + 1
                    continue
                }
                let shown = DisplayWidth.truncate(text, to: column.width)
                let pad = column.alignRight ? max(0, column.width - DisplayWidth.of(shown)) : 0
                buffer.put(shown, row: y, column: x + pad, style: cellStyle, maxWidth: column.width)
                if let highlight, column.title == "Title" || column.title == "ID" {
                    for range in highlight.highlights(in: shown) where range.lowerBound < column.width {
                        let end = min(range.upperBound, column.width)
                        buffer.restyle(row: y, column: x + pad + range.lowerBound, width: end - range.lowerBound) {
                            StoryTable.highlight(&$0)
                        }
                    }
                }
                x += column.width + 1
            }
        }
    }

    /// Cells of the score bar.
    static let scoreBarWidth = 5

    /// How many of the bar's cells a score fills: rounded down, so only the top score fills
    /// them all; any positive score fills one.
    static func scoreBarCells(_ score: Fraction, top: Fraction) -> Int {
        let topValue = top.doubleValue
        guard topValue > 0, score.doubleValue > 0 else { return 0 }
        if score >= top { return scoreBarWidth }
        let cells = Int((score.doubleValue / topValue * Double(scoreBarWidth)).rounded(.down))
        return min(scoreBarWidth, max(1, cells))
    }

    /// MoSCoW colours: must red and bold, should yellow, could cyan, won't dim.
    static func style(of moscow: MoSCoW?) -> CellStyle {
        switch moscow {
        case .must?: CellStyle(bold: true, color: .red)
        case .should?: CellStyle(color: .yellow)
        case .could?: CellStyle(color: .cyan)
        case .wont?: .dim
        case nil: .plain
        }
    }

    /// Status colours: ready green, work in progress yellow (done rows are dimmed whole).
    static func style(ofStatus status: String) -> CellStyle {
        switch status.lowercased() {
        case "ready": CellStyle(color: .green)
        case "in-progress", "doing", "review", "in-review": CellStyle(color: .yellow)
        default: .plain
        }
    }

    /// A search match: reverse video flipped against the row's (so it shows on the cursor
    /// bar too), underlined and bold, yellow where there is colour.
    static func highlight(_ style: inout CellStyle) {
        style.reverse.toggle()
        style.underline = true
        style.bold = true
        style.dim = false
        style.color = .yellow
    }

    func cell(_ column: String, story: Story, row: Int, width: Int = Int.max) -> String {
        switch column {
        case "#":
            // An epic the ranking leaves out (shown for its children) has no rank.
            if !state.isManual, state.foldRow(atRow: row)?.isShown == false { return "" }
            return String((state.entry(atRow: row)?.rank) ?? (state.storyIndex(atRow: row) + 1))
        case "Ready":
            guard let judge = state.derived.ready, !state.backlog.workflow.isDone(story) else { return "" }
            return judge.isReady(story) ? "" : StoryTable.notReadyMark
        case "ID": return story.id.description
        case "Title":
            let title = titleCell(story: story, row: row)
            guard let foldRow = state.foldRow(atRow: row), foldRow.group != nil else { return title }
            guard foldRow.isEpic, let rollup = state.rollup(atRow: row) else { return "  " + title }
            // The roll-up stays whole; the title gives way when the column is narrow.
            let head = (state.list.fold?.open.contains(story.id) == true ? "▾ " : "▸ ") + title
            var tail = " · " + EpicsReport.brief(rollup)
            // Short of room, the title keeps its place over the count of stories.
            if width != Int.max && DisplayWidth.of(head + tail) > width { tail = " · " + EpicsReport.brief(rollup, stories: false) }
            let room = width == Int.max ? Int.max : width - DisplayWidth.of(tail)
            return room >= 8 ? DisplayWidth.truncate(head, to: room) + tail : head + tail
        case "MoSCoW": return story.moscow?.rawValue ?? ""
        case "Score":
            guard let score = score(atRow: row) else { return "" }
            return score.fraction?.formatted ?? "–"
        case "Rank":
            guard let reference = state.derived.reference else { return "" }
            let rank = reference.ranks[state.storyIndex(atRow: row)]
            return rank > 0 ? String(rank) : ""
        case "Pts": return story.points?.description ?? ""
        case "Status": return story.status.description
        default: return ""
        }
    }

    /// The title with its mark: planned, pinned, waiting on a story below, votes disagreeing.
    func titleCell(story: Story, row: Int) -> String {
        if let planning = state.planning, story.value(of: .sprint) == planning.sprint { return "● " + story.title }
        if state.entry(atRow: row)?.pin != nil { return "⚑ " + story.title }
        // Ranked above a story it depends on: it cannot be worked in this order.
        if let ranking = state.list.ranking, let entry = state.entry(atRow: row), !ranking.waitsFor(entry).isEmpty { return "⚠ " + story.title }
        if state.isManual, !state.waitsBelow(state.storyIndex(atRow: row)).isEmpty { return "⚠ " + story.title }
        // The stakeholders' votes disagree, or the team's estimates spread.
        if !state.backlog.disagreements(of: story).isEmpty { return "≠ " + story.title }
        return story.title
    }

    /// The highest score of the ranking: the first entry's, unless pins put others above it
    /// (then the highest among those and the first unpinned one). O(pins).
    func topScoreShown() -> Fraction? {
        guard let entries = state.list.ranking?.entries else { return nil }
        var best: Fraction?
        for entry in entries {
            if let score = entry.score.fraction, best.map({ score > $0 }) ?? true { best = score }
            if entry.pin == nil { break }
        }
        return best
    }

    /// The score shown on a row: the ranking's, or in the manual order the header strategy's.
    func score(atRow row: Int) -> Score? {
        if let entry = state.entry(atRow: row) { return entry.score }
        guard state.isManual, let reference = state.derived.reference else { return nil }
        let index = state.storyIndex(atRow: row)
        return reference.ranks[index] > 0 ? reference.scores[index] : nil
    }

    /// Why the list is empty: no stories, or a filter that matches none (of those a ranking shows).
    func emptyListReason() -> String {
        if state.backlog.stories.isEmpty { return "No stories yet: press a to add one." }
        let workflow = state.backlog.workflow
        if !state.list.filter.isEmpty, state.list.ranking != nil, state.backlog.stories.contains(where: { workflow.isDone($0) && state.list.filter.matches($0) }) {
            return "Only done stories match the filter, and rankings leave done stories out (s to Manual order shows them; F clears the filter)."
        }
        return "No story matches the filter \(state.list.filter.summary) (F clears it)."
    }
}
