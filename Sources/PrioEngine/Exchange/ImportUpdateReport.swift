/// What `prio import --update` says: one line per added, changed, conflicting and missing story
/// and a count, or the JSON object of issue 27.
extension Importer.UpdateReport {
    /// A value in a line of text: quoted when it has spaces, `(none)` when absent, the size of a
    /// description rather than its lines.
    static func shown(_ value: String?, field: String) -> String {
        guard let value else { return "(none)" }
        if field == "description" { return "(\(value.utf8.count) bytes)" }
        return value.contains(" ") || value.isEmpty ? "'\(value)'" : value
    }

    /// The report as lines of text; `dryRun` says what would happen.
    public func text(dryRun: Bool, titles: (StoryID) -> String?) -> String {
        var out = ""
        func title(_ id: StoryID) -> String { titles(id).map { "\(id) \($0)" } ?? id.description }
        for id in added { out += "\(dryRun ? "would add" : "added") \(title(id))\n" }
        for (id, changes) in changed {
            let list = changes.map { "\($0.field) \(Self.shown($0.from, field: $0.field)) -> \(Self.shown($0.to, field: $0.field))" }
            out += "\(dryRun ? "would change" : "changed") \(id): \(list.joined(separator: ", "))\n"
        }
        for conflict in conflicts {
            let kept = conflict.tookSource ? "\(dryRun ? "would take" : "took") the source's (--prefer source)" : "\(dryRun ? "would keep" : "kept") prio's"
            out += "conflict \(conflict.id) \(conflict.field): prio \(Self.shown(conflict.prio, field: conflict.field)), "
                + "source \(Self.shown(conflict.source, field: conflict.field)); \(kept)\n"
        }
        let prunedSet = Set(pruned)
        for id in missing {
            let what = prunedSet.contains(id) ? "\(dryRun ? "would be removed" : "removed") (--prune: unchanged in prio)"
                : "\(dryRun ? "would be kept" : "kept")"
            out += "missing \(title(id)): gone from the source; \(what)\n"
        }
        let count = changeCount
        var parts = ["\(added.count) added", "\(changed.count) changed"]
        if !pruned.isEmpty { parts.append("\(pruned.count) removed") }
        parts += ["\(conflicts.count) \(conflicts.count == 1 ? "conflict" : "conflicts")", "\(missing.count) missing", "\(unchanged) unchanged"]
        out += "\(count) \(count == 1 ? "change" : "changes")\(dryRun ? " would be made" : ""): \(parts.joined(separator: ", "))"
        out += dryRun ? " (dry run: nothing written)\n" : "\n"
        return out
    }

    /// `{"added": [ids], "changed": [{"id", "changes": [{"field", "from", "to"}]}], "conflicts":
    /// [{"id", "field", "prio", "source"}], "missing": [ids], "unchanged": N}`, and `"pruned"`
    /// when `--prune` was given.
    public func json(prune: Bool) -> String {
        func ids(_ list: [StoryID]) -> String { "[" + list.map { JSON.string($0.description) }.joined(separator: ", ") + "]" }
        func value(_ text: String?) -> String { text.map(JSON.string) ?? "null" }
        let changedItems = changed.map { id, changes in
            "    {\"id\": \(JSON.string(id.description)), \"changes\": ["
                + changes.map { "{\"field\": \(JSON.string($0.field)), \"from\": \(value($0.from)), \"to\": \(value($0.to))}" }
                .joined(separator: ", ") + "]}"
        }
        let conflictItems = conflicts.map {
            "    {\"id\": \(JSON.string($0.id.description)), \"field\": \(JSON.string($0.field)), "
                + "\"prio\": \(value($0.prio)), \"source\": \(value($0.source))}"
        }
        func list(_ items: [String]) -> String { items.isEmpty ? "[]" : "[\n" + items.joined(separator: ",\n") + "\n  ]" }
        var members = [
            "  \"added\": \(ids(added))",
            "  \"changed\": \(list(changedItems))",
            "  \"conflicts\": \(list(conflictItems))",
            "  \"missing\": \(ids(missing))",
        ]
        if prune { members.append("  \"pruned\": \(ids(pruned))") }
        members.append("  \"unchanged\": \(unchanged)")
        return "{\n" + members.joined(separator: ",\n") + "\n}\n"
    }
}
