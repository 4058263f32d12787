/// A sprint review as text: a terminal table and JSON.
public enum ReviewReport {
    /// The table of `prio review`.
    public static func table(_ review: SprintReview, _ backlog: Backlog, width: Int) -> String {
        var out = "\(review.sprint): committed \(formatPoints(review.committed)) pts, done \(formatPoints(review.done)) pts\n"
        out += PlanReport.gauge(review.done, of: review.committed) + "\n\n"
        guard !review.items.isEmpty else { return out + "(no story in \(review.sprint))\n" }
        let rows = review.items.map { item -> [String] in
            let story = backlog.stories[item.storyIndex]
            let criteria = item.criteria == 0 ? "–" : "\(item.checked)/\(item.criteria)"
            return [story.id.description, story.title, story.status.description, criteria, story.points?.description ?? ""]
        }
        out += TextTable(columns: [.init("ID"), .init("Title", minWidth: 12), .init("Status"),
                                   .init("Criteria", alignRight: true), .init("Pts", alignRight: true)],
                         rows: rows).render(width: width) + "\n"
        return out
    }

    /// The JSON of `prio review`: `sprint`, `committed`, `done` and the stories.
    public static func json(_ review: SprintReview, _ backlog: Backlog) -> String {
        var out = "{\n  \"sprint\": \(JSON.string(review.sprint)),\n"
        out += "  \"committed\": \(Exporter.jsonNumber(review.committed)),\n  \"done\": \(Exporter.jsonNumber(review.done)),\n"
        out += "  \"stories\": ["
        out += review.items.map { item in
            let story = backlog.stories[item.storyIndex]
            let unchecked = story.criteria.filter { !$0.isChecked }.map { JSON.string($0.text) }
            return "\n    {\"id\": \(JSON.string(story.id.description)), \"title\": \(JSON.string(story.title)), "
                + "\"status\": \(JSON.string(story.status.description)), \"done\": \(item.isDone), "
                + "\"criteria\": \(item.criteria), \"checked\": \(item.checked), \"unchecked\": [\(unchecked.joined(separator: ", "))], "
                + "\"points\": \(item.points.map { $0.description } ?? "null")}"
        }.joined(separator: ",")
        out += review.items.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }
}
