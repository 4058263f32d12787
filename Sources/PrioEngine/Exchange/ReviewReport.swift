/// A sprint review as text: a terminal table and JSON.
public enum ReviewReport {
    /// The table of `prio review`.
    public static func table(_ review: SprintReview, _ backlog: Backlog, width: Int) -> String {
        var out = summary(review) + "\n" + PlanReport.gauge(review.done, of: review.committed ?? review.inSprint) + " done\n"
        if review.committed == nil, review.state == .planned || review.state == .active {
            out += "(no commitment recorded yet: prio start-sprint \"\(review.sprint)\" records it)\n"
        }
        out += "\n"
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

    /// "Sprint 5 (active): committed 18 · in it 21 · done 5 pts": the recorded commitment
    /// (`–` until the sprint is started) beside what the file holds now; the one summary of
    /// `prio review` and `D`.
    public static func summary(_ review: SprintReview) -> String {
        var out = "\(review.sprint)" + (review.state.map { " (\($0.rawValue))" } ?? "") + ": "
        out += "committed " + (review.committed.map(formatPoints) ?? "–")
        return out + " · in it \(formatPoints(review.inSprint)) · done \(formatPoints(review.done)) pts"
    }

    /// The JSON of `prio review`: `sprint`, `committed`, `done` and the stories.
    public static func json(_ review: SprintReview, _ backlog: Backlog) -> String {
        var out = "{\n  \"sprint\": \(JSON.string(review.sprint)),\n"
        out += "  \"state\": \(review.state.map { JSON.string($0.rawValue) } ?? "null"),\n"
        out += "  \"committed\": \(review.committed.map(Exporter.jsonNumber) ?? "null"),\n"
        out += "  \"in_sprint\": \(Exporter.jsonNumber(review.inSprint)),\n  \"done\": \(Exporter.jsonNumber(review.done)),\n"
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

/// The sprints of a backlog as text: `prio sprints`.
public enum SprintsReport {
    /// One row per sprint: name, state, dates, capacity, committed and done.
    public static func table(_ timeline: SprintTimeline, width: Int) -> String {
        var out = ""
        if timeline.sprints.isEmpty { out += "(no sprint declared)\n" }
        let rows = timeline.sprints.map { status -> [String] in
            let sprint = status.sprint
            let dates = sprint.start.map { "\($0) .. \(sprint.end ?? "")" } ?? ""
            return [sprint.name + (sprint.name == timeline.current.name ? " ◀" : ""), status.state.rawValue, dates,
                    sprint.capacity?.description ?? "", status.recordedCommitted.map(formatPoints) ?? "",
                    formatPoints(status.inSprint), doneText(status)]
        }
        if !rows.isEmpty {
            out += TextTable(columns: [.init("Sprint"), .init("State"), .init("Dates"), .init("Capacity", alignRight: true),
                                       .init("Committed", alignRight: true), .init("In it", alignRight: true),
                                       .init("Done", alignRight: true)], rows: rows).render(width: width) + "\n"
        }
        if !timeline.currentIsKnown {
            let c = timeline.current
            out += "current: \(c.name)" + (c.start.map { " (\($0) .. \(c.end ?? ""))" } ?? "") + ", on the cadence (not declared yet)\n"
        } else {
            out += "current: \(timeline.current.name)\n"
        }
        if let velocity = timeline.velocity {
            out += "velocity: \(formatPoints(velocity.value)) pts per sprint"
                + (velocity.source == .history ? " (the mean of the history)" : " (no history yet: the last declared capacity)") + "\n"
        }
        out += timeline.historyLine + "\n"
        if let note = timeline.overdueNote { out += "overdue: \(note)\n" }
        return out
    }

    /// Done points: recorded at closing, else computed (for a sprint that ended or runs).
    static func doneText(_ status: SprintStatus) -> String {
        if let done = status.sprint.done { return done.description }
        return status.state == .planned && status.doneNow == Fraction(0) ? "" : formatPoints(status.doneNow)
    }

    /// The JSON: an array of `{"name", "state", "start", "end", "capacity", "committed", "done"}`
    /// (`committed`/`done` null where not recorded yet, `start`/`end` null for undated sprints).
    public static func json(_ timeline: SprintTimeline) -> String {
        guard !timeline.sprints.isEmpty else { return "[]\n" }
        func string(_ text: String?) -> String { text.map(JSON.string) ?? "null" }
        var out = "["
        out += timeline.sprints.map { status in
            let sprint = status.sprint
            return "\n  {\"name\": \(JSON.string(sprint.name)), \"state\": \(JSON.string(status.state.rawValue)), "
                + "\"start\": \(string(sprint.start)), \"end\": \(string(sprint.end)), "
                + "\"capacity\": \(sprint.capacity?.description ?? "null"), "
                + "\"committed\": \(sprint.committed?.description ?? "null"), \"done\": \(sprint.done?.description ?? "null"), "
                + "\"closed\": \(string(sprint.closed)), \"in_sprint\": \(Exporter.jsonNumber(status.inSprint)), "
                + "\"current\": \(sprint.name == timeline.current.name)}"
        }.joined(separator: ",")
        return out + "\n]\n"
    }
}
