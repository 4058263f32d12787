/// Output formats for rankings.
public enum ExportFormat: String, Sendable, CaseIterable {
    case csv
    case markdown
    case json
}

/// Turns a ranking into stakeholder-ready CSV, Markdown or JSON.
public enum Exporter {
    /// The text of the first `top` entries (all when nil) in a format.
    ///
    /// `date` and `sourceName` appear in the Markdown heading line. CSV cells that a spreadsheet
    /// would run as a formula are neutralised unless `neutraliseFormulas` is false. The text holds
    /// no control character but tabs and line breaks (`TerminalSafe.output`).
    public static func export(_ ranking: Ranking, format: ExportFormat, top: Int?, date: String, sourceName: String,
                              neutraliseFormulas: Bool = true) -> String {
        let entries = Array(ranking.top(top))
        let text: String
        switch format {
        case .csv: text = csv(ranking, entries, neutraliseFormulas: neutraliseFormulas)
        case .json: text = json(ranking, entries)
        case .markdown: text = markdown(ranking, entries, date: date, sourceName: sourceName)
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
            for field in story.fields where !["rank", "id", "title", "score", "explanation", "description"].contains(field.key) {
                members.append((field.key, jsonValue(field, of: story)))
            }
            members.append(("description", JSON.string(story.description)))
            out += "  {" + members.map { "\(JSON.string($0.0)): \($0.1)" }.joined(separator: ", ") + "}"
            out += i == entries.count - 1 ? "\n" : ",\n"
        }
        return out + "]\n"
    }

    static func jsonValue(_ field: Field, of story: Story) -> String {
        guard let key = field.canonicalKey else { return JSON.string(field.value) }
        switch key {
        case .tags: return "[" + story.values.tags.map(JSON.string).joined(separator: ", ") + "]"
        case .depends: return "[" + story.values.depends.map { JSON.string($0.description) }.joined(separator: ", ") + "]"
        case .status: return JSON.string(story.status.description)
        case .moscow: return JSON.string(story.moscow?.rawValue ?? field.value)
        case .sprint: return JSON.string(field.value)
        default:
            if let number = story.number(key) { return number.description }
            return JSON.string(field.value)
        }
    }

    /// The CSV: a header row, then one row per story; only columns some story uses.
    public static func csv(_ ranking: Ranking, _ entries: [Ranking.Entry], neutraliseFormulas: Bool = true) -> String {
        let stories = entries.map { ranking.story($0) }
        var present: Set<String> = []
        var custom: [String] = []
        for story in stories {
            for field in story.fields where present.insert(field.key).inserted {
                if field.canonicalKey == nil { custom.append(field.key) }
            }
        }
        let canonical = FieldKey.allCases.map(\.rawValue).filter { present.contains($0) }
        let keys = canonical + custom.filter { !["rank", "id", "title", "score", "explanation", "description"].contains($0) }
        var records = [["rank", "id", "title", "score", "explanation"] + keys + ["description"]]
        for (entry, story) in zip(entries, stories) {
            var row = [String(entry.rank), story.id.description, story.title,
                       entry.score.fraction?.formatted ?? "", ranking.explanation(entry)]
            for key in keys {
                if key == FieldKey.confidence.rawValue, let c = story.number(.confidence) {
                    row.append(c.description + "%")
                } else if let k = FieldKey(rawValue: key), k == .moscow || k == .status {
                    row.append(story.value(of: k).map { k.canonicalText($0) } ?? "")
                } else {
                    row.append(story.fields.first { $0.key == key }?.value ?? "")
                }
            }
            row.append(story.description)
            records.append(neutraliseFormulas ? row.map(CSV.neutralised) : row)
        }
        return CSV.write(records)
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

    /// The Markdown: a heading, a line naming strategy, date and source, and a table.
    public static func markdown(_ ranking: Ranking, _ entries: [Ranking.Entry], date: String, sourceName: String) -> String {
        let name = ranking.backlog.header.name ?? "Backlog"
        var out = "# \(markdownCell(name)): top \(entries.count) by \(ranking.strategy.title)\n\n"
        out += "Ranked with **\(ranking.strategy.title)** (\(ranking.strategy.formula)) on \(date) from `\(sourceName.replacing("`", with: "'"))`.\n\n"
        out += "| Rank | ID | Title | Score | Why |\n"
        out += "|---:|---|---|---:|---|\n"
        for entry in entries {
            let story = ranking.story(entry)
            let cells = [String(entry.rank), story.id.description, story.title,
                         entry.score.fraction?.formatted ?? "–", ranking.explanation(entry)]
            out += "| " + cells.map(markdownCell).joined(separator: " | ") + " |\n"
        }
        return out
    }
}
