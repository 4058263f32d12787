import Foundation
import PrioEngine

extension AppState {
    /// Draws the whole screen into a buffer of `width` × `height` cells.
    func render(into buffer: inout ScreenBuffer) {
        guard width > 0 && height > 0 else { return }
        drawHeader(into: &buffer)
        var planning = false
        if case .planning = mode { planning = true }
        if case .capacity = mode { planning = true }
        if planning {
            drawPlanning(into: &buffer)
        } else if case .detail = mode, selectedStory != nil {
            drawDetail(into: &buffer, row: 1, column: 0, width: width, height: height - 2)
        } else {
            let listWidth = paneWidth > 0 ? width - paneWidth - 1 : width
            drawList(into: &buffer, width: listWidth)
            if paneWidth > 0 && height > 3 {
                for row in 1..<(height - 1) { buffer.put("│", row: row, column: listWidth, style: .dim) }
                drawDetail(into: &buffer, row: 1, column: listWidth + 1, width: paneWidth, height: height - 2)
            }
        }
        if height >= 2 { drawStatus(into: &buffer) }
        switch mode {
        case .help: drawHelp(into: &buffer)
        case .form(let form): drawForm(form, into: &buffer)
        case .filterMenu(let menu): drawFilterMenu(menu, into: &buffer)
        case .strategyPicker(let selection): drawStrategyPicker(selection, into: &buffer)
        case .editFailed(_, let problems, let id): drawProblems(problems, id: id, into: &buffer)
        default: break
        }
    }

    // MARK: Header and status

    func drawHeader(into buffer: inout ScreenBuffer) {
        buffer.fill(row: 0, style: .reverse)
        let name = backlog.header.name ?? "Backlog"
        let fileName = PathName.lastComponent(of: file.path)
        // The unsaved marker is the last thing a narrow screen gives up.
        let marker = isDirty ? " [+]" : ""
        var right = strategy.title
        if isManual, let index = headerStrategyIndex { right += " · ranks by \(StrategyRegistry.all[index].title)" }
        if !filter.isEmpty { right = "filter: \(filter.summary) · " + right }
        right += " "
        var rightWidth = DisplayWidth.of(right)
        if rightWidth + DisplayWidth.of(marker) + 8 > width {
            right = ""
            rightWidth = 0
        }
        let markerWidth = DisplayWidth.of(marker)
        let room = max(0, width - rightWidth - markerWidth - (rightWidth > 0 ? 1 : 0))
        let used = buffer.put(" \(name) — \(fileName)", row: 0, column: 0, style: .reverse, maxWidth: room)
        buffer.put(marker, row: 0, column: used, style: CellStyle(bold: true, reverse: true, color: .yellow))
        if rightWidth > 0 {
            buffer.put(right, row: 0, column: width - rightWidth, style: .reverse)
        }
    }

