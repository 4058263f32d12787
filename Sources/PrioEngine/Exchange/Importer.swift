/// Appends stories from CSV or JSON to a backlog; any error means nothing is added.
public enum Importer {
    /// The formats `prio import` reads.
    public enum Format: String, Sendable, CaseIterable {
        case csv
        case json
        /// `gh issue list --json number,title,body,labels,state,milestone,url` (`GitHubIssues`).
        case github
    }

    /// One incoming value: its column (an index into the import's `keys`), the text, and where
    /// it is. Only the text counts references: a million cells copy cheaply.
    struct Cell: Sendable {
        var column: Int
        var text: String
        var line: Int
        var offset: Int
    }

    /// One incoming story: where it starts, and its cells.
    struct Row: Sendable {
        var line: Int
        var column: Int
        var cells: [Cell]
    }

    /// What an import reads: its rows, and the column names or JSON keys as written (each
    /// named once, so that what a name means is worked out once).
    struct Rows: Sendable {
        var path: String
        var keys: [String] = []
        var rows: [Row] = []

        /// Where a row starts.
        func location(of row: Row) -> SourceLocation { SourceLocation(path: path, line: row.line, column: row.column) }
        /// Where a cell is.
        func location(of cell: Cell) -> SourceLocation { SourceLocation(path: path, line: cell.line, column: cell.offset) }
    }

    /// What a column or JSON key means.
    enum Target: Equatable, Sendable {
        case id, title, description, ignored
        case field(String)
    }

    /// What an import added, and what it kept that the backlog's rules warn about.
    public struct Imported: Sendable {
        /// The new stories' IDs, in order.
        public var ids: [StoryID]
        /// Each distinct status outside the workflow, once, at its first cell: kept as written
        /// (a team's tracker may have more statuses than prio's default workflow).
        public var warnings: [Diagnostic]
    }

    /// Parses `bytes` and appends its stories to `backlog`; returns the new IDs in order.
    public static func importStories(_ bytes: [UInt8], format: Format, path: String, delimiter: CSV.Delimiter? = nil,
                                     into backlog: inout Backlog) throws(BacklogErrors) -> [StoryID] {
        try importing(bytes, format: format, path: path, delimiter: delimiter, into: &backlog).ids
    }

    /// Parses `bytes` and appends its stories to `backlog`; returns the new IDs and the warnings.
    ///
    /// A CSV's delimiter is `delimiter`, or when that is nil the one its header line uses
    /// (`CSV.detectDelimiter`). The custom fields the stories get are declared in the header's
    /// `- fields:` setting, so that the result checks without warnings.
    public static func importing(_ bytes: [UInt8], format: Format, path: String, delimiter: CSV.Delimiter? = nil,
                                 into backlog: inout Backlog) throws(BacklogErrors) -> Imported {
        try importing(bytes, path: path, reading: Reading(format: format, delimiter: delimiter), into: &backlog)
    }

    /// What a column name means: ID, title, description, a column prio wrote itself, or a field.
    ///
    /// A custom field's name is normalised like every key (`Issue id` is `issue-id`), after
    /// characters a key cannot hold become spaces.
    static func target(of column: String) -> Target {
        var name = column.trimmingASCIIWhitespace()
        // Jira writes custom fields as "Custom field (Story Points)".
        let lower = name.lowercased()
        if lower.hasPrefix("custom field (") && name.hasSuffix(")") {
            name = String(name.dropFirst("custom field (".count).dropLast())
        }
        let normalized = FieldKey.normalize(name)
        switch normalized {
        case "id", "key", "issue-key", "story-id", "story", "ticket": return .id
        case "title", "summary", "name", "story-title": return .title
        case "description", "body", "details": return .description
        // What prio computes and writes beside a story's fields (`prio export`, `prio rank`):
        // read back, it would only become custom fields.
        case "rank", "score", "explanation", "why", "#", "", "disagreement", "quadrant", "forecast": return .ignored
        case "parent", "parent-id", "parent-link": return .field("parent-id")  // Resolved by `resolveParents`.
        default:
            if normalized.hasSuffix("-aggregate"), let field = FieldKey.canonical(String(normalized.dropLast("-aggregate".count))),
               field.isNumeric {
                return .ignored
            }
        }
        if let canonical = FieldKey.canonical(name) { return .field(canonical.rawValue) }
        // Characters a field name cannot hold become spaces; then the name is normalised.
        var cleaned = String(String.UnicodeScalarView(name.unicodeScalars.map {
            $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "'" ? $0 : " "
        }))
        cleaned = cleaned.split(separator: " ").joined(separator: " ")
        while let first = cleaned.unicodeScalars.first, !first.properties.isAlphabetic { cleaned.removeFirst() }
        if cleaned.isEmpty { return .ignored }
        // `Story (Points)` cleans to `Story Points`: read the cleaned name from the top (cleaning twice changes nothing).
        if cleaned != name { return target(of: cleaned) }
        return .field(FieldKey.normalize(cleaned))
    }

