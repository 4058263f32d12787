import Foundation
import Testing

private let estimateFixture = """
# Shop

- prefix: S
- team: ana, ben, chen
- stakeholder: alice

## S-1 Guest checkout
- value: 8
- points: 5

## S-2 Search
- value: 3

"""

@Suite("prio estimate: the team's estimates from the command line")
struct EstimateCLITests {
    @Test("estimate writes one line of estimates, replaces a member's own, never changes the points")
    func writes() throws {
        let box = try Sandbox()
        try box.write("b.md", estimateFixture)
        let ana = try box.run("estimate", "b.md", "S-1", "--as", "ana", "3")
        #expect(ana.status == 0, "\(ana)")
        #expect(ana.stderr.hasPrefix("ana estimates S-1 at 3 points; the estimates: ana 3\n"))
        // The header's spelling of the name, whatever case is typed.
        #expect(try box.run("estimate", "b.md", "S-1", "--as", "CHEN", "13").status == 0)
        let again = try box.run("estimate", "b.md", "S-1", "--as", "ana", "5")
        #expect(again.stderr.contains("the estimates spread: ana 5 .. chen 13, more than 2× apart"), "\(again)")
        let block = BacklogText(try box.text("b.md")).block("S-1")
        #expect(block?.field("points") == "5")
        #expect(block?.field("points-votes") == "ana 5, chen 13")
        // Ranks read the confirmed points: value/effort 8 / 5 = 1.6, not 8 / 9 (the estimates' mean).
        let why = try box.run("why", "b.md", "S-1", "--strategy", "value-effort")
        #expect(why.stdout.contains("value/effort 1.60 = 8 / 5"), "\(why)")
        #expect(why.stdout.contains("the team estimated ana 5, chen 13"), "\(why)")
        // check warns about the spread at the estimates line (line 10, after '- points-votes: ').
        let check = try box.run("check", "b.md")
        #expect(check.status == 0)
        #expect(check.stderr.contains("b.md:10:17: warning: the team's estimates of points spread: ana 5 .. chen 13"), "\(check)")
        // The spread marks the story in prio rank and is in its JSON's disagreement array.
        let rank = try box.run("rank", "b.md", "--strategy", "value-effort")
        #expect(rank.stdout.contains("S-1  ≠ Guest checkout"), "\(rank)")
        let json = try box.run("rank", "b.md", "--strategy", "value-effort", "--format", "json")
        let object = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [String: Any])
        let first = try #require((object["stories"] as? [[String: Any]])?.first { $0["id"] as? String == "S-1" })
        let disagreement = try #require(first["disagreement"] as? [String])
        #expect(disagreement.count == 1 && disagreement[0].hasPrefix("points estimates: ana 5 .. chen 13, more than 2× apart"), "\(disagreement)")
        // Confirming is prio set.
        #expect(try box.run("set", "b.md", "S-1", "points=8").status == 0)
        #expect(BacklogText(try box.text("b.md")).block("S-1")?.field("points") == "8")
    }

    @Test("estimate refuses names outside the team, no team, bad numbers; nothing is written")
    func refuses() throws {
        let box = try Sandbox()
        try box.write("b.md", estimateFixture)
        let zoe = try box.run("estimate", "b.md", "S-1", "--as", "zoe", "3")
        #expect(zoe.status == 1)
        #expect(zoe.stderr == "prio: error: 'zoe' is not in the team (team: ana, ben, chen)\n")
        let stakeholder = try box.run("estimate", "b.md", "S-1", "--as", "alice", "3")
        #expect(stakeholder.status == 1)
        let lots = try box.run("estimate", "b.md", "S-1", "--as", "ana", "lots")
        #expect(lots.stderr == "prio: error: 'lots' is not a number of points\n")
        let negative = try box.run("estimate", "b.md", "S-1", "--as", "ana", "--", "-2")
        #expect(negative.status == 1)
        #expect(negative.stderr == "prio: error: an estimate is 0 points or more, not -2\n")
        #expect(try box.run("estimate", "b.md", "S-9", "--as", "ana", "3").status == 1)
        #expect(try box.text("b.md") == estimateFixture)
        try box.write("plain.md", estimateFixture.replacingOccurrences(of: "- team: ana, ben, chen\n", with: ""))
        let noTeam = try box.run("estimate", "plain.md", "S-1", "--as", "ana", "3")
        #expect(noTeam.status == 1)
        #expect(noTeam.stderr == "prio: error: no team is declared: add one to the header, like '- team: ana, ben, chen'\n")
    }

    @Test("vote refuses points with the hint to estimate; nothing is written")
    func voteRefusesPoints() throws {
        let box = try Sandbox()
        try box.write("b.md", estimateFixture)
        let vote = try box.run("vote", "b.md", "S-1", "--as", "alice", "value=3", "points=8")
        #expect(vote.status == 1)
        #expect(vote.stderr.contains("points are the team's estimate, not a stakeholder's vote: use 'prio estimate ID --as NAME N'"), "\(vote)")
        #expect(try box.text("b.md") == estimateFixture)
    }
}
