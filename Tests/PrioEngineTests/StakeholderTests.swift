import PrioEngine
import PrioStorage
import Testing

/// Stakeholder votes: worked examples of the weighted mean and median, the disagreement flag,
/// and how strategies, explanations and checks use them.
@Suite("Stakeholder votes")
struct StakeholderTests {
    static func backlog(aggregate: String? = nil, votes: String = "alice 13, bob 4", extra: String = "") -> String {
        """
        # Shop

        - stakeholder: alice | weight 2
        - stakeholder: bob
        \(aggregate.map { "- stakeholder-aggregate: \($0)\n" } ?? "")\(extra)
        ## S-1 Guest checkout
        - value: 5
        - time-criticality: 8
        - risk-reduction: 3
        - size: 4
        - value-votes: \(votes)

        ## S-2 Loyalty
        - value: 8
        - time-criticality: 3
        - risk-reduction: 1
        - size: 2

        """
    }

    @Test("Weighted mean: (13 × 2 + 4) / 3 = 10, which WSJF reads instead of the written 5, and says so")
    func weightedMean() throws {
        let b = try load(Self.backlog())
        let story = b.stories[0]
        #expect(story.number(.value) == DecimalNumber(10))
        #expect(story.tally(for: .value)?.explanation == "value 10 = weighted mean of alice 13 ×2, bob 4")
        let ranking = Ranking(b, strategy: WSJFStrategy())
        // (10 + 8 + 3) / 4 = 5.25 against (8 + 3 + 1) / 2 = 6.
        #expect(rankedIDs(ranking) == ["S-2", "S-1"])
        let entry = try #require(ranking.entries.first { $0.storyIndex == 0 })
        #expect(ranking.explanation(entry) == "WSJF 5.25 = (10 + 8 + 3) / 4; value 10 = weighted mean of alice 13 ×2, bob 4")
        // A mean that does not end is rounded to two decimals: (13 × 2 + 5) / 3 = 10.333...
        let uneven = try load(Self.backlog(votes: "alice 13, bob 5"))
        #expect(uneven.stories[0].number(.value)?.description == "10.33")
    }

    @Test("Weighted median: the value where the running weight passes half; exactly half takes the mean of the two")
    func weightedMedian() throws {
        // alice 13 (weight 2), bob 4 (weight 1): total 3, half 1.5; sorted 4 (1), 13 (3): 13.
        #expect(try load(Self.backlog(aggregate: "median")).stories[0].number(.value) == DecimalNumber(13))
        // Equal weights, two votes: half is reached exactly at the lower one: (4 + 13) / 2 = 8.5.
        let text = Self.backlog(aggregate: "median").replacingOccurrences(of: "alice | weight 2", with: "alice")
        let even = try load(text)
        #expect(even.stories[0].number(.value)?.description == "8.5")
        #expect(even.stories[0].tally(for: .value)?.explanation == "value 8.5 = weighted median of alice 13, bob 4")
    }

    @Test("Disagreement: more than twice apart, or more than two steps of 1, 2, 3, 5, 8, 13, 20")
    func disagreement() throws {
        let panel = try load(Self.backlog()).panel
        func votes(_ a: Int, _ b: Int) -> [Vote] { [Vote(name: "alice", value: DecimalNumber(a)), Vote(name: "bob", value: DecimalNumber(b))] }
        #expect(panel.disagreement(votes(5, 8)) == nil)
        #expect(panel.disagreement(votes(5, 10)) == nil)  // exactly twice: not more
        #expect(panel.disagreement(votes(5, 11)) == "alice 5 .. bob 11, more than 2× apart")
        #expect(panel.disagreement(votes(13, 4)) == "bob 4 .. alice 13, more than 2× apart and 3 steps apart on the 1, 2, 3, 5, 8, 13, 20 scale")
        #expect(panel.disagreement([Vote(name: "alice", value: DecimalNumber(3))]) == nil)
        // The check warns at the votes line, naming both ends.
        let parsed = try BacklogParser.parse(Self.backlog(), path: "b.md")
        #expect(parsed.warnings.map(\.description) == [
            "b.md:11:16: warning: stakeholders disagree on value: bob 4 .. alice 13, more than 2× apart and 3 steps apart on the 1, 2, 3, 5, 8, 13, 20 scale",
        ])
        #expect(parsed.backlog.stories[0].disagreements.count == 1)
        // A wider threshold from the header.
        let relaxed = try BacklogParser.parse(Self.backlog(extra: "- stakeholder-spread: ratio 4 | steps 3\n"), path: "b.md")
        #expect(relaxed.warnings.isEmpty)
    }

    @Test("Votes are checked: a bad score is a located error, an unknown voter a warning, a stakeholder twice an error")
    func checked() throws {
        #expect(errors(Self.backlog(votes: "alice 13, bob lots")) == ["b.md:11:30: error: bob's vote: value must be a number like 5 or 0.5, got 'lots'"])
        #expect(errors(Self.backlog(votes: "alice")).first?.contains("is not a vote: write NAME SCORE") == true)
        let carol = try BacklogParser.parse(Self.backlog(votes: "carol 3"), path: "b.md")
        #expect(carol.warnings.first?.description == "b.md:11:16: warning: vote from 'carol', not a stakeholder of the header (stakeholders: alice, bob)")
        #expect(errors(Self.backlog(extra: "- stakeholder: bob | weight 3\n")) == ["b.md:5:16: error: stakeholder 'bob' is declared twice"])
        #expect(errors(Self.backlog(extra: "- stakeholder: carol | weight 0\n")).first?.contains("is not a weight") == true)
        #expect(errors(Self.backlog(aggregate: "mode")).first?.contains("stakeholder-aggregate is mean or median") == true)
    }

    @Test("setVote writes one line per field, replaces a stakeholder's vote, removes it; the backlog follows")
    func setVote() throws {
        var b = try load(Self.backlog())
        let id = b.stories[1].id
        try b.update(id) { (story: inout Story) throws(FieldProblem) in try story.setVote(.value, by: "bob", DecimalNumber(2)) }
        #expect(b.stories[1].value(of: "value-votes") == "bob 2")
        #expect(b.stories[1].number(.value) == DecimalNumber(2))
        try b.update(id) { (story: inout Story) throws(FieldProblem) in try story.setVote(.value, by: "alice", DecimalNumber(5)) }
        #expect(b.stories[1].value(of: "value-votes") == "bob 2, alice 5")
        // (2 + 5 × 2) / 3 = 4.
        #expect(b.stories[1].number(.value) == DecimalNumber(4))
        try b.update(id) { (story: inout Story) throws(FieldProblem) in try story.setVote(.value, by: "bob", nil) }
        try b.update(id) { (story: inout Story) throws(FieldProblem) in try story.setVote(.value, by: "alice", nil) }
        #expect(b.stories[1].value(of: "value-votes") == nil)
        #expect(b.stories[1].number(.value) == DecimalNumber(8))
        // A weight changed in the header changes what the votes mean.
        try b.header.setSetting("stakeholder-aggregate", "median")
        #expect(b.stories[0].number(.value) == DecimalNumber(13))
        // Written and read back, the votes line is the same.
        let again = try load(written(b))
        #expect(again.stories[0].value(of: "value-votes") == "alice 13, bob 4")
        #expect(throws: FieldProblem.self) {
            var story = b.stories[0]
            try story.setVote(.confidence, by: "alice", DecimalNumber(150))
        }
    }
}
