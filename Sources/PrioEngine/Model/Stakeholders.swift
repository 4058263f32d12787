/// A stakeholder declared in the header: `- stakeholder: alice | weight 2`.
public struct Stakeholder: Sendable, Hashable {
    /// The name votes are given under.
    public var name: String
    /// How much the stakeholder's votes count (1 unless said).
    public var weight: DecimalNumber

    /// Parses a `stakeholder` setting's value.
    public static func parse(_ text: String) -> Result<Stakeholder, FieldProblem> {
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingASCIIWhitespace() }
        let name = parts[0]
        guard !name.isEmpty else { return .failure(FieldProblem("a stakeholder needs a name: '- stakeholder: alice | weight 2'")) }
        guard !name.contains(",") else { return .failure(FieldProblem("a stakeholder's name may not hold a comma (votes are separated by commas)")) }
        guard DecimalNumber(name) == nil, DecimalNumber(String(name.split(separator: " ").last ?? "")) == nil else {
            return .failure(FieldProblem("a stakeholder's name may not end with a number (votes are written 'alice 13')"))
        }
        var weight = DecimalNumber(1)
        for part in parts.dropFirst() {
            let words = part.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 2, words[0].lowercased() == "weight", let value = DecimalNumber(String(words[1])),
                  !value.isZero, !value.isNegative else {
                return .failure(FieldProblem("'\(part)' is not a weight: write '| weight 2' (a number above 0)"))
            }
            weight = value
        }
        return .success(Stakeholder(name: name, weight: weight))
    }
}

/// One stakeholder's score for a field: `alice 13` in `- value-votes: alice 13, bob 4`.
public struct Vote: Sendable, Hashable {
    /// Who voted.
    public var name: String
    /// The score, valid for the field.
    public var value: DecimalNumber

    /// Creates a vote.
    public init(name: String, value: DecimalNumber) {
        self.name = name
        self.value = value
    }

    /// The key of the line holding a field's votes: `value-votes`.
    public static func key(for field: FieldKey) -> String { field.rawValue + "-votes" }

    /// The numeric field a votes key is for (`value-votes` → value), or nil.
    public static func field(ofKey key: String) -> FieldKey? {
        guard key.hasSuffix("-votes"), let field = FieldKey(rawValue: String(key.dropLast(6))),
              field.isNumeric else { return nil }
        return field
    }

    /// Parses a votes line's value (`alice 13, bob 4`), each score checked for the field.
    public static func parseList(_ text: String, for field: FieldKey) -> Result<[Vote], FieldProblem> {
        var votes: [Vote] = []
        // The names so far: 50,000 votes on one line stay linear.
        var names: Set<String> = []
        var offset = 0
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            defer { offset += part.unicodeScalars.count + 1 }
            let item = part.trimmingASCIIWhitespace()
            if item.isEmpty { continue }
            guard let space = item.lastIndex(where: { $0 == " " || $0 == "\t" }) else {
                return .failure(FieldProblem("'\(item)' is not a vote: write NAME SCORE, such as 'alice 13'", offset: offset))
            }
            let name = item[..<space].trimmingASCIIWhitespace()
            let score = String(item[item.index(after: space)...])
            let leading = part.unicodeScalars.prefix { $0 == " " || $0 == "\t" }.count
            let scoreOffset = offset + leading + item.unicodeScalars.count - score.unicodeScalars.count
            do {
                try field.check(score)
            } catch {
                return .failure(FieldProblem("\(name)'s vote: \(error.message)", offset: scoreOffset))
            }
            guard let value = parseStoredNumber(score) else {
                return .failure(FieldProblem("'\(score)' is not a number", offset: offset))
            }
            if !names.insert(name).inserted {
                return .failure(FieldProblem("\(name) votes twice on \(field.rawValue)", offset: offset))
            }
            votes.append(Vote(name: name, value: value))
        }
        return .success(votes)
    }

    /// Writes votes as a votes line's value: `alice 13, bob 4`.
    public static func text(_ votes: [Vote]) -> String {
        votes.map { "\($0.name) \($0.value)" }.joined(separator: ", ")
    }
}

