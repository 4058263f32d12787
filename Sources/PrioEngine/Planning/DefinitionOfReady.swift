/// The team's Definition of Ready: what a story needs before it may be planned, from the
/// header's `- ready: points, value, criteria, depends-done` (without it: `points`).
///
/// The one rule for `prio ready`, `ready` in filters, the screen's marks and the warnings of
/// `prio plan` and the planning screen.
public struct DefinitionOfReady: Sendable, Hashable {
    /// One check of the definition.
    public enum Check: String, Sendable, Hashable, CaseIterable {
        /// The story has points.
        case points
        /// The story has a business value.
        case value
        /// The description holds at least one task item (an acceptance criterion).
        case criteria
        /// Every story it depends on is done.
        case dependsDone = "depends-done"
    }

    /// The checks, in the order the header lists them.
    public let checks: [Check]
    /// True when the header declares the definition.
    public let isDeclared: Bool

    /// The definition when the header declares none: a story needs an estimate.
    public static let standard = DefinitionOfReady(checks: [.points], declared: false)

    /// A definition of some checks.
    public init(checks: [Check], declared: Bool = true) {
        var seen: Set<Check> = []
        self.checks = checks.filter { seen.insert($0).inserted }
        self.isDeclared = declared
    }

    /// The definition a header declares with `- ready:`, or the standard one.
    public init(header: BacklogHeader) {
        guard let text = header.setting("ready") else {
            self = .standard
            return
        }
        self.init(checks: DefinitionOfReady.items(text).compactMap { Check(rawValue: FieldKey.normalize($0.text)) })
    }

    /// The comma-separated items of a `ready` setting, each with its UTF-8 offset (read like
    /// the workflow's list).
    static func items(_ text: String) -> [(text: String, offset: Int)] {
        Workflow.items(text).map { ($0.status, $0.offset) }
    }

    /// What is wrong with a `ready` setting, each with the UTF-8 offset of the bad item.
    static func problems(in text: String) -> [(offset: Int, message: String)] {
        let known = Check.allCases.map(\.rawValue)
        return items(text).compactMap { item in
            guard Check(rawValue: FieldKey.normalize(item.text)) == nil else { return nil }
            let hint = Suggestion.closest(to: item.text, among: known).map { "did you mean '\($0)'? " } ?? ""
            return (item.offset, "unknown ready check '\(item.text)' (\(hint)use points, value, criteria or depends-done)")
        }
    }

    /// The checks a story fails, in the definition's order (empty: the story is ready).
    /// `isDone` says whether a story it depends on is done.
    public func missing(_ story: Story, isDone: (StoryID) -> Bool) -> [Check] {
        checks.filter { check in
            switch check {
            case .points: story.points == nil
            case .value: story.number(.value) == nil
            case .criteria: story.criteria.isEmpty
            case .dependsDone: !story.dependencies.allSatisfy(isDone)
            }
        }
    }
}

/// A backlog's Definition of Ready with what it needs to judge its stories: which are done.
public struct ReadyJudge: Sendable {
    /// The definition.
    public let definition: DefinitionOfReady
    /// The IDs of the done stories (only when a check asks for them).
    private let done: StoryIDSet

    /// The judge of a backlog's stories (one pass over them when `depends-done` is checked).
    public init(_ backlog: Backlog) {
        definition = DefinitionOfReady(header: backlog.header)
        var done = StoryIDSet()
        if definition.checks.contains(.dependsDone) {
            let workflow = backlog.workflow
            for story in backlog.stories where workflow.isDone(story) { _ = done.insert(story.id) }
        }
        self.done = done
    }

    /// The checks a story fails (empty: it is ready).
    public func missing(_ story: Story) -> [DefinitionOfReady.Check] {
        definition.missing(story) { done.contains($0) }
    }

    /// True when the story meets the definition.
    public func isReady(_ story: Story) -> Bool { missing(story).isEmpty }
}

