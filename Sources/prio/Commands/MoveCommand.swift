import ArgumentParser
import PrioEngine
import PrioStorage

struct MoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "move",
        abstract: "Move a story in the manual order (an epic with its children).",
        discussion: """
            A story with children (an epic: other stories name it with '- parent:') moves with all \
            its descendants as one block: the epic first, then its children in their manual order. \
            --alone moves just the story. Moving a child moves only the child.

            Example: prio move S-12 --before S-3
            """
    )

    @Argument(help: "[FILE] ID")
    var arguments: [String] = []

    @Flag(help: "Move to the top.") var top = false
    @Flag(help: "Move to the bottom.") var bottom = false
    @Option(help: "Move to this 1-based position.") var to: Int?
    @Option(help: "Move just before this story.") var before: String?
    @Option(help: "Move just after this story.") var after: String?
    @Flag(help: "Move just this story, not its children (for an epic).") var alone = false

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio move [FILE] ID (--top | --bottom | --to N | --before ID | --after ID) [--alone]") }
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
        let carried = alone ? 0 : backlog.index(of: id).map { backlog.block(of: $0).count - 1 } ?? 0
        try reportingErrors { try backlog.move(id, to: placement, alone: alone) }
        try saveBacklog(loaded, backlog)
        if carried > 0 { printLine("moved \(id) with \(Plural.count(carried, "story", "stories")) under it") }
    }
}
