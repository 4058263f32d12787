import ArgumentParser
import Foundation
import PrioEngine

extension Importer.Format: ExpressibleByArgument {}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append stories from a CSV or JSON file ('-' reads standard input).",
        discussion: """
            CSV needs a header row. Columns match field keys case-insensitively (_ or a space for -),
            plus the names Jira and spreadsheets use (Issue key, Summary, Business Value, Job Size,
            Story Points, Labels ...); other columns become custom fields. Missing IDs are assigned.
            Any error: nothing is written.
            """
    )

    @Option(help: "csv or json.")
    var from: Importer.Format

    @Argument(help: "[FILE] IN: the backlog (optional) and the file to import, or - for stdin.")
    var arguments: [String] = []

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio import [FILE] --from csv|json IN") }
        let input = rest[0]
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        let ids = try reportingErrors {
            let bytes: [UInt8]
            if input == "-" {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            } else {
                bytes = try readFile(input)
            }
            return try Importer.importStories(bytes, format: from, path: input == "-" ? "<stdin>" : input, into: &backlog)
        }
        try saveBacklog(loaded, backlog)
        if let first = ids.first, let last = ids.last {
            try output("imported \(ids.count) stories (\(first) ... \(last))" + "\n")
        } else {
            try output("imported 0 stories" + "\n")
        }
    }
}
