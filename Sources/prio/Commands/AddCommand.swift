import ArgumentParser
import PrioEngine
import PrioStorage

struct AddCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Append a story and print its new ID.",
        discussion: "Example: prio add --title \"Guest checkout\" moscow=must value=13 points=5 tags=checkout"
    )

    @Option(help: "The story's title.")
    var title: String

    @Option(help: "A description (Markdown).")
    var description: String?

    @Argument(help: "[FILE] then key=value fields.")
    var arguments: [String] = []

    func run() throws {
        let file = arguments.first.flatMap { parseAssignment($0) == nil ? $0 : nil }
        let assignments = file == nil ? arguments : Array(arguments.dropFirst())
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        let id = try reportingErrors { try backlog.newID() }
        var story = Story(id: id, title: "")
        try reportingErrors {
            guard !title.allSatisfy(\.isWhitespace) else { throw PrioError("the title must not be empty") }
            try story.setTitle(title)
            let workflow = backlog.workflow
            for text in assignments {
                guard let (key, value) = parseAssignment(text) else { throw PrioError("'\(text)' is not key=value") }
                try story.setField(key, value, in: workflow)
            }
            if let description { story.setDescription(description) }
            if let problem = backlog.dependencyProblem(of: story) { throw PrioError(lines: [problem, "nothing was written"]) }
            try backlog.append(story)
        }
        try saveBacklog(loaded, backlog)
        try output("\(id)\n")
    }
}
