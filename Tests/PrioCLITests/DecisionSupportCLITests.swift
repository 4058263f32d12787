import Foundation
import Testing

/// prio compare, prio matrix, prio why: the shapes the issue names, read back as JSON.
@Suite("prio compare, matrix and why")
struct DecisionSupportCLITests {
    static let backlog = """
        # Four

        - sprint: Sprint 1 | capacity 6
        - formula: up = value

        ## S-1 One
        - value: 1
        - effort: 4
        - points: 3

        ## S-2 Two
        - value: 2
        - effort: 3
        - points: 3

        ## S-3 Three
        - value: 3
        - effort: 2
        - points: 3

        ## S-4 Four
        - value: 4
        - effort: 1
        - points: 3

        ## S-5 Done
        - status: done
        - value: 9
        - effort: 1

        """

    func json(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8))
    }

    @Test("compare --format json: strategies, every non-done story with 1-based ranks, pairs with tau and overlap")
    func compareJSON() throws {
        let box = try Sandbox()
        try box.write("b.md", Self.backlog)
        let result = try box.run("compare", "b.md", "--strategies", "manual,up", "--top", "2", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let object = try #require(try json(result.stdout) as? [String: Any])
        #expect(object["strategies"] as? [String] == ["manual", "up"])
        let stories = try #require(object["stories"] as? [[String: Any]])
        #expect(stories.map { $0["id"] as? String } == ["S-1", "S-2", "S-3", "S-4"])
        #expect(stories.map { ($0["ranks"] as? [String: Int])?["up"] } == [4, 3, 2, 1])
        let pairs = try #require(object["pairs"] as? [[String: Any]])
        #expect(pairs.count == 1)
        #expect(pairs[0]["a"] as? String == "manual" && pairs[0]["b"] as? String == "up")
        #expect(pairs[0]["kendall_tau"] as? Double == -1)
        #expect(pairs[0]["top_overlap"] as? Int == 0 && pairs[0]["top"] as? Int == 2)
        let all = try box.run("compare", "b.md", "--all", "--format", "json")
        #expect((try json(all.stdout) as? [String: Any])?["stories"].map { ($0 as? [Any])?.count } == 5)
        let table = try box.run("compare", "b.md", "--strategies", "manual,up", "--top", "2")
        #expect(table.stdout.hasPrefix("ID   Title  manual    up\nS-1  One         1  4 ▼3\nS-2  Two         2  3 ▼1\n\n"), "\(table.stdout)")
        #expect(table.stdout.contains("manual · up      tau -1.00  top-2 overlap 0/2"), "\(table.stdout)")
        let bad = try box.run("compare", "b.md", "--strategies", "wsjf,wsfj")
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("unknown strategy 'wsfj' (did you mean 'wsjf'?)"), "\(bad.stderr)")
    }

    @Test("matrix --format json: medians and quadrants; rank --strategy value-effort has the quadrant too")
    func matrixJSON() throws {
        let box = try Sandbox()
        try box.write("b.md", Self.backlog)
        let result = try box.run("matrix", "b.md", "--format", "json")
        let object = try #require(try json(result.stdout) as? [String: Any])
        #expect(object["x"] as? String == "effort" && object["y"] as? String == "value")
        #expect(object["x_median"] as? Double == 2.5 && object["y_median"] as? Double == 2.5)
        let quadrants = try #require(object["quadrants"] as? [String: [String]])
        #expect(quadrants == ["quick win": ["S-4", "S-3"], "big bet": [], "fill-in": [], "money pit": ["S-2", "S-1"]])
        let text = try box.run("matrix", "b.md")
        #expect(text.stdout.contains("quick win (2): S-4, S-3\n"))
        #expect(text.stdout.contains("value ▲\n"))
        let rank = try box.run("rank", "b.md", "--strategy", "value-effort", "--format", "json")
        let entries = try #require(try rankedStories(rank.stdoutData))
        #expect(entries.map { $0["quadrant"] as? String } == ["quick win", "quick win", "money pit", "money pit"])
        let table = try box.run("rank", "b.md", "--strategy", "value-effort")
        #expect(table.stdout.hasPrefix("#  ID   Title  Pts  Score  Quadrant   Why\n1  S-4  Four     3   4.00  quick win"), "\(table.stdout)")
    }

    @Test("why --format json: rank, score, the story above, thresholds with op; --sprint adds the cut line's")
    func whyJSON() throws {
        let box = try Sandbox()
        try box.write("b.md", Self.backlog)
        let result = try box.run("why", "b.md", "S-2", "--strategy", "up", "--sprint", "Sprint 1", "--format", "json")
        #expect(result.status == 0, "\(result)")
        let object = try #require(try json(result.stdout) as? [String: Any])
        #expect(object["id"] as? String == "S-2" && object["strategy"] as? String == "up")
        #expect(object["rank"] as? Int == 3 && object["score"] as? Int == 2)
        #expect((object["above"] as? [String: Any])?["id"] as? String == "S-3")
        let toPass = try #require(object["to_pass"] as? [[String: Any]])
        #expect(toPass.count == 1)
        #expect(toPass[0]["field"] as? String == "value" && toPass[0]["now"] as? Int == 2)
        #expect(toPass[0]["needs"] as? Int == 3 && toPass[0]["op"] as? String == ">=")
        let sprint = try #require(object["to_make_sprint"] as? [[String: Any]])
        #expect(sprint.first?["needs"] as? Int == 3 && sprint.first?["op"] as? String == ">=")
        let text = try box.run("why", "b.md", "S-2", "--strategy", "up")
        #expect(text.stdout == """
            S-2 Two: rank 3 of 4 by up (formula), score 2.00
              up 2.00 = 2
            Directly above: S-3 Three, score 3.00
            To pass S-3, all else equal (an equal score is enough: S-2 comes first in the manual order):
              value  2 → >= 3

            """)
        let missing = try box.run("why", "b.md", "S-9")
        #expect(missing.stderr == "prio: error: no story with ID S-9 (did you mean S-5?)\n")
    }
}
