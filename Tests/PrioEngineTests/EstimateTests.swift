import PrioEngine
import Testing

/// The team's estimates (`points-votes`): kept like votes, never read as the points; a spread
/// flagged by the stakeholders' rule; names checked against `- team:`.
@Suite("Team estimates")
struct EstimateTests {
    static func backlog(estimates: String = "ana 3, ben 5, chen 13", team: String? = "ana, ben, chen", extra: String = "") -> String {
        """
        # Shop

        \(team.map { "- team: \($0)\n" } ?? "")- stakeholder: alice
        \(extra)
        ## S-1 Guest checkout
        - value: 8
        - time-criticality: 4
        - risk-reduction: 4
        - points: 4
        - points-votes: \(estimates)

        ## S-2 Search
        - value: 6
        - time-criticality: 2
        - risk-reduction: 1
        - points: 3

        """
    }

    @Test("Estimates never replace the points: WSJF reads the confirmed 4, not the estimates' mean 7")
    func estimatesDoNotOverridePoints() throws {
        let b = try load(Self.backlog())
        let story = b.stories[0]
        #expect(story.number(.points) == DecimalNumber(4))
        #expect(story.tally(for: .points) == nil)
        #expect(story.estimates.map(\.name) == ["ana", "ben", "chen"])
        let ranking = Ranking(b, strategy: WSJFStrategy())
        let entry = try #require(ranking.entries.first { $0.storyIndex == 0 })
        // (8 + 4 + 4) / 4 = 4 (the mean of 3, 5 and 13 would make it 16 / 7 = 2.29); S-2: (6 + 2 + 1) / 3 = 3.
        #expect(entry.score.fraction == Fraction(4))
        #expect(rankedIDs(ranking) == ["S-1", "S-2"])
        #expect(ranking.explanation(entry).hasPrefix("WSJF 4.00 = (8 + 4 + 4) / 4, size from points; the team estimated ana 3, ben 5, chen 13 (spread: ana 3 .. chen 13"))
        // Stakeholders' votes on value still replace the value, next to the estimates.
        var voted = b
        try voted.update(at: 0) { (s: inout Story) throws(FieldProblem) in try s.setVote(.value, by: "alice", DecimalNumber(2)) }
        #expect(voted.stories[0].number(.value) == DecimalNumber(2))
        #expect(voted.stories[0].number(.points) == DecimalNumber(4))
    }

