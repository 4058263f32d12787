import ArgumentParser
import PrioEngine
import PrioStorage

struct SetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "set",
        abstract: "Change fields of one story, of several, or of every story a filter matches; key= removes a field.",
        discussion: """
            Example: prio set S-12 value=13 points=5 sprint=   (the last one removes sprint)
            Several stories in one write: prio set S-3 S-7 S-9 sprint="Sprint 5", or
            prio set --where 'tags = checkout and status = todo' moscow=must. If any story refuses a
            value, nothing is written.
            """
    )

    @Argument(help: "[FILE] ID... key=value ...")
    var arguments: [String] = []

    @OptionGroup var filter: FilterOptions

    func run() throws {
        let leading = Array(arguments.prefix { parseAssignment($0) == nil })
        let texts = arguments.dropFirst(leading.count)
        let usage = "usage: prio set [FILE] ID... key=value ...  or  prio set [FILE] --where FILTER key=value ..."
        let file: String?
        let named: [String]
        if filter.isEmpty {
            // The file comes first when it is not a story ID.
            (file, named) = leading.count > 1 && StoryID(leading[0].trimmingASCIIWhitespace()) == nil
                ? (leading[0], Array(leading.dropFirst())) : (nil, leading)
            guard !named.isEmpty else { throw fail(usage) }
        } else {
            guard leading.count <= 1 else { throw fail("give story IDs or --where/--view, not both") }
            (file, named) = (leading.first, [])
        }
        guard !texts.isEmpty else { throw fail("nothing to set: give key=value pairs") }
        var assignments: [(key: String, value: String)] = []
        for text in texts {
            guard let pair = parseAssignment(text) else { throw fail("'\(text)' is not key=value") }
            assignments.append(pair)
        }
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        let indices: [Int]
        if let keep = try filter.flags(backlog) {
            indices = keep.indices.filter { keep[$0] }
        } else {
            indices = try named.map { try requireStory(backlog, try storyID($0)) }
        }
        guard !indices.isEmpty else {
            printLine("no story matches; nothing was written")
            return
        }
        let change = try reportingErrors { try backlog.set(assignments, at: indices) }
        try saveBacklog(loaded, backlog)
        // One story named by its ID says nothing, as before; several say how many changed.
        if named.count != 1 {
            let unchanged = change.asked - change.changed.count
            printLine("changed \(Plural.count(change.changed.count, "story", "stories")) in \(loaded.path)"
                      + (unchanged > 0 ? " (\(unchanged) already had these values)" : ""))
        }
    }
}
