/// One column of an export: something prio works out (rank, score, why, forecast) or a story field.
///
/// `prio export --columns` and the screen's export dialog both turn a list of names into columns
/// with `ExportColumn.parse(_:in:)`, so they accept and refuse exactly the same names.
public enum ExportColumn: Sendable, Hashable {
    /// The 1-based rank in the strategy's order.
    case rank
    /// The story ID.
    case id
    /// The story title.
    case title
    /// The score (empty when unscored).
    case score
    /// The short explanation of the score (`Strategy.why`).
    case why
    /// The full one-line explanation (`Strategy.explain`), as in the default CSV and JSON.
    case explanation
    /// The sprint the story is in, or is forecast to land in at the team's velocity.
    case forecast
    /// The Markdown description.
    case description
    /// A story field by its normalised key: a canonical key (`points`, `moscow`) or a custom one.
    case field(String)

    /// The names of the columns prio works out, in the order the help lists them.
    public static let computedNames = ["rank", "id", "title", "score", "why", "explanation", "forecast", "description"]

    /// The columns of the default Markdown export: rank, ID, title, points, MoSCoW, score, why, forecast.
    public static let markdownDefault: [ExportColumn] = [
        .rank, .id, .title, .field(FieldKey.points.rawValue), .field(FieldKey.moscow.rawValue), .score, .why, .forecast,
    ]

    /// The name used in `--columns` and as the CSV header and JSON key.
    public var name: String {
        switch self {
        case .rank: "rank"
        case .id: "id"
        case .title: "title"
        case .score: "score"
        case .why: "why"
        case .explanation: "explanation"
        case .forecast: "forecast"
        case .description: "description"
        case .field(let key): key
        }
    }

    /// The heading of the column in a Markdown table (`MoSCoW`, `Points`, `Risk-level`).
    public var heading: String {
        switch self {
        case .id: "ID"
        case .field(FieldKey.moscow.rawValue): "MoSCoW"
        default: name.prefix(1).uppercased() + name.dropFirst()
        }
    }

    /// True for columns whose cells are numbers, right-aligned in Markdown.
    var isNumeric: Bool {
        switch self {
        case .rank, .score: true
        case .field(let key): FieldKey(rawValue: key).map(\.isNumeric) ?? false
        default: false
        }
    }

    /// The column for one name as a user writes it, or nil when the backlog has no such field.
    ///
    /// Names are read like field keys: case and `_`/space/`-` do not matter, and field aliases
    /// count (`sp` and `story points` are `points`). A computed column's name wins over a custom
    /// field of the same name.
    public static func named(_ text: String, in backlog: Backlog) -> ExportColumn? {
        let key = FieldKey.normalize(text)
        switch key {
        case "rank": return .rank
        case "id": return .id
        case "title": return .title
        case "score": return .score
        case "why": return .why
        case "explanation": return .explanation
        case "forecast": return .forecast
        case "description": return .description
        default: break
        }
        if let canonical = FieldKey.canonical(key) { return .field(canonical.rawValue) }
        return customFieldKeys(backlog).contains(key) ? .field(key) : nil
    }

    /// Parses a comma-separated list of column names (`rank,id,title,points`).
    ///
    /// Refused: an empty list, a name given twice, and an unknown name, with the closest known
    /// name ("did you mean") and every name the backlog offers.
    public static func parse(_ list: String, in backlog: Backlog) throws(PrioError) -> [ExportColumn] {
        let names = list.split(separator: ",", omittingEmptySubsequences: false)
            .map { $0.trimmingASCIIWhitespace() }
        var columns: [ExportColumn] = []
        for name in names where !name.isEmpty {
            guard let column = named(name, in: backlog) else {
                throw PrioError(unknownMessage(name, in: backlog))
            }
            if columns.contains(column) {
                throw PrioError("column '\(column.name)' is named twice")
            }
            columns.append(column)
        }
        if columns.isEmpty { throw PrioError("no columns named; " + namesLine(backlog)) }
        return columns
    }

    /// Every name `--columns` accepts for a backlog: the computed columns, the canonical fields,
    /// then the custom fields its stories use or its header declares.
    public static func knownNames(in backlog: Backlog) -> [String] {
        computedNames + FieldKey.allCases.map(\.rawValue) + customFieldKeys(backlog)
    }

    static func unknownMessage(_ name: String, in backlog: Backlog) -> String {
        let key = FieldKey.normalize(name)
        var message = "unknown column '\(name)'"
        if let suggestion = closest(to: key, among: knownNames(in: backlog)) {
            message += " (did you mean '\(suggestion)'?)"
        }
        return message + "; " + namesLine(backlog)
    }

    static func namesLine(_ backlog: Backlog) -> String {
        "columns are: " + knownNames(in: backlog).joined(separator: ", ")
    }

    /// The custom field keys of a backlog, in first-use order; then those only `- fields:` declares.
    static func customFieldKeys(_ backlog: Backlog) -> [String] {
        var seen = Set(computedNames)
        var keys: [String] = []
        for story in backlog.stories where story.hasCustomFields {
            for field in story.fields where field.canonicalKey == nil && seen.insert(field.key).inserted {
                keys.append(field.key)
            }
        }
        let declared = (backlog.header.setting("fields") ?? "").split(separator: ",").map { FieldKey.normalize($0) }
        for key in declared where !key.isEmpty && FieldKey.canonical(key) == nil && seen.insert(key).inserted {
            keys.append(key)
        }
        return keys
    }

    /// The candidate nearest to `word` by edit distance, when it is near enough to be a typo
    /// (one edit for names up to 3 characters, two up to 6, three beyond).
    static func closest(to word: String, among candidates: [String]) -> String? {
        let limit = word.count <= 3 ? 1 : word.count <= 6 ? 2 : 3
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(word, candidate)
            if distance <= limit, distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        return best?.name
    }

    /// Edit distance in characters: insertions, deletions, substitutions and swaps of two
    /// neighbours (`titel` is one edit from `title`).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        guard !a.isEmpty, !b.isEmpty else { return max(a.count, b.count) }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}

extension ExportFormat {
    /// The file name extension for the format: `csv`, `md`, `json`, `txt`.
    public var fileExtension: String {
        switch self {
        case .csv: "csv"
        case .markdown: "md"
        case .json: "json"
        case .text: "txt"
        }
    }
}
