import ArgumentParser
import PrioEngine
import PrioStorage

/// What `prio export --format` takes: a ranking format, or `jira-rank`.
enum ExportChoice: ExpressibleByArgument, Equatable {
    case ranking(ExportFormat)
    case jiraRank

    init?(argument: String) {
        if argument == "jira-rank" {
            self = .jiraRank
        } else if let format = ExportFormat(rawValue: argument) {
            self = .ranking(format)
        } else {
            return nil
        }
    }

    static var allValueStrings: [String] { ExportFormat.allCases.map(\.rawValue) + ["jira-rank"] }
}

extension ExportCommand {
    /// The import base beside the backlog, and the source most of `ids` came from (nil: none).
    func importBase(_ path: String) throws -> ImportBase {
        try reportingErrors { try ImportBaseFile.load(besides: path).base }
    }

    static func mainSource(_ base: ImportBase, among ids: [StoryID]) -> String? {
        var counts: [String: Int] = [:]
        for id in ids { if let source = base.source(of: id) { counts[source, default: 0] += 1 } }
        return counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
    }

    /// `--changed-since REV`: the stories changed or added since a revision, with the source's names.
    func runChangedSince(_ revision: String, path: String, format: ExportFormat) throws {
        guard format != .markdown else { throw fail("--changed-since writes csv or json") }
        let loaded = try loadBacklog(path, readOnly: true)
        guard let repository = GitRepository.containing(path) else {
            throw fail("\(path) is not in a git repository: --changed-since compares with a version git keeps")
        }
        let changed = try reportingErrors {
            try ChangedSince(repository, revision: revision, path: repository.relative(path), current: loaded.backlog)
        }
        let chosenColumns = try columns.map { list in try reportingErrors { try ExportColumn.parse(list, in: loaded.backlog) } }
        let base = try importBase(path)
        let ids = loaded.backlog.storyIDs.filter { changed.ids.contains($0) }
        let names = Self.mainSource(base, among: ids.isEmpty ? loaded.backlog.storyIDs : ids).map { ChangedExport.names(base.columns[$0] ?? []) } ?? [:]
        let text = ChangedExport.export(loaded.backlog, ids: changed.ids, fields: changed.fields, columns: chosenColumns,
                                        names: names, format: format, neutraliseFormulas: !raw)
        try write(text, count: changed.count, path: path)
    }

    /// `--format jira-rank`: the rank operations that give the tracker prio's order.
    func runJiraRank(path: String) throws {
        let loaded = try loadBacklog(path, readOnly: true)
        let base = try importBase(path)
        let order = loaded.backlog.storyIDs
        guard let source = Self.mainSource(base, among: order) else {
            throw fail("no import base beside \(path) names these stories: import the tracker's export (ordered by rank) "
                       + "with 'prio import --update' first; it records the tracker's order")
        }
        let keyName = ChangedExport.names(base.columns[source] ?? [])["id"] ?? "Issue key"
        let current = base.listed(of: source)
        try write(JiraRank.csv(order, in: current, keyName: keyName), count: order.count, path: path)
    }

    /// Writes an export to `--output` (atomically, never the backlog) or standard output.
    func write(_ text: String, count: Int, path: String) throws {
        if let target = output, target != "-" {
            try reportingErrors {
                _ = try ExportDestination.check(target, backlogPath: path)
                try atomicWrite(Array(text.utf8), to: target, wait: cliLockWait())
            }
            printLine("wrote \(count) \(count == 1 ? "story" : "stories") to \(target)")
        } else {
            try prio.output(text)
        }
    }
}
