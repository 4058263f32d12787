/// `prio import --update`: rows matched to stories by ID, each field decided three-way against
/// what the source said at its last import (`ImportBase`).
///
/// Per field the source carries: changed in the source only, the source's value is taken;
/// changed in prio only (or on both sides to the same value), prio's stays; changed on both
/// sides differently, a conflict, prio's stays unless `preferSource`. A story the base does not
/// hold yet (first update) has no base: a field that differs is a conflict. Fields the source
/// does not carry are never touched, the manual order of existing stories never changes.
extension Importer {
    /// Where new stories go in the manual order.
    public enum Placement: String, Sendable, CaseIterable {
        /// Above every story, in the source's order.
        case top
        /// Below every story, in the source's order.
        case bottom
        /// Each after the story ranked just above it by the backlog's strategy.
        case rank
    }

    /// What an update does beside reading.
    public struct UpdateOptions: Sendable {
        /// The source's name in the base (`csv`, `json`, `github` or `--source NAME`).
        public var source: String
        /// A conflict takes the source's value.
        public var preferSource = false
        /// Stories gone from the source are removed when prio did not change them.
        public var prune = false
        /// Where new stories go.
        public var placement = Placement.bottom

        public init(source: String) { self.source = source }
    }

    /// One field's change (nil: absent).
    public struct FieldChange: Sendable, Equatable {
        public var field: String
        public var from: String?
        public var to: String?
    }

    /// A field changed differently in prio and in the source since the last import.
    public struct Conflict: Sendable, Equatable {
        public var id: StoryID
        public var field: String
        public var prio: String?
        public var source: String?
        /// True when the source's value was taken (`--prefer source`).
        public var tookSource: Bool
    }

    /// What an update did (or, in a dry run, would do).
    public struct UpdateReport: Sendable {
        public var added: [StoryID] = []
        public var changed: [(id: StoryID, changes: [FieldChange])] = []
        public var conflicts: [Conflict] = []
        /// Stories of this source gone from it and still in the backlog.
        public var missing: [StoryID] = []
        /// Of `missing`, the ones removed (`--prune`: prio had not changed them).
        public var pruned: [StoryID] = []
        public var unchanged = 0
        public var warnings: [Diagnostic] = []

        /// How many stories the backlog gains, loses or sees changed.
        public var changeCount: Int { added.count + changed.count + pruned.count }
    }

    /// The value of a story's title, description or field, as the three-way decision compares it.
    static func comparedValue(_ story: Story, _ key: String) -> String? {
        comparedValue(story, key, FieldName(key))
    }

    /// `comparedValue` with the field's name resolved once (an update compares 100,000 stories).
    static func comparedValue(_ story: Story, _ key: String, _ name: FieldName) -> String? {
        switch key {
        case "title": return story.title
        case "description":
            let text = story.description
            return text.allSatisfy({ $0 == "\n" || $0 == " " || $0 == "\r" }) ? nil : text
        default: return story.value(of: name)
        }
    }

    /// Sets a story's title, description or field (nil removes a field).
    static func setValue(_ story: inout Story, _ key: String, _ value: String?) throws(FieldProblem) {
        switch key {
        case "title": if let value { try story.setTitle(value) }
        case "description": story.setDescription(value ?? "")
        default:
            if let value { try story.setField(key, value) } else { story.removeField(key) }
        }
    }

    /// The prio keys the columns fill, once each, in column order; and each column with its key.
    static func carriedKeys(_ keys: [String], _ columns: ColumnTargets) -> (keys: [String], columns: [ImportBase.Column]) {
        var carried: [String] = []
        var named: [ImportBase.Column] = []
        for (i, target) in columns.targets.enumerated() {
            let key: String
            switch target {
            case .id: key = "id"
            case .title: key = "title"
            case .description: key = "description"
            case .ignored: continue
            case .field:
                guard case .success(let field)? = columns.fields[i] else { continue }
                key = field.key
            }
            if !named.contains(where: { $0.field == key }) { named.append(ImportBase.Column(name: keys[i].trimmingASCIIWhitespace(), field: key)) }
            if key != "id" && !carried.contains(key) { carried.append(key) }
        }
        return (carried, named)
    }

