import PrioEngine

/// The selected story: its fields, forecast, why it ranks where it does, and its description;
/// beside the list, or on the whole screen (scrolled with j/k).
struct DetailPane: View {
    let state: AppState

    /// Draws the selected story's fields, score explanation and description into `area`.
    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        let width = area.width
        let height = area.height
        guard width > 2 && height > 0, let index = state.selectedIndex else { return }
        let story = state.backlog.stories[index]
        var lines: [(String, CellStyle)] = []
        let inner = width - 2
        func add(_ text: String, _ style: CellStyle = .plain) {
            for line in Self.wrap(text, width: inner) { lines.append((line, style)) }
        }
        add("\(story.id) \(story.title)", .bold)
        add("position \(index + 1) of \(state.backlog.stories.count) in the manual order", .dim)
        lines.append(("", .plain))
        for field in story.fields { add("\(field.rawKey): \(field.value)") }
        if story.fields.isEmpty { add("no fields", .dim) }
        if let judge = state.derived.ready, !state.backlog.workflow.isDone(story), case let missing = judge.missing(story), !missing.isEmpty {
            add("\(StoryTable.notReadyMark) not ready by the Definition of Ready: missing \(missing.map(\.rawValue).joined(separator: ", "))", .bold)
        }
        if let rollup = state.list.fold?.groups.first(where: { $0.epic == index })?.rollup {
            add("epic: " + EpicsReport.summary(rollup))
        }
        if let line = forecastLine(for: index) { add(line, .dim) }
        if let line = confidenceLine(for: index) { add(line, .dim) }
        if state.isManual, case let waits = state.waitsBelow(index), !waits.isEmpty, let positions = state.derived.positions {
            add("⚠ waits for " + waits.map { "\($0) (position \((positions[$0] ?? 0) + 1))" }.joined(separator: " and ")
                + ", later in the manual order", .bold)
        }
        if let ranking = state.list.ranking, let entry = state.entry(atRow: min(state.list.cursor, state.rowCount - 1)) {
            lines.append(("", .plain))
            add("\(ranking.strategy.title), rank \(entry.rank):", .bold)
            add(ranking.explanation(entry))
            if let why = state.derived.why?.answer, why.entry.storyIndex == index, let above = why.above, !why.toPass.isEmpty {
                let other = state.backlog.stories[above.storyIndex].id
                add("to pass \(other) (\(above.score.fraction?.formatted ?? "–")): "
                    + why.toPass.map { "\($0.field) \($0.text)" }.joined(separator: " · "), .dim)
            }
        } else if !state.isManual {
            lines.append(("", .plain))
            add("not ranked (done stories are left out)", .dim)
        } else if let reference = state.derived.reference, reference.ranks.indices.contains(index) {
            let strategy = reference.strategy
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
        let first = min(state.list.detailScroll, max(0, lines.count - height))
        var shown = Array(lines.dropFirst(first).prefix(height))
        if lines.count - first > height, height > 1 {
            shown[height - 1] = ("… \(lines.count - first - height + 1) more lines (\(isDetailMode ? "j/k, PgDn" : "Enter") to read on)", .dim)
        }
        for (i, line) in shown.enumerated() {
            buffer.put(line.0, row: area.y + i, column: area.x + 1, style: line.1, maxWidth: inner)
        }
    }

    /// True on the detail screen (where j/k scroll), false for the pane beside the list.
    var isDetailMode: Bool {
        if case .detail = state.screen { return true }
        return false
    }

    /// The detail pane's forecast line for a story, from the forecast `refreshDerived` made.
    func forecastLine(for index: Int) -> String? {
        let story = state.backlog.stories[index]
        let key = state.forecastStrategyIndex
        guard let forecast = state.derived.forecasts[key], !state.backlog.workflow.isDone(story) else { return nil }
        let by = "forecast by " + state.document.strategies.all[key].title
        switch forecast.placement(of: index) {
        case .sprint(let name, let start, let end)?:
            let dates = start.map { " (\($0) .. \(end ?? ""))" } ?? ""
            if let note = forecast.note(of: index) { return "\(by): \(name)\(dates), \(note)" }
            return "\(by): \(name)\(dates) at \(formatForecastVelocity(forecast.velocity)) pts per sprint on the cadence"
        case .none(let reason)?: return "\(by): none (\(reason))"
        case nil: return nil
        }
    }

    /// "85 %: done by Sprint 7 (2026-12-18)", from the forecast with confidence, when there is one.
    func confidenceLine(for index: Int) -> String? {
        guard let forecast = state.derived.confidence[state.forecastStrategyIndex] ?? nil,
              let outlook = forecast.outlook(of: index), !outlook.isPlanned else { return nil }
        guard let landing = outlook.p85 else { return "85 %: beyond \(forecast.horizon) sprints" }
        return "85 %: done by \(landing.sprint)" + (landing.end.map { " (\($0))" } ?? "")
            + " (\(forecast.trials) trials on \(forecast.history.count) past sprints)"
    }

    /// Splits text into lines of at most `width` columns, at spaces where possible.
    static func wrap(_ text: String, width: Int) -> [String] {
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
}

/// A velocity as points: `20`, `8.5`.
func formatForecastVelocity(_ value: Fraction) -> String {
    value.denominator == 1 ? String(value.numerator) : value.formatted
}

