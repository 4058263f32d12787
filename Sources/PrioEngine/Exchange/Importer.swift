/// Appends stories from CSV or JSON to a backlog; any error means nothing is added.
public enum Importer {
    /// The formats `prio import` reads.
    public enum Format: String, Sendable, CaseIterable {
        case csv
        case json
    }

    /// One incoming value: the column or key as written, the text, and where it is.
    struct Cell: Sendable {
        var key: String
        var text: String
        var location: SourceLocation
    }

    /// What a column or JSON key means.
    enum Target: Equatable, Sendable {
        case id, title, description, ignored
        case field(String)
    }

    /// Parses `bytes` and appends its stories to `backlog`; returns the new IDs in order.
    ///
    /// A CSV's delimiter is `delimiter`, or when that is nil the one its header line uses
    /// (`CSV.detectDelimiter`). The custom fields the stories get are declared in the header's
    /// `- fields:` setting, so that the result checks without warnings.
    public static func importStories(_ bytes: [UInt8], format: Format, path: String, delimiter: CSV.Delimiter? = nil,
                                     into backlog: inout Backlog) throws(BacklogErrors) -> [StoryID] {
        let rows: [(location: SourceLocation, cells: [Cell])]
        switch format {
        case .csv: rows = try csvRows(bytes, path: path, delimiter: delimiter ?? CSV.detectDelimiter(bytes))
        case .json: rows = try jsonRows(bytes, path: path)
        }
        return try add(rows, to: &backlog)
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
        case "rank", "score", "explanation", "why", "#", "": return .ignored
        default: break
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

    static func csvRows(_ bytes: [UInt8], path: String,
                        delimiter: CSV.Delimiter) throws(BacklogErrors) -> [(location: SourceLocation, cells: [Cell])] {
        let records = try CSV.parse(bytes, path: path, delimiter: delimiter)
        guard let header = records.first else { return [] }
        var errors: [Diagnostic] = []
        var rows: [(location: SourceLocation, cells: [Cell])] = []
        for record in records.dropFirst() {
            let location = SourceLocation(path: path, line: record[0].line, column: record[0].column)
            var cells: [Cell] = []
            for (index, cell) in record.enumerated() {
                guard index < header.count else {
                    if !cell.text.isEmpty {
                        errors.append(Diagnostic(.error, at: SourceLocation(path: path, line: cell.line, column: cell.column),
                                                 "this row has more cells than the header has columns"))
                    }
                    continue
                }
                cells.append(Cell(key: header[index].text, text: CSV.unneutralised(cell.text),
                                  location: SourceLocation(path: path, line: cell.line, column: cell.column)))
            }
            rows.append((location, cells))
        }
        if !errors.isEmpty { throw BacklogErrors(errors: errors) }
        return rows
    }

    static func jsonRows(_ bytes: [UInt8], path: String) throws(BacklogErrors) -> [(location: SourceLocation, cells: [Cell])] {
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
        var rows: [(location: SourceLocation, cells: [Cell])] = []
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
                if let text { cells.append(Cell(key: member.key, text: text, location: location(member.value.offset))) }
            }
            rows.append((location(item.offset), cells))
        }
        if !errors.isEmpty { throw BacklogErrors(errors: errors) }
        return rows
    }

    /// Builds stories from rows and appends them; all-or-nothing.
    static func add(_ rows: [(location: SourceLocation, cells: [Cell])], to backlog: inout Backlog) throws(BacklogErrors) -> [StoryID] {
        var errors: [Diagnostic] = []
        var targets = TargetCache()
        var existing: [StoryID: String] = [:]
        for story in backlog.stories { existing[story.id] = "the backlog" }
        // First pass: explicit IDs, so assigned IDs never collide with a later row's.
        var explicit: [StoryID?] = []
        for row in rows {
            var id: StoryID?
            if let cell = row.cells.first(where: { targets.target(of: $0.key) == .id && !$0.text.trimmingASCIIWhitespace().isEmpty }) {
                let text = cell.text.trimmingASCIIWhitespace()
                if let parsed = StoryID(text) {
                    if let holder = existing[parsed] {
                        errors.append(Diagnostic(.error, at: cell.location, "ID \(parsed) is already used in \(holder)"))
                    } else {
                        existing[parsed] = "line \(cell.location.line) of \((cell.location.path as String))"
                        id = parsed
                    }
                } else {
                    errors.append(Diagnostic(.error, at: cell.location, "'\(text)' is not a story ID (like S-12)"))
                }
            }
            explicit.append(id)
        }
        // Each row's ID, in row order: explicit, else the next number of the prefix.
        let prefix = backlog.idPrefix
        var nextNumber = (existing.keys.filter { $0.prefix == prefix }.map(\.number).max() ?? 0) + 1
        let ids = explicit.map { id -> StoryID in
            if let id { return id }
            defer { nextNumber += 1 }
            return StoryID(prefix: prefix, number: nextNumber)
        }
        // The stories, built from their rows in two halves on two threads for a big import
        // (each row is independent once its ID is known), then joined in row order.
        let workflow = backlog.workflow
        let parts = inHalves(rows.count) { buildStories(rows, ids: ids, range: $0, workflow: workflow) }
        var stories: [Story] = []
        stories.reserveCapacity(rows.count)
        var dependencyCells: [(Int, Cell)] = []
        for part in parts {
            errors += part.errors
            dependencyCells += part.dependencyCells.map { ($0.0 + stories.count, $0.1) }
            stories += part.stories
        }
        var known = StoryIDSet(capacity: existing.count + stories.count)
        if !dependencyCells.isEmpty {
            for id in existing.keys { known.insert(id) }
            for story in stories { known.insert(story.id) }
        }
        // Check the dependencies as stored (cleaned like every value), once per story.
        var checked = Set<Int>()
        for (storyIndex, cell) in dependencyCells where storyIndex < stories.count && checked.insert(storyIndex).inserted {
            let story = stories[storyIndex]
            for id in story.dependencies {
                if id == story.id {
                    errors.append(Diagnostic(.error, at: cell.location, "\(id) depends on itself"))
                } else if !known.contains(id) {
                    errors.append(Diagnostic(.error, at: cell.location, "\(story.id) depends on \(id), which is not in the backlog or the import"))
                }
            }
        }
        if !errors.isEmpty { throw BacklogErrors(errors: errors.sorted { $0.location < $1.location }) }
        // IDs were checked above against the backlog and each other.
        var combined = backlog
        combined.stories.append(contentsOf: stories)
        combined.resolveAllVotes()
        do {
            try declareCustomFields(of: stories, in: &combined.header)
        } catch {
            throw BacklogErrors(errors: [Diagnostic(.error, at: rows.first?.location ?? SourceLocation(path: "", line: 1, column: 1),
                                                    error.message)])
        }
        // A cycle through an imported story is refused, at its depends cell (one walk of the graph).
        if !dependencyCells.isEmpty {
            var cellOf: [StoryID: SourceLocation] = [:]
            for (storyIndex, cell) in dependencyCells where storyIndex < stories.count { cellOf[stories[storyIndex].id] = cell.location }
            for cycle in combined.dependencyCycles() {
                guard let location = cycle.path.lazy.compactMap({ cellOf[$0] }).first else { continue }
                throw BacklogErrors(errors: [Diagnostic(.error, at: location, "the import would close a \(cycle)")])
            }
        }
        backlog = combined
        return stories.map(\.id)
    }
}

