import ArgumentParser
import PrioEngine
import PrioStorage

struct RemoveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm",
        abstract: "Remove a story.",
        discussion: "Refuses when other stories depend on it, unless --force (which also drops those dependencies)."
    )

    @Argument(help: "[FILE] ID")
    var arguments: [String] = []

    @Flag(help: "Remove even when other stories depend on it, and drop those dependencies.")
    var force = false

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio rm [FILE] ID") }
        let id = try storyID(rest[0])
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        try requireStory(backlog, id)
        try reportingErrors {
            let dependents = backlog.dependents(of: id)
            if !dependents.isEmpty && !force {
                let verb = dependents.count == 1 ? "depends" : "depend"
                throw PrioError("\(dependents.map(\.description).joined(separator: ", ")) \(verb) on \(id); "
                                + "use --force to remove it and those dependencies")
            }
            try backlog.removeWithReferences(id)
        }
        try saveBacklog(loaded, backlog)
    }
}
