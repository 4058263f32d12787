/// Output formats for rankings.
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv
    case markdown
    case json
    /// Plain aligned text for an email or a chat: the Markdown's columns, no table syntax.
    case text
}

/// Turns a ranking into stakeholder-ready CSV, Markdown, JSON or plain text.
public enum Exporter {
    /// The text of the first `top` entries (all when nil) in a format.
    ///
    /// `columns` chooses the columns (`ExportColumn.parse`); nil gives each format's default:
    /// CSV and JSON every field any exported story uses, Markdown `ExportColumn.markdownDefault`
    /// without the columns that would be empty in every row. `date` and `sourceName` appear in the
    /// Markdown heading line. CSV cells that a spreadsheet would run as a formula are neutralised
    /// unless `neutraliseFormulas` is false. The text holds no control character but tabs and line
    /// breaks (`TerminalSafe.output`). Markdown and text are for people: their why column is in
    /// words (`WhyWords`) and their forecast column names the sprint's last day. With `bom`, a
    /// CSV starts with a UTF-8 byte-order mark (spreadsheets on Windows then read it as UTF-8).
    public static func export(_ ranking: Ranking, format: ExportFormat, top: Int?, date: String, sourceName: String,
                              columns: [ExportColumn]? = nil, neutraliseFormulas: Bool = true,
                              keeping keep: [Bool]? = nil, bom: Bool = false) -> String {
        let entries = ranking.entries(keeping: keep, top: top)
        let text: String
        switch format {
        case .csv:
            let table = Table(ranking, entries, columns: columns ?? csvDefaultColumns(ranking, entries), today: date)
            text = (bom ? "\u{FEFF}" : "") + csv(table, neutraliseFormulas: neutraliseFormulas)
        case .json:
            if let columns {
                text = json(Table(ranking, entries, columns: columns, today: date))
            } else {
                text = json(ranking, entries)
            }
        case .markdown, .text:
            var table = Table(ranking, entries, columns: columns ?? ExportColumn.markdownDefault, today: date, forPeople: true)
            if columns == nil { table.dropEmptyColumns(keeping: [.rank, .id, .title]) }
            text = format == .markdown ? markdown(table, date: date, sourceName: sourceName)
                : plainText(table, date: date, sourceName: sourceName)
        }
        return TerminalSafe.output(text)
    }