    func drawStatus(into buffer: inout ScreenBuffer) {
        let row = height - 1
        buffer.fill(row: row, style: .reverse)
        var text: String
        var style = CellStyle.reverse
        switch mode {
        case .quitPrompt: text = " s save and quit · d discard and quit · Esc cancel — unsaved changes"
        case .deleteConfirm(let id):
            let dependents = backlog.dependents(of: id)
            text = " Delete \(id)? y yes · any other key no"
            if !dependents.isEmpty { text += " (drops it from the depends of \(dependents.map(\.description).joined(separator: ", ")))" }
        case .moveTo(let typed): text = " Move \(cursorID?.description ?? "") to position (1-\(backlog.stories.count)): \(typed)▏"
        case .search(let query, _): text = " /\(query)▏"
        case .filterText(let typed): text = " Show stories whose ID, title, tags or description contain: \(typed)▏ (Enter filters, empty removes, Esc cancels)"
        case .conflict: text = " \(PathName.lastComponent(of: file.path)) changed on disk: r reload (keeps yours aside) · o overwrite (keeps theirs aside) · a save as · Esc"
        case .saveAs(let typed):
            if let message, message.isError {
                text = " Save a copy as: \(typed)▏ — \(message.text)"
                style.bold = true
                style.color = .red
            } else {
                text = " Save a copy as: \(typed)▏ (Enter saves, Esc cancels)"
            }
        case .recovery(_, let modified): text = " Unsaved changes from \(AppState.formatTime(modified)) were recovered: r restore · d discard · k keep for later"
        case .exportOverwrite(let form):
            let name = form.fields.first { $0.key == "file" }?.text ?? ""
            text = " \(name) exists: y replace it · n back to the form"
        case .editFailed(_, _, let id): text = " The edit of \(id) does not parse: e edit again · d discard"
        case .form(let form) where form.focusIsChoice:
            text = " ←/→ or Space change · Tab/↓ next field · ↑ previous · Enter \(form.submitVerb) · Esc cancel"
        case .form(let form): text = " Tab/↓ next field · ↑ previous · Enter \(form.submitVerb) · Esc cancel · Ctrl-U clear field"
        case .filterMenu: text = " j/k move · Space toggle · / text · F clear all · Esc close"
        case .strategyPicker: text = " j/k move · Enter rank by it · 1-\(StrategyRegistry.all.count) choose · Esc close"
        case .help: text = " any key closes the help"
        case .capacity(let typed): text = " Capacity of \(planSprint) in points: \(typed)▏ (Enter sets, Esc cancels)"
        case .planning where message == nil:
            if let warning = planCache?.warnings.first {
                // The DSDM guard shows at any height: the status line is always there.
                text = " ⚠ " + warning
                style.bold = true
            } else {
                text = " Space plan/unplan · f fill · c capacity · [ ] sprint · ? keys · w save · Esc leave"
            }
        case .planConfirm(let id, let reason):
            text = " \(id) (\(reason)): plan it in \(planSprint) anyway? y yes · any other key no"
        default:
            if let message {
                text = " " + message.text
                if message.isError {
                    style.bold = true
                    style.color = .red
                }
            } else {
                text = " " + counts()
                let hints = "? help · q quit "
                let hintWidth = DisplayWidth.of(hints)
                if DisplayWidth.of(text) + hintWidth + 2 <= width {
                    buffer.put(hints, row: row, column: width - hintWidth, style: .reverse)
                }
            }
        }
        buffer.put(text, row: row, column: 0, style: style, maxWidth: width)
    }

    /// "36 stories · 31 open · 142 pts", for what is shown (cached until the next change).
    func counts() -> String {
        countsCache[countsKey] ?? computeCounts()
    }

    func computeCounts() -> String {
        // Points are summed per decimal scale in 128-bit integers (exact and cheap), then joined.
        var sums: [Int: Int128] = [:]
        var open = 0
        let total = rowCount
        let workflow = backlog.workflow
        backlog.stories.withUnsafeBufferPointer { stories in
            for row in 0..<total {
                let story = stories[ranking == nil && rows == nil ? row : storyIndex(atRow: row)]
                if !workflow.isDone(story) { open += 1 }
                if let p = story.points {
                    let (sum, overflow) = sums[p.scale, default: 0].addingReportingOverflow(p.mantissa)
                    if !overflow { sums[p.scale] = sum }
                }
            }
        }
        var points = Fraction(0)
        for (scale, sum) in sums {
            points = points.adding(DecimalNumber(mantissa: sum, scale: scale).fraction) ?? points
        }
        return "\(Plural.count(total, "story", "stories")) · \(open) open · \(Plural.points(points))"
    }

    // MARK: The list

    struct Column {
        var title: String
        var width: Int
        var alignRight = false
    }

    func columns(width: Int) -> [Column] {
        let showScore = !isManual || reference != nil
        var idWidth = 2
        var numberWidthShown = 4
        let visible = min(rowCount, top + listHeight)
        for row in top..<max(top, visible) {
            idWidth = max(idWidth, DisplayWidth.of(backlog.stories[storyIndex(atRow: row)].id.description))
            if !isManual, let fraction = score(atRow: row)?.fraction { numberWidthShown = max(numberWidthShown, fraction.formatted.count) }
        }
        // Positions and ranks go up to the backlog's size, whatever the filter shows.
        let numberWidth = max(1, String(max(backlog.stories.count, 1)).count)
        var columns: [Column] = [Column(title: "#", width: numberWidth, alignRight: true), Column(title: "ID", width: idWidth),
                                 Column(title: "Title", width: 0)]
        var optional: [Column] = []
        if isManual && reference != nil { optional.append(Column(title: "Rank", width: max(4, numberWidth), alignRight: true)) }
        optional.append(Column(title: "MoSCoW", width: 6))
        // A computed ranking draws a bar before the number (`▇▇▇▁▁ 4.80`).
        if showScore { optional.append(Column(title: "Score", width: isManual ? 8 : AppState.scoreBarWidth + 1 + numberWidthShown, alignRight: true)) }
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
        let titleIndex = 2
        columns[titleIndex].width = max(1, width - used(columns))
        return columns
    }

