/// SAFe's Weighted Shortest Job First: cost of delay divided by job size.
public struct WSJFStrategy: Strategy {
    public let name = "wsjf"
    public let title = "WSJF (SAFe)"
    public let formula = "(value + time-criticality + risk-reduction) / size; size falls back to points"
    public let inputs: [FieldKey] = [.value, .timeCriticality, .riskReduction, .size, .points]

    /// Creates the strategy.
    public init() {}

    public func score(_ story: Story) -> Score {
        var missing: [String] = []
        if story.number(.value) == nil { missing.append("value") }
        if story.number(.timeCriticality) == nil { missing.append("time-criticality") }
        if story.number(.riskReduction) == nil { missing.append("risk-reduction") }
        let size = story.number(.size, fallback: .points)
        if size == nil { missing.append("size or points") }
        guard missing.isEmpty, let value = story.number(.value), let tc = story.number(.timeCriticality),
              let rr = story.number(.riskReduction), let (sizeNumber, sizeKey) = size
        else { return .unscored(missingList(missing)) }
        guard !sizeNumber.isZero && !sizeNumber.isNegative else {
            return .unscored("\(sizeKey.rawValue) is \(story.written(sizeKey)), must be above 0")
        }
        guard let costOfDelay = value.fraction.adding(tc.fraction)?.adding(rr.fraction),
              let result = costOfDelay.divided(by: sizeNumber.fraction)
        else { return .unscored("numbers too large to score") }
        return .value(result)
    }

    public func explain(_ story: Story, score: Score, in ranking: Ranking) -> String {
        guard case .value(let result) = score, let (_, sizeKey) = story.number(.size, fallback: .points) else {
            if case .unscored(let reason) = score { return "unscored: \(reason)" }
            return ""
        }
        var text = "WSJF \(result.formatted) = (\(story.written(.value)) + \(story.written(.timeCriticality))"
            + " + \(story.written(.riskReduction))) / \(story.written(sizeKey))"
        if sizeKey == .points { text += ", size from points" }
        return text
    }
}
