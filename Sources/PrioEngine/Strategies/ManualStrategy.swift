/// The manual order: the order of the stories in the file.
public struct ManualStrategy: Strategy {
    public let name = "manual"
    public let title = "Manual order"
    public let formula = "the order of the stories in the file"
    public let inputs: [FieldKey] = []

    /// Creates the strategy.
    public init() {}

    public func score(_ story: borrowing Story) -> Score { .none }

    public func explain(_ story: Story, score: Score, context: RankingContext?) -> String {
        "manual order"
    }

    /// Nothing: the rank is the position in the file, which needs no explaining.
    public func why(_ story: Story, score: Score, context: RankingContext?) -> String { "" }
}
