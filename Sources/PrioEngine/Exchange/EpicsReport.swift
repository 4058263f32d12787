/// `prio epics` as text: a table of each epic with its roll-up and its children beneath, or JSON.
public enum EpicsReport {
    /// The share done as people read it: `62%`, `–` when the children have no points.
    static func share(_ rollup: EpicRollup) -> String {
        guard let share = rollup.shareDone else { return "–" }
        return formatFixed(share.doubleValue * 100, decimals: 0) + "%"
    }

    /// An epic's roll-up in a few words: `4 stories, 18 pts, 5 pts done (28%)`.
    public static func summary(_ rollup: EpicRollup) -> String {
        "\(Plural.count(rollup.children.count, "story", "stories")), \(formatPoints(rollup.points)) pts, "
            + "\(formatPoints(rollup.donePoints)) pts done (\(share(rollup)))"
    }

    /// The roll-up short enough for a row of the screen's folded list: `63% of 8 pts done · 2 stories`
    /// (`no pts · 1 story` when the children have no points; without the count when `stories` is false).
    public static func brief(_ rollup: EpicRollup, stories: Bool = true) -> String {
        let count = stories ? " · " + Plural.count(rollup.children.count, "story", "stories") : ""
        guard rollup.shareDone != nil else { return "no pts" + count }
        return "\(share(rollup)) of \(formatPoints(rollup.points)) pts done" + count
    }

    /// The forecast as people read it: `Sprint 6 (ends 2026-12-25)`, or why there is none.
    static func forecast(_ rollup: EpicRollup) -> String {
        if rollup.openChildren == 0 { return "done" }
        guard let landing = rollup.forecast else { return "no forecast" }
        return landing.sprint + (landing.end.map { " (ends \($0))" } ?? "")
    }

    /// The table: one row per epic (its children's count, points, done points, share done and
    /// forecast), each child beneath it, indented, in rank order.
    public static func table(_ epics: Epics, _ backlog: Backlog, keeping keep: [Bool]? = nil, width: Int) -> String {
        let workflow = backlog.workflow
        var rows: [[String]] = []
        for rollup in epics.rollups where keep?[rollup.storyIndex] ?? true {
            let epic = backlog.stories[rollup.storyIndex]
            rows.append([epic.id.description, epic.title, "\(rollup.children.count - rollup.openChildren)/\(rollup.children.count) done",
                         formatPoints(rollup.points), formatPoints(rollup.donePoints), share(rollup), forecast(rollup)])
            for child in rollup.children {
                let story = backlog.stories[child]
                rows.append(["  " + story.id.description, "  " + story.title, workflow.isDone(story) ? "done" : story.status.description,
                             story.points?.description ?? "", "", "", ""])
            }
        }
        if rows.isEmpty { return "No epics: give stories a parent, like '- parent: S-12'.\n" }
        let columns: [TextTable.Column] = [.init("ID"), .init("Title", minWidth: 12), .init("Status", alignRight: true),
                                           .init("Pts", alignRight: true), .init("Done pts", alignRight: true),
                                           .init("Share", alignRight: true), .init("Forecast")]
        return TextTable(columns: columns, rows: rows).render(width: width) + "\n"
    }

    /// The JSON array: `{"id", "title", "stories": [ids], "points", "done_points", "share_done",
    /// "forecast": {"sprint", "end"}}` per epic (`forecast` null when nothing is open or none can be made).
    public static func json(_ epics: Epics, _ backlog: Backlog, keeping keep: [Bool]? = nil) -> String {
        let items = epics.rollups.filter { keep?[$0.storyIndex] ?? true }.map { rollup -> String in
            let epic = backlog.stories[rollup.storyIndex]
            let ids = rollup.children.map { JSON.string(backlog.stories[$0].id.description) }.joined(separator: ", ")
            let forecast = rollup.forecast.map { "{\"sprint\": \(JSON.string($0.sprint)), \"end\": \($0.end.map(JSON.string) ?? "null")}" } ?? "null"
            return "  {\"id\": \(JSON.string(epic.id.description)), \"title\": \(JSON.string(epic.title)), \"stories\": [\(ids)], "
                + "\"points\": \(Exporter.jsonNumber(rollup.points)), \"done_points\": \(Exporter.jsonNumber(rollup.donePoints)), "
                + "\"share_done\": \(rollup.shareDone.map(Exporter.jsonNumber) ?? "null"), \"forecast\": \(forecast)}"
        }
        return items.isEmpty ? "[]\n" : "[\n" + items.joined(separator: ",\n") + "\n]\n"
    }
}
