/// SAFe's Weighted Shortest Job First: cost of delay divided by job size.
public struct WSJFStrategy: Strategy {
    public let name = "wsjf"
    public let title = "WSJF (SAFe)"
    public let formula = "(value + time-criticality + risk-reduction) / size; size falls back to points"
    public let inputs: [FieldKey] = [.value, .timeCriticality, .riskReduction, .size, .points]

    /// Creates the strategy.
    public init() {}

    private static let wanted = NumericKeys([.value, .timeCriticality, .riskReduction, .size, .points])

    public func score(_ story: borrowing Story) -> Score {
        let n = story.numbers(Self.wanted)
        let size = n.number(.size, fallback: .points)
        guard let value = n.value, let tc = n[.timeCriticality], let rr = n[.riskReduction],
              let (sizeNumber, sizeKey) = size
        else {
            var missing: [String] = []
            if n.value == nil { missing.append("value") }
            if n[.timeCriticality] == nil { missing.append("time-criticality") }
            if n[.riskReduction] == nil { missing.append("risk-reduction") }
            if size == nil { missing.append("size or points") }
            return .unscored(missingList(missing))
        }
        guard !sizeNumber.isZero && !sizeNumber.isNegative else {
            return .unscored("\(sizeKey.rawValue) is \(story.written(sizeKey)), must be above 0")
        }
        guard let costOfDelay = value.fraction.adding(tc.fraction)?.adding(rr.fraction),
              let result = costOfDelay.divided(by: sizeNumber.fraction)
        else { return .unscored("numbers too large to score") }
        return .value(result)
    }

    public func explain(_ story: Story, score: Score, context: RankingContext?) -> String {
        guard case .value(let result) = score, let (_, sizeKey) = story.number(.size, fallback: .points) else {
            if case .unscored(let reason) = score { return "unscored: \(reason)" }
            return ""
        }
        var text = "WSJF \(result.formatted) = (\(story.written(.value)) + \(story.written(.timeCriticality))"
            + " + \(story.written(.riskReduction))) / \(story.written(sizeKey))"
        if sizeKey == .points { text += ", size from points" }
        return text
    }

    /// The division with the story's numbers, `(13 + 8 + 3) / 5`: the score and the size
    /// fallback are the same in every row (the table has a score column, the formula says it).
    public func why(_ story: Story, score: Score, context: RankingContext?) -> String {
        guard case .value = score, let (_, sizeKey) = story.number(.size, fallback: .points) else {
            return explain(story, score: score, context: context)
        }
        return "(\(story.written(.value)) + \(story.written(.timeCriticality)) + \(story.written(.riskReduction)))"
            + " / \(story.written(sizeKey))"
    }
}