    /// A score as a JSON number: shortest round-trip form, no trailing `.0`.
    public static func jsonNumber(_ fraction: Fraction) -> String {
        let value = fraction.doubleValue
        guard value.isFinite else { return "null" }
        var text = "\(value)"
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// The JSON array of `prio rank --format json` and `prio export --format json`.
    public static func json(_ ranking: Ranking, _ entries: [Ranking.Entry]) -> String {
        if entries.isEmpty { return "[]\n" }
        var out = "[\n"
        for (i, entry) in entries.enumerated() {
            let story = ranking.story(entry)
            var members: [(String, String)] = [
                ("rank", String(entry.rank)),
                ("id", JSON.string(story.id.description)),
                ("title", JSON.string(story.title)),
                ("score", entry.score.fraction.map(jsonNumber) ?? "null"),
                ("explanation", JSON.string(ranking.explanation(entry))),
            ]
            if ranking.strategy is ValueEffortStrategy {
                members.append(("quadrant", ValueEffortStrategy.quadrant(of: story, context: ranking.context).map(JSON.string) ?? "null"))
            }
            for field in story.fields where !["rank", "id", "title", "score", "explanation", "description"].contains(field.key) {
                members.append((field.key, jsonValue(field, of: story)))
            }
            // What the votes come to, under keys of their own: the fields above are the file's.
            for tally in story.tallies ?? [] {
                members.append((aggregateKey(tally.field), tally.value.description))
            }
            if case let disagreements = ranking.backlog.disagreements(of: story), !disagreements.isEmpty {
                members.append(("disagreement", "[" + disagreements.map(JSON.string).joined(separator: ", ") + "]"))
            }
            members.append(("description", JSON.string(story.description)))
            out += "  {" + members.map { "\(JSON.string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
            out += i == entries.count - 1 ? "\n" : ",\n"
        }
        return out + "]\n"
    }

    /// The JSON object of `prio rank --format json`: the strategy, the product vision and goal
    /// (null when not said) and the stories as `json(_:_:)` writes them.
    public static func rankJSON(_ ranking: Ranking, _ entries: [Ranking.Entry]) -> String {
        let header = ranking.backlog.header
        let stories = json(ranking, entries).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().joined(separator: "\n  ")
        return "{\n  \"strategy\": \(JSON.string(ranking.strategy.name)),\n"
            + "  \"vision\": \(header.vision.map(JSON.string) ?? "null"),\n"
            + "  \"goal\": \(header.goal.map(JSON.string) ?? "null"),\n"
            + "  \"stories\": \(stories)\n}\n"
    }

    /// The JSON key of the stakeholders' aggregate for a field (`value_aggregate`): computed,
    /// so the importer skips it (`Importer.target(of:)`).
    public static func aggregateKey(_ field: FieldKey) -> String { field.rawValue + "_aggregate" }

    /// A field's value as the file has it: a numeric field as a JSON number (the product
    /// owner's own, not the stakeholders' aggregate, which `json(_:_:)` writes apart).
    static func jsonValue(_ field: Field, of story: Story) -> String {
        guard let key = field.canonicalKey else { return JSON.string(field.value) }
        switch key {
        case .tags: return "[" + story.values.tags.map(JSON.string).joined(separator: ", ") + "]"
        case .depends: return "[" + story.values.depends.map { JSON.string($0.description) }.joined(separator: ", ") + "]"
        case .status: return JSON.string(story.status.description)
        case .moscow: return JSON.string(story.moscow?.rawValue ?? field.value)
        case .sprint, .pinReason, .goal: return JSON.string(field.value)
        default:
            if key.isNumeric, let number = parseStoredNumber(field.value) { return number.description }
            return JSON.string(field.value)
        }
    }

    /// The CSV of `prio export --format csv`: a header row, then one row per story; only columns some story uses.
    public static func csv(_ ranking: Ranking, _ entries: [Ranking.Entry], neutraliseFormulas: Bool = true) -> String {
        csv(Table(ranking, entries, columns: csvDefaultColumns(ranking, entries), today: nil), neutraliseFormulas: neutraliseFormulas)
    }

    /// The default CSV columns: rank, id, title, score, explanation, every canonical field some
    /// story uses (in canonical order), the custom ones (in first-use order), then description.
    static func csvDefaultColumns(_ ranking: Ranking, _ entries: [Ranking.Entry]) -> [ExportColumn] {
        var present: Set<String> = []
        var custom: [String] = []
        for entry in entries {
            for field in ranking.story(entry).fields where present.insert(field.key).inserted {
                if field.canonicalKey == nil { custom.append(field.key) }
            }
        }
        let canonical = FieldKey.allCases.map(\.rawValue).filter { present.contains($0) }
        let keys = canonical + custom.filter { !["rank", "id", "title", "score", "explanation", "description"].contains($0) }
        return [.rank, .id, .title, .score, .explanation] + keys.map(ExportColumn.field) + [.description]
    }

    static func csv(_ table: Table, neutraliseFormulas: Bool, heading: (ExportColumn) -> String = \.name) -> String {
        var records = [table.columns.map(heading)]
        for row in table.rows {
            let cells = table.columns.indices.map { row.cells[$0] ?? "" }
            records.append(neutraliseFormulas ? cells.map(CSV.neutralised) : cells)
        }
        return CSV.write(records)
    }

    /// JSON with chosen columns: one object per story with every column as a member, in order;
    /// numbers as numbers, tags and depends as arrays, a missing value as null.
    static func json(_ table: Table, heading: (ExportColumn) -> String = \.name) -> String {
        if table.rows.isEmpty { return "[]\n" }
        var out = "[\n"
        for (i, row) in table.rows.enumerated() {
            let story = table.ranking.story(row.entry)
            let fields = story.fields
            let members = table.columns.enumerated().map { index, column -> String in
                let value: String
                switch column {
                case .rank: value = String(row.entry.rank)
                case .score: value = row.entry.score.fraction.map(jsonNumber) ?? "null"
                case .field(let key):
                    value = fields.first { $0.key == key }.map { jsonValue($0, of: story) } ?? "null"
                case .forecast: value = row.cells[index].map(JSON.string) ?? "null"
                default: value = JSON.string(row.cells[index] ?? "")
                }
                return JSON.string(heading(column)) + ": " + value
            }
            out += "  {" + members.joined(separator: ", ") + "}"
            out += i == table.rows.count - 1 ? "\n" : ",\n"
        }
        return out + "]\n"
    }

    /// A Markdown table cell: pipes and backslashes escaped, line breaks as `<br>`.
    public static func markdownCell(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "|": out += "\\|"
            case "\\": out += "\\\\"
            case "\n", "\r\n", "\r": out += "<br>"
            default: out.append(character)
            }
        }
        return out
    }

