/// `prio export --changed-since REV`: the stories changed since a revision (and those added), as
/// CSV or JSON under the column names of the source they came from (`Issue key`, `Story Points`,
/// `Status`), so that the tracker's bulk update can apply them. The rows and cells are the
/// export's own (`Exporter`); only the stories and the headings are chosen here.
public enum ChangedExport {
    /// The text for the stories `ids` (in the backlog's manual order): `columns`, else the ID,
    /// the title and each field in `fields`; headings renamed by `names` (prio's column name to
    /// the source's).
    public static func export(_ backlog: Backlog, ids: StoryIDSet, fields: [String], columns: [ExportColumn]?,
                              names: [String: String], format: ExportFormat, neutraliseFormulas: Bool = true) -> String {
        var chosen = backlog
        chosen.stories = backlog.stories.filter { ids.contains($0.id) }
        let ranking = Ranking(chosen, strategy: ManualStrategy(), includeDone: true)
        let table = Exporter.Table(ranking, ranking.entries, columns: columns ?? defaultColumns(fields), today: nil)
        let heading: (ExportColumn) -> String = { names[$0.name] ?? $0.name }
        let text = format == .json ? Exporter.json(table, heading: heading)
            : Exporter.csv(table, neutraliseFormulas: neutraliseFormulas, heading: heading)
        return TerminalSafe.output(text)
    }

    /// ID, title, then the fields named (the description last).
    static func defaultColumns(_ fields: [String]) -> [ExportColumn] {
        var columns: [ExportColumn] = [.id, .title]
        for field in fields where field != "title" && field != "id" && field != "description" {
            if !columns.contains(.field(field)) { columns.append(.field(field)) }
        }
        if fields.contains("description") { columns.append(.description) }
        return columns
    }

    /// prio's column names to a source's (`id` → `Issue key`, `points` → `Story Points`):
    /// Jira's `Custom field (NAME)` as `NAME`, the first column of each field.
    public static func names(_ columns: [ImportBase.Column]) -> [String: String] {
        var names: [String: String] = [:]
        for column in columns where names[column.field] == nil {
            var name = column.name
            if name.lowercased().hasPrefix("custom field (") && name.hasSuffix(")") {
                name = String(name.dropFirst("custom field (".count).dropLast())
            }
            names[column.field] = name
        }
        return names
    }
}
