import ArgumentParser
import PrioEngine
import PrioStorage

struct WhyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Why a story ranks where it does, and what it would take to move it up.",
        discussion: """
            For each input of the strategy, the value the story would need, all else equal, to pass the
            story directly above it; with --sprint, to make the sprint's cut line.
            Example: prio why S-12 --strategy wsjf --sprint "Sprint 4"
            """
    )

    @Argument(help: "[FILE] ID")
    var arguments: [String] = []

    @OptionGroup var ranked: StrategyOption

    @Option(help: "A sprint whose cut line the story should make (planned at its capacity).")
    var sprint: String?

    @Option(help: "text or json.")
    var format: MatrixFormat = .text

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio why [FILE] ID [--strategy S] [--sprint NAME]") }
        let id = try storyID(rest[0])
        let backlog = try loadBacklog(backlogPath(file), readOnly: true).backlog
        let chosen = try chooseStrategy(ranked.strategy, backlog)
        let index = try requireStory(backlog, id)
        let ranking = Ranking(backlog, strategy: chosen, includeDone: backlog.workflow.isDone(backlog.stories[index]))
        guard let answer = WhatItWouldTake(storyIndex: index, in: ranking) else {
            throw fail("\(id) is not ranked by \(chosen.name)")
        }
        var sprintAnswer: WhatItWouldTake.SprintAnswer?
        if let sprint {
            let choice = Planner.chooseSprint(backlog, today: today(), named: sprint)
            guard let capacity = choice.capacity else {
                throw fail("\(choice.sprint.name) has no capacity (\(SprintChoice.noCapacity))")
            }
            sprintAnswer = try reportingErrors {
                try WhatItWouldTake.toMakeSprint(storyIndex: index, backlog: backlog, strategy: chosen,
                                                 sprint: choice.sprint.name, capacity: capacity)
            }
        }
        switch format {
        case .json: try output(WhyReport.json(answer, ranking: ranking, sprint: sprintAnswer))
        case .text: try output(WhyReport.text(answer, ranking: ranking, sprint: sprintAnswer))
        }
    }
}
