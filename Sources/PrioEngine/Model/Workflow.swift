/// A team's workflow: the statuses a story moves through, in order; the last one means done.
///
/// The header may declare it (`- statuses: todo, ready, in-progress, review, done`); without
/// that it is `todo, ready, in-progress, done`. Every question "is this story done?" goes
/// through `isDone(_:)`.
public struct Workflow: Sendable, Hashable {
    /// The statuses in order, each as a status value is written (`in-progress`, `review`).
    public let statuses: [String]
    /// True when the header declares the workflow.
    public let isDeclared: Bool
    /// The status that means done: the last one.
    public let doneStatus: Status
    /// The known statuses in the workflow (`.todo` ... `.done`), a bit each (`bit(of:)`): asked
    /// for every story of a file, so no hashing.
    private let known: UInt8
    /// The other statuses, normalised (`review`).
    private let others: Set<String>

    /// The workflow when the header declares none.
    public static let standard = Workflow(["todo", "ready", "in-progress", "done"], declared: false)

    /// The workflow a header declares with `- statuses:`, or the standard one.
    public init(header: BacklogHeader) {
        guard let text = header.setting("statuses") else {
            self = .standard
            return
        }
        let items = Workflow.items(text).map(\.status)
        self = items.isEmpty ? .standard : Workflow(items, declared: true)
    }

    /// A workflow of statuses in order; each is read like a status value (`Doing` is `in-progress`).
    public init(_ statuses: [String], declared: Bool = true) {
        var spelled: [String] = []
        var known: UInt8 = 0
        var others: Set<String> = []
        for text in statuses {
            let status = Status(parsing: text)
            if case .other(let name) = status {
                guard others.insert(FieldKey.normalize(name)).inserted else { continue }
            } else {
                let bit = Workflow.bit(of: status)
                guard known & bit == 0 else { continue }
                known |= bit
            }
            spelled.append(status.description)
        }
        if spelled.isEmpty { spelled = ["todo", "ready", "in-progress", "done"] }
        self.statuses = spelled
        self.isDeclared = declared
        self.doneStatus = Status(parsing: spelled[spelled.count - 1])
        self.known = known
        self.others = others
    }

    /// The done status as written (`done`, or the last status declared).
    public var done: String { doneStatus.description }

    /// True when a status is the workflow's last one: the one rule for "is this story done".
    public func isDone(_ status: Status) -> Bool {
        Workflow.same(status, doneStatus)
    }

    /// True when two status values mean the same status (`WIP` is `in-progress`; other words
    /// match without regard to case, `_` or spaces).
    public static func same(_ a: Status, _ b: Status) -> Bool {
        switch (a, b) {
        case (.other(let x), .other(let y)): x == y || FieldKey.normalize(x) == FieldKey.normalize(y)
        default: a == b
        }
    }

    /// A status's place in the workflow (0 for the first), nil when it is not one of it.
    public func position(of status: Status) -> Int? {
        statuses.firstIndex { Workflow.same(Status(parsing: $0), status) }
    }

    /// True when a story's status is the workflow's last one (a story without a status is at the start).
    public func isDone(_ story: Story) -> Bool { isDone(story.status) }

    /// True when a status is one of the workflow's.
    public func contains(_ status: Status) -> Bool {
        if case .other(let name) = status { return others.contains(FieldKey.normalize(name)) }
        return known & Workflow.bit(of: status) != 0
    }

    /// A built-in status's bit in `known` (0 for another status).
    private static func bit(of status: Status) -> UInt8 {
        switch status {
        case .todo: 1
        case .ready: 2
        case .inProgress: 4
        case .done: 8
        case .other: 0
        }
    }

    /// The workflow's spelling of a status value, or nil when the value is not in the workflow.
    public func spelling(of text: String) -> String? {
        let status = Status(parsing: text)
        guard contains(status) else { return nil }
        if case .other(let name) = status {
            let key = FieldKey.normalize(name)
            return statuses.first { FieldKey.normalize($0) == key }
        }
        return status.description
    }

