/// A parsed filter bound to one backlog: which of its stories match.
///
/// Two-valued logic: a comparison on a field the story lacks is false, and `not` turns it
/// true (`not moscow = could` matches a story with no MoSCoW). Numbers compare as numbers,
/// MoSCoW values in their order (`wont < could < should < must`), statuses in the workflow's
/// order, IDs by number within a prefix (any case), text without regard to case.
public struct StoryFilter: Sendable {
    /// The expression.
    public let expression: FilterExpression
    /// The workflow statuses compare by, in order.
    let workflow: Workflow
    /// The Definition of Ready, when the expression asks for it.
    let ready: ReadyJudge?

    /// Binds an expression to a backlog (works out the Definition of Ready once, if asked).
    public init(_ expression: FilterExpression, in backlog: Backlog) {
        self.expression = expression
        workflow = backlog.workflow
        ready = expression.asksReady ? ReadyJudge(backlog) : nil
    }

    /// Parses `text` against the backlog and binds it (the one entry of `--where` and the screen).
    public static func parse(_ text: String, in backlog: Backlog) throws(FilterError) -> StoryFilter {
        StoryFilter(try FilterExpression.parse(text, vocabulary: FilterVocabulary(backlog)), in: backlog)
    }

    /// True when the story matches.
    public func matches(_ story: Story) -> Bool { evaluate(expression, story) }

    /// A flag per story of the backlog, in manual order: true where it matches.
    public func flags(_ backlog: Backlog) -> [Bool] {
        let stories = backlog.stories
        let parts = inHalves(stories.count) { range in range.map { self.matches(stories[$0]) } }
        return parts.flatMap { $0 }
    }

    func evaluate(_ expression: FilterExpression, _ story: Story) -> Bool {
        switch expression {
        case .compare(let field, let op, let literal): compare(field, op, literal, story)
        case .has(let field): has(field, story)
        case .not(let inner): !evaluate(inner, story)
        case .all(let parts): parts.allSatisfy { evaluate($0, story) }
        case .any(let parts): parts.contains { evaluate($0, story) }
        }
    }

    // MARK: Types

    /// How a field's values compare.
    enum Kind {
        case number, moscow, status, id, ids, list, flag, text
    }

    /// The kind of a field.
    static func kind(of field: FilterField) -> Kind {
        switch field {
        case .id: return .id
        case .ready: return .flag
        case .title, .description, .custom: return field.description == "parent" ? .id : .text
        case .known(let key):
            if key.isNumeric || key == .pin { return .number }
            switch key {
            case .moscow: return .moscow
            case .status: return .status
            case .depends: return .ids
            case .tags: return .list
            default: return key.rawValue == "parent" ? .id : .text
            }
        }
    }

    /// `yes`/`true` and `no`/`false`, nil for anything else.
    static func yesNo(_ folded: String) -> Bool? {
        switch folded {
        case "yes", "true", "y": true
        case "no", "false", "n": false
        default: nil
        }
    }

    // MARK: Evaluating

    /// The story's text of a field (nil when it lacks it, or it is empty).
    func text(_ field: FilterField, _ story: Story) -> String? {
        let raw: String?
        switch field {
        case .id: return story.id.description
        case .title: return story.title
        case .description: raw = story.description
        case .ready: return ready.map { $0.isReady(story) ? "yes" : "no" }
        case .known(.status): return story.status.description
        case .known(let key): raw = story.value(of: key)
        case .custom(let key): raw = story.value(of: key)
        }
        guard let trimmed = raw?.trimmingASCIIWhitespace(), !trimmed.isEmpty else { return nil }
        return trimmed
    }

    func has(_ field: FilterField, _ story: Story) -> Bool {
        switch field {
        case .ready: ready?.isReady(story) ?? false
        case .known(let key) where Self.kind(of: field) == .number: story.number(key) != nil
        case .known(.status): true
        default: text(field, story) != nil
        }
    }

    func compare(_ field: FilterField, _ op: FilterOperator, _ literal: FilterLiteral, _ story: Story) -> Bool {
        if op == .contains {
            guard let text = text(field, story) else { return false }
            return literal.folded.isEmpty || text.lowercased().contains(literal.folded)
        }
        switch Self.kind(of: field) {
        case .number:
            guard case .known(let key) = field, let value = story.number(key)?.fraction, let wanted = literal.number
            else { return false }
            return op.holds(value < wanted ? -1 : value == wanted ? 0 : 1)
        case .moscow:
            guard let value = story.moscow, let wanted = literal.moscow else { return false }
            return op.holds(value < wanted ? -1 : value == wanted ? 0 : 1)
        case .status:
            return compareStatus(story.status, op, Status(parsing: literal.text))
        case .id:
            let value = field == .id ? story.id : text(field, story).flatMap { StoryID($0) }
            guard let value, let wanted = literal.id else { return false }
            return Self.compareIDs(value, op, wanted)
        case .ids:
            guard text(field, story) != nil, let wanted = literal.id else { return false }
            let holds = story.dependencies.contains { Self.compareIDs($0, .equal, wanted) }
            return op == .equal ? holds : !holds
        case .list:
            guard text(field, story) != nil else { return false }
            let holds = story.tags.contains { $0.lowercased() == literal.folded }
            return op == .equal ? holds : !holds
        case .flag:
            guard let ready, let wanted = Self.yesNo(literal.folded) else { return false }
            return (ready.isReady(story) == wanted) == (op == .equal)
        case .text:
            guard let text = text(field, story) else { return false }
            if case .custom = field, let wanted = literal.number {
                // A number orders only numbers: 'ana' is neither above nor below 9.
                if let value = parseStoredNumber(text)?.fraction { return op.holds(value < wanted ? -1 : value == wanted ? 0 : 1) }
                if op.orders { return false }
            }
            let folded = text.lowercased()
            return op.holds(folded < literal.folded ? -1 : folded == literal.folded ? 0 : 1)
        }
    }

    /// Statuses: equal by meaning (`WIP` is `in-progress`); ordered by the workflow (a status
    /// outside it has no place, so it is neither before nor after another).
    func compareStatus(_ value: Status, _ op: FilterOperator, _ wanted: Status) -> Bool {
        if op == .equal { return Workflow.same(value, wanted) }
        if op == .notEqual { return !Workflow.same(value, wanted) }
        guard let a = workflow.position(of: value), let b = workflow.position(of: wanted) else { return false }
        return op.holds(a < b ? -1 : a == b ? 0 : 1)
    }

    /// IDs: the prefix in any case, then the number (`s-7` is `S-007`); IDs of two prefixes are
    /// unequal and unordered.
    static func compareIDs(_ value: StoryID, _ op: FilterOperator, _ wanted: StoryID) -> Bool {
        guard value.prefix == wanted.prefix || value.prefix.lowercased() == wanted.prefix.lowercased() else {
            return op == .notEqual
        }
        return op.holds(value.number < wanted.number ? -1 : value.number == wanted.number ? 0 : 1)
    }
}
