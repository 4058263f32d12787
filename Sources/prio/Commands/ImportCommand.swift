import ArgumentParser
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
        abstract: "Append stories from a CSV, JSON or GitHub issues file, or update them by ID (--update); '-' reads standard input.",
        discussion: """
            CSV needs a header row. Columns match field keys case-insensitively (_ or a space for -),
            plus the names Jira and spreadsheets use (Issue key, Summary, Business Value, Job Size,
            Story Points, Labels ...); other columns become custom fields, named like keys (Issue id
            becomes issue-id) and declared in the header's '- fields:'. Jira statuses map onto the
            workflow (To Do -> todo, In Progress -> in-progress, Done -> done ...). A repeated Sprint
            column keeps its last value. The delimiter is the one the header line uses most (',' ';'
            or tab), or --delimiter; a ';'-separated file (or --decimal-comma) reads 2,5 as 2.5. Missing IDs are
            assigned. --from github reads 'gh issue list --json number,title,body,labels,state,milestone,url'
            (--prefix SHOP makes #12 SHOP-12). Any error: nothing is written.

            --update matches rows to stories by ID and, per field, takes what changed in the source since its
            last import, keeps what changed in prio, and lists a field changed on both sides as a conflict
            (prio's value kept unless --prefer source). New rows are added (--at), rows gone are reported
            missing (--prune removes those prio did not change). What each source said last is kept in
            NAME.imported.md beside NAME.md; commit it with the backlog.
            """
    )

    @Option(help: "csv, json or github.")
    var from: Importer.Format

    @Option(help: ArgumentHelp("CSV only: the cell separator: ',' (or comma), ';' (or semicolon), '\\t' (or tab); by default the header line decides.",
                               valueName: "sep"))
    var delimiter: CSV.Delimiter?

    @Argument(help: "[FILE] IN: the backlog (optional) and the file to import, or - for stdin.")
    var arguments: [String] = []

    @OptionGroup var tracker: TrackerImportOptions

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio import [FILE] --from csv|json [--delimiter SEP] IN") }
        if delimiter != nil && from != .csv { throw fail("--delimiter applies to CSV only") }
        let input = rest[0]
        let reading = try tracker.reading(from, delimiter: delimiter)
        if tracker.update {
            return try runUpdate(backlogPath(file), input: input, reading: reading)
        }
        try tracker.checkPlainImport()
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        let imported = try reportingErrors {
            try Importer.importing(readInput(input), path: input == "-" ? "<stdin>" : input, reading: reading, into: &backlog)
        }
        if tracker.dryRun {
            for warning in imported.warnings { printError(warning.description) }
            try output("would import \(imported.ids.count) stories (dry run: nothing written)\n")
            return
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