    static func csvRows(_ bytes: [UInt8], path: String, delimiter: CSV.Delimiter) throws(BacklogErrors) -> Rows {
        let records = try CSV.parse(bytes, path: path, delimiter: delimiter)
        var rows = Rows(path: path)
        guard let header = records.first else { return rows }
        rows.keys = header.map(\.text)
        var errors: [Diagnostic] = []
        rows.rows.reserveCapacity(records.count - 1)
        for record in records.dropFirst() {
            var cells: [Cell] = []
            cells.reserveCapacity(min(record.count, header.count))
            for (index, cell) in record.enumerated() {
                guard index < header.count else {
                    if !cell.text.isEmpty {
                        errors.append(Diagnostic(.error, at: SourceLocation(path: path, line: cell.line, column: cell.column),
                                                 "this row has more cells than the header has columns"))
                    }
                    continue
                }
                cells.append(Cell(column: index, text: CSV.unneutralised(cell.text), line: cell.line, offset: cell.column))
            }
            rows.rows.append(Row(line: record[0].line, column: record[0].column, cells: cells))
        }
        if !errors.isEmpty { throw BacklogErrors(errors: errors) }
        return rows
    }

    static func jsonRows(_ bytes: [UInt8], path: String) throws(BacklogErrors) -> Rows {
        let document = try JSON.parse(bytes, path: path)
        func location(_ offset: Int) -> SourceLocation {
            let (line, column) = position(of: offset, in: bytes)
            return SourceLocation(path: path, line: line, column: column)
        }
        var items: [LocatedJSON]
        switch document.value {
        case .array(let array): items = array
        case .object(let members):
            guard let stories = members.first(where: { $0.key == "stories" })?.value, case .array(let array) = stories.value else {
                throw BacklogErrors(errors: [Diagnostic(.error, at: location(document.offset),
                                                        "expected an array of stories (or an object with a \"stories\" array)")])
            }
            items = array
        default:
            throw BacklogErrors(errors: [Diagnostic(.error, at: location(document.offset), "expected an array of stories")])
        }
        var errors: [Diagnostic] = []
        var rows = Rows(path: path)
        var columnOf: [String: Int] = [:]
        for item in items {
            guard case .object(let members) = item.value else {
                errors.append(Diagnostic(.error, at: location(item.offset), "each story must be a JSON object"))
                continue
            }
            var cells: [Cell] = []
            for member in members {
                let text: String?
                switch member.value.value {
                case .null: text = nil
                case .bool(let b): text = b ? "true" : "false"
                case .number(let n): text = plainDecimal(n)
                case .string(let s): text = s
                case .array(let values):
                    var parts: [String] = []
                    for value in values {
                        switch value.value {
                        case .string(let s): parts.append(s)
                        case .number(let n): parts.append(plainDecimal(n))
                        default:
                            errors.append(Diagnostic(.error, at: location(value.offset), "lists may hold only strings and numbers"))
                        }
                    }
                    text = parts.joined(separator: ", ")
                case .object:
                    errors.append(Diagnostic(.error, at: location(member.value.offset), "'\(member.key)' must not be an object"))
                    text = nil
                }
                if let text {
                    let column = columnOf[member.key] ?? rows.keys.count
                    if column == rows.keys.count {
                        columnOf[member.key] = column
                        rows.keys.append(member.key)
                    }
                    let at = location(member.value.offset)
                    cells.append(Cell(column: column, text: text, line: at.line, offset: at.column))
                }
            }
            let at = location(item.offset)
            rows.rows.append(Row(line: at.line, column: at.column, cells: cells))
        }
        if !errors.isEmpty { throw BacklogErrors(errors: errors) }
        return rows
    }

