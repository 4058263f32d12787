/// A filter over stories, as written after `--where`, in a saved view or at the screen's
/// filter prompt: comparisons joined by `and`, `or`, `not` and parentheses.
///
/// One language for the command line and the screen (docs/FORMAT.md, "Filters"). Parse one
/// with `FilterExpression.parse(_:vocabulary:)`, then ask `StoryFilter` which stories match.
public indirect enum FilterExpression: Sendable, Hashable {
    /// `field OP value`.
    case compare(FilterField, FilterOperator, FilterLiteral)
    /// A field alone: true when the story has it (`ready` alone: when the story is ready).
    case has(FilterField)
    /// `not EXPR`.
    case not(FilterExpression)
    /// `A and B and ...`: every part holds (kept flat, so a long chain nests no deeper).
    case all([FilterExpression])
    /// `A or B or ...`: some part holds.
    case any([FilterExpression])

    /// The fields the expression names.
    public var fields: [FilterField] {
        switch self {
        case .compare(let field, _, _), .has(let field): [field]
        case .not(let inner): inner.fields
        case .all(let parts), .any(let parts): parts.flatMap(\.fields)
        }
    }

    /// True when the expression asks whether stories are ready (so the Definition of Ready is
    /// worked out once for the pass, not per story).
    public var asksReady: Bool { fields.contains(.ready) }
}

/// What a filter compares: a field of the file, or one of the story's own parts.
public enum FilterField: Sendable, Hashable, CustomStringConvertible {
    /// The story's ID.
    case id
    /// The heading's title.
    case title
    /// The description text.
    case description
    /// Whether the story meets the header's Definition of Ready.
    case ready
    /// A canonical field (`points`, `status`, `parent`...).
    case known(FieldKey)
    /// A custom field, by its normalised key.
    case custom(String)

    /// The name as prio writes it.
    public var description: String {
        switch self {
        case .id: "id"
        case .title: "title"
        case .description: "description"
        case .ready: "ready"
        case .known(let key): key.rawValue
        case .custom(let key): key
        }
    }

    /// The field a name means (any spelling of a canonical key, aliases included).
    public init(_ word: String) {
        switch FieldKey.normalize(word) {
        case "id": self = .id
        case "title": self = .title
        case "description": self = .description
        case "ready": self = .ready
        default:
            switch FieldName(word) {
            case .known(let key): self = .known(key)
            case .customBox: self = .custom(FieldKey.normalize(word))
            }
        }
    }

    /// The names a filter may always use: a story's own parts and every canonical field.
    static let builtInNames: [String] = ["id", "title", "description", "ready", "parent"]
        + FieldKey.allCases.map(\.rawValue)
}

/// A comparison operator of the filter language.
public enum FilterOperator: String, Sendable, Hashable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    /// Contains the text, in any case.
    case contains = "~"

    /// True for `<`, `<=`, `>`, `>=`.
    var orders: Bool {
        switch self {
        case .less, .lessOrEqual, .greater, .greaterOrEqual: true
        case .equal, .notEqual, .contains: false
        }
    }

    /// Whether an ordering result (`a` against `b`: -1, 0 or 1) satisfies the operator.
    func holds(_ order: Int) -> Bool {
        switch self {
        case .equal: order == 0
        case .notEqual: order != 0
        case .less: order < 0
        case .lessOrEqual: order <= 0
        case .greater: order > 0
        case .greaterOrEqual: order >= 0
        case .contains: false
        }
    }
}

/// The value on the right of a comparison, read once as each type it may be compared as.
public struct FilterLiteral: Sendable, Hashable {
    /// The value as written (quotes removed, inner runs of spaces as one).
    public let text: String
    /// The text lower-cased (text comparisons ignore case).
    let folded: String
    /// The value as a number, when it is one (`80%` is 80).
    let number: Fraction?
    /// The value as a MoSCoW category, when it is one.
    let moscow: MoSCoW?
    /// The value as a story ID, when it is one (any case: `s-12` is `S-12`).
    let id: StoryID?

    /// Reads a value in every type it may be compared as.
    public init(_ text: String) {
        self.text = text
        folded = text.lowercased()
        number = parseStoredNumber(text)?.fraction
        moscow = MoSCoW(parsing: text)
        id = StoryID(text)
    }
}

extension FilterExpression: CustomStringConvertible {
    /// The expression in the language's canonical spelling (parses back to the same expression).
    public var description: String { written(inside: false) }

    private func written(inside: Bool) -> String {
        switch self {
        case .compare(let field, let op, let literal): return "\(field) \(op.rawValue) \(FilterLiteral.quoted(literal.text))"
        case .has(let field): return field.description
        case .not(let inner): return "not " + inner.written(inside: true)
        case .all(let parts):
            let text = parts.map { $0.written(inside: true) }.joined(separator: " and ")
            return inside ? "(\(text))" : text
        case .any(let parts):
            let text = parts.map { $0.written(inside: true) }.joined(separator: " or ")
            return inside ? "(\(text))" : text
        }
    }
}

extension FilterLiteral {
    /// A value as the language writes it: bare when it reads back the same, else in double quotes.
    static func quoted(_ text: String) -> String {
        let words = text.split(separator: " ", omittingEmptySubsequences: false)
        let bare = !text.isEmpty && !words.contains { $0.isEmpty } && words.allSatisfy { word in
            let folded = word.lowercased()
            return folded != "and" && folded != "or"
                && !word.unicodeScalars.contains { "()\"'\t".unicodeScalars.contains($0) }
        } && !"=!<>~".unicodeScalars.contains(text.unicodeScalars.first ?? " ")
        if bare { return text }
        return "\"" + text.replacing("\\", with: "\\\\").replacing("\"", with: "\\\"") + "\""
    }
}
