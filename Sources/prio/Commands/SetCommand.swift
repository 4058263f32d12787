import ArgumentParser
import PrioEngine
import PrioStorage

struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change a story's fields; key= removes a field.",
        discussion: "Example: prio set S-12 value=13 points=5 sprint=   (the last one removes sprint)"
    )

    @Argument(help: "[FILE] ID key=value ...")
    var arguments: [String] = []

    func run() throws {
        let leading = arguments.prefix { parseAssignment($0) == nil }
        let assignments = arguments.dropFirst(leading.count)
        let (file, rest) = splitFile(Array(leading), required: 1)
        guard rest.count == 1 else { throw fail("usage: prio set [FILE] ID key=value ...") }
        guard !assignments.isEmpty else { throw fail("nothing to set: give key=value pairs") }
        let id = try storyID(rest[0])
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        try reportingErrors {
            let index = try backlog.requireIndex(of: id)
            let workflow = backlog.workflow
            for text in assignments {
                guard let (key, value) = parseAssignment(text) else { throw PrioError("'\(text)' is not key=value") }
                try backlog.update(at: index) { (story: inout Story) throws(FieldProblem) in
                    try story.setField(key, value, in: workflow)
                }
            }
            if let problem = backlog.dependencyProblem(of: backlog.stories[index]) {
                throw PrioError(lines: [problem, "nothing was written"])
            }
        }
        try saveBacklog(loaded, backlog)
    }
}
