/// Epics in an import: Jira's `Parent id` (the parent's numeric `Issue id`), `Parent` and
/// `Epic Link` (the parent's key) become `parent`, resolved through the rows' `Issue id` or the
/// IDs of the import and the backlog. A parent the export does not hold stays a custom field,
/// with one warning.
extension Importer {
    /// The custom fields an import reads parents from, in the order they are tried.
    static let parentColumns = ["parent-id", "epic-link"]

    /// Sets `parent` on the imported stories whose parent column names a story of the import
    /// or of the backlog (the column's field goes); returns the one warning for those that do not.
    static func resolveParents(_ stories: inout [Story], backlog: Backlog, rows: Rows) -> Diagnostic? {
        guard stories.contains(where: { story in
            story.hasCustomFields && parentColumns.contains { story.value(of: $0) != nil }
        }) else { return nil }
        var known = StoryIDSet(capacity: backlog.stories.count + stories.count)
        var byIssueID: [String: StoryID] = [:]
        for story in backlog.stories + stories {
            _ = known.insert(story.id)
            if story.hasCustomFields, let issue = story.value(of: "issue-id")?.trimmingASCIIWhitespace(), !issue.isEmpty {
                byIssueID[issue] = story.id
            }
        }
        var kept: [(row: Int, value: String)] = []
        for i in stories.indices where stories[i].hasCustomFields {
            for column in parentColumns {
                guard let value = stories[i].value(of: column)?.trimmingASCIIWhitespace(), !value.isEmpty else { continue }
                let parent = byIssueID[value] ?? StoryID(value).flatMap { known.contains($0) ? $0 : nil }
                guard let parent, parent != stories[i].id, (try? stories[i].setField(FieldKey.parent.rawValue, parent.description)) != nil
                else {
                    kept.append((i, value))
                    break
                }
                stories[i].removeField(column)
                break
            }
        }
        guard let first = kept.first, rows.rows.indices.contains(first.row) else { return nil }
        let values = kept.prefix(5).map { "'\($0.value)'" }.joined(separator: ", ") + (kept.count > 5 ? " and \(kept.count - 5) more" : "")
        return Diagnostic(.warning, at: rows.location(of: rows.rows[first.row]),
                          "\(Plural.count(kept.count, "parent", "parents")) not in the export or the backlog (\(values)): "
                          + "kept as custom fields; import the epics too, or set '- parent: ID' later")
    }
}
