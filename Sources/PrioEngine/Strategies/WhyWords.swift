/// The short why in words: "high value 13, urgent 8, small 3 pts".
///
/// The one rule for the words the report's Top N table and the Markdown and text exports'
/// Why column use. Each input of the ranking's strategy is named with the story's number,
/// and called high or low when it is in the top or bottom third of the ranked stories'
/// numbers for that input (for a cost, small or large): words a sponsor reads, where the
/// strategy's `why` gives the arithmetic. An unscored story says what it lacks (the
/// strategy's own words); a pinned one starts with its pin.
public struct WhyWords: Sendable {
    /// One input of the strategy, with the thirds of the ranked stories' numbers.
    struct Input: Sendable {
        var key: FieldKey
        /// The key read when `key` is missing (size and effort fall back to points).
        var fallback: FieldKey?
        /// The numbers at a third and two thirds of the way up; nil when no story has one.
        var lowerThird: Double?
        var upperThird: Double?
    }

    let ranking: Ranking
    let inputs: [Input]

    /// Works out the thirds of each input over the ranked stories (once per ranking).
    public init(_ ranking: Ranking) {
        self.ranking = ranking
        let keys = ranking.strategy.inputs
        var inputs: [Input] = []
        for key in keys where key != .points || !(keys.contains(.size) || keys.contains(.effort)) {
            let fallback: FieldKey? = (key == .size || key == .effort) && keys.contains(.points) ? .points : nil
            inputs.append(Input(key: key, fallback: fallback))
        }
        let wanted = NumericKeys(inputs.flatMap { [$0.key] + ($0.fallback.map { [$0] } ?? []) }
            .filter { $0.isNumeric })
        var columns = [[Double]](repeating: [], count: inputs.count)
        let stories = ranking.backlog.stories
        for entry in ranking.entries {
            let numbers = stories[entry.storyIndex].numbers(wanted)
            for (k, input) in inputs.enumerated() where input.key.isNumeric {
                if let n = input.fallback.flatMap({ numbers.number(input.key, fallback: $0)?.0 }) ?? numbers[input.key] {
                    columns[k].append(n.doubleValue)
                }
            }
        }
        for k in inputs.indices where !columns[k].isEmpty {
            columns[k].sort()
            let count = columns[k].count
            // A third of the way up, rounded down, and two thirds, rounded up: of three stories
            // the lowest is low, the highest high, the middle one neither.
            inputs[k].lowerThird = columns[k][(count - 1) / 3]
            inputs[k].upperThird = columns[k][((count - 1) * 2 + 2) / 3]
        }
        self.inputs = inputs
    }

    /// The words for an entry of the ranking.
    public func text(_ entry: Ranking.Entry) -> String {
        let story = ranking.backlog.stories[entry.storyIndex]
        var parts: [String] = []
        if let pin = ranking.pinText(entry) { parts.append(pin) }
        guard case .value = entry.score else {
            let reason = ranking.strategy.why(story, score: entry.score, context: ranking.context)
            if !reason.isEmpty { parts.append(reason) }
            return parts.joined(separator: "; ")
        }
        var words: [String] = []
        if ranking.strategy is ValueEffortStrategy, let quadrant = ValueEffortStrategy.quadrant(of: story, context: ranking.context) {
            words.append(quadrant + ":")
        }
        var phrases: [String] = []
        for input in inputs {
            if input.key == .moscow {
                if let m = story.moscow { phrases.append(m.label.lowercased()) }
                continue
            }
            let found = input.fallback.map { story.number(input.key, fallback: $0) } ?? story.number(input.key).map { ($0, input.key) }
            guard let (number, key) = found else { continue }
            phrases.append(Self.phrase(key: input.key, usedKey: key, number: number, input: input))
        }
        if !phrases.isEmpty { words.append(phrases.joined(separator: ", ")) }
        if !words.isEmpty { parts.append(words.joined(separator: " ")) }
        return parts.joined(separator: "; ")
    }

    /// "high value 13", "urgent 8", "small 3 pts", "reach 4000".
    static func phrase(key: FieldKey, usedKey: FieldKey, number: DecimalNumber, input: Input) -> String {
        let value = number.doubleValue
        let isHigh = input.upperThird.map { value >= $0 && value > (input.lowerThird ?? $0) } ?? false
        let isLow = input.lowerThird.map { value <= $0 && value < (input.upperThird ?? $0) } ?? false
        let shown = key == .confidence ? "\(number)%" : "\(number)"
        switch key {
        case .size, .effort, .points:
            let unit = usedKey == .points || key == .size ? (number.fraction == Fraction(1) ? " pt" : " pts") : ""
            let amount = key == .effort && usedKey == .effort ? "effort \(shown)" : shown + unit
            return isLow ? "small " + amount : isHigh ? "large " + amount : amount
        case .timeCriticality:
            return isHigh ? "urgent \(shown)" : isLow ? "not urgent \(shown)" : "urgency \(shown)"
        case .riskReduction:
            return isHigh ? "reduces risk \(shown)" : isLow ? "little risk reduction \(shown)" : "risk reduction \(shown)"
        case .confidence:
            return isHigh ? "sure \(shown)" : isLow ? "unsure \(shown)" : "confidence \(shown)"
        case .reach:
            return isHigh ? "wide reach \(shown)" : isLow ? "narrow reach \(shown)" : "reach \(shown)"
        default:
            let name = key.rawValue.replacing("-", with: " ")
            return isHigh ? "high \(name) \(shown)" : isLow ? "low \(name) \(shown)" : "\(name) \(shown)"
        }
    }
}
