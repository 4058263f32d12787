import ArgumentParser
import Foundation
import PrioEngine
import PrioStorage

extension Importer.Format: ExpressibleByArgument {}

extension CSV.Delimiter: ExpressibleByArgument {
    public init?(argument: String) { self.init(named: argument) }

    /// Listed in the help text instead (a list of ",", ";" and "\t" reads badly).
    public static var allValueStrings: [String] { [] }
}

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Append stories from a CSV or JSON file ('-' reads standard input).",
        discussion: """
            CSV needs a header row. Columns match field keys case-insensitively (_ or a space for -),
            plus the names Jira and spreadsheets use (Issue key, Summary, Business Value, Job Size,
            Story Points, Labels ...); other columns become custom fields, named like keys (Issue id
            becomes issue-id) and declared in the header's '- fields:'. Jira statuses map onto the
            workflow (To Do -> todo, In Progress -> in-progress, Done -> done ...). A repeated Sprint
            column keeps its last value. The delimiter is the one the header line uses most (',' ';'
            or tab), or --delimiter. Missing IDs are assigned. Any error: nothing is written.
            """
    )

    @Option(help: "csv or json.")
    var from: Importer.Format

    @Option(help: ArgumentHelp("CSV only: the cell separator: ',' (or comma), ';' (or semicolon), '\\t' (or tab); by default the header line decides.",
                               valueName: "sep"))
    var delimiter: CSV.Delimiter?

    @Argument(help: "[FILE] IN: the backlog (optional) and the file to import, or - for stdin.")
    var arguments: [String] = []

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio import [FILE] --from csv|json [--delimiter SEP] IN") }
        if delimiter != nil && from != .csv { throw fail("--delimiter applies to CSV only") }
        let input = rest[0]
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        let imported = try reportingErrors {
            let bytes: [UInt8]
            if input == "-" {
                bytes = Array(FileHandle.standardInput.readDataToEndOfFile())
            } else {
                bytes = try readFile(input)
            }
            return try Importer.importing(bytes, format: from, path: input == "-" ? "<stdin>" : input, delimiter: delimiter, into: &backlog)
        }
        try saveBacklog(loaded, backlog)
        for warning in imported.warnings { printError(warning.description) }
        let ids = imported.ids
        if let first = ids.first, let last = ids.last {
            try output("imported \(ids.count) stories (\(first) ... \(last))" + "\n")
        } else {
            try output("imported 0 stories" + "\n")
        }
        keepUntilExit((loaded, backlog))
    }
}