    /// Reads `bytes` and updates `backlog` from them, and `base` to what they say; all or nothing.
    public static func updating(_ bytes: [UInt8], path: String, reading: Reading, options: UpdateOptions,
                                backlog: inout Backlog, base: inout ImportBase) throws(BacklogErrors) -> UpdateReport {
        let rows = try readRows(bytes, path: path, reading: reading, workflow: backlog.workflow)
        return try update(rows, options: options, backlog: &backlog, base: &base)
    }

    static func update(_ rows: Rows, options: UpdateOptions, backlog: inout Backlog, base: inout ImportBase) throws(BacklogErrors) -> UpdateReport {
        let columns = ColumnTargets(rows.keys)
        let (carried, named) = carriedKeys(rows.keys, columns)
        let ids = try sourceIDs(rows, columns)
        let workflow = backlog.workflow
        let parts = inHalves(rows.rows.count) { buildStories(rows, ids: ids, range: $0, columns: columns, workflow: workflow) }
        let errors = parts.flatMap(\.errors)
        if !errors.isEmpty { throw BacklogErrors(errors: errors.sorted { $0.location < $1.location }) }
        let given = parts.count == 2 ? parts[1].stories.buffer.takeArray(after: parts[0].stories.buffer)
            : parts.first?.stories.buffer.takeArray() ?? []
        var report = UpdateReport()
        var updated = backlog
        let indexOf = StoryIDMap(indexing: updated.storyIDs)
        var newRows: [Row] = []
        let names = carried.map { FieldName($0) }
        // The decisions, each story on its own (in halves on two threads for a big update).
        let before = updated, known = base, preferSource = options.preferSource, source = options.source
        let decisions = inHalves(given.count) { range in
            range.map { r in
                decide(given[r], at: indexOf[given[r].id].map { before.stories[$0] }, base: known, source: source,
                       carried: carried, names: names, preferSource: preferSource)
            }
        }.flatMap { $0 }
        var sameAsBase = [Bool](repeating: false, count: given.count)
        for (r, decision) in decisions.enumerated() {
            sameAsBase[r] = decision.sameAsBase
            guard let index = indexOf[given[r].id] else {
                newRows.append(rows.rows[r])
                continue
            }
            report.conflicts += decision.conflicts
            if decision.changes.isEmpty {
                if decision.conflicts.isEmpty { report.unchanged += 1 }
                continue
            }
            var current = updated.stories[index]
            do throws(FieldProblem) {
                for change in decision.changes { try setValue(&current, change.field, change.to) }
            } catch {
                throw BacklogErrors(errors: [Diagnostic(.error, at: rows.location(of: rows.rows[r]), error.message)])
            }
            updated.replaceStory(at: index, with: current)
            report.changed.append((given[r].id, decision.changes))
        }
        // New rows: the import's usual mapping, appended, then placed.
        if !newRows.isEmpty {
            var subset = Rows(path: rows.path)
            subset.keys = rows.keys
            subset.rows = newRows
            let imported = try add(subset, to: &updated)
            report.added = imported.ids
            report.warnings = imported.warnings
            place(count: imported.ids.count, options.placement, in: &updated)
        }
        // Gone from the source.
        let givenIDs = StoryIDSet(ids)
        let gone = base.ids(of: options.source).filter { !givenIDs.contains($0) }
        var kept: [StoryID] = []
        if !gone.isEmpty {
            let indexNow = StoryIDMap(indexing: updated.storyIDs)
            var removing: [Int] = []
            // A story another depends on is kept (once, not per story: a prune may meet thousands).
            let dependedOn = options.prune ? StoryIDSet(updated.stories.flatMap(\.dependencies)) : StoryIDSet()
            for id in gone {
                guard let index = indexNow[id], let prior = base.story(id) else { continue }
                report.missing.append(id)
                let untouched = prior.fields.map(\.key).filter { $0 != ImportBase.sourceField && $0 != ImportBase.goneField }
                    + ["title", "description"]
                let story = updated.stories[index]
                if options.prune && untouched.allSatisfy({ comparedValue(story, $0) == comparedValue(prior, $0) })
                    && !dependedOn.contains(id) {
                    removing.append(index)
                    report.pruned.append(id)
                } else {
                    kept.append(id)
                }
            }
            for index in removing.sorted(by: >) { updated.removeStory(at: index) }
        }
        base.record(source: options.source, columns: named, stories: given, unchanged: sameAsBase, keeping: kept)
        backlog = updated
        return report
    }