    /// Builds stories from rows and appends them; all-or-nothing.
    static func add(_ rows: Rows, to backlog: inout Backlog) throws(BacklogErrors) -> Imported {
        var errors: [Diagnostic] = []
        let columns = ColumnTargets(rows.keys)
        var existing: [StoryID: String] = [:]
        for story in backlog.stories { existing[story.id] = "the backlog" }
        // First pass: explicit IDs, so assigned IDs never collide with a later row's.
        var explicit: [StoryID?] = []
        explicit.reserveCapacity(rows.rows.count)
        for row in rows.rows {
            var id: StoryID?
            if columns.hasID, let cell = row.cells.first(where: { columns.targets[$0.column] == .id && !$0.text.trimmingASCIIWhitespace().isEmpty }) {
                let text = cell.text.trimmingASCIIWhitespace()
                let location = rows.location(of: cell)
                if let parsed = StoryID(text) {
                    if let holder = existing[parsed] {
                        errors.append(Diagnostic(.error, at: location, "ID \(parsed) is already used in \(holder)"))
                    } else {
                        existing[parsed] = "line \(location.line) of \(location.path)"
                        id = parsed
                    }
                } else {
                    errors.append(Diagnostic(.error, at: location, "'\(text)' is not a story ID (like S-12)"))
                }
            }
            explicit.append(id)
        }
        // Each row's ID, in row order: explicit, else the next number of the prefix.
        let prefix = backlog.idPrefix
        var nextNumber = (existing.keys.filter { $0.prefix == prefix }.map(\.number).max() ?? 0) + 1
        var assigned: [StoryID] = []
        assigned.reserveCapacity(explicit.count)
        for (row, id) in explicit.enumerated() {
            if let id {
                assigned.append(id)
                continue
            }
            if nextNumber > StoryID.highestNumber {
                errors.append(Diagnostic(.error, at: rows.location(of: rows.rows[row]),
                                         "no ID is left for this story: \(prefix)- numbers stop at 18 digits "
                                         + "(give it an ID, or set '- prefix:' in the backlog's header)"))
                nextNumber = StoryID.highestNumber
            }
            assigned.append(StoryID(prefix: prefix, number: nextNumber))
            nextNumber += 1
        }
        let ids = assigned
        // The stories, built from their rows in two halves on two threads for a big import
        // (each row is independent once its ID is known), then moved (not copied) into one
        // array in row order.
        let workflow = backlog.workflow
        let parts = inHalves(rows.rows.count) { buildStories(rows, ids: ids, range: $0, columns: columns, workflow: workflow) }
        var dependencyCells: [(story: Int, location: SourceLocation)] = []
        var built = 0
        for part in parts {
            errors += part.errors
            dependencyCells += part.dependencyCells.map { (built + $0.story, $0.location) }
            built += part.stories.buffer.count
        }
        var stories = parts.count == 2 ? parts[1].stories.buffer.takeArray(after: parts[0].stories.buffer)
            : parts.first?.stories.buffer.takeArray() ?? []
        let parentWarning = resolveParents(&stories, backlog: backlog, rows: rows)
        var known = StoryIDSet(capacity: existing.count + stories.count)
        if !dependencyCells.isEmpty {
            for id in existing.keys { known.insert(id) }
            for story in stories { known.insert(story.id) }
        }
        // Check the dependencies as stored (cleaned like every value), once per story.
        var checked = Set<Int>()
        for (storyIndex, location) in dependencyCells where storyIndex < stories.count && checked.insert(storyIndex).inserted {
            let story = stories[storyIndex]
            for id in story.dependencies {
                if id == story.id {
                    errors.append(Diagnostic(.error, at: location, "\(id) depends on itself"))
                } else if !known.contains(id) {
                    errors.append(Diagnostic(.error, at: location, "\(story.id) depends on \(id), which is not in the backlog or the import"))
                }
            }
        }
        if !errors.isEmpty { throw BacklogErrors(errors: errors.sorted { $0.location < $1.location }) }
        let warnings = keptStatuses(stories, rows, columns: columns, workflow: workflow) + [parentWarning].compactMap { $0 }
        // IDs were checked above against the backlog and each other.
        var combined = backlog
        let first = combined.stories.count
        if first == 0 {
            combined.stories = stories
        } else {
            combined.stories.append(contentsOf: stories)
        }
        combined.resolveAllVotes()
        let added = combined.stories[first...]
        do {
            try declareCustomFields(of: added, in: &combined.header)
        } catch {
            let location = rows.rows.first.map { rows.location(of: $0) } ?? SourceLocation(path: "", line: 1, column: 1)
            throw BacklogErrors(errors: [Diagnostic(.error, at: location, error.message)])
        }
        // A cycle through an imported story is refused, at its depends cell (one walk of the graph).
        if !dependencyCells.isEmpty {
            var cellOf: [StoryID: SourceLocation] = [:]
            for (storyIndex, location) in dependencyCells where storyIndex < stories.count { cellOf[stories[storyIndex].id] = location }
            for cycle in combined.dependencyCycles() {
                guard let location = cycle.path.lazy.compactMap({ cellOf[$0] }).first else { continue }
                throw BacklogErrors(errors: [Diagnostic(.error, at: location, "the import would close a \(cycle)")])
            }
        }
        if let problem = combined.parentProblems().first, let row = rows.rows.first {
            throw BacklogErrors(errors: [Diagnostic(.error, at: rows.location(of: row), "the import would make a \(problem)")])
        }
        backlog = combined
        return Imported(ids: added.map(\.id), warnings: warnings)
    }