/// The header's stakeholders and how their votes combine: the one rule for what a field's
/// votes mean, used by every strategy, `prio check` and the screen.
public struct StakeholderPanel: Sendable, Equatable {
    /// How votes combine.
    public enum Aggregate: String, Sendable, CaseIterable {
        /// The weighted mean.
        case mean
        /// The weighted median.
        case median
    }

    /// The declared stakeholders, in header order (valid lines only).
    public var stakeholders: [Stakeholder]
    /// How votes combine (`- stakeholder-aggregate: median`; the mean by default).
    public var aggregate: Aggregate
    /// Votes disagree when the highest is more than `ratio` times the lowest...
    public var ratio: DecimalNumber
    /// ... or when they span more than `steps` steps of the 1, 2, 3, 5, 8, 13, 20 scale.
    public var steps: Int

    /// The scale whose steps measure disagreement.
    public static let scale: [Int] = [1, 2, 3, 5, 8, 13, 20]

    /// Reads the panel from a header.
    public init(header: BacklogHeader) {
        stakeholders = []
        // The names so far, in a set (not kept): 50,000 stakeholders stay linear.
        var names: Set<String> = []
        for setting in header.settings where setting.key == "stakeholder" {
            if case .success(let stakeholder) = Stakeholder.parse(setting.value), names.insert(stakeholder.name).inserted {
                stakeholders.append(stakeholder)
            }
        }
        aggregate = header.setting("stakeholder-aggregate").flatMap { Aggregate(rawValue: FieldKey.normalize($0)) } ?? .mean
        let spread = header.setting("stakeholder-spread").flatMap { Self.parseSpread($0).success } ?? (DecimalNumber(2), 2)
        ratio = spread.0
        steps = spread.1
    }

    /// Parses `ratio 2 | steps 2` (either part may be left out).
    public static func parseSpread(_ text: String) -> Result<(DecimalNumber, Int), FieldProblem> {
        var ratio = DecimalNumber(2)
        var steps = 2
        for part in text.split(separator: "|") {
            let words = part.split(separator: " ", omittingEmptySubsequences: true)
            guard words.count == 2 else {
                return .failure(FieldProblem("write the spread as 'ratio 2 | steps 2'"))
            }
            switch words[0].lowercased() {
            case "ratio":
                guard let value = DecimalNumber(String(words[1])), !value.isNegative, !value.isZero else {
                    return .failure(FieldProblem("the ratio must be a number above 0"))
                }
                ratio = value
            case "steps":
                guard let value = Int(words[1]), value >= 0 else { return .failure(FieldProblem("steps must be a whole number")) }
                steps = value
            default:
                return .failure(FieldProblem("write the spread as 'ratio 2 | steps 2'"))
            }
        }
        return .success((ratio, steps))
    }

    /// A stakeholder by name, or nil when not declared.
    public func stakeholder(named name: String) -> Stakeholder? {
        stakeholders.first { $0.name == name }
    }

    /// The weight of a vote: its stakeholder's, 1 for a name the header does not declare.
    public func weight(of name: String) -> DecimalNumber {
        stakeholder(named: name)?.weight ?? DecimalNumber(1)
    }

    /// The stakeholder of each vote (nil for a name the header does not declare), in one pass:
    /// a name index is made for the call when both lists are long, so that 50,000 votes from
    /// 50,000 stakeholders stay linear (the panel keeps no index).
    public func stakeholders(of votes: [Vote]) -> [Stakeholder?] {
        guard votes.count > 8 && stakeholders.count > 8 else { return votes.map { stakeholder(named: $0.name) } }
        var places: [String: Int] = [:]
        places.reserveCapacity(stakeholders.count)
        for (k, stakeholder) in stakeholders.enumerated() where places[stakeholder.name] == nil { places[stakeholder.name] = k }
        return votes.map { vote in places[vote.name].map { stakeholders[$0] } }
    }

    /// The weight of each vote (`weight(of:)`, in one pass).
    public func weights(of votes: [Vote]) -> [DecimalNumber] {
        stakeholders(of: votes).map { $0?.weight ?? DecimalNumber(1) }
    }

