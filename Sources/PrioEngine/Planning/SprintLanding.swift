/// The sprint each story is in, or is forecast to land in: the one rule for the export's
/// forecast column.
///
/// A story in a planned or active sprint shows that sprint; a done story shows nothing; any
/// other story (overdue ones included) shows the sprint the plain forecast puts it in along the
/// strategy's ranking from today, or nothing when it cannot be placed (no estimate, blocked, a
/// dependency cycle in the backlog, or no velocity).
public struct SprintLanding: Sendable {
    /// The points per sprint the forecast ran at beyond the timeline's sprints, or nil when there is none.
    public let velocity: Fraction?
    /// The sprints stories land in, in order: the open sprints of the timeline, then the
    /// forecast's (the report's Next is the first after the current one).
    public let sprintOrder: [String]
    /// True when some sprint of the timeline is filled to its own declared capacity.
    public let usesDeclaredCapacity: Bool
    private let backlog: Backlog
    /// The backlog's workflow, read from its header once (an export asks for every story).
    private let workflow: Workflow
    private let open: Set<String>
    private let forecastSprint: [Int: String]
    /// The last day of each sprint a story may land in, by name, where known.
    private let ends: [String: String]

    /// Works out the landings for a backlog along a strategy's ranking, as of `today`.
    public init(_ backlog: Backlog, strategy: any Strategy, today: String) {
        self.backlog = backlog
        workflow = backlog.workflow
        let timeline = SprintTimeline(backlog, today: today)
        open = Set(timeline.sprints.filter(\.isOpen).map(\.name))
        usesDeclaredCapacity = timeline.openSprints.contains { $0.sprint.capacity != nil }
        let speed = timeline.velocity.map(\.value).flatMap { $0 > Fraction(0) ? $0 : nil }
        velocity = speed
        var forecastSprint: [Int: String] = [:]
        var ends: [String: String] = [:]
        var order: [String] = []
        for status in timeline.sprints where status.isOpen {
            ends[status.name] = status.sprint.end
            order.append(status.name)
        }
        if let speed, let forecast = try? Planner.forecast(backlog, timeline: timeline, velocity: speed, strategy: strategy) {
            for sprint in forecast.sprints {
                if !order.contains(sprint.name) { order.append(sprint.name) }
                for index in sprint.storyIndices { forecastSprint[index] = sprint.name }
                if let end = sprint.end { ends[sprint.name] = end }
            }
        }
        self.forecastSprint = forecastSprint
        self.ends = ends
        sprintOrder = order
    }

    /// The sprint of the story at `storyIndex`, or nil.
    public func sprint(ofStory storyIndex: Int) -> String? {
        guard backlog.stories.indices.contains(storyIndex) else { return nil }
        let story = backlog.stories[storyIndex]
        if workflow.isDone(story) { return nil }
        if let planned = story.value(of: .sprint), open.contains(planned) { return planned }
        return forecastSprint[storyIndex]
    }

    /// The sprint of the story at `storyIndex` with its last day: "Sprint 7, ends 2027-01-08".
    public func label(ofStory storyIndex: Int) -> String? {
        sprint(ofStory: storyIndex).map { Self.label(sprint: $0, end: ends[$0]) }
    }

    /// A sprint as people read it in a forecast column: "Sprint 7, ends 2027-01-08" (the name
    /// alone for an undated sprint). The one wording of the exports and the report.
    public static func label(sprint: String, end: String?) -> String {
        end.map { "\(sprint), ends \($0)" } ?? sprint
    }
}
