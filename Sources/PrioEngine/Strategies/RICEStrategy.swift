/// Intercom's RICE: reach × impact × confidence / effort.
public struct RICEStrategy: Strategy {
    public let name = "rice"
    public let title = "RICE (Intercom)"
    public let formula = "reach × impact × confidence% / effort; effort falls back to points"
    public let inputs: [FieldKey] = [.reach, .impact, .confidence, .effort, .points]

    /// Creates the strategy.
    public init() {}

    private static let wanted = NumericKeys([.reach, .impact, .confidence, .effort, .points])

    public func score(_ story: borrowing Story) -> Score {
        let n = story.numbers(Self.wanted)
        let effort = n.number(.effort, fallback: .points)
        guard let reach = n[.reach], let impact = n[.impact], let confidence = n[.confidence],
              let (effortNumber, effortKey) = effort
        else {
            var missing: [String] = []
            if n[.reach] == nil { missing.append("reach") }
            if n[.impact] == nil { missing.append("impact") }
            if n[.confidence] == nil { missing.append("confidence") }
            if effort == nil { missing.append("effort or points") }
            return .unscored(missingList(missing))
        }
        guard !effortNumber.isZero && !effortNumber.isNegative else {
            return .unscored("\(effortKey.rawValue) is \(story.written(effortKey)), must be above 0")
        }
        guard let product = reach.fraction.multiplied(by: impact.fraction)?.multiplied(by: confidence.fraction),
              let percent = product.divided(by: Fraction(100)),
              let result = percent.divided(by: effortNumber.fraction)
        else { return .unscored("numbers too large to score") }
        return .value(result)
    }

    public func explain(_ story: Story, score: Score, context: RankingContext?) -> String {
        guard case .value(let result) = score, let (_, effortKey) = story.number(.effort, fallback: .points) else {
            if case .unscored(let reason) = score { return "unscored: \(reason)" }
            return ""
        }
        var confidence = story.written(.confidence)
        if !confidence.hasSuffix("%") { confidence += "%" }
        var text = "RICE \(result.formatted) = \(story.written(.reach)) × \(story.written(.impact)) × \(confidence)"
            + " / \(story.written(effortKey))"
        if effortKey == .points { text += ", effort from points" }
        return text
    }

    /// The product with the story's numbers, `12000 × 0.25 × 100% / 0.5`, without the score
    /// and the effort fallback that every row repeats.
    public func why(_ story: Story, score: Score, context: RankingContext?) -> String {
        guard case .value = score, let (_, effortKey) = story.number(.effort, fallback: .points) else {
            return explain(story, score: score, context: context)
        }
        var confidence = story.written(.confidence)
        if !confidence.hasSuffix("%") { confidence += "%" }
        return "\(story.written(.reach)) × \(story.written(.impact)) × \(confidence) / \(story.written(effortKey))"
    }
}
