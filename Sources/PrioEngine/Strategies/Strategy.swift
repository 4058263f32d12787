/// A story's score under a strategy.
public enum Score: Sendable, Hashable {
    /// An exact score; higher ranks first.
    case value(Fraction)
    /// The story lacks an input the strategy needs; the text says which.
    case unscored(String)
    /// The strategy does not score (manual order).
    case none

    /// The score as a number, or nil.
    public var fraction: Fraction? {
        if case .value(let f) = self { f } else { nil }
    }
}

/// A prioritisation strategy: scores stories and explains each score with the user's own numbers.
///
/// To add a strategy, write one type conforming to this protocol in its own file and add one
/// line to `StrategyRegistry.all`.
public protocol Strategy: Sendable {
    /// The name used on the command line and in the header (`wsjf`).
    var name: String { get }
    /// A human title (`WSJF (SAFe)`).
    var title: String { get }
    /// The formula in words.
    var formula: String { get }
    /// The fields the strategy reads.
    var inputs: [FieldKey] { get }
    /// Scores one story; must never crash or hang, whatever the input.
    func score(_ story: borrowing Story) -> Score
    /// Scores the stories at `indices` of `stories`, in that order (the ranking's hot loop; the
    /// default calls `score` on each, in place).
    func scores(of stories: Span<Story>, at indices: [Int]) -> [Score]
    /// Explains a story's score in one line, quoting the numbers as written.
    func explain(_ story: Story, score: Score, context: RankingContext?) -> String
    /// The short form of `explain` for a table that already shows the score and names the
    /// strategy: only what differs from story to story (`(13 + 8 + 3) / 5`).
    func why(_ story: Story, score: Score, context: RankingContext?) -> String
    /// Computes what explanations need from the whole ranking (medians, say); nil when nothing.
    func context(for ranking: Ranking) -> RankingContext?
}

extension Strategy {
    /// No context by default.
    public func context(for ranking: Ranking) -> RankingContext? { nil }

    /// Each story scored where it lies: made for each strategy's own type, so that no story is
    /// copied to be passed through `any Strategy`.
    public func scores(of stories: Span<Story>, at indices: [Int]) -> [Score] {
        var scores: [Score] = []
        scores.reserveCapacity(indices.count)
        for i in indices { scores.append(score(stories[i])) }
        return scores
    }

    /// The full explanation by default.
    public func why(_ story: Story, score: Score, context: RankingContext?) -> String {
        explain(story, score: score, context: context)
    }
}

/// Numbers a strategy derives from a whole ranking, such as the value/effort medians.
public struct RankingContext: Sendable {
    /// Named exact values.
    public var values: [String: Fraction]

    /// Creates a context.
    public init(values: [String: Fraction]) {
        self.values = values
    }
}

/// The built-in strategies, in the order the screen cycles through them.
public enum StrategyRegistry {
    /// Every registered strategy.
    public static let all: [any Strategy] = [
        ManualStrategy(),
        MoSCoWStrategy(),
        WSJFStrategy(),
        ValueEffortStrategy(),
        RICEStrategy(),
    ]

    /// The strategies' names.
    public static var names: [String] { all.map(\.name) }

    /// The strategy with a name (case-insensitive; `_` and spaces read as `-`), or nil.
    public static func strategy(named name: String) -> (any Strategy)? {
        let key = FieldKey.normalize(name)
        let aliases = ["value-over-effort": "value-effort", "valueeffort": "value-effort", "cd3": "wsjf",
                       "moscow-priority": "moscow", "file": "manual", "none": "manual"]
        let resolved = aliases[key] ?? key
        return all.first { $0.name == resolved }
    }
}

// MARK: Helpers shared by strategies

extension Story {
    /// The number of a field, falling back to another field; the key actually used is returned.
    func number(_ key: FieldKey, fallback: FieldKey? = nil) -> (DecimalNumber, FieldKey)? {
        if let n = number(key) { return (n, key) }
        if let fallback, let n = number(fallback) { return (n, fallback) }
        return nil
    }

    /// The text of a field as the user wrote it.
    func written(_ key: FieldKey) -> String {
        if tallies != nil, let tally = tally(for: key) { return tally.value.description }
        return value(of: key) ?? "?"
    }
}

/// "no reach, no effort or points": the inputs a story lacks, for an unscored explanation.
func missingList(_ names: [String]) -> String {
    "no " + names.joined(separator: ", no ")
}
