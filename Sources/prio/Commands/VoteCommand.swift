import ArgumentParser
import PrioEngine
import PrioStorage

struct VoteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vote",
        abstract: "Record a stakeholder's scores for a story's numeric fields.",
        discussion: """
            Example: prio vote S-3 --as alice value=13 time-criticality=8
            The stakeholder must be declared in the header (- stakeholder: alice | weight 2). Each field's
            votes are one line of the story (value-votes: alice 13, bob 4); strategies read their weighted
            mean (or median, with - stakeholder-aggregate: median). field= removes the stakeholder's vote.
            """
    )

    @Argument(help: "[FILE] ID field=N ...")
    var arguments: [String] = []

    @Option(name: .customLong("as"), help: "The stakeholder voting.")
    var stakeholder: String

    func run() throws {
        var file: String?
        var rest = arguments
        if let first = rest.first, !first.contains("="), rest.count >= 2, !rest[1].contains("=") {
            file = first
            rest.removeFirst()
        }
        guard let idText = rest.first, rest.count >= 2 else {
            throw fail("usage: prio vote [FILE] ID --as NAME field=N ...")
        }
        let id = try storyID(idText)
        if rest.dropFirst().contains(where: { parseAssignment($0).map { FieldKey.canonical($0.0) == .points } ?? false }) {
            throw fail(Vote.pointsAreEstimates)
        }
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        let name = stakeholder.trimmingASCIIWhitespace()
        guard backlog.panel.stakeholder(named: name) != nil else {
            let known = backlog.panel.stakeholders.map(\.name)
            throw fail("'\(name)' is not a stakeholder of this backlog; "
                + (known.isEmpty ? "declare one in the header: - stakeholder: \(name) | weight 1"
                    : "stakeholders: \(known.joined(separator: ", ")) (add one with '- stakeholder: \(name)' in the header)"))
        }
        try requireStory(backlog, id)
        var changed: [String] = []
        for assignment in rest.dropFirst() {
            guard let (key, value) = parseAssignment(assignment) else {
                throw fail("'\(assignment)' is not field=N")
            }
            guard let field = FieldKey.canonical(key), field.isNumeric else {
                throw fail("'\(key)' is not a numeric field (votes are for value, time-criticality, risk-reduction, size, effort, points, reach, impact, confidence)")
            }
            var number: DecimalNumber?
            if !value.isEmpty {
                do throws(FieldProblem) {
                    number = try field.parseNumber(value.trimmingASCIIWhitespace())
                } catch {
                    throw fail(error.message)
                }
            }
            let panel = backlog.panel
            try reportingErrors {
                try backlog.update(id) { (story: inout Story) throws(FieldProblem) in
                    try story.setVote(field, by: name, number, panel: panel)
                }
            }
            changed.append(number.map { "\(field.rawValue) \($0)" } ?? "\(field.rawValue) removed")
        }
        try saveBacklog(loaded, backlog)
        var message = "\(name) on \(id): " + changed.joined(separator: ", ")
        if let story = backlog.story(id), let tallies = story.tallies {
            message += "\n" + tallies.map { "  " + $0.explanation + ($0.disagreement.map { " (stakeholders disagree: \($0))" } ?? "") }
                .joined(separator: "\n")
        }
        printError(message)
    }
}
