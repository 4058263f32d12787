import PrioEngine

/// A framed box in the middle of an area, over what is drawn there: the frame of every overlay.
struct Box: View {
    var title: String
    var lines: [(String, CellStyle)]
    var minWidth = 30

    /// Draws the box in the middle of `area`, leaving its last row (the status line) visible
    /// when there is room.
    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let width = area.width
        let height = area.height
        let contentWidth = max(minWidth, lines.map { DisplayWidth.of($0.0) }.max() ?? 0, DisplayWidth.of(title) + 4)
        let boxWidth = min(width, contentWidth + 4)
        // Overlays leave the status line (the last row) visible: it says which keys work.
        let boxHeight = min(height > 3 ? height - 1 : height, lines.count + 2)
        guard boxWidth >= 4 && boxHeight >= 2 else { return }
        let left = area.x + (width - boxWidth) / 2
        let topRow = area.y + max(0, (height - boxHeight) / 2)
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
}

/// `?`: the keys of the screen under it.
struct HelpOverlay: View {
    let planning: Bool

    static let helpLines: [(String, String)] = [
        ("j k ↓ ↑", "move the cursor"), ("g G Home End", "first / last story"), ("PgUp PgDn ^U ^D", "page / half page"),
        ("J K Shift-↓ ↑", "move the story down / up (an epic with its children)"), ("T B  m N", "move to the top / bottom / position N"),
        ("s S  R", "next / previous strategy / pick one from the list"),
        ("A", "apply the shown ranking to the manual order"),
        ("Enter", "story detail (j/k, PgUp/PgDn scroll; n/N next story)"), ("e  E", "edit fields / the whole story in $VISUAL or $EDITOR"),
        ("a  v  ^V", "add a story / mark it (e T B act on all marked) / a range"), ("d  p", "delete the story / pin it at a position in every ranking"), ("u  Ctrl-R", "undo / redo"), ("/ n N  :", "search / next / previous match / go to an ID"),
        ("z  h l", "fold the list by epic; fold / unfold one (← → Enter too)"),
        ("f  F", "filter: views, status, tags, text or points <= 3 / clear"), ("x", "export (csv, markdown, json)"),
        ("P", "plan a sprint: Space plan/unplan, f fill, c capacity, Esc back"),
        ("C  M  L", "compare the strategies / the value-effort matrix / the story's git history"),
        ("D  V  #", "sprint review / stakeholder vote / team estimation round"),
        ("w  q  ?", "save / quit (asks when there are unsaved changes) / help"),
        ("mouse", "click selects, wheel scrolls"),
    ]

    static let planningHelpLines: [(String, String)] = [
        ("Space Enter", "plan the story in the sprint, or take it out (asks when the plan would not take it)"),
        ("f", "fill the sprint to capacity along the ranking (and take out what is over capacity)"),
        ("c", "set the sprint's capacity (saved with the plan)"), ("t", "start the sprint: record its commitment, once"),
        ("[ ]", "plan the previous / next sprint still open"),
        ("s S R", "another ranking to fill along"), ("j k g G PgUp PgDn", "move the cursor"),
        ("u  Ctrl-R", "undo / redo"), ("w", "save the plan"), ("Esc P", "back to the list"), ("?", "these keys"),
    ]

    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let help = planning ? HelpOverlay.planningHelpLines : HelpOverlay.helpLines
        let keyWidth = help.map { DisplayWidth.of($0.0) }.max() ?? 0
        let lines = help.map { (DisplayWidth.pad($0.0, to: keyWidth) + "  " + $0.1, CellStyle.plain) }
        Box(title: planning ? "Planning keys" : "Keys", lines: lines).render(in: area, into: &buffer)
    }
}

/// A form: editing a story, adding one, or the export dialog.
struct FormOverlay: View {
    let form: Form

    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let labelWidth = min(28, form.fields.map { DisplayWidth.of($0.label) }.max() ?? 0)
        var lines: [(String, CellStyle)] = []
        let valueWidth = max(10, min(60, area.width - labelWidth - 10))
        // Keep the focused field visible when the form is taller than the screen.
        let capacity = max(1, area.height - 3)
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
        Box(title: form.title, lines: lines, minWidth: labelWidth + valueWidth + 3).render(in: area, into: &buffer)
    }
}

/// The filter menu: statuses, MoSCoW values, tags and the text filter, ticked when on.
struct FilterMenuOverlay: View {
    let menu: FilterMenu
    let filter: Filter

    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let capacity = max(1, area.height - 3)
        let start = max(0, min(menu.selection - capacity / 2, menu.choices.count - capacity))
        let lines = menu.choices.enumerated().dropFirst(start).prefix(capacity).map { i, choice -> (String, CellStyle) in
            let on: Bool
            switch choice {
            case .status(let s): on = filter.statuses.contains(s)
            case .moscow(let m): on = filter.moscow.contains(m)
            case .tag(let t): on = filter.tags.contains(t)
            case .text: on = filter.text != nil || (filter.expression != nil && !filter.expressionLabel.hasPrefix("view: "))
            case .view(let name): on = filter.expressionLabel == "view: " + name
            }
            var label = choice.label
            if case .text = choice, let text = filter.text { label = "text: contains \"\(text.needle)\" (/ to change)" }
            return ((on ? "[x] " : "[ ] ") + label, i == menu.selection ? CellStyle(reverse: true) : .plain)
        }
        Box(title: "Filter", lines: lines).render(in: area, into: &buffer)
    }
}

/// `R`: every strategy with its number, title and formula.
struct StrategyPickerOverlay: View {
    let strategies: StrategyCatalogue
    let selection: Int
    let current: Int

    /// Each strategy with its number, title and formula; the current one marked.
    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        var lines: [(String, CellStyle)] = []
        for (i, strategy) in strategies.all.enumerated() {
            let mark = i == current ? "●" : " "
            let style = i == selection ? CellStyle(reverse: true) : CellStyle.plain
            lines.append(("\(mark) \(i + 1) \(strategy.title)", CellStyle(bold: true, reverse: i == selection)))
            lines.append(("      \(strategy.formula)", style.reverse ? style : .dim))
        }
        Box(title: "Rank by (j/k, Enter or 1-\(min(9, strategies.all.count)); Esc)", lines: lines).render(in: area, into: &buffer)
    }
}

/// The external editor's text did not parse: the problems.
struct ProblemsOverlay: View {
    let problems: [String]
    let id: StoryID

    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        Box(title: "\(id) does not parse", lines: problems.map { ($0, CellStyle.plain) }).render(in: area, into: &buffer)
    }
}