    /// One warning per distinct status outside the workflow, at its first cell (every row made
    /// a story, so story `i` is row `i`).
    static func keptStatuses(_ stories: [Story], _ rows: Rows, columns: ColumnTargets, workflow: Workflow) -> [Diagnostic] {
        var kept: [(status: String, row: Int)] = []
        var seen: Set<String> = []
        for (i, story) in stories.enumerated() where !workflow.contains(story.status) {
            guard let text = story.value(of: .status)?.trimmingASCIIWhitespace(), !text.isEmpty,
                  seen.insert(FieldKey.normalize(text)).inserted else { continue }
            kept.append((text, i))
        }
        let names = kept.map(\.status)
        return kept.map { status, i in
            let row = rows.rows[i]
            let cell = row.cells.first { cell in
                if case .success(let target)? = columns.fields[cell.column] { return target.canonical == .status }
                return false
            }
            return Diagnostic(.warning, at: cell.map { rows.location(of: $0) } ?? rows.location(of: row),
                              workflow.keptStatusMessage(status, all: names))
        }
    }
}

extension Importer {
    /// The stories built from some rows, what went wrong, and the depends cells by story index.
    struct BuiltRows: Sendable {
        var stories = Stories()
        var errors: [Diagnostic] = []
        var dependencyCells: [(story: Int, location: SourceLocation)] = []

        /// Stories gathered on one thread, to be moved into the backlog's array on this one.
        struct Stories: @unchecked Sendable {
            // Written by the thread that builds them, read after it is done.
            let buffer = MoveBuffer<Story>()
        }
    }

    /// What each column means, and what each field column's key resolves to (or why it
    /// cannot be a field), worked out once per column for every row.
    struct ColumnTargets: Sendable {
        let targets: [Target]
        let fields: [Result<Story.FieldTarget, FieldProblem>?]
        let hasID: Bool

        init(_ keys: [String]) {
            targets = keys.map(Importer.target(of:))
            fields = targets.map { target in
                guard case .field(let key) = target else { return nil }
                do throws(FieldProblem) {
                    return .success(try Story.FieldTarget(key))
                } catch {
                    return .failure(error)
                }
            }
            hasID = targets.contains(.id)
        }
    }