    /// What one source story does to its story in prio (`current`; nil for a new one).
    struct Decision: Sendable {
        var changes: [FieldChange] = []
        var conflicts: [Conflict] = []
        /// The base holds exactly what the source says now (so it is kept as read).
        var sameAsBase = false
    }

    /// The three-way decision for one story, field by field.
    static func decide(_ story: Story, at current: Story?, base: ImportBase, source: String, carried: [String], names: [FieldName],
                       preferSource: Bool) -> Decision {
        var decision = Decision()
        let prior = base.story(story.id)
        let theirsValues = names.indices.map { comparedValue(story, carried[$0], names[$0]) }
        let wasValues = prior.map { prior in names.indices.map { comparedValue(prior, carried[$0], names[$0]) } }
        if let wasValues, base.source(of: story.id) == source, prior?.fields.count == story.fields.count + 1 {
            decision.sameAsBase = wasValues == theirsValues
        }
        guard let current else { return decision }
        for (k, key) in carried.enumerated() {
            let theirs = theirsValues[k], ours = comparedValue(current, key, names[k])
            if theirs == ours { continue }
            let was = wasValues?[k]
            if let was, theirs == was { continue }  // prio's change, or none
            if let was, ours == was {
                decision.changes.append(FieldChange(field: key, from: ours, to: theirs))
                continue
            }
            // Changed on both sides (or no base yet): a conflict.
            decision.conflicts.append(Conflict(id: story.id, field: key, prio: ours, source: theirs, tookSource: preferSource))
            if preferSource { decision.changes.append(FieldChange(field: key, from: ours, to: theirs)) }
        }
        return decision
    }

    /// Each row's ID; a row without one, or two rows with one ID, is an error (an update matches by ID).
    static func sourceIDs(_ rows: Rows, _ columns: ColumnTargets) throws(BacklogErrors) -> [StoryID] {
        var errors: [Diagnostic] = []
        var ids: [StoryID] = []
        ids.reserveCapacity(rows.rows.count)
        var seen = StoryIDMap(capacity: rows.rows.count)
        for (r, row) in rows.rows.enumerated() {
            guard let cell = row.cells.first(where: { columns.targets[$0.column] == .id && !$0.text.trimmingASCIIWhitespace().isEmpty }) else {
                errors.append(Diagnostic(.error, at: rows.location(of: row),
                                         "this row has no ID: an update matches rows to stories by ID (Issue key, id or the issue's number)"))
                continue
            }
            let text = cell.text.trimmingASCIIWhitespace()
            guard let id = StoryID(text) else {
                errors.append(Diagnostic(.error, at: rows.location(of: cell), "'\(text)' is not a story ID (like S-12)"))
                continue
            }
            if let earlier = seen.insertIfAbsent(id, r) {
                errors.append(Diagnostic(.error, at: rows.location(of: cell),
                                         "\(id) is on two rows (the first at line \(rows.rows[earlier].line))"))
                continue
            }
            ids.append(id)
        }
        if !errors.isEmpty { throw BacklogErrors(errors: errors) }
        return ids
    }

    /// Moves the last `count` stories (just added, in source order) where `placement` says.
    static func place(count: Int, _ placement: Placement, in backlog: inout Backlog) {
        let total = backlog.stories.count, first = total - count
        guard count > 0, first > 0 else { return }
        switch placement {
        case .bottom: return
        case .top:
            backlog.reorder(Array(first..<total) + Array(0..<first))
        case .rank:
            let strategy = backlog.strategies.strategy(named: backlog.header.strategy ?? "manual") ?? ManualStrategy()
            let ranking = Ranking(backlog, strategy: strategy, includeDone: true)
            // Each new story goes after the nearest story above it in the ranking that was
            // there before (at the top when there is none); new ones keep their ranked order.
            var after: [Int: [Int]] = [:]
            var top: [Int] = []
            var lastOld: Int?
            for entry in ranking.entries {
                let i = entry.storyIndex
                if i < first {
                    lastOld = i
                } else if let lastOld {
                    after[lastOld, default: []].append(i)
                } else {
                    top.append(i)
                }
            }
            let placed = Set(top + after.values.flatMap { $0 })
            var order = top
            for i in 0..<first {
                order.append(i)
                order += after[i] ?? []
            }
            order += (first..<total).filter { !placed.contains($0) }
            backlog.reorder(order)
        }
    }
}