extension ReadyJudge {
    /// The one warning of a plan (`prio plan`, the planning screen) that takes stories not
    /// ready by the header's Definition of Ready, naming them with what each lacks; nil when
    /// all are ready or the header declares no definition.
    public static func plannedWarning(_ backlog: Backlog, _ planned: [Int]) -> String? {
        guard backlog.header.setting("ready") != nil, !planned.isEmpty else { return nil }
        let judge = ReadyJudge(backlog)
        let lacking = planned.compactMap { index -> String? in
            let missing = judge.missing(backlog.stories[index])
            return missing.isEmpty ? nil : "\(backlog.stories[index].id) (\(missing.map(\.rawValue).joined(separator: ", ")))"
        }
        guard !lacking.isEmpty else { return nil }
        let shown = lacking.prefix(10).joined(separator: ", ") + (lacking.count > 10 ? " and \(lacking.count - 10) more" : "")
        return "\(Plural.count(lacking.count, "planned story is", "planned stories are")) not ready by the Definition of Ready: \(shown)"
    }
}

/// The stories near the top of a ranking that are not ready: what a product owner prepares
/// before refinement (`prio ready`, the screen's marks).
public struct ReadyList: Sendable {
    /// One story that is not ready.
    public struct Item: Sendable, Hashable {
        /// Its rank in the whole ranking.
        public var rank: Int
        /// Its index in the backlog.
        public var storyIndex: Int
        /// The checks it fails.
        public var missing: [DefinitionOfReady.Check]
    }

    /// The items, in rank order.
    public let items: [Item]

    /// How many stories of the ranking `prio ready` looks at unless told otherwise.
    public static let defaultTop = 20

    /// The stories among the first `top` open stories of the ranking (in-progress ones included)
    /// that fail the Definition of Ready.
    public init(_ ranking: Ranking, top: Int) {
        let judge = ReadyJudge(ranking.backlog)
        items = ranking.top(top).compactMap { entry in
            let missing = judge.missing(ranking.story(entry))
            return missing.isEmpty ? nil : Item(rank: entry.rank, storyIndex: entry.storyIndex, missing: missing)
        }
    }

    /// The JSON array: `{"id", "title", "rank", "missing": [checks]}` per story.
    public func json(_ backlog: Backlog) -> String {
        guard !items.isEmpty else { return "[]\n" }
        return "[\n" + items.map { item in
            let story = backlog.stories[item.storyIndex]
            return "  {\"id\": \(JSON.string(story.id.description)), \"title\": \(JSON.string(story.title)), \"rank\": \(item.rank), "
                + "\"missing\": [\(item.missing.map { JSON.string($0.rawValue) }.joined(separator: ", "))]}"
        }.joined(separator: ",\n") + "\n]\n"
    }

    /// The table: rank, ID, title, points and what is missing.
    public func table(_ backlog: Backlog, top: Int, width: Int) -> String {
        let definition = DefinitionOfReady(header: backlog.header)
        let head = "Definition of Ready: \(definition.checks.map(\.rawValue).joined(separator: ", "))"
            + (definition.isDeclared ? "" : " (the default; declare the team's with '- ready: points, value, criteria, depends-done')")
        guard !items.isEmpty else { return head + "\nAll of the top \(top) stories are ready.\n" }
        let rows = items.map { item -> [String] in
            let story = backlog.stories[item.storyIndex]
            return [String(item.rank), story.id.description, story.title, story.points?.description ?? "",
                    item.missing.map(\.rawValue).joined(separator: ", ")]
        }
        let table = TextTable(columns: [.init("#", alignRight: true), .init("ID"), .init("Title", minWidth: 12),
                                        .init("Pts", alignRight: true), .init("Missing")], rows: rows)
        return head + "\n\(Plural.count(items.count, "story", "stories")) of the top \(top) not ready:\n\n" + table.render(width: width) + "\n"
    }
}
