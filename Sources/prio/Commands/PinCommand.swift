import ArgumentParser
import PrioEngine
import PrioStorage

struct PinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pin",
        abstract: "Hold a story at a position in every computed ranking, with a reason.",
        discussion: """
            Example: prio pin S-12 1 --reason "promised to the board in Q3"
            The others keep the strategy's order around it; the explanation says it is pinned and why.
            """
    )

    @Argument(help: "[FILE] ID POSITION")
    var arguments: [String] = []

    @Option(help: "Why it is pinned (kept in the story as pin-reason).")
    var reason: String?

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 2)
        guard rest.count == 2 else { throw fail("usage: prio pin [FILE] ID POSITION [--reason TEXT]") }
        let id = try storyID(rest[0])
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        let index = try requireStory(backlog, id)
        try reportingErrors {
            try backlog.update(at: index) { (story: inout Story) throws(FieldProblem) in
                try story.setPin(rest[1].trimmingASCIIWhitespace(), reason: reason)
            }
        }
        try saveBacklog(loaded, backlog)
    }
}

struct UnpinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unpin",
        abstract: "Let a pinned story take the strategy's place again."
    )

    @Argument(help: "[FILE] ID")
    var arguments: [String] = []

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio unpin [FILE] ID") }
        let id = try storyID(rest[0])
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        let index = try requireStory(backlog, id)
        try reportingErrors {
            guard backlog.stories[index].pin != nil else { throw PrioError("\(id) is not pinned") }
            try backlog.update(at: index) { (story: inout Story) throws(FieldProblem) in
                try story.setPin("", reason: nil)
            }
        }
        try saveBacklog(loaded, backlog)
    }
}
