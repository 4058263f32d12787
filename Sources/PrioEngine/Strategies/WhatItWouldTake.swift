/// "What would it take for this story to move up?": for each numeric input of the strategy,
/// the value the story would need, all else equal, to pass the story directly above it, and
/// (given a plan) to make the sprint's cut line.
///
/// Every answer is checked by scoring (and re-planning) the changed story with the engine's own
/// rules, so a value that the strategy would refuse (an effort of 0, a confidence over 100 %)
/// or that would still leave the story behind is never offered: the answer is then "no value would".
public struct WhatItWouldTake: Sendable {
    /// One field's answer.
    public struct Threshold: Sendable, Hashable {
        /// The field as named in the story (`value`, `points`, a custom field).
        public var field: String
        /// Its value now, as written.
        public var now: String
        /// The value it would need, as a decimal; nil when no value would do.
        public var needs: String?
        /// `>`, `>=`, `<` or `<=`; nil when no value would do.
        public var op: String?

        /// `> 15`, `<= 4.61`, or `no value would`.
        public var text: String {
            guard let needs, let op else { return "no value would" }
            return "\(op) \(needs)"
        }
    }

    /// The story asked about and where it stands.
    public let entry: Ranking.Entry
    /// The entry directly above it, if any.
    public let above: Ranking.Entry?
    /// What each input would need to pass `above`.
    public let toPass: [Threshold]

    /// The answer for a story (by manual index) in a ranking; nil when the ranking leaves it out.
    public init?(storyIndex: Int, in ranking: Ranking) {
        guard let entry = ranking.entry(forStory: storyIndex) else { return nil }
        self.entry = entry
        above = entry.rank > 1 ? ranking.entries[entry.rank - 2] : nil
        if let above, let target = above.score.fraction, entry.score.fraction != nil {
            let wins = storyIndex < above.storyIndex
            toPass = Self.thresholds(for: ranking.backlog.stories[storyIndex], strategy: ranking.strategy,
                                     target: target, winsTies: wins)
        } else {
            toPass = []
        }
    }

    /// True when `score` ranks above `target` (equal scores go to the earlier story in manual order).
    static func passes(_ score: Fraction, _ target: Fraction, winsTies: Bool) -> Bool {
        score > target || (winsTies && score == target)
    }

    /// The numeric fields a strategy reads that the story has written (formulas: the fields named).
    static func inputs(of story: Story, strategy: any Strategy) -> [String] {
        let names: [String]
        if let formula = strategy as? FormulaStrategy {
            names = formula.expression.fields
        } else {
            names = strategy.inputs.filter { $0.isNumeric }.map(\.rawValue)
        }
        return names.filter { story.value(of: $0) != nil }
    }

    /// For each input: the value from which the story's score passes `target` (ties go to the
    /// story when `winsTies`), found by fitting the score as a function of that input, then
    /// confirmed by scoring and by `confirm` (a caller may re-plan). Inputs that do not change
    /// the score are left out.
    static func thresholds(for story: Story, strategy: any Strategy, target: Fraction, winsTies: Bool,
                           confirm: (Story) -> Bool = { _ in true }) -> [Threshold] {
        inputs(of: story, strategy: strategy).compactMap { field in
            threshold(field, of: story, strategy: strategy, target: target, winsTies: winsTies, confirm: confirm)
        }
    }

    /// The story with one field set to `value` (nil when the field refuses it).
    static func changed(_ story: Story, _ field: String, _ value: Fraction) -> Story? {
        guard let decimal = decimal(value) else { return nil }
        var copy = story
        guard (try? copy.setField(field, decimal)) != nil else { return nil }
        return copy
    }

    static func score(_ story: Story?, _ strategy: any Strategy) -> Fraction? {
        guard let story else { return nil }
        return strategy.score(story).fraction
    }

