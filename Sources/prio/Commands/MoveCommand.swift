import ArgumentParser
import PrioEngine
import PrioStorage

struct MoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Move a story in the manual order.",
        discussion: "Example: prio move S-12 --before S-3"
    )

    @Argument(help: "[FILE] ID")
    var arguments: [String] = []

    @Flag(help: "Move to the top.") var top = false
    @Flag(help: "Move to the bottom.") var bottom = false
    @Option(help: "Move to this 1-based position.") var to: Int?
    @Option(help: "Move just before this story.") var before: String?
    @Option(help: "Move just after this story.") var after: String?

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio move [FILE] ID (--top | --bottom | --to N | --before ID | --after ID)") }
        let id = try storyID(rest[0])
        var placements: [Placement] = []
        if top { placements.append(.top) }
        if bottom { placements.append(.bottom) }
        if let to { placements.append(.position(to)) }
        if let before { placements.append(.before(try storyID(before))) }
        if let after { placements.append(.after(try storyID(after))) }
        guard placements.count == 1, let placement = placements.first else {
            throw fail("give exactly one of --top, --bottom, --to N, --before ID, --after ID")
        }
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        try reportingErrors { try backlog.move(id, to: placement) }
        try saveBacklog(loaded, backlog)
    }
}
