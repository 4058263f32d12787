import ArgumentParser
import PrioEngine
import PrioStorage

extension Importer.Placement: ExpressibleByArgument {}

/// Which side a conflict takes.
enum ConflictSide: String, ExpressibleByArgument, CaseIterable {
    case prio, source
}

/// What an update report is written as.
enum UpdateReportFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}

/// The options of `prio import` for reading a tracker's export and updating from it.
struct TrackerImportOptions: ParsableArguments {
    @Flag(help: "Update stories by ID from the source (three-way against its last import) instead of only appending.")
    var update = false

    @Option(help: ArgumentHelp("--update: the side a field changed on both sides takes: prio (the default) or source.", valueName: "side"))
    var prefer: ConflictSide = .prio

    @Flag(help: "--update: remove the stories gone from the source that prio did not change since the last import.")
    var prune = false

    @Option(help: ArgumentHelp("--update: where new stories go: top, bottom (the default) or rank (after the story the backlog's strategy ranks above each).",
                               valueName: "place"))
    var at: Importer.Placement = .bottom

    @Option(help: ArgumentHelp("--update: the source's name in the import base (default: the --from format), for two sources of one format.",
                               valueName: "name"))
    var source: String?

    @Flag(help: "Write nothing; say what would happen.")
    var dryRun = false

    @Option(help: ArgumentHelp("--update: the report as text (the default) or json.", valueName: "format"))
    var format: UpdateReportFormat = .text

    @Option(help: ArgumentHelp("GitHub only: the ID prefix of the issue numbers (SHOP makes #12 SHOP-12).", valueName: "prefix"))
    var prefix: String?

    @Flag(help: "Read 2,5 in a numeric column as 2.5 (always so in a ';'-separated CSV).")
    var decimalComma = false

    @Option(help: ArgumentHelp("Read a column as a field: COLUMN=FIELD (priority=moscow maps Highest..Lowest onto must..won't); repeatable.",
                               valueName: "COLUMN=FIELD"))
    var map: [String] = []

    /// The reading choices, checked.
    func reading(_ format: Importer.Format, delimiter: CSV.Delimiter?) throws -> Importer.Reading {
        var reading = Importer.Reading(format: format, delimiter: delimiter)
        reading.decimalComma = decimalComma
        if prefix != nil && format != .github { throw fail("--prefix applies to --from github only") }
        reading.prefix = prefix
        for text in map {
            guard let (column, field) = parseAssignment(text), !field.trimmingASCIIWhitespace().isEmpty else {
                throw fail("--map takes COLUMN=FIELD, like priority=moscow; '\(text)' is not")
            }
            reading.maps.append((column, field.trimmingASCIIWhitespace()))
        }
        return reading
    }

    /// A plain import refuses the options that only an update reads.
    func checkPlainImport() throws {
        if prefer != .prio || prune || at != .bottom || source != nil || format != .text {
            throw fail("--prefer, --prune, --at, --source and --format apply to --update only")
        }
    }

    /// The source's name in the base: `--source`, else the format.
    func sourceName(_ format: Importer.Format) throws -> String {
        guard let source else { return format.rawValue }
        let name = FieldKey.normalize(source)
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-") }) else {
            throw fail("--source takes a name of letters, digits and -; '\(source)' is not")
        }
        return name
    }
}

/// The input's bytes: a file, or standard input for `-`.
func readInput(_ input: String) throws -> [UInt8] {
    if input == "-" { return try readStandardInput() }
    return try readFile(input)
}

extension ImportCommand {
    /// `--update`: the three-way update; the backlog is saved first, then the base beside it.
    ///
    /// Order of the two writes: when the backlog is written and the base is not, running the
    /// same import again finds the source's values already in prio (the same on both sides: no
    /// change, no conflict) and records the base; the other order would lose the source's
    /// changes, since the base would say they were taken.
    func runUpdate(_ path: String, input: String, reading: Importer.Reading) throws {
        var options = Importer.UpdateOptions(source: try tracker.sourceName(from))
        options.preferSource = tracker.prefer == .source
        options.prune = tracker.prune
        options.placement = tracker.at
        let loaded = try loadBacklog(path)
        var baseFile = try reportingErrors { try ImportBaseFile.load(besides: path, lockWait: cliLockWait()) }
        var backlog = loaded.backlog
        var base = baseFile.base
        let report = try reportingErrors {
            try Importer.updating(readInput(input), path: input == "-" ? "<stdin>" : input, reading: reading,
                                  options: options, backlog: &backlog, base: &base)
        }
        for warning in report.warnings { printError(warning.description) }
        if !tracker.dryRun {
            try saveBacklog(loaded, backlog)
            do {
                try baseFile.save(base, permissions: filePermissions(path), lockWait: cliLockWait())
            } catch {
                throw fail("\(path) was updated, but \(baseFile.path) could not be written (\(error.message)); "
                           + "run the same import again to record it (it changes nothing more in \(path))")
            }
        }
        switch tracker.format {
        case .json: try output(report.json(prune: tracker.prune))
        case .text:
            let index = StoryIDMap(indexing: backlog.storyIDs)
            try output(report.text(dryRun: tracker.dryRun) { id in
                index[id].map { backlog.stories[$0].title } ?? loaded.backlog.story(id)?.title
            })
        }
        keepUntilExit((loaded, backlog, base))
    }
}