extension Importer {
    /// The stories built from some rows, what went wrong, and the depends cells by story index.
    struct BuiltRows: Sendable {
        var stories: [Story] = []
        var errors: [Diagnostic] = []
        var dependencyCells: [(Int, Cell)] = []
    }

    /// What each column name means, and what each field column's key resolves to, worked out
    /// once per name (column names repeat on every row).
    struct TargetCache {
        private var targets: [String: Target] = [:]
        private var fieldTargets: [String: Story.FieldTarget] = [:]

        mutating func target(of key: String) -> Target {
            if let known = targets[key] { return known }
            let found = Importer.target(of: key)
            targets[key] = found
            return found
        }

        mutating func fieldTarget(of key: String) throws(FieldProblem) -> Story.FieldTarget {
            if let known = fieldTargets[key] { return known }
            let found = try Story.FieldTarget(key)
            fieldTargets[key] = found
            return found
        }
    }

    /// Builds the stories of `rows[range]`, each with its ID from `ids`; a row that fails is
    /// left out and its errors are returned.
    static func buildStories(_ rows: [(location: SourceLocation, cells: [Cell])], ids: [StoryID], range: Range<Int>,
                             workflow: Workflow) -> BuiltRows {
        var built = BuiltRows()
        built.stories.reserveCapacity(range.count)
        var targets = TargetCache()
        for rowIndex in range {
            let row = rows[rowIndex]
            let id = ids[rowIndex]
            guard let titleCell = row.cells.first(where: { targets.target(of: $0.key) == .title }),
                  !titleCell.text.trimmingASCIIWhitespace().isEmpty else {
                built.errors.append(Diagnostic(.error, at: row.location, "this story has no title (a title or summary column is needed)"))
                continue
            }
            var story = Story(id: id, title: "")
            do {
                // Imported cells may span lines (a spreadsheet's Alt+Enter): import joins them with spaces,
                // then the one check for written values applies.
                try story.setTitle(singleLine(titleCell.text))
            } catch {
                built.errors.append(Diagnostic(.error, at: titleCell.location, error.message))
                continue
            }
            var lists: [String: [String]] = [:]
            for cell in row.cells {
                switch targets.target(of: cell.key) {
                case .id, .title, .ignored: continue
                case .description:
                    story.setDescription(cell.text)
                case .field(let key):
                    var text = cell.text.trimmingASCIIWhitespace()
                    if text.isEmpty { continue }
                    let field: Story.FieldTarget
                    do {
                        field = try targets.fieldTarget(of: key)
                    } catch {
                        built.errors.append(Diagnostic(.error, at: cell.location, error.message))
                        continue
                    }
                    let canonical = field.canonical
                    // Jira's statuses (To Do, Selected for Development, In Review, ...) map onto the workflow.
                    if canonical == .status { text = workflow.imported(text) }
                    if canonical == .tags || canonical == .depends {
                        // Jira repeats list columns (Labels, Labels, ...): gather them.
                        lists[key, default: []].append(text)
                        if canonical == .depends { built.dependencyCells.append((built.stories.count, cell)) }
                        continue
                    }
                    // A repeated column keeps its first value, except Sprint: Jira lists every sprint
                    // an issue passed through, oldest first, so the last one is where it is now.
                    if canonical != .sprint && story.value(of: field) != nil { continue }
                    do {
                        try story.setField(field, text)
                    } catch {
                        built.errors.append(Diagnostic(.error, at: cell.location, error.message))
                    }
                }
            }
            for (key, parts) in lists {
                do {
                    try story.setField(key, parts.joined(separator: ", "))
                } catch {
                    let cell = row.cells.first { FieldKey.canonical($0.key)?.rawValue == FieldKey.canonical(key)?.rawValue }
                    built.errors.append(Diagnostic(.error, at: cell?.location ?? row.location, error.message))
                }
            }
            built.stories.append(story)
        }
        return built
    }

    /// Adds the custom fields the stories use to the header's `- fields:` setting (keeping the
    /// entries it has, as written), so that they draw no "unknown field" warning.
    static func declareCustomFields(of stories: [Story], in header: inout BacklogHeader) throws(FieldProblem) {
        let existing = header.setting("fields") ?? ""
        var declared = Set(splitList(existing).map { FieldKey.normalize($0) })
        var added: [String] = []
        for story in stories where story.hasCustomFields {
            for field in story.fields where field.canonicalKey == nil && declared.insert(field.key).inserted {
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
