/// Sprint plans and forecasts as text: a terminal table, JSON, and Markdown for a planning page.
public enum PlanReport {
    /// A capacity gauge: `███████░░░ 17/20 pts`; over capacity it is full and says by how
    /// much: `████ 33/20 pts, 13 over`.
    public static func gauge(_ used: Fraction, of capacity: Fraction, width: Int = 20) -> String {
        let ratio = capacity > Fraction(0) ? min(1, max(0, used.doubleValue / capacity.doubleValue)) : (used > Fraction(0) ? 1 : 0)
        let filled = Int((ratio * Double(width)).rounded())
        let over = used > capacity ? ", \(formatPoints(capacity.subtracting(from: used))) over" : ""
        return String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            + " \(formatPoints(used))/\(formatPoints(capacity)) pts" + over
    }

    /// The plan as a table with the cut line.
    public static func table(_ plan: SprintPlan, _ backlog: Backlog, strategy: any Strategy, width: Int,
                             below limit: Int? = defaultBelow, capacityFrom source: String? = nil) -> String {
        let lines = backlog.header.goalLines
        var out = lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n\n"
        out += "\(plan.sprint): capacity \(formatPoints(plan.capacity)) pts" + (source.map { " (\($0))" } ?? "")
            + ", ranked by \(strategy.title)\n"
        out += gauge(max(plan.points, plan.inSprint), of: plan.capacity) + "\n\n"
        let taken = plan.selected.map { item -> [String] in
            let story = backlog.stories[item.storyIndex]
            return [item.rank.map(String.init) ?? "", story.id.description, story.title, item.points.description,
                    item.score.fraction?.formatted ?? "–", item.isDone ? "done" : item.alreadyPlanned ? "already in the sprint" : ""]
        }
        let table = TextTable(columns: [.init("#", alignRight: true), .init("ID"), .init("Title", minWidth: 12),
                                        .init("Pts", alignRight: true), .init("Score", alignRight: true), .init("Note")],
                              rows: taken)
        out += table.render(width: width) + "\n"
        out += "── cut line " + String(repeating: "─", count: max(0, min(width, 80) - 12)) + "\n"
        if plan.below.isEmpty {
            out += "(nothing below the line)\n"
        } else {
            let rows = plan.below.prefix(limit ?? Int.max).map { item -> [String] in
                let story = backlog.stories[item.storyIndex]
                return [String(item.rank), story.id.description, story.title, story.points?.description ?? "", item.reason.description]
            }
            out += TextTable(columns: [.init("#", alignRight: true), .init("ID"), .init("Title", minWidth: 12),
                                       .init("Pts", alignRight: true), .init("Why not", minWidth: 12)], rows: Array(rows))
                .render(width: width) + "\n"
            out += moreBelow(plan, limit).map { $0 + "\n" } ?? ""
        }
        return out
    }

    /// How many stories below the cut line a plan lists unless told otherwise (`--below N`, `--below all`).
    public static let defaultBelow = 20

    /// "… and 85,675 more below the line (--below all lists them)", when some are not listed.
    static func moreBelow(_ plan: SprintPlan, _ limit: Int?) -> String? {
        guard let limit, plan.below.count > limit else { return nil }
        return "… and \(plan.below.count - limit) more below the line (--below all lists them)"
    }

    /// The plan as JSON: `capacity`, `points`, `selected` and `below`.
    public static func json(_ plan: SprintPlan, _ backlog: Backlog, below limit: Int? = defaultBelow,
                            capacityFrom source: String? = nil) -> String {
        func number(_ f: Fraction) -> String { Exporter.jsonNumber(f) }
        var out = "{\n  \"sprint\": \(JSON.string(plan.sprint)),\n"
        out += "  \"vision\": \(backlog.header.vision.map(JSON.string) ?? "null"),\n"
        out += "  \"goal\": \(backlog.header.goal.map(JSON.string) ?? "null"),\n"
        out += "  \"capacity\": \(number(plan.capacity)),\n"
        out += "  \"capacity_from\": \(source.map(JSON.string) ?? "null"),\n"
        out += "  \"points\": \(number(plan.points)),\n"
        out += "  \"in_sprint\": \(number(plan.inSprint)),\n  \"over\": \(number(plan.over)),\n  \"selected\": ["
        out += plan.selected.map { item in
            let story = backlog.stories[item.storyIndex]
            return "\n    {\"id\": \(JSON.string(story.id.description)), \"title\": \(JSON.string(story.title)), "
                + "\"points\": \(item.points.description), \"rank\": \(item.rank.map(String.init) ?? "null"), "
                + "\"score\": \(item.score.fraction.map(number) ?? "null")}"
        }.joined(separator: ",")
        out += plan.selected.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"below\": ["
        let listed = plan.below.prefix(limit ?? Int.max)
        out += listed.map { item in
            "\n    {\"id\": \(JSON.string(backlog.stories[item.storyIndex].id.description)), \"reason\": \(JSON.string(item.reason.description))}"
        }.joined(separator: ",")
        out += listed.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"below_not_listed\": \(plan.below.count - listed.count),\n"
        out += "  \"warnings\": [" + plan.warnings.map(JSON.string).joined(separator: ", ") + "]\n}\n"
        return out
    }

    /// The plan as Markdown, ready to paste into a sprint-planning page.
    public static func markdown(_ plan: SprintPlan, _ backlog: Backlog, strategy: any Strategy,
                                below limit: Int? = defaultBelow) -> String {
        var out = "## \(Exporter.markdownCell(plan.sprint))\n\n" + Exporter.markdownGoalLines(backlog)
        out += "Capacity **\(formatPoints(plan.capacity)) pts**, planned **\(formatPoints(plan.points)) pts**, "
        out += "ranked by \(strategy.title).\n\n"
        out += "| # | ID | Title | Pts | Score |\n|---:|---|---|---:|---:|\n"
        for item in plan.selected {
            let story = backlog.stories[item.storyIndex]
            let cells = [item.rank.map(String.init) ?? "", story.id.description, story.title, item.points.description,
                         item.score.fraction?.formatted ?? "–"]
            out += "| " + cells.map(Exporter.markdownCell).joined(separator: " | ") + " |\n"
        }
        if !plan.below.isEmpty {
            out += "\n### Below the cut line\n\n"
            for item in plan.below.prefix(limit ?? Int.max) {
                let story = backlog.stories[item.storyIndex]
                out += "- \(story.id) \(Exporter.markdownCell(story.title)): \(item.reason)\n"
            }
            out += moreBelow(plan, limit).map { "- \($0)\n" } ?? ""
        }
        for warning in plan.warnings { out += "\n> Warning: \(warning)\n" }
        return out
    }
}