    /// The warning for a status value outside the workflow, with a did-you-mean; nil when it is in it.
    public func unknownStatusMessage(_ text: String) -> String? {
        let status = Status(parsing: text)
        guard !contains(status) else { return nil }
        let written = text.trimmingASCIIWhitespace()
        let list = statuses.joined(separator: ", ")
        if let guess = Suggestion.closest(to: written, among: statuses) {
            return "unknown status '\(written)' (did you mean '\(guess)'? the workflow is \(list))"
        }
        let hint = isDeclared ? "" : "; a team declares its own with '- statuses: ...' in the header"
        return "unknown status '\(written)' (the workflow is \(list)\(hint))"
    }

    /// The `- statuses:` line that declares this workflow with `extra` statuses added before the
    /// done one (what an import suggests for the statuses it kept).
    public func declaration(adding extra: [String]) -> String {
        let open = statuses.dropLast()
        return "- statuses: " + (open + extra + [done]).joined(separator: ", ")
    }

    /// The warning for statuses an import kept that are outside the workflow (one warning per
    /// status, each naming the line that would declare them all).
    public func keptStatusMessage(_ status: String, all kept: [String]) -> String {
        let guess = Suggestion.closest(to: status, among: statuses).map { "did you mean '\($0)'? " } ?? ""
        return "status '\(status)' kept as written, outside the workflow (\(guess)the workflow is \(statuses.joined(separator: ", "))); "
            + "declare the team's own in the header, like '\(declaration(adding: kept))'"
    }

    /// A status from another tool, mapped onto this workflow (for import); case is ignored.
    ///
    /// A value that names one of the workflow's statuses gets the workflow's spelling. Jira's
    /// statuses map by their meaning: Backlog and To Do to `todo`, Selected for Development to
    /// `ready`, In Progress to `in-progress`, In Review to `review` when the workflow has it
    /// (else `in-progress`), Done to the workflow's done status. Any other value is kept as written.
    public func imported(_ text: String) -> String {
        if let spelled = spelling(of: text) { return spelled }
        switch FieldKey.normalize(text) {
        case "backlog", "to-do": return "todo"
        case "selected-for-development": return "ready"
        case "in-progress": return "in-progress"
        case "in-review":
            return spelling(of: "review") ?? "in-progress"
        case "done": return done
        default: return text.trimmingASCIIWhitespace()
        }
    }

    /// The items of a `statuses` setting with their UTF-8 offsets in the text (empty items skipped).
    static func items(_ text: String) -> [(status: String, offset: Int)] {
        var items: [(status: String, offset: Int)] = []
        var offset = 0
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let lead = part.utf8.prefix { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }.count
            let item = part.trimmingASCIIWhitespace()
            if !item.isEmpty { items.append((item, offset + lead)) }
            offset += part.utf8.count + 1
        }
        return items
    }

    /// What is wrong with a `statuses` setting, each with the UTF-8 offset of the bad part.
    static func problems(in text: String) -> [(offset: Int, message: String)] {
        let items = items(text)
        if items.count < 2 {
            return [(0, "the workflow needs at least two statuses, the last one meaning done (like 'todo, in-progress, done')")]
        }
        var problems: [(offset: Int, message: String)] = []
        var seen: [String: String] = [:]
        for item in items {
            let key = FieldKey.normalize(Status(parsing: item.status).description)
            if let first = seen[key] {
                let same = first == item.status ? "" : " (as '\(first)')"
                problems.append((item.offset, "status '\(item.status)' appears twice in the workflow\(same)"))
            } else {
                seen[key] = item.status
            }
        }
        return problems
    }
}

extension Backlog {
    /// The workflow the header declares, or the standard one (work it out once per pass, not per story).
    public var workflow: Workflow { Workflow(header: header) }
}

extension Story {
    /// Sets a field as a person writes it (`prio set`, the story forms): the rule of
    /// `setField(_:_:)`, and a status must be one of the workflow's (with a did-you-mean, like a
    /// MoSCoW value). A status the story already has is kept even outside the workflow (`prio
    /// check` warns about it), so that a form can change other fields of such a story.
    public mutating func setField(_ rawKey: String, _ rawValue: String, in workflow: Workflow) throws(FieldProblem) {
        let target = try FieldTarget(rawKey)
        if target.canonical == .status {
            let written = rawValue.trimmingASCIIWhitespace()
            if !written.isEmpty, value(of: .status)?.trimmingASCIIWhitespace() != written,
               let message = workflow.unknownStatusMessage(written) {
                throw FieldProblem(message)
            }
        }
        try setField(target, rawValue)
    }
}
