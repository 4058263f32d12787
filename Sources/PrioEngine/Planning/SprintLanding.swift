extension Planner {
    /// The points per sprint a forecast runs at: the velocity (`velocity(_:)`), else the capacity
    /// of the last declared sprint; nil when neither is known or above 0.
    ///
    /// The one rule for the export's forecast column and the screen's detail pane.
    public static func forecastVelocity(_ backlog: Backlog) -> Fraction? {
        let speed = velocity(backlog) ?? backlog.header.sprints.last?.capacity?.fraction
        guard let speed, speed > Fraction(0) else { return nil }
        return speed
    }
}

/// The sprint each story is in, or is forecast to land in at the team's velocity.
///
/// A story with a `sprint` field (and not done) shows that sprint; a done story shows nothing;
/// any other story shows the sprint `Planner.forecast` puts it in along the strategy's ranking,
/// or nothing when it cannot be placed (no estimate, larger than the velocity, blocked, or a
/// dependency cycle in the backlog). Without a velocity or a declared capacity only the stories
/// already in a sprint show one.
public struct SprintLanding: Sendable {
    /// The points per sprint the forecast ran at, or nil when there is none.
    public let velocity: Fraction?
    private let backlog: Backlog
    /// The backlog's workflow, read from its header once (an export asks for every story).
    private let workflow: Workflow
    private let forecastSprint: [Int: String]

    /// Works out the landings for a backlog along a strategy's ranking.
    public init(_ backlog: Backlog, strategy: any Strategy) {
        self.backlog = backlog
        workflow = backlog.workflow
        velocity = Planner.forecastVelocity(backlog)
        var forecastSprint: [Int: String] = [:]
        if let velocity, let forecast = try? Planner.forecast(backlog, velocity: velocity, strategy: strategy) {
            for sprint in forecast.sprints {
                for index in sprint.storyIndices { forecastSprint[index] = sprint.name }
            }
        }
        self.forecastSprint = forecastSprint
    }

    /// The sprint of the story at `storyIndex`, or nil.
    public func sprint(ofStory storyIndex: Int) -> String? {
        guard backlog.stories.indices.contains(storyIndex) else { return nil }
        let story = backlog.stories[storyIndex]
        if workflow.isDone(story) { return nil }
        if let planned = story.value(of: .sprint) { return planned }
        return forecastSprint[storyIndex]
    }
}
