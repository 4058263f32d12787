/// MoSCoW: must before should before could before won't; the manual order within each.
public struct MoSCoWStrategy: Strategy {
    public let name = "moscow"
    public let title = "MoSCoW"
    public let formula = "must > should > could > wont, then manual order"
    public let inputs: [FieldKey] = [.moscow]

    /// Creates the strategy.
    public init() {}

    public func score(_ story: borrowing Story) -> Score {
        guard let m = story.moscow else { return .unscored("no moscow value") }
        return .value(Fraction(m.weight))
    }

    public func explain(_ story: Story, score: Score, context: RankingContext?) -> String {
        guard let m = story.moscow else { return "unscored: no moscow value" }
        return "\(m.label) (\(m.rawValue) = \(m.weight))"
    }

    /// The category as people say it: `Must have`.
    public func why(_ story: Story, score: Score, context: RankingContext?) -> String {
        guard let m = story.moscow else { return "unscored: no moscow value" }
        return m.label
    }
}
