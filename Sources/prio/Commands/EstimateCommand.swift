import ArgumentParser
import PrioEngine
import PrioStorage

struct EstimateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "estimate",
        abstract: "Record a team member's estimate of a story's points.",
        discussion: """
            Example: prio estimate S-3 --as ana 5
            The member must be in the header's team (- team: ana, ben, chen). The estimates are one line
            of the story (points-votes: ana 5, ben 3); they never replace the points: confirm the agreed
            points with 'prio set S-3 points=5' (or # on the screen runs the whole round). An estimate
            spread like stakeholders' disagreement (- stakeholder-spread) is a warning of 'prio check'.
            """
    )

    @Argument(help: "[FILE] ID N")
    var arguments: [String] = []

    @Option(name: .customLong("as"), help: "The team member estimating.")
    var member: String

    func run() throws {
        var rest = arguments
        guard rest.count == 2 || rest.count == 3 else {
            throw fail("usage: prio estimate [FILE] ID --as NAME N")
        }
        let file = rest.count == 3 ? rest.removeFirst() : nil
        let id = try storyID(rest[0])
        let points = try reportingErrors { try Team.estimate(parsing: rest[1]) }
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        let team = backlog.team
        let name = member.trimmingASCIIWhitespace()
        if let refusal = team.refusal(of: name) { throw fail(refusal) }
        // The header's spelling of the name (the team matches any case).
        let teamName = team.member(name) ?? name
        try requireStory(backlog, id)
        try reportingErrors {
            try backlog.update(id) { (story: inout Story) throws(FieldProblem) in
                try story.setEstimate(by: teamName, points)
            }
        }
        try saveBacklog(loaded, backlog)
        guard let story = backlog.story(id) else { return }
        printLine("\(teamName) estimates \(id) at \(points) points; the estimates: " + Vote.text(story.estimates))
        if let spread = backlog.panel.disagreement(story.estimates) { printLine("  the estimates spread: " + spread) }
        printLine("  points: " + (story.value(of: .points) ?? "not set") + " (confirm the agreed points with 'prio set \(id) points=N')")
    }
}