    @Test("Spread, by the stakeholders' rule: 3 .. 13 is more than 2× and 3 steps apart; 3 .. 5 is neither")
    func spread() throws {
        let parsed = try BacklogParser.parse(Self.backlog(), path: "b.md")
        #expect(parsed.warnings.map(\.description) == [
            "b.md:11:17: warning: the team's estimates of points spread: ana 3 .. chen 13, more than 2× apart "
                + "and 3 steps apart on the 1, 2, 3, 5, 8, 13, 20 scale",
        ])
        #expect(parsed.backlog.disagreements(of: parsed.backlog.stories[0]) == [
            "points estimates: ana 3 .. chen 13, more than 2× apart and 3 steps apart on the 1, 2, 3, 5, 8, 13, 20 scale",
        ])
        // 3 and 5: 5 < 2 × 3 and one step apart (steps 2 and 3 of the scale).
        let close = try BacklogParser.parse(Self.backlog(estimates: "ana 3, ben 5"), path: "b.md")
        #expect(close.warnings.isEmpty)
        #expect(close.backlog.disagreements(of: close.backlog.stories[0]).isEmpty)
        // The header's stakeholder-spread is the rule: ratio 5 and steps 3 let 3 .. 13 pass.
        let relaxed = try BacklogParser.parse(Self.backlog(extra: "- stakeholder-spread: ratio 5 | steps 3\n"), path: "b.md")
        #expect(relaxed.warnings.isEmpty)
    }

    @Test("Names outside the team are located warnings; no team declared warns too")
    func namesChecked() throws {
        let zoe = try BacklogParser.parse(Self.backlog(estimates: "ana 3, zoe 3"), path: "b.md")
        #expect(zoe.warnings.map(\.description) == ["b.md:11:17: warning: estimate from 'zoe', not in the team (team: ana, ben, chen)"])
        // Any case names the member.
        #expect(try BacklogParser.parse(Self.backlog(estimates: "Ana 3, BEN 3"), path: "b.md").warnings.isEmpty)
        // A stakeholder is not a team member.
        let alice = try BacklogParser.parse(Self.backlog(estimates: "alice 3"), path: "b.md")
        #expect(alice.warnings.first?.description.contains("estimate from 'alice', not in the team") == true)
        let noTeam = try BacklogParser.parse(Self.backlog(estimates: "ana 3", team: nil), path: "b.md")
        #expect(noTeam.warnings.map(\.description) == [
            "b.md:10:17: warning: estimate from 'ana', not in the team (no team is declared: add '- team: ana, ben, chen' to the header)",
        ])
        // A bad score is a located error, like a vote's.
        #expect(errors(Self.backlog(estimates: "ana 3, ben lots")) == ["b.md:11:28: error: ben's vote: points must be a number like 5 or 0.5, got 'lots'"])
    }

    @Test("The team header: a name twice, an empty team, a name ending in a number are located errors")
    func teamHeader() throws {
        #expect(errors(Self.backlog(team: "ana, ben, Ana")) == ["b.md:3:19: error: 'Ana' is named twice in the team"])
        #expect(errors(Self.backlog(team: ",")) == ["b.md:3:9: error: a team names its members, like '- team: ana, ben, chen'"])
        #expect(errors(Self.backlog(team: "ana, ben 2")) == [
            "b.md:3:14: error: a team member's name holds no '|' or '=' and does not end in a number: 'ben 2'",
        ])
        #expect(try load(Self.backlog()).team.members == ["ana", "ben", "chen"])
    }

    @Test("Refusal: names outside the team, no team, negative or non-number estimates")
    func refusals() throws {
        let b = try load(Self.backlog())
        #expect(b.team.refusal(of: "ana") == nil)
        #expect(b.team.refusal(of: " CHEN ") == nil)
        #expect(b.team.refusal(of: "zoe") == "'zoe' is not in the team (team: ana, ben, chen)")
        #expect(try load(Self.backlog(team: nil)).team.refusal(of: "ana")
            == "no team is declared: add one to the header, like '- team: ana, ben, chen'")
        #expect(throws: FieldProblem.self) { try Team.estimate(parsing: "-2") }
        #expect(throws: FieldProblem.self) { try Team.estimate(parsing: "lots") }
        #expect(try Team.estimate(parsing: " 0.5 ") == DecimalNumber("0.5"))
        // A stakeholder cannot vote on points, with the hint to estimate.
        var story = b.stories[1]
        #expect(throws: FieldProblem.self) { try story.setVote(.points, by: "alice", DecimalNumber(3)) }
        #expect(story.value(of: "points-votes") == nil)
    }

    @Test("Setting estimates and confirming the points: one change, the round's estimates replace the old")
    func confirm() throws {
        var story = try load(Self.backlog()).stories[1]
        try story.setEstimate(by: "ana", DecimalNumber(5))
        try story.setEstimate(by: "ben", DecimalNumber(8))
        try story.setEstimate(by: "ana", DecimalNumber(3))
        #expect(story.value(of: "points-votes") == "ana 3, ben 8")
        #expect(story.number(.points) == DecimalNumber(3))
        try story.confirmPoints(DecimalNumber(5), estimates: [Vote(name: "chen", value: DecimalNumber(5))])
        #expect(story.number(.points) == DecimalNumber(5))
        #expect(story.value(of: "points-votes") == "chen 5")
        // A round without estimates keeps the earlier ones.
        try story.confirmPoints(DecimalNumber(8), estimates: [])
        #expect(story.value(of: "points-votes") == "chen 5")
        #expect(throws: FieldProblem.self) { try story.confirmPoints(DecimalNumber(-1), estimates: []) }
    }

    @Test("Suggested points: the median to the nearest step of 1, 2, 3, 5, 8, 13, 20")
    func suggested() {
        func votes(_ values: [Int]) -> [Vote] { values.enumerated().map { Vote(name: "m\($0.offset)x", value: DecimalNumber($0.element)) } }
        // Median 5.
        #expect(Team.suggestedPoints(votes([3, 5, 13])) == DecimalNumber(5))
        // Even count: (5 + 8) / 2 = 6.5, nearer 5 (1.5) than 8 (1.5)? A tie: the lower step, 5.
        #expect(Team.suggestedPoints(votes([3, 5, 8, 13])) == DecimalNumber(5))
        // (8 + 13) / 2 = 10.5: 2.5 from 8, 2.5 from 13: 8; (8 + 20) / 2 = 14: nearest 13.
        #expect(Team.suggestedPoints(votes([8, 13])) == DecimalNumber(8))
        #expect(Team.suggestedPoints(votes([8, 20])) == DecimalNumber(13))
        // Median 4: 1 from 3 and 1 from 5: the lower, 3. Median 0 stays 0, above 20 stays.
        #expect(Team.suggestedPoints(votes([4])) == DecimalNumber(3))
        #expect(Team.suggestedPoints(votes([0, 0, 1])) == DecimalNumber(0))
        #expect(Team.suggestedPoints(votes([40, 40])) == DecimalNumber(40))
        #expect(Team.suggestedPoints([]) == nil)
    }
}
