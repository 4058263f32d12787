import PrioEngine

/// The planning screen's pane: the sprint, its gauge, the stories above the cut line, what `f`
/// would add, and what stays below the line and why.
struct PlanningPane: View {
    let state: AppState
    let planning: PlanningState

    /// Draws the sprint, its gauge and the cut line into `area` (the right of the planning screen).
    func render(in area: Rect, into buffer: inout ScreenBuffer) {
        guard area.height > 1 else { return }
        let left = area.x + 1
        let inner = area.width - 2
        var lines: [(String, CellStyle)] = []
        // Above the cut line: the stories in the sprint that the plan keeps (over-capacity ones are
        // below it, with their reason); without a plan, every story in the sprint.
        // What the file has in the sprint: every story whose sprint names it, over capacity or not.
        let inSprint = state.backlog.stories.indices.filter { state.backlog.stories[$0].value(of: .sprint) == planning.sprint }
        var used = Fraction(0)
        for index in inSprint { if let p = state.backlog.stories[index].points { used = used.adding(p.fraction) ?? used } }
        var over = Set<Int>()
        if let plan = state.derived.plan {
            for item in plan.below { if case .overCapacity = item.reason { over.insert(item.storyIndex) } }
        }
        lines.append(("\(planning.sprint) · capacity \(planning.capacityKnown ? Plural.points(planning.capacity) : "not set (c sets it)")", .bold))
        // Where the sprint is in its life, and what it committed when it started.
        if let status = state.derived.timeline?.status(of: planning.sprint) {
            lines.append((status.state.rawValue + (status.recordedCommitted.map { ", committed \(Plural.points($0))" } ?? ""), .dim))
        }
        lines.append(("filling by \(state.strategy.title)", .dim))
        lines.append((PlanReport.gauge(used, of: planning.capacity.fraction, width: max(5, min(20, inner - 14))),
                      used > planning.capacity.fraction ? CellStyle(bold: true, color: .red) : CellStyle(color: .green)))
        // The selected story's 85 % sprint, when the backlog has the history for it.
        if let index = state.selectedIndex, let forecast = state.derived.confidence[state.forecastStrategyIndex] ?? nil,
           let outlook = forecast.outlook(of: index), !outlook.isPlanned {
            let story = state.backlog.stories[index]
            let when = outlook.p85.map { $0.sprint + ($0.end.map { " (\($0))" } ?? "") } ?? "beyond \(forecast.horizon) sprints"
            lines.append(("\(story.id) 85 %: done by \(when)", .dim))
        }
        // Beside it, the 85 % date of the open stories from the git history and how well such
        // forecasts held (prio forecast --from-git).
        for line in state.evidenceLines { lines += DetailPane.wrap(line, width: inner).map { ($0, .dim) } }
        lines.append(("", .plain))
        if inSprint.isEmpty { lines.append(("nothing planned yet: f fills, Space adds", .dim)) }
        let room = area.height  // lines that fit; the rest are not built
        let workflow = state.backlog.workflow
        for index in inSprint {
            if lines.count >= room { break }
            let story = state.backlog.stories[index]
            let mark = over.contains(index) ? "! " : workflow.isDone(story) ? "✓ " : ""
            lines.append((row(mark + story.id.description, story.title, story.points?.description ?? "?", width: inner),
                          over.contains(index) ? CellStyle(bold: true, color: .red) : .plain))
        }
        if !over.isEmpty {
            lines.append(("! over capacity: f takes \(over.count == 1 ? "it" : "them") out", CellStyle(color: .red)))
        }
        lines.append(("── cut line " + String(repeating: "─", count: max(0, inner - 12)), .bold))
        if let planProblem = state.derived.planProblem {
            lines.append(("cannot plan: \(planProblem)", CellStyle(bold: true, color: .red)))
        } else if let plan = state.derived.plan {
            let wouldFit = plan.selected.filter { !$0.alreadyPlanned }
            if !wouldFit.isEmpty {
                lines.append(("f would add:", .dim))
                for item in wouldFit {
                    if lines.count >= room { break }
                    let story = state.backlog.stories[item.storyIndex]
                    lines.append((row(story.id.description, story.title, item.points.description, width: inner), .dim))
                }
            }
            for item in plan.below {
                if case .overCapacity = item.reason { continue }
                if lines.count >= room { break }
                let story = state.backlog.stories[item.storyIndex]
                lines.append((row(story.id.description, story.title, story.points?.description ?? "", width: inner), .plain))
                lines.append(("   " + item.reason.description, .dim))
            }
            // Each warning whole (the not-ready one names the stories), wrapped to the pane.
            for warning in plan.warnings {
                for line in DetailPane.wrap("! " + warning, width: inner) { lines.append((line, .bold)) }
            }
        }
        for (i, line) in lines.prefix(area.height).enumerated() {
            buffer.put(line.0, row: area.y + i, column: left, style: line.1, maxWidth: inner)
        }
    }

    /// `ID  Title…  pts` in a fixed width.
    private func row(_ id: String, _ title: String, _ points: String, width: Int) -> String {
        let idPart = DisplayWidth.pad(id, to: 8)
        let pointsPart = DisplayWidth.pad(points, to: 3, alignRight: true)
        let titleWidth = max(1, width - 8 - 1 - 3 - 1)
        return idPart + " " + DisplayWidth.pad(title, to: titleWidth) + " " + pointsPart
    }
}
