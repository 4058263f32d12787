/// The team's estimates of a story's points: `- points-votes: ana 3, ben 5, chen 8`, written
/// by `prio estimate` and the estimation round (`#`). They are kept like votes but are never
/// read as the points: the points the product owner confirmed (`- points:`) are what
/// strategies, plans and forecasts read. A spread is flagged by the stakeholders' rule
/// (`stakeholder-spread`, `StakeholderPanel.disagreement`).
extension Story {
    /// The team's estimates (`points-votes`), as written; empty when none.
    public var estimates: [Vote] { votes(for: .points) }

    /// Sets or removes (`value` nil) one member's estimate; the value is checked as points.
    public mutating func setEstimate(by name: String, _ value: DecimalNumber?) throws(FieldProblem) {
        if let value { try Team.checkEstimate(value) }
        try setVoteLine(.points, by: name, value, panel: nil)
    }

    /// Confirms the agreed points with the round's estimates (the round replaces the earlier
    /// estimates; a round without any leaves them as they were): one change of the story.
    public mutating func confirmPoints(_ points: DecimalNumber, estimates: [Vote]) throws(FieldProblem) {
        try Team.checkEstimate(points)
        for estimate in estimates { try Team.checkEstimate(estimate.value) }
        try setField(FieldKey.points.rawValue, points.description)
        if !estimates.isEmpty { try setField(Vote.key(for: .points), Vote.text(estimates)) }
    }
}

extension Vote {
    /// Why a stakeholder may not vote on points.
    public static let pointsAreEstimates = "points are the team's estimate, not a stakeholder's vote: "
        + "use 'prio estimate ID --as NAME N' (or # on the screen), and 'prio set ID points=N' to confirm them"
}

extension Team {
    /// Refuses what cannot be an estimate of points: a value the points field refuses, or
    /// one below 0.
    public static func checkEstimate(_ value: DecimalNumber) throws(FieldProblem) {
        try FieldKey.points.check(value.description)
        if value.isNegative { throw FieldProblem("an estimate is 0 points or more, not \(value)") }
    }

    /// An estimate as typed (`prio estimate`, the round's prompts), checked by `checkEstimate`.
    public static func estimate(parsing text: String) throws(FieldProblem) -> DecimalNumber {
        let typed = text.trimmingASCIIWhitespace()
        guard let value = DecimalNumber(typed) else { throw FieldProblem("'\(typed)' is not a number of points") }
        try checkEstimate(value)
        return value
    }

    /// The estimates a round suggests agreeing on: their median (the mean of the middle two
    /// for an even count), rounded to the nearest step of the 1, 2, 3, 5, 8, 13, 20 scale
    /// (the lower step on a tie); 0 stays 0 and a median above 20 is kept as it is. Nil
    /// without estimates.
    public static func suggestedPoints(_ estimates: [Vote]) -> DecimalNumber? {
        // The median of the stakeholders' rule, with every estimate weighing the same.
        var plain = StakeholderPanel(header: BacklogHeader())
        plain.aggregate = .median
        guard let median = plain.combine(estimates) else { return nil }
        let value = median.fraction
        if value <= Fraction(0) || value > Fraction(StakeholderPanel.scale[StakeholderPanel.scale.count - 1]) { return median }
        return DecimalNumber(StakeholderPanel.scale[StakeholderPanel.step(of: value)])
    }

    /// Why a name may not estimate for this team, or nil when it names a member.
    public func refusal(of name: String) -> String? {
        if members.isEmpty {
            return "no team is declared: add one to the header, like '- team: ana, ben, chen'"
        }
        if member(name) != nil { return nil }
        return "'\(name)' is not in the team (team: \(members.joined(separator: ", ")))"
    }
}

extension Backlog {
    /// Where a story's numbers are disputed, one line each: the stakeholders' disagreements
    /// (`value: bob 4 .. alice 13, more than 2× apart`) and the spread of the team's
    /// estimates (`points estimates: ana 2 .. chen 13, ...`). The one list `prio rank`, the
    /// export and the screen's `≠` read.
    public func disagreements(of story: Story) -> [String] {
        guard story.hasVoteLines else { return [] }
        var out = story.disagreements
        if let spread = panel.disagreement(story.estimates) { out.append("points estimates: " + spread) }
        return out
    }

    /// The team this backlog's header declares.
    public var team: Team { Team(header: header) }
}