    /// The Markdown: a heading, a line naming strategy, date and source (and the velocity of the
    /// forecast column), and a table.
    static func markdown(_ table: Table, date: String, sourceName: String) -> String {
        let ranking = table.ranking
        let name = ranking.backlog.header.name ?? "Backlog"
        var out = "# \(markdownCell(name)): top \(table.rows.count) by \(ranking.strategy.title)\n\n"
        out += "Ranked with **\(ranking.strategy.title)** (\(ranking.strategy.formula)) on \(date) from `\(sourceName.replacing("`", with: "'"))`"
        out += velocityClause(table) + ".\n\n"
        out += markdownGoalLines(ranking.backlog)
        out += "| " + table.columns.map { markdownCell($0.heading) }.joined(separator: " | ") + " |\n"
        out += "|" + table.columns.map { $0.isNumeric ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for row in table.rows {
            let cells = table.columns.indices.map { index in
                row.cells[index] ?? (table.columns[index] == .score ? "–" : "")
            }
            out += "| " + cells.map(markdownCell).joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// "; sprints forecast at 5.67 points each" when the table has a forecast column, else "".
    static func velocityClause(_ table: Table) -> String {
        guard table.columns.contains(.forecast), let velocity = table.landing?.velocity else { return "" }
        // The forecast fills declared sprints to their own capacity, later ones at the velocity.
        return table.landing?.usesDeclaredCapacity == true
            ? "; sprints forecast at their declared capacity, then \(formatPoints(velocity)) points each"
            : "; sprints forecast at \(formatPoints(velocity)) points each"
    }

    /// The plain text of `prio export --format text`: the Markdown's heading, lines and columns
    /// as aligned text (no table syntax, nothing cut), for an email or a chat message.
    static func plainText(_ table: Table, date: String, sourceName: String) -> String {
        let ranking = table.ranking
        let name = ranking.backlog.header.name ?? "Backlog"
        var out = "\(name): top \(table.rows.count) by \(ranking.strategy.title)\n\n"
        out += "Ranked with \(ranking.strategy.title) (\(ranking.strategy.formula)) on \(date) from \(sourceName)"
        out += velocityClause(table) + ".\n"
        if let vision = ranking.backlog.header.vision { out += "Vision: \(vision)\n" }
        if let goal = ranking.backlog.header.goal { out += "Goal: \(goal)\n" }
        out += "\n"
        let columns = table.columns.map { TextTable.Column($0.heading, alignRight: $0.isNumeric) }
        let rows = table.rows.map { row in
            table.columns.indices.map { index in
                // One line per cell: a line break in a title would break the row.
                (row.cells[index] ?? (table.columns[index] == .score ? "–" : "")).split(whereSeparator: \.isNewline).joined(separator: " ")
            }
        }
        var lines = TextTable(columns: columns, rows: rows).render(width: Int.max / 4)
        if !lines.hasSuffix("\n") { lines += "\n" }
        return out + lines
    }

    /// The vision and goal as Markdown lines (`**Vision:** ...`) and a blank line; empty when neither is said.
    public static func markdownGoalLines(_ backlog: Backlog) -> String {
        var out = ""
        if let vision = backlog.header.vision { out += "**Vision:** \(markdownCell(vision))  \n" }
        if let goal = backlog.header.goal { out += "**Goal:** \(markdownCell(goal))\n" }
        return out.isEmpty ? "" : out + "\n"
    }

    /// The cells of an export: one row per entry, one text (or nil when empty) per column.
    struct Table {
        struct Row {
            var entry: Ranking.Entry
            var cells: [String?]
        }

        let ranking: Ranking
        private(set) var columns: [ExportColumn]
        private(set) var rows: [Row]
        /// The sprints of the forecast column, worked out only when that column is asked for.
        let landing: SprintLanding?

        /// A table of `columns`; the forecast column is as of `today` (none without it). `forPeople`
        /// (Markdown, text): the why in words and the forecast sprint with its last day.
        init(_ ranking: Ranking, _ entries: [Ranking.Entry], columns: [ExportColumn], today: String?, forPeople: Bool = false) {
            self.ranking = ranking
            self.columns = columns
            let landing = columns.contains(.forecast)
                ? today.map { SprintLanding(ranking.backlog, strategy: ranking.strategy, today: $0) } : nil
            self.landing = landing
            let words = forPeople && columns.contains(.why) ? WhyWords(ranking) : nil
            rows = entries.map { entry in
                let story = ranking.story(entry)
                return Row(entry: entry, cells: columns.map { column in
                    let text: String?
                    switch column {
                    case .why where words != nil: text = words?.text(entry)
                    case .forecast where forPeople: text = landing?.label(ofStory: entry.storyIndex)
                    default: text = Exporter.cell(column, entry, story, ranking, landing)
                    }
                    return text?.isEmpty == true ? nil : text
                })
            }
        }

        /// Leaves out the columns that are empty in every row, except `keeping`.
        mutating func dropEmptyColumns(keeping: Set<ExportColumn>) {
            let kept = columns.indices.filter { index in
                keeping.contains(columns[index]) || rows.contains { $0.cells[index] != nil }
            }
            columns = kept.map { columns[$0] }
            rows = rows.map { row in Row(entry: row.entry, cells: kept.map { row.cells[$0] }) }
        }
    }

    /// The text of one cell, or nil when the story has nothing there.
    static func cell(_ column: ExportColumn, _ entry: Ranking.Entry, _ story: Story, _ ranking: Ranking,
                     _ landing: SprintLanding?) -> String? {
        switch column {
        case .rank: return String(entry.rank)
        case .id: return story.id.description
        case .title: return story.title
        case .score: return entry.score.fraction?.formatted
        case .why: return ranking.why(entry)
        case .explanation: return ranking.explanation(entry)
        case .forecast: return landing?.sprint(ofStory: entry.storyIndex)
        case .description: return story.description
        case .field(let key):
            if let k = FieldKey(rawValue: key) {
                if k == .confidence, let c = story.number(.confidence) { return c.description + "%" }
                if k == .moscow || k == .status { return story.value(of: k).map { k.canonicalText($0) } }
                return story.value(of: k)
            }
            return story.value(of: FieldName.custom(key))
        }
    }
}
