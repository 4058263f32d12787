/// The plain forecast of `prio forecast` as text: a table and JSON, each with the velocity,
/// the history it comes from and what is overdue.
public struct ForecastReport: Sendable {
    /// One open story: where it is (already in a sprint) or lands (forecast), or why not.
    public struct Row: Sendable {
        public var storyIndex: Int
        /// The sprint: name and dates; nil when it cannot be forecast.
        public var sprint: (name: String, start: String?, end: String?)?
        /// True when the story is in that sprint already (the file says so).
        public var isPlanned: Bool
        /// Why it has no sprint, or the note of a sprint that holds one story larger than it.
        public var note: String?
        /// The sprint's place in the forecast's sequence (from 0: the current sprint).
        public var sprintNumber: Int?
    }

    /// The points per sprint on the cadence.
    public let velocity: Fraction
    /// The timeline the forecast walked.
    public let timeline: SprintTimeline
    /// Every open story in rank order.
    public let rows: [Row]

    /// The forecast's rows along `order` (story indices, rank order, not done).
    public init(_ outcome: ForecastOutcome, model: ForecastModel, order: [Int], backlog: Backlog, timeline: SprintTimeline) {
        velocity = outcome.velocity
        self.timeline = timeline
        let open = timeline.openSprints.map(\.name)
        rows = order.map { i in
            if model.isPlaced(i), let name = backlog.stories[i].value(of: .sprint) {
                let sprint = timeline.status(of: name)?.sprint
                return Row(storyIndex: i, sprint: (name, sprint?.start, sprint?.end), isPlanned: true, note: nil,
                           sprintNumber: open.firstIndex(of: name))
            }
            switch outcome.placement(of: i) {
            case .sprint(let name, let start, let end)?:
                return Row(storyIndex: i, sprint: (name, start, end), isPlanned: false, note: outcome.note(of: i),
                           sprintNumber: outcome.sprintNumber(of: i))
            case .none(let reason)?:
                return Row(storyIndex: i, sprint: nil, isPlanned: false, note: reason)
            case nil:
                return Row(storyIndex: i, sprint: nil, isPlanned: false, note: nil)
            }
        }
    }

    /// The plain forecast of a backlog along a strategy's ranking at a velocity (the one
    /// pipeline of `prio forecast` and the epics' roll-ups); a dependency cycle stops it, named.
    public static func plain(_ backlog: Backlog, timeline: SprintTimeline, strategy: any Strategy,
                             velocity: Fraction) throws(PrioError) -> ForecastReport {
        let model = ForecastModel(backlog, timeline: timeline)
        if let cycle = model.cycle { throw PrioError(cycle.description) }
        let order = Ranking(backlog, strategy: strategy).entries.map(\.storyIndex)
        let outcome = model.forecast(order: order, velocity: velocity, maxSprints: 1_000)
        return ForecastReport(outcome, model: model, order: order, backlog: backlog, timeline: timeline)
    }

    /// The velocity line: `Forecast at 8.5 pts per sprint (history: 11, 0, 6 ...)`.
    var velocityLine: String {
        let source: String
        if let measured = timeline.velocity, measured.value == velocity {
            source = measured.source == .declaredCapacity ? "no history yet: the last declared capacity" : timeline.historyLine
        } else {
            source = "given; " + timeline.historyLine
        }
        return "Forecast at \(formatPoints(velocity)) pts per sprint on the cadence (\(source))"
    }

    /// The table: sprint by sprint (in rank order within each), with dates, ID, title, points
    /// and a note; then what cannot be forecast.
    public func table(_ backlog: Backlog, strategy: any Strategy, width: Int) -> String {
        var out = velocityLine + ", ranked by \(strategy.title), from \(timeline.current.name)\n\n"
        let placed = rows.enumerated().filter { $0.element.sprint != nil }
            .sorted { ($0.element.sprintNumber ?? Int.max, $0.offset) < ($1.element.sprintNumber ?? Int.max, $1.offset) }
            .map(\.element)
        let table = placed.map { row -> [String] in
            let story = backlog.stories[row.storyIndex]
            let sprint = row.sprint
            let dates = sprint?.start.map { "\($0) .. \(sprint?.end ?? "")" } ?? ""
            return [sprint?.name ?? "", dates, story.id.description, story.title, story.points?.description ?? "",
                    row.isPlanned ? "in the sprint" : (row.note ?? "")]
        }
        out += TextTable(columns: [.init("Sprint"), .init("Dates"), .init("ID"), .init("Title", minWidth: 12),
                                   .init("Pts", alignRight: true), .init("Note")], rows: table).render(width: width) + "\n"
        let unplaced = rows.filter { $0.sprint == nil }
        if !unplaced.isEmpty {
            out += "\nNot forecast:\n"
            for row in unplaced {
                let story = backlog.stories[row.storyIndex]
                out += "  \(story.id) \(TerminalSafe.sanitize(story.title)): \(row.note ?? "")\n"
            }
        }
        if let note = timeline.overdueNote { out += "\nOverdue: \(note)\n" }
        return out
    }

    /// The JSON: `{"velocity", "window", "history": [{"sprint", "points"}], "stories": [{"id",
    /// "title", "sprint", "start", "end", "planned", "reason"}], "overdue": [ids]}`.
    public func json(_ backlog: Backlog) -> String {
        func string(_ text: String?) -> String { text.map(JSON.string) ?? "null" }
        var out = "{\n  \"velocity\": \(Exporter.jsonNumber(velocity)),\n  \"window\": \(timeline.window),\n"
        out += "  \"current\": \(JSON.string(timeline.current.name)),\n"
        out += "  \"history\": " + ForecastReport.historyJSON(timeline.history) + ",\n"
        out += "  \"stories\": ["
        out += rows.map { row in
            let story = backlog.stories[row.storyIndex]
            var text = "\n    {\"id\": \(JSON.string(story.id.description)), \"title\": \(JSON.string(story.title)), "
                + "\"sprint\": \(string(row.sprint?.name)), \"start\": \(string(row.sprint?.start)), \"end\": \(string(row.sprint?.end)), "
                + "\"planned\": \(row.isPlanned)"
            if let note = row.note { text += ", \(row.sprint == nil ? "\"reason\"" : "\"note\""): \(JSON.string(note))" }
            return text + "}"
        }.joined(separator: ",")
        out += rows.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"overdue\": [" + timeline.overdue.map { JSON.string(backlog.stories[$0].id.description) }.joined(separator: ", ") + "]\n}\n"
        return out
    }

    /// `[{"sprint": "Sprint 3", "points": 11}, ...]`, oldest first.
    static func historyJSON(_ history: [(sprint: String, points: Fraction)]) -> String {
        "[" + history.map { "{\"sprint\": \(JSON.string($0.sprint)), \"points\": \(Exporter.jsonNumber($0.points))}" }
            .joined(separator: ", ") + "]"
    }
}