    static func threshold(_ field: String, of story: Story, strategy: any Strategy, target: Fraction, winsTies: Bool,
                          confirm: (Story) -> Bool) -> Threshold? {
        let good = { (score: Fraction) in passes(score, target, winsTies: winsTies) }
        guard let nowText = story.value(of: field), let now = parseStoredNumber(nowText)?.fraction else { return nil }
        let none = Threshold(field: field, now: nowText, needs: nil, op: nil)
        // Three samples fit score = (a·v + b) / (c·v + d); a fourth confirms the fit.
        let samples = [now, now.adding(Fraction(1)), now.adding(Fraction(2)), now.adding(Fraction(7))].compactMap { $0 }
        let scores = samples.map { score(changed(story, field, $0), strategy) }
        guard samples.count == 4, scores.allSatisfy({ $0 != nil }) else { return nil }
        let s = scores.map { $0! }
        if s[0] == s[1] && s[1] == s[2] && s[2] == s[3] { return nil }  // the field does not count (a fallback)
        guard let m = Mobius(fit: Array(samples.prefix(3)), Array(s.prefix(3))), m.value(at: samples[3]) == s[3] else {
            return none
        }
        guard let v = m.solve(target) else { return none }
        // Which side of v is good: a thousandth of it either way (close, so no pole lies between).
        let step = v.numerator == 0 ? Fraction(numerator: 1, denominator: 1000)
            : (v.divided(by: Fraction(1000)).map { $0.numerator < 0 ? (Fraction(0).subtracting($0) ?? $0) : $0 } ?? Fraction(1))
        guard let up = v.adding(step), let down = v.subtracting(step) else { return none }
        let increasing: Bool
        if let high = m.value(at: up), good(high) {
            increasing = true
        } else if let low = m.value(at: down), good(low) {
            increasing = false
        } else {
            return none
        }
        let atV = winsTies  // the boundary itself is good when ties go to the story
        let op = increasing ? (atV ? ">=" : ">") : (atV ? "<=" : "<")
        // Shown as an exact decimal where one is short, else rounded to cents on the safe side.
        let (shown, shownOp) = display(v, op: op)
        guard let candidateValue = candidate(shown, op: shownOp), let candidate = changed(story, field, candidateValue),
              let candidateScore = strategy.score(candidate).fraction, good(candidateScore), confirm(candidate) else {
            return none
        }
        return Threshold(field: field, now: nowText, needs: shown, op: shownOp)
    }

    /// A threshold as shown: exact with up to 4 decimals, else rounded to 2 decimals on the
    /// side that keeps it true (`> 34/3` becomes `>= 11.34`).
    static func display(_ v: Fraction, op: String) -> (String, String) {
        if let exact = decimal(v), (exact.split(separator: ".").last?.count ?? 0) <= 4 || !exact.contains(".") {
            return (exact, op)
        }
        let cents = v.multiplied(by: Fraction(100)) ?? v
        let floor = cents.numerator >= 0 ? cents.numerator / cents.denominator
            : -((-cents.numerator + cents.denominator - 1) / cents.denominator)
        let up = op.hasPrefix(">")
        let rounded = Fraction(numerator: up ? floor + 1 : floor, denominator: 100)
        return (decimal(rounded) ?? rounded.formatted, up ? ">=" : "<=")
    }

    /// A value that meets `op shown`: the number itself for >= and <=, a thousandth of it beyond
    /// for > and < (so `< 0.01` is tried with 0.00999, not with 0).
    static func candidate(_ shown: String, op: String) -> Fraction? {
        guard case .success(let number) = DecimalNumber.parse(Substring(shown)) else { return nil }
        let v = number.fraction
        let magnitude = v.numerator < 0 ? (Fraction(0).subtracting(v) ?? v) : v
        let step = v.numerator == 0 ? Fraction(numerator: 1, denominator: 1000) : (magnitude.divided(by: Fraction(1000)) ?? Fraction(1))
        switch op {
        case ">": return v.adding(step)
        case "<": return v.subtracting(step)
        default: return v
        }
    }

    /// An exact decimal for a fraction, when it has a finite one (at most 12 decimals).
    static func decimal(_ f: Fraction) -> String? {
        let text = MatrixReport.decimalText(f)
        guard case .success(let number) = DecimalNumber.parse(Substring(text)), number.fraction == f else { return nil }
        return text
    }
}

/// A score as a function of one input, `(a·v + b) / (c·v + d)`: what the built-in strategies
/// and most formulas are in each of their inputs.
struct Mobius {
    var a, b, c, d: Fraction