    /// What a field's votes come to: the weighted mean or median, rounded to two decimals;
    /// nil without votes, or when weights times scores go beyond exact arithmetic (never a
    /// sum that silently left a vote out: `overflows` tells the parser, which reports it).
    public func combine(_ votes: [Vote]) -> DecimalNumber? {
        guard !votes.isEmpty else { return nil }
        let weighted = zip(votes, weights(of: votes)).map { (value: $0.value.fraction, weight: $1.fraction) }
        var total = Fraction(0)
        for item in weighted {
            guard let next = total.adding(item.weight) else { return nil }
            total = next
        }
        let result: Fraction?
        switch aggregate {
        case .mean:
            var sum = Fraction(0)
            for item in weighted {
                guard let next = item.value.multiplied(by: item.weight).flatMap({ sum.adding($0) }) else { return nil }
                sum = next
            }
            result = sum.divided(by: total)
        case .median:
            // The value where the running weight first reaches half; exactly half: the mean of it and the next.
            let sorted = weighted.sorted { $0.value < $1.value }
            guard let half = total.divided(by: Fraction(2)) else { return nil }
            var running = Fraction(0)
            var found: Fraction?
            for (k, item) in sorted.enumerated() {
                running = running.adding(item.weight) ?? running
                if running > half {
                    found = item.value
                    break
                }
                if running == half {
                    let next = k + 1 < sorted.count ? sorted[k + 1].value : item.value
                    found = item.value.adding(next)?.divided(by: Fraction(2))
                    break
                }
            }
            result = found
        }
        return result.flatMap { DecimalNumber(rounding: $0, decimals: 2) }
    }

    /// True when votes exist but `combine` cannot compute what they come to (too large).
    public func overflows(_ votes: [Vote]) -> Bool {
        !votes.isEmpty && combine(votes) == nil
    }

    /// Why a field's votes disagree (`bob 2 .. alice 13, more than 2× apart`), or nil when they agree.
    public func disagreement(_ votes: [Vote]) -> String? {
        guard votes.count >= 2, let low = votes.min(by: { $0.value.fraction < $1.value.fraction }),
              let high = votes.max(by: { $0.value.fraction < $1.value.fraction }) else { return nil }
        let lowValue = low.value.fraction
        let highValue = high.value.fraction
        var reasons: [String] = []
        if let limit = lowValue.multiplied(by: ratio.fraction), highValue > limit, highValue > Fraction(0) {
            reasons.append("more than \(ratio)× apart")
        }
        let span = Self.step(of: highValue) - Self.step(of: lowValue)
        if span > steps { reasons.append("\(span) steps apart on the 1, 2, 3, 5, 8, 13, 20 scale") }
        guard !reasons.isEmpty else { return nil }
        return "\(low.name) \(low.value) .. \(high.name) \(high.value), " + reasons.joined(separator: " and ")
    }

    /// The step of the scale nearest a value (below 1 counts as the first step, above 20 as the last).
    static func step(of value: Fraction) -> Int {
        var best = 0
        var distance = Double.infinity
        for (k, point) in scale.enumerated() {
            let d = abs(value.doubleValue - Double(point))
            if d < distance {
                distance = d
                best = k
            }
        }
        return best
    }
}

/// What a story's votes for one field come to.
public struct VoteTally: Sendable, Equatable {
    /// The field voted on.
    public var field: FieldKey
    /// The votes, as written.
    public var votes: [Vote]
    /// Their weighted mean or median, rounded to two decimals; what strategies read.
    public var value: DecimalNumber
    /// How they were combined.
    public var aggregate: StakeholderPanel.Aggregate
    /// Why they disagree, when they do.
    public var disagreement: String?
    /// The weights of the votes, in order.
    public var weights: [DecimalNumber]

    /// "value 10 = weighted mean of alice 13 ×2, bob 4".
    public var explanation: String {
        let parts = zip(votes, weights).map { vote, weight in
            "\(vote.name) \(vote.value)" + (weight.fraction == Fraction(1) ? "" : " ×\(weight)")
        }
        return "\(field.rawValue) \(value) = weighted \(aggregate.rawValue) of " + parts.joined(separator: ", ")
    }
}

extension Result {
    var success: Success? {
        if case .success(let value) = self { value } else { nil }
    }
}
