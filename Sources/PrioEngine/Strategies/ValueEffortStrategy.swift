/// Value over effort, with each story placed in a quadrant split at the medians.
public struct ValueEffortStrategy: Strategy {
    public let name = "value-effort"
    public let title = "Value / effort"
    public let formula = "value / effort; effort falls back to points; quadrant split at the medians"
    public let inputs: [FieldKey] = [.value, .effort, .points]

    /// Creates the strategy.
    public init() {}

    static let wanted = NumericKeys([.value, .effort, .points])

    /// Why a story with both numbers is unscored when their quotient leaves exact arithmetic.
    public static let tooLarge = "numbers too large to score"

    public func score(_ story: borrowing Story) -> Score {
        let n = story.numbers(Self.wanted)
        let value = n.value
        let effort = n.number(.effort, fallback: .points)
        guard let value, let (effortNumber, effortKey) = effort else {
            var missing: [String] = []
            if value == nil { missing.append("value") }
            if effort == nil { missing.append("effort or points") }
            return .unscored(missingList(missing))
        }
        guard !effortNumber.isZero && !effortNumber.isNegative else {
            return .unscored("\(effortKey.rawValue) is \(story.written(effortKey)), must be above 0")
        }
        guard let result = value.fraction.divided(by: effortNumber.fraction) else {
            return .unscored(Self.tooLarge)
        }
        return .value(result)
    }

    /// The quadrant of a story given the medians: high value is at or above the value median,
    /// low effort at or below the effort median.
    public static func quadrant(value: Fraction, effort: Fraction, valueMedian: Fraction, effortMedian: Fraction) -> String {
        let highValue = value >= valueMedian
        let lowEffort = effort <= effortMedian
        switch (highValue, lowEffort) {
        case (true, true): return "quick win"
        case (true, false): return "big bet"
        case (false, true): return "fill-in"
        case (false, false): return "money pit"
        }
    }

    public func context(for ranking: Ranking) -> RankingContext? {
        guard let (valueMedian, effortMedian) = Self.medians(Self.scoredInputs(ranking)) else { return nil }
        return RankingContext(values: ["value-median": valueMedian, "effort-median": effortMedian])
    }

    /// Each scored story's value and effort (or points), in rank order: what the medians split,
    /// and the matrix's points. Big rankings are read in two halves on two threads.
    static func scoredInputs(_ ranking: Ranking) -> [(storyIndex: Int, value: DecimalNumber, effort: DecimalNumber)] {
        let entries = ranking.entries
        let stories = ranking.backlog.stories
        @Sendable func read(_ range: Range<Int>) -> [(storyIndex: Int, value: DecimalNumber, effort: DecimalNumber)] {
            var out: [(storyIndex: Int, value: DecimalNumber, effort: DecimalNumber)] = []
            out.reserveCapacity(range.count)
            unsafe stories.withUnsafeBufferPointer { stories in
                for entry in entries[range] where entry.score.fraction != nil {
                    // Read in place: copying each story would retain all it holds.
                    let n = unsafe stories[entry.storyIndex].numbers(Self.wanted)
                    if let v = n.value, let (e, _) = n.number(.effort, fallback: .points) {
                        out.append((entry.storyIndex, v, e))
                    }
                }
            }
            return out
        }
        return inHalves(entries.count, read).flatMap { $0 }
    }

    /// The value median and the effort median of the scored stories (nil when none is scored):
    /// the one rule of the quadrants, for the ranking's explanations and the matrix.
    static func medians(_ inputs: [(storyIndex: Int, value: DecimalNumber, effort: DecimalNumber)]) -> (Fraction, Fraction)? {
        guard let valueMedian = median(inputs.map(\.value)), let effortMedian = median(inputs.map(\.effort)) else {
            return nil
        }
        return (valueMedian, effortMedian)
    }

    public func explain(_ story: Story, score: Score, context: RankingContext?) -> String {
        guard case .value(let result) = score, let value = story.number(.value),
              let (effort, effortKey) = story.number(.effort, fallback: .points)
        else {
            if case .unscored(let reason) = score { return "unscored: \(reason)" }
            return ""
        }
        var text = "value/effort \(result.formatted) = \(story.written(.value)) / \(story.written(effortKey))"
        if effortKey == .points { text += ", effort from points" }
        if let context, let vm = context.values["value-median"], let em = context.values["effort-median"] {
            text += "; " + Self.quadrant(value: value.fraction, effort: effort.fraction, valueMedian: vm, effortMedian: em)
        }
        return text
    }

    /// The quadrant and the division, `quick win (13 / 5)`, without the score and the effort
    /// fallback that every row repeats.
    public func why(_ story: Story, score: Score, context: RankingContext?) -> String {
        guard case .value = score, let value = story.number(.value),
              let (effort, effortKey) = story.number(.effort, fallback: .points)
        else { return explain(story, score: score, context: context) }
        let division = "\(story.written(.value)) / \(story.written(effortKey))"
        guard let context, let vm = context.values["value-median"], let em = context.values["effort-median"] else {
            return division
        }
        return Self.quadrant(value: value.fraction, effort: effort.fraction, valueMedian: vm, effortMedian: em) + " (\(division))"
    }
}

/// The exact median of some numbers (the mean of the middle two for an even count).
func median(_ numbers: [DecimalNumber]) -> Fraction? {
    guard !numbers.isEmpty else { return nil }
    // Sorting doubles is fast; it finds the middle values, and the exact numbers are then
    // looked up by their doubles. When distinct numbers share a double, sort exactly.
    let doubles = numbers.map(\.doubleValue).sorted()
    let middle = doubles.count / 2
    let wanted = doubles.count % 2 == 1 ? [doubles[middle]] : [doubles[middle - 1], doubles[middle]]
    var exact: [Fraction] = []
    for target in wanted {
        let matches = numbers.lazy.filter { $0.doubleValue == target }.map(\.fraction)
        guard let first = matches.first, matches.allSatisfy({ $0 == first }) else {
            return exactMedian(numbers)
        }
        exact.append(first)
    }
    if exact.count == 1 { return exact[0] }
    return exact[0].adding(exact[1])?.divided(by: Fraction(2)) ?? exact[1]
}

/// The median by sorting exact values; for the rare case where doubles cannot tell numbers apart.
func exactMedian(_ numbers: [DecimalNumber]) -> Fraction? {
    guard !numbers.isEmpty else { return nil }
    let sorted = numbers.map(\.fraction).sorted()
    let middle = sorted.count / 2
    if sorted.count % 2 == 1 { return sorted[middle] }
    return sorted[middle - 1].adding(sorted[middle])?.divided(by: Fraction(2)) ?? sorted[middle]
}