    /// The function through three points, if one is.
    init?(fit v: [Fraction], _ f: [Fraction]) {
        // Rows (v, 1, −f·v, −f) · (a, b, c, d) = 0; the null vector by cofactors.
        var rows: [[Fraction]] = []
        for i in 0..<3 {
            guard let fv = f[i].multiplied(by: v[i]) else { return nil }
            rows.append([v[i], Fraction(1), Fraction(0).subtracting(fv) ?? Fraction(0), Fraction(0).subtracting(f[i]) ?? Fraction(0)])
        }
        func det3(_ m: [[Fraction]]) -> Fraction? {
            func mul(_ x: Fraction, _ y: Fraction) -> Fraction? { x.multiplied(by: y) }
            guard let t1 = mul(m[1][1], m[2][2]), let t2 = mul(m[1][2], m[2][1]), let m1 = t1.subtracting(t2),
                  let t3 = mul(m[1][0], m[2][2]), let t4 = mul(m[1][2], m[2][0]), let m2 = t3.subtracting(t4),
                  let t5 = mul(m[1][0], m[2][1]), let t6 = mul(m[1][1], m[2][0]), let m3 = t5.subtracting(t6),
                  let p1 = mul(m[0][0], m1), let p2 = mul(m[0][1], m2), let p3 = mul(m[0][2], m3),
                  let s = p1.subtracting(p2)?.adding(p3) else { return nil }
            return s
        }
        var cofactors: [Fraction] = []
        for j in 0..<4 {
            let minor = rows.map { row in row.enumerated().filter { $0.offset != j }.map(\.element) }
            guard let value = det3(minor) else { return nil }
            cofactors.append(j % 2 == 0 ? value : (Fraction(0).subtracting(value) ?? value))
        }
        (a, b, c, d) = (cofactors[0], cofactors[1], cofactors[2], cofactors[3])
        if a.numerator == 0 && b.numerator == 0 && c.numerator == 0 && d.numerator == 0 { return nil }
    }

    func value(at v: Fraction) -> Fraction? {
        guard let n = a.multiplied(by: v)?.adding(b), let m = c.multiplied(by: v)?.adding(d), m.numerator != 0 else { return nil }
        return n.divided(by: m)
    }

    /// The input at which the function equals `t`, if one does.
    func solve(_ t: Fraction) -> Fraction? {
        guard let td = t.multiplied(by: d), let top = td.subtracting(b),
              let tc = t.multiplied(by: c), let bottom = a.subtracting(tc), bottom.numerator != 0 else { return nil }
        return top.divided(by: bottom)
    }
}

extension WhatItWouldTake {
    /// What it would take for a story to make a sprint's cut line.
    public struct SprintAnswer: Sendable {
        /// The sprint and its capacity.
        public var sprint: String
        public var capacity: DecimalNumber
        /// True when the plan takes the story already.
        public var alreadyIn: Bool
        /// Why no ranking value would help (blocked, unestimated, planned elsewhere), if so.
        public var obstacle: String?
        /// The last story above the cut line, which the story must pass.
        public var cutAfter: SprintPlan.Taken?
        /// What each input would need.
        public var thresholds: [Threshold]
    }

    /// The values that would bring a story (by manual index) above the cut line of `sprint`
    /// planned at `capacity` along `strategy`; each is confirmed by planning again.
    public static func toMakeSprint(storyIndex: Int, backlog: Backlog, strategy: any Strategy, sprint: String,
                                    capacity: DecimalNumber) throws(DependencyCycle) -> SprintAnswer {
        let plan = try Planner.plan(backlog, sprint: sprint, capacity: capacity, strategy: strategy)
        var answer = SprintAnswer(sprint: sprint, capacity: capacity, alreadyIn: false, obstacle: nil, cutAfter: nil, thresholds: [])
        if plan.selected.contains(where: { $0.storyIndex == storyIndex }) {
            answer.alreadyIn = true
            return answer
        }
        if let left = plan.below.first(where: { $0.storyIndex == storyIndex }) {
            switch left.reason {
            case .blockedBy, .noEstimate, .plannedIn:
                answer.obstacle = left.reason.description
                return answer
            case .didNotFit, .overCapacity:
                break
            }
        }
        guard let last = plan.selected.filter({ $0.rank != nil }).max(by: { ($0.rank ?? 0) < ($1.rank ?? 0) }),
              let target = last.score.fraction else {
            answer.obstacle = "the plan takes no ranked story"
            return answer
        }
        answer.cutAfter = last
        let story = backlog.stories[storyIndex]
        guard strategy.score(story).fraction != nil else {
            answer.obstacle = "it is unscored"
            return answer
        }
        answer.thresholds = thresholds(for: story, strategy: strategy, target: target, winsTies: storyIndex < last.storyIndex) { changed in
            var trial = backlog
            trial.replaceStory(at: storyIndex, with: changed)
            guard let replanned = try? Planner.plan(trial, sprint: sprint, capacity: capacity, strategy: strategy) else { return false }
            return replanned.selected.contains { $0.storyIndex == storyIndex }
        }
        return answer
    }
}