    func drawList(into buffer: inout ScreenBuffer, width: Int) {
        guard height > 2 else { return }
        let columns = columns(width: width)
        // Column titles.
        var x = 2
        for column in columns {
            let text = column.alignRight ? String(repeating: " ", count: max(0, column.width - DisplayWidth.of(column.title))) + column.title : column.title
            buffer.put(text, row: 1, column: x, style: CellStyle(bold: true, underline: true), maxWidth: column.width)
            x += column.width + 1
        }
        if rowCount == 0 {
            let text = emptyListReason()
            if height > 3 { buffer.put(text, row: 2, column: 2, style: .dim, maxWidth: width - 2) }
            return
        }
        let workflow = backlog.workflow
        let showsScore = columns.contains { $0.title == "Score" }
        // The bar is scaled to the top score: the ranking's first entry (rankings sort by score).
        let topScore = ranking?.entries.first?.score.fraction
        var highlight: TextQuery?
        if case .search(let typed, _) = mode { highlight = TextQuery(typed) } else { highlight = TextQuery(searchQuery) }
        for screenRow in 0..<listHeight {
            let row = top + screenRow
            guard row < rowCount else { break }
            let story = backlog.stories[storyIndex(atRow: row)]
            let selected = row == cursor
            // Done and unscored rows step back: dim, without colour (the text says why).
            let done = workflow.isDone(story)
            let unscored = showsScore && score(atRow: row)?.fraction == nil
            var style = CellStyle.plain
            if done || unscored { style.dim = true }
            if selected { style = CellStyle(bold: true, reverse: true) }
            let colored = !selected && !style.dim
            let y = screenRow + 2
            if selected { buffer.fill(row: y, from: 0, width: width, style: style) }
            buffer.put(selected ? "›" : " ", row: y, column: 0, style: style)
            var x = 2
            for column in columns {
                var text = cell(column.title, story: story, row: row)
                var cellStyle = style
                if colored {
                    if column.title == "MoSCoW" { cellStyle = AppState.style(of: story.moscow) }
                    if column.title == "Status" { cellStyle = AppState.style(ofStatus: story.status.description) }
                }
                if column.title == "Score", !isManual, let topScore, let fraction = score(atRow: row)?.fraction,
                   DisplayWidth.of(text) <= column.width - AppState.scoreBarWidth - 1 {
                    // The bar, then the number right-aligned after it.
                    let filled = AppState.scoreBarCells(fraction, top: topScore)
                    buffer.put(String(repeating: "▇", count: filled), row: y, column: x,
                               style: colored ? CellStyle(color: .green) : style)
                    buffer.put(String(repeating: "▁", count: AppState.scoreBarWidth - filled), row: y, column: x + filled,
                               style: colored ? .dim : style)
                    text = DisplayWidth.pad(text, to: column.width - AppState.scoreBarWidth - 1, alignRight: true)
                    buffer.put(" " + text, row: y, column: x + AppState.scoreBarWidth, style: cellStyle)
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
                            AppState.highlight(&$0)
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

    func cell(_ column: String, story: Story, row: Int) -> String {
        switch column {
        case "#": return String((entry(atRow: row)?.rank) ?? (storyIndex(atRow: row) + 1))
        case "ID": return story.id.description
        case "Title":
            var planning = false
            if case .planning = mode { planning = true }
            if planning && story.value(of: .sprint) == planSprint { return "● " + story.title }
            // Ranked above a story it depends on: it cannot be worked in this order.
            if let ranking, let entry = entry(atRow: row), !ranking.waitsFor(entry).isEmpty { return "⚠ " + story.title }
            if isManual, !waitsBelow(storyIndex(atRow: row)).isEmpty { return "⚠ " + story.title }
            return story.title
        case "MoSCoW": return story.moscow?.rawValue ?? ""
        case "Score":
            guard let score = score(atRow: row) else { return "" }
            return score.fraction?.formatted ?? "–"
        case "Rank":
            guard let reference else { return "" }
            let rank = reference.ranks[storyIndex(atRow: row)]
            return rank > 0 ? String(rank) : ""
        case "Pts": return story.points?.description ?? ""
        case "Status": return story.status.description
        default: return ""
        }
    }

    /// The score shown on a row: the ranking's, or in the manual order the header strategy's.
    func score(atRow row: Int) -> Score? {
        if let entry = entry(atRow: row) { return entry.score }
        guard isManual, let reference else { return nil }
        let index = storyIndex(atRow: row)
        return reference.ranks[index] > 0 ? reference.scores[index] : nil
    }

    // MARK: Detail

    /// The selected story's fields, score explanation and description.
    func drawDetail(into buffer: inout ScreenBuffer, row: Int, column: Int, width: Int, height: Int) {
        guard width > 2 && height > 0, let index = selectedIndex else { return }
        let story = backlog.stories[index]
        var lines: [(String, CellStyle)] = []
        let inner = width - 2
        func add(_ text: String, _ style: CellStyle = .plain) {
            for line in wrap(text, width: inner) { lines.append((line, style)) }
        }
        add("\(story.id) \(story.title)", .bold)
        add("position \(index + 1) of \(backlog.stories.count) in the manual order", .dim)
        lines.append(("", .plain))
        for field in story.fields { add("\(field.rawKey): \(field.value)") }
        if story.fields.isEmpty { add("no fields", .dim) }
        if let line = forecastLine(for: index) { add(line, .dim) }
        if isManual, case let waits = waitsBelow(index), !waits.isEmpty, let positions {
            add("⚠ waits for " + waits.map { "\($0) (position \((positions[$0] ?? 0) + 1))" }.joined(separator: " and ")
                + ", later in the manual order", .bold)
        }
        if let ranking, let entry = entry(atRow: min(cursor, rowCount - 1)) {
            lines.append(("", .plain))
            add("\(ranking.strategy.title), rank \(entry.rank):", .bold)
            add(ranking.explanation(entry))
        } else if !isManual {
            lines.append(("", .plain))
            add("not ranked (done stories are left out)", .dim)
        } else if let reference, reference.ranks.indices.contains(index) {
            let strategy = StrategyRegistry.all[reference.strategyIndex]
            lines.append(("", .plain))
            if reference.ranks[index] > 0 {
                add("\(strategy.title), rank \(reference.ranks[index]):", .bold)
                add(strategy.explain(story, score: reference.scores[index], context: reference.context))
            } else {
                add("\(strategy.title): not ranked (done stories are left out)", .dim)
            }
        }
        if !story.description.isEmpty {
            lines.append(("", .plain))
            for line in story.description.split(separator: "\n", omittingEmptySubsequences: false) { add(String(line)) }
        }
        // Scrolled with j/k and PgUp/PgDn in the detail view; the last row says what is below.
        let first = min(detailScroll, max(0, lines.count - height))
        var shown = Array(lines.dropFirst(first).prefix(height))
        if lines.count - first > height, height > 1 {
            shown[height - 1] = ("… \(lines.count - first - height + 1) more lines (\(isDetailMode ? "j/k, PgDn" : "Enter") to read on)", .dim)
        }
        for (i, line) in shown.enumerated() {
            buffer.put(line.0, row: row + i, column: column + 1, style: line.1, maxWidth: inner)
        }
    }

    var isDetailMode: Bool {
        if case .detail = mode { return true }
        return false
    }

    /// Why the list is empty: no stories, or a filter that matches none (of those a ranking shows).
    func emptyListReason() -> String {
        if backlog.stories.isEmpty { return "No stories yet: press a to add one." }
        if !filter.isEmpty, ranking != nil, backlog.stories.contains(where: { backlog.workflow.isDone($0) && filter.matches($0) }) {
            return "Only done stories match the filter, and rankings leave done stories out (s to Manual order shows them; F clears the filter)."
        }
        return "No story matches the filter \(filter.summary) (F clears it)."
    }

    /// The detail pane's forecast line for a story, from the forecast `prepareForRender` made.
    func forecastLine(for index: Int) -> String? {
        let story = backlog.stories[index]
        guard let forecast = forecasts[strategyIndex], story.value(of: .sprint) == nil, !backlog.workflow.isDone(story) else { return nil }
        switch forecast.placement(of: index) {
        case .sprint(let name, let start, let end)?:
            let dates = start.map { " (\($0) .. \(end ?? ""))" } ?? ""
            if let note = forecast.note(of: index) { return "forecast: \(name)\(dates), \(note)" }
            let capacity = forecast.capacity(at: forecast.sprintNumber(of: index) ?? 0)
            return "forecast: \(name)\(dates) at \(formatForecastVelocity(capacity)) pts per sprint"
        case .none(let reason)?: return "forecast: none (\(reason))"
        case nil: return nil
        }
    }

    /// Splits text into lines of at most `width` columns, at spaces where possible.
    func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        if DisplayWidth.of(text) <= width { return [text] }
        var lines: [String] = []
        var current = ""
        var currentWidth = 0
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            let w = DisplayWidth.of(word)
            if currentWidth > 0 && currentWidth + 1 + w > width {
                lines.append(current)
                current = ""
                currentWidth = 0
            }
            if w > width {
                // A word longer than the line is cut into pieces.
                var piece = ""
                var pieceWidth = 0
                for character in word {
                    let cw = DisplayWidth.of(character)
                    if pieceWidth + cw > width {
                        lines.append(piece)
                        piece = ""
                        pieceWidth = 0
                    }
                    piece.append(character)
                    pieceWidth += cw
                }
                current = piece
                currentWidth = pieceWidth
                continue
            }
            if currentWidth > 0 {
                current += " "
                currentWidth += 1
            }
            current += word
            currentWidth += w
        }
        lines.append(current)
        return lines
    }

    // MARK: Overlays

    /// Draws a framed box in the middle of the screen and returns its inner origin and size.
    func box(title: String, lines: [(String, CellStyle)], into buffer: inout ScreenBuffer, minWidth: Int = 30) {
        let contentWidth = max(minWidth, lines.map { DisplayWidth.of($0.0) }.max() ?? 0, DisplayWidth.of(title) + 4)
        let boxWidth = min(width, contentWidth + 4)
        // Overlays leave the status line (the last row) visible: it says which keys work.
        let boxHeight = min(height > 3 ? height - 1 : height, lines.count + 2)
        guard boxWidth >= 4 && boxHeight >= 2 else { return }
        let left = (width - boxWidth) / 2
        let topRow = max(0, (height - boxHeight) / 2)
        // A one-column margin keeps the list from touching the frame.
        for r in topRow..<(topRow + boxHeight) {
            buffer.fill(row: r, from: max(0, left - 1), width: boxWidth + 2, style: .plain)
        }
        buffer.put("┌" + String(repeating: "─", count: boxWidth - 2) + "┐", row: topRow, column: left)
        buffer.put(" \(title) ", row: topRow, column: left + 2, style: .bold, maxWidth: boxWidth - 4)
        for r in (topRow + 1)..<(topRow + boxHeight - 1) {
            buffer.put("│", row: r, column: left)
            buffer.put("│", row: r, column: left + boxWidth - 1)
        }
        buffer.put("└" + String(repeating: "─", count: boxWidth - 2) + "┘", row: topRow + boxHeight - 1, column: left)
        for (i, line) in lines.prefix(boxHeight - 2).enumerated() {
            buffer.put(line.0, row: topRow + 1 + i, column: left + 2, style: line.1, maxWidth: boxWidth - 4)
        }
    }

    static let helpLines: [(String, String)] = [
        ("j k ↓ ↑", "move the cursor"), ("g G Home End", "first / last story"), ("PgUp PgDn ^U ^D", "page / half page"),
        ("J K Shift-↓ ↑", "move the story down / up"), ("T B  m N", "move to the top / bottom / position N"),
        ("s S", "next / previous strategy"), ("R", "pick a strategy from the list"),
        ("A", "apply the shown ranking to the manual order"),
        ("Enter", "story detail (j/k, PgUp/PgDn scroll; n/N next story)"), ("e  E", "edit fields / the whole story in $VISUAL or $EDITOR"),
        ("a", "add a story"), ("d", "delete the story"), ("u  Ctrl-R", "undo / redo"), ("/  n N", "search / next / previous match"),
        ("f  F", "filter by status, MoSCoW, tag, text (f then /) / clear"), ("x", "export (csv, markdown, json)"),
        ("P", "plan a sprint: Space plan/unplan, f fill, c capacity, Esc back"),
        ("w", "save"), ("q  Ctrl-C", "quit (asks when there are unsaved changes)"), ("?", "this help"),
        ("mouse", "click selects, wheel scrolls"),
    ]

    func drawHelp(into buffer: inout ScreenBuffer) {
        let help = helpFromPlanning ? AppState.planningHelpLines : AppState.helpLines
        let keyWidth = help.map { DisplayWidth.of($0.0) }.max() ?? 0
        let lines = help.map { (DisplayWidth.pad($0.0, to: keyWidth) + "  " + $0.1, CellStyle.plain) }
        box(title: helpFromPlanning ? "Planning keys" : "Keys", lines: lines, into: &buffer)
    }

    static let planningHelpLines: [(String, String)] = [
        ("Space Enter", "plan the story in the sprint, or take it out (asks when the plan would not take it)"),
        ("f", "fill the sprint to capacity along the ranking (and take out what is over capacity)"),
        ("c", "set the sprint's capacity (saved with the plan)"), ("[ ]", "plan the previous / next sprint"),
        ("s S R", "another ranking to fill along"), ("j k g G PgUp PgDn", "move the cursor"),
        ("u  Ctrl-R", "undo / redo"), ("w", "save the plan"), ("Esc P", "back to the list"), ("?", "these keys"),
    ]

    func drawForm(_ form: Form, into buffer: inout ScreenBuffer) {
        let labelWidth = min(28, form.fields.map { DisplayWidth.of($0.label) }.max() ?? 0)
        var lines: [(String, CellStyle)] = []
        let valueWidth = max(10, min(60, width - labelWidth - 10))
        // Keep the focused field visible when the form is taller than the screen.
        let capacity = max(1, height - 3)
        var rows: [(String, CellStyle)] = []
        var focusRow = 0
        for (i, field) in form.fields.enumerated() {
            let focused = i == form.focus
            if focused { focusRow = rows.count }
            let marker = focused ? "›" : " "
            var value = !field.choices.isEmpty ? "‹ \(field.text) ›" : focused ? field.text + "▏" : field.text
            if focused && DisplayWidth.of(value) > valueWidth {
                // Show the end of a long value, where the typing happens.
                var tail = ""
                for character in value.reversed() {
                    if DisplayWidth.of(tail) + DisplayWidth.of(character) > valueWidth - 1 { break }
                    tail.insert(character, at: tail.startIndex)
                }
                value = "…" + tail
            }
            rows.append((marker + DisplayWidth.pad(field.label, to: labelWidth) + "  " + DisplayWidth.truncate(value, to: valueWidth),
                         focused ? CellStyle(reverse: true) : .plain))
            if let error = field.error {
                rows.append(("   ✗ " + error, CellStyle(bold: true, color: .red)))
            } else if focused, let hint = field.hint {
                rows.append(("     " + hint, .dim))
            }
        }
        let start = max(0, min(focusRow - capacity / 2, rows.count - capacity))
        lines = Array(rows[start...].prefix(capacity))
        box(title: form.title, lines: lines, into: &buffer, minWidth: labelWidth + valueWidth + 3)
    }

    func drawFilterMenu(_ menu: FilterMenu, into buffer: inout ScreenBuffer) {
        let capacity = max(1, height - 3)
        let start = max(0, min(menu.selection - capacity / 2, menu.choices.count - capacity))
        let lines = menu.choices.enumerated().dropFirst(start).prefix(capacity).map { i, choice -> (String, CellStyle) in
            let on: Bool
            switch choice {
            case .status(let s): on = filter.statuses.contains(s)
            case .moscow(let m): on = filter.moscow.contains(m)
            case .tag(let t): on = filter.tags.contains(t)
            case .text: on = filter.text != nil
            }
            var label = choice.label
            if case .text = choice, let text = filter.text { label = "text: contains \"\(text.needle)\" (/ to change)" }
            return ((on ? "[x] " : "[ ] ") + label, i == menu.selection ? CellStyle(reverse: true) : .plain)
        }
        box(title: "Filter", lines: lines, into: &buffer)
    }

    /// `R`: each strategy with its number, title and formula; the current one marked.
    func drawStrategyPicker(_ selection: Int, into buffer: inout ScreenBuffer) {
        var lines: [(String, CellStyle)] = []
        for (i, strategy) in StrategyRegistry.all.enumerated() {
            let mark = i == strategyIndex ? "●" : " "
            let style = i == selection ? CellStyle(reverse: true) : CellStyle.plain
            lines.append(("\(mark) \(i + 1) \(strategy.title)", CellStyle(bold: true, reverse: i == selection)))
            lines.append(("      \(strategy.formula)", style.reverse ? style : .dim))
        }
        box(title: "Rank by (j/k, Enter or 1-\(StrategyRegistry.all.count); Esc)", lines: lines, into: &buffer)
    }

    func drawProblems(_ problems: [String], id: StoryID, into buffer: inout ScreenBuffer) {
        box(title: "\(id) does not parse", lines: problems.map { ($0, CellStyle.plain) }, into: &buffer)
    }
}

/// A velocity as points: `20`, `8.5`.
func formatForecastVelocity(_ value: Fraction) -> String {
    value.denominator == 1 ? String(value.numerator) : value.formatted
}