    /// Builds the stories of `rows[range]`, each with its ID from `ids`; a row that fails is
    /// left out and its errors are returned.
    static func buildStories(_ rows: Rows, ids: [StoryID], range: Range<Int>, columns: ColumnTargets,
                             workflow: Workflow) -> BuiltRows {
        var built = BuiltRows()
        built.stories.buffer.reserve(range.count)
        for rowIndex in range {
            let row = rows.rows[rowIndex]
            let id = ids[rowIndex]
            guard let titleCell = row.cells.first(where: { columns.targets[$0.column] == .title }),
                  !titleCell.text.trimmingASCIIWhitespace().isEmpty else {
                built.errors.append(Diagnostic(.error, at: rows.location(of: row), "this story has no title (a title or summary column is needed)"))
                continue
            }
            var story = Story(id: id, title: "")
            do {
                // Imported cells may span lines (a spreadsheet's Alt+Enter): import joins them with spaces,
                // then the one check for written values applies.
                try story.setTitle(singleLine(titleCell.text))
            } catch {
                built.errors.append(Diagnostic(.error, at: rows.location(of: titleCell), error.message))
                continue
            }
            var lists: [String: [String]] = [:]
            // The keys this row has set (normalised): no field lookup per cell.
            var present: Set<String> = []
            for cell in row.cells {
                switch columns.targets[cell.column] {
                case .id, .title, .ignored: continue
                case .description:
                    story.setDescription(cell.text)
                case .field(let key):
                    var text = cell.text.trimmingASCIIWhitespace()
                    if text.isEmpty { continue }
                    let field: Story.FieldTarget
                    switch columns.fields[cell.column] {
                    case .success(let target)?: field = target
                    case .failure(let problem)?:
                        built.errors.append(Diagnostic(.error, at: rows.location(of: cell), problem.message))
                        continue
                    case nil: continue
                    }
                    let canonical = field.canonical
                    // Jira's statuses (To Do, Selected for Development, In Review, ...) map onto the workflow.
                    if canonical == .status { text = workflow.imported(text) }
                    if canonical == .tags || canonical == .depends {
                        // Jira repeats list columns (Labels, Labels, ...): gather them.
                        lists[key, default: []].append(text)
                        if canonical == .depends { built.dependencyCells.append((built.stories.buffer.count, rows.location(of: cell))) }
                        continue
                    }
                    // A repeated column keeps its first value, except Sprint: Jira lists every sprint
                    // an issue passed through, oldest first, so the last one is where it is now.
                    let isNew = present.insert(field.key).inserted
                    if canonical != .sprint && !isNew { continue }
                    do {
                        try story.setField(field, text, isNew: isNew)
                    } catch {
                        built.errors.append(Diagnostic(.error, at: rows.location(of: cell), error.message))
                    }
                }
            }
            for (key, parts) in lists {
                do {
                    try story.setField(key, parts.joined(separator: ", "))
                } catch {
                    let cell = row.cells.first { FieldKey.canonical(rows.keys[$0.column])?.rawValue == FieldKey.canonical(key)?.rawValue }
                    built.errors.append(Diagnostic(.error, at: cell.map { rows.location(of: $0) } ?? rows.location(of: row), error.message))
                }
            }
            built.stories.buffer.append(story)
        }
        return built
    }

    /// Adds the custom fields the stories use to the header's `- fields:` setting (keeping the
    /// entries it has, as written), so that they draw no "unknown field" warning.
    static func declareCustomFields(of stories: some Sequence<Story>, in header: inout BacklogHeader) throws(FieldProblem) {
        let existing = header.setting("fields") ?? ""
        var declared = Set(splitList(existing).map { FieldKey.normalize($0) })
        var added: [String] = []
        for story in stories where story.hasCustomFields {
            // Votes lines are the stakeholders' (`value-votes`): known, never declared.
            for field in story.fields where field.canonicalKey == nil && Vote.field(ofKey: field.key) == nil
                && declared.insert(field.key).inserted {
                added.append(field.key)
            }
        }
        guard !added.isEmpty else { return }
        var kept = existing.trimmingASCIIWhitespace()
        while kept.hasSuffix(",") || kept.hasSuffix(" ") { kept.removeLast() }
        let list = added.joined(separator: ", ")
        try header.setSetting("fields", kept.isEmpty ? list : kept + ", " + list)
    }
}

/// A JSON number without an exponent: `1e2` becomes `100`, `2.5E-1` becomes `0.25`.
/// Numbers that would need more than a few hundred digits are returned as written.
func plainDecimal(_ number: String) -> String {
    guard let e = number.firstIndex(where: { $0 == "e" || $0 == "E" }),
          let exponent = Int(number[number.index(after: e)...]), abs(exponent) <= 400 else { return number }
    var mantissa = String(number[..<e])
    let negative = mantissa.hasPrefix("-")
    if negative { mantissa.removeFirst() }
    let parts = mantissa.split(separator: ".", omittingEmptySubsequences: false)
    var digits = String(parts[0]) + (parts.count > 1 ? String(parts[1]) : "")
    var point = parts[0].count + exponent
    if point <= 0 {
        digits = String(repeating: "0", count: 1 - point) + digits
        point = 1
    }
    if point > digits.count { digits += String(repeating: "0", count: point - digits.count) }
    var whole = String(digits.prefix(point))
    var fraction = String(digits.dropFirst(point))
    while whole.count > 1 && whole.hasPrefix("0") { whole.removeFirst() }
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return (negative ? "-" : "") + whole + (fraction.isEmpty ? "" : "." + fraction)
}
