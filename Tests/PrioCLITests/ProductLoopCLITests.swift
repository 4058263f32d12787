import Foundation
import Testing

/// The product owner's loop from the command line: goal and vision, stakeholder votes,
/// forecasts with confidence and the sprint review.
@Suite("prio: goal, votes, confidence forecasts, sprint review")
struct ProductLoopCLITests {
    static let goals = """
        # Shop

        - vision: The easiest checkout in Europe
        - goal: Guests can pay without an account
        - strategy: wsjf

        ## S-1 Guest checkout
        - goal: guests can pay without an account
        - value: 8
        - time-criticality: 5
        - risk-reduction: 3
        - size: 2

        ## S-2 Loyalty points
        - value: 13
        - time-criticality: 8
        - risk-reduction: 3
        - size: 1

        ## S-3 Apple Pay for guests
        - goal: Guests can pay without an account
        - value: 5
        - time-criticality: 1
        - risk-reduction: 0
        - size: 3

        """

    func object(_ text: String) throws -> [String: Any]? {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    }

    @Test("vision and goal: above the rank and plan tables and Markdown, keys of their JSON; --goal filters, ranks stay global")
    func goalAndVision() throws {
        let box = try Sandbox()
        try box.write("b.md", Self.goals)
        let table = try box.run("rank", "b.md")
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.hasPrefix("Vision: The easiest checkout in Europe\nGoal: Guests can pay without an account\n\n#  ID"),
                "\(table.stdout)")
        let json = try #require(try object(try box.run("rank", "b.md", "--format", "json").stdout))
        #expect(json["vision"] as? String == "The easiest checkout in Europe")
        #expect(json["goal"] as? String == "Guests can pay without an account")
        #expect(json["strategy"] as? String == "wsjf")
        // WSJF: S-2 24, S-1 8, S-3 2. The goal's stories keep ranks 2 and 3.
        let serving = try #require(try rankedStories(try box.run("rank", "b.md", "--goal", "WITHOUT an account", "--format", "json").stdoutData))
        #expect(serving.map { $0["id"] as? String } == ["S-1", "S-3"])
        #expect(serving.map { $0["rank"] as? Int } == [2, 3])
        #expect(serving.first?["goal"] as? String == "guests can pay without an account")
        let top1 = try #require(try rankedStories(try box.run("rank", "b.md", "--goal", "without", "--top", "1", "--format", "json").stdoutData))
        #expect(top1.map { $0["id"] as? String } == ["S-1"])
        let none = try box.run("rank", "b.md", "--goal", "crypto")
        #expect(none.status == 0)
        #expect(!none.stdout.contains("S-"))

        let plan = try box.run("plan", "b.md", "--capacity", "3", "--sprint", "Sprint 1")
        #expect(plan.stdout.hasPrefix("Vision: The easiest checkout in Europe\nGoal: Guests can pay without an account\n\nSprint 1: capacity 3 pts"),
                "\(plan.stdout)")
        let planJSON = try #require(try object(try box.run("plan", "b.md", "--capacity", "3", "--sprint", "Sprint 1", "--format", "json").stdout))
        #expect(planJSON["vision"] as? String == "The easiest checkout in Europe")
        #expect(planJSON["goal"] as? String == "Guests can pay without an account")
        let planMarkdown = try box.run("plan", "b.md", "--capacity", "3", "--sprint", "Sprint 1", "--format", "markdown")
        #expect(planMarkdown.stdout.hasPrefix("## Sprint 1\n\n**Vision:** The easiest checkout in Europe  \n**Goal:** Guests can pay without an account\n\nCapacity"),
                "\(planMarkdown.stdout)")
        let export = try box.run("export", "b.md", "--format", "markdown")
        #expect(export.stdout.contains(".\n\n**Vision:** The easiest checkout in Europe  \n**Goal:** Guests can pay without an account\n\n| Rank"),
                "\(export.stdout)")
        // Without them, nothing is added.
        try box.write("c.md", "# Plain\n\n## S-1 One\n- value: 1\n")
        #expect(try box.run("rank", "c.md").stdout.hasPrefix("#  ID"))
        let plain = try #require(try object(try box.run("rank", "c.md", "--format", "json").stdout))
        #expect(plain["vision"] is NSNull && plain["goal"] is NSNull)
        // The settings are known: no warning.
        #expect(try box.run("check", "b.md").stderr == "")
    }

    static let history = """
        # Team

        - sprint: Sprint 1 | capacity 10 | 2026-10-05 .. 2026-10-16
        - sprint: Sprint 2 | capacity 10 | 2026-10-19 .. 2026-10-30
        - sprint: Sprint 3 | capacity 10 | 2026-11-02 .. 2026-11-13

        ## S-1 Done one
        - status: done
        - sprint: Sprint 1
        - points: 8

        ## S-2 Done two
        - status: done
        - sprint: Sprint 2
        - points: 12

        ## S-3 Done three
        - status: done
        - sprint: Sprint 3
        - points: 10

        ## S-4 Next
        - points: 5

        ## S-5 After
        - points: 8

        ## S-6 Later
        - points: 5

        ## S-7 Much later
        - points: 13

        """

    @Test("forecast --confidence: p50/p85/p95 per open story in JSON, repeatable with --seed; --by DATE draws the 85 % line")
    func confidence() throws {
        let box = try Sandbox()
        try box.write("b.md", Self.history)
        // The day after Sprint 3 ended: Sprint 4 on the cadence is the current sprint.
        let afterSprint3 = ["PRIO_TODAY": "2026-11-14"]
        let result = try box.run("forecast", "b.md", "--confidence", "--seed", "7", "--trials", "2000", "--format", "json", environment: afterSprint3)
        #expect(result.status == 0, "\(result)")
        let json = try #require(try object(result.stdout))
        #expect(json["trials"] as? Int == 2000 && json["seed"] as? Int == 7)
        let stories = try #require(json["stories"] as? [[String: Any]])
        #expect(stories.map { $0["id"] as? String } == ["S-4", "S-5", "S-6", "S-7"])
        // S-4 (5 points) always fits the first sprint after Sprint 3 (velocities 8, 12, 10).
        let first = try #require(stories.first)
        #expect((first["p95"] as? [String: Any])?["sprint"] as? String == "Sprint 4")
        #expect((first["p50"] as? [String: Any])?["end"] as? String == "2026-11-27")
        let again = try box.run("forecast", "b.md", "--confidence", "--seed", "7", "--trials", "2000", "--format", "json", environment: afterSprint3)
        #expect(again.stdout == result.stdout)
        let table = try box.run("forecast", "b.md", "--confidence", "--seed", "7", environment: afterSprint3)
        #expect(table.stdout.contains("S-4  Next          5  Sprint 4 (2026-11-27)  Sprint 4 (2026-11-27)  Sprint 4 (2026-11-27)"), "\(table.stdout)")
        #expect(table.stdout.contains("10000 trials drawing each sprint's velocity from 3 past sprints (8, 12, 10 pts); seed 7"))

        let by = try box.run("forecast", "b.md", "--by", "2026-12-11", "--seed", "7", "--format", "json", environment: afterSprint3)
        let byJSON = try #require(try object(by.stdout))
        #expect(byJSON["done"] as? [String] == ["S-4", "S-5"])
        let chances = try #require(byJSON["stories"] as? [[String: Any]])
        #expect(chances.map { $0["id"] as? String } == ["S-4", "S-5", "S-6", "S-7"])
        #expect(chances.map { $0["probability"] as? Double }.prefix(2) == [1, 1])
        let byTable = try box.run("forecast", "b.md", "--by", "2026-12-11", "--seed", "7", environment: afterSprint3)
        #expect(byTable.stdout.hasPrefix("Done by 2026-12-11 with 85 % confidence: 2 stories\n"), "\(byTable.stdout)")
        #expect(byTable.stdout.contains("── cut line (85 %)"))

        // Too short a history, and options that need --confidence.
        try box.write("c.md", "# C\n\n## S-1 One\n- points: 3\n")
        let short = try box.run("forecast", "c.md", "--confidence", environment: afterSprint3)
        #expect(short.status == 1)
        #expect(short.stderr.contains("needs the done points of at least 3 sprints that ended; this backlog has 0"), "\(short.stderr)")
        // The plain forecast has JSON too: the velocity, the history it comes from, every story.
        let plain = try #require(try object(try box.run("forecast", "b.md", "--format", "json", environment: afterSprint3).stdout))
        #expect(jsonNumber(plain["velocity"]) == 10)
        #expect((plain["history"] as? [[String: Any]])?.map { jsonNumber($0["points"]) } == [8, 12, 10])
        #expect((plain["stories"] as? [[String: Any]])?.first?["sprint"] as? String == "Sprint 4")
        #expect(try box.run("forecast", "b.md", "--by", "tomorrow", environment: afterSprint3).status != 0)
    }

    static let review = """
        # Team

        - sprint: Sprint 4 | capacity 20 | 2026-11-30 .. 2026-12-11

        ## S-1 Guest checkout
        - status: in-progress
        - sprint: Sprint 4
        - points: 5

        Guests pay without an account.

        - [x] card payment works
        - [ ] PayPal works
        * [ ] receipt by email

        ```
        - [ ] not a criterion: inside a code block
        ```

        ## S-2 Search
        - status: done
        - sprint: Sprint 4
        - points: 3

        - [X] finds by title

        ## S-3 Wishlist
        - sprint: Sprint 4
        - points: 8

        """

    @Test("review, start-sprint records the commitment once, accept (refused with unchecked criteria unless --force), reject with a dated reason, close-sprint records done and the day")
    func sprintReview() throws {
        let box = try Sandbox()
        try box.write("b.md", Self.review)
        let env = ["PRIO_TODAY": "2026-12-02"]
        let table = try box.run("review", "b.md", environment: env)
        #expect(table.stdout == """
            Sprint 4 (active): committed – · in it 16 · done 3 pts
            ████░░░░░░░░░░░░░░░░ 3/16 pts done
            (no commitment recorded yet: prio start-sprint "Sprint 4" records it)

            ID   Title           Status       Criteria  Pts
            S-1  Guest checkout  in-progress       1/3    5
            S-2  Search          done              1/1    3
            S-3  Wishlist        todo                –    8

            """, "\(table.stdout)")
        let started = try box.run("start-sprint", "b.md", "Sprint 4", environment: env)
        #expect(started.status == 0, "\(started)")
        #expect(started.stderr == "started Sprint 4 with 16 pts committed\n")
        #expect(try box.text("b.md").contains("- sprint: Sprint 4 | capacity 20 | 2026-11-30 .. 2026-12-11 | committed 16\n"))
        // Recorded once: starting again is refused and changes nothing.
        let twice = try box.run("start-sprint", "b.md", "Sprint 4", environment: env)
        #expect(twice.status == 1 && twice.stderr.contains("already started with 16 pts committed"))
        let json = try #require(try object(try box.run("review", "b.md", "--sprint", "Sprint 4", "--format", "json", environment: env).stdout))
        #expect(jsonNumber(json["committed"]) == 16 && jsonNumber(json["in_sprint"]) == 16 && jsonNumber(json["done"]) == 3)
        #expect(json["state"] as? String == "active")
        let stories = try #require(json["stories"] as? [[String: Any]])
        #expect(stories.first?["unchecked"] as? [String] == ["PayPal works", "receipt by email"])

        let before = try box.text("b.md")
        let refused = try box.run("accept", "b.md", "S-1")
        #expect(refused.status == 1)
        #expect(refused.stderr == "prio: error: S-1 has 2 unchecked criteria: 'PayPal works', 'receipt by email' (check them, or accept with --force)\n")
        #expect(try box.text("b.md") == before)
        let forced = try box.run("accept", "b.md", "S-1", "--force")
        #expect(forced.status == 0, "\(forced)")
        #expect(try box.text("b.md").contains("## S-1 Guest checkout\n- status: done\n"))

        let rejected = try box.run("reject", "b.md", "S-3", "--reason", "totals wrong with vouchers", environment: env)
        #expect(rejected.status == 0, "\(rejected)")
        #expect(try box.text("b.md").hasSuffix("## S-3 Wishlist\n- status: todo\n- points: 8\n\nRejected on 2026-12-02 in Sprint 4: totals wrong with vouchers\n"))
        #expect(try box.run("reject", "b.md", "S-2", "--reason", " ").status == 1)
        // Rejecting never rewrites what was committed.
        let afterReject = try box.run("review", "b.md", environment: env)
        #expect(afterReject.stdout.hasPrefix("Sprint 4 (active): committed 16 · in it 8 · done 8 pts\n"), "\(afterReject.stdout)")

        // Closing: S-3 back in the sprint, unfinished; it goes to the next sprint (none is planned:
        // a new one on the cadence), and the sprint's line records done points and the day.
        _ = try box.run("set", "b.md", "S-3", "sprint=Sprint 4")
        let closed = try box.run("close-sprint", "b.md", "Sprint 4", "--carry-over", "next", environment: ["PRIO_TODAY": "2026-12-11"])
        #expect(closed.status == 0, "\(closed)")
        #expect(closed.stderr == "closed Sprint 4: committed 16 pts, done 8 pts; moved S-3 to Sprint 5\n")
        let text = try box.text("b.md")
        #expect(text.contains("- sprint: Sprint 4 | capacity 20 | 2026-11-30 .. 2026-12-11 | committed 16 | done 8 | closed 2026-12-11\n"), "\(text)")
        #expect(text.contains("- sprint: Sprint 5 | capacity 20 | 2026-12-14 .. 2026-12-25\n"))
        #expect(text.contains("## S-3 Wishlist\n- status: todo\n- points: 8\n- sprint: Sprint 5\n") || text.contains("## S-3 Wishlist\n- status: todo\n- sprint: Sprint 5\n"), "\(text)")
        // Once closed, the figures stay: editing a story of the sprint changes nothing recorded.
        _ = try box.run("set", "b.md", "S-2", "points=13")
        let review = try #require(try object(try box.run("review", "b.md", "--sprint", "Sprint 4", "--format", "json", environment: env).stdout))
        #expect(jsonNumber(review["committed"]) == 16 && jsonNumber(review["done"]) == 8 && review["state"] as? String == "closed")
        let again = try box.run("close-sprint", "b.md", "Sprint 4", "--carry-over", "backlog")
        #expect(again.status == 1 && again.stderr == "prio: error: Sprint 4 is already closed (on 2026-12-11)\n")
        let unknown = try box.run("close-sprint", "b.md", "Sprint 9", "--carry-over", "next")
        #expect(unknown.status == 1 && unknown.stderr.contains("no sprint 'Sprint 9'"))
        #expect(try box.run("check", "b.md").status == 0)
    }

    static let stakeholders = """
        # Shop

        - stakeholder: alice | weight 2
        - stakeholder: bob
        - strategy: wsjf

        ## S-1 Guest checkout
        - value: 5
        - time-criticality: 8
        - risk-reduction: 3
        - size: 4

        ## S-2 Loyalty
        - value: 8
        - time-criticality: 3
        - risk-reduction: 1
        - size: 2

        """

    @Test("vote stores one line per field, refuses undeclared stakeholders; rank reads the weighted mean, flags disagreement")
    func vote() throws {
        let box = try Sandbox()
        try box.write("b.md", Self.stakeholders)
        let alice = try box.run("vote", "b.md", "S-1", "--as", "alice", "value=13", "time-criticality=8")
        #expect(alice.status == 0, "\(alice)")
        let bob = try box.run("vote", "b.md", "S-1", "--as", "bob", "value=4")
        #expect(bob.stderr.contains("value 10 = weighted mean of alice 13 ×2, bob 4 (stakeholders disagree: bob 4 .. alice 13"), "\(bob.stderr)")
        #expect(try box.text("b.md").contains("- size: 4\n- value-votes: alice 13, bob 4\n- time-criticality-votes: alice 8\n"))
        let carol = try box.run("vote", "b.md", "S-1", "--as", "carol", "value=1")
        #expect(carol.status == 1)
        #expect(carol.stderr == "prio: error: 'carol' is not a stakeholder of this backlog; stakeholders: alice, bob (add one with '- stakeholder: carol' in the header)\n")
        #expect(try box.run("vote", "b.md", "S-1", "--as", "bob", "status=5").status == 1)
        #expect(try box.run("vote", "b.md", "S-1", "--as", "bob", "confidence=150").status == 1)

        let rank = try box.run("rank", "b.md", environment: ["COLUMNS": "200"])
        // (10 + 8 + 3) / 4 = 5.25: S-2 (6.00) first.
        #expect(rank.stdout.contains("2  S-1  ≠ Guest checkout        5.25  WSJF 5.25 = (10 + 8 + 3) / 4; value 10 = weighted mean of alice 13 ×2, bob 4; time-criticality 8 = weighted mean of alice 8 ×2"), "\(rank.stdout)")
        let json = try #require(try rankedStories(try box.run("rank", "b.md", "--format", "json").stdoutData))
        #expect(json[1]["disagreement"] as? [String] == ["value: bob 4 .. alice 13, more than 2× apart and 3 steps apart on the 1, 2, 3, 5, 8, 13, 20 scale"])
        let check = try box.run("check", "b.md")
        #expect(check.stderr.contains("warning: stakeholders disagree on value: bob 4 .. alice 13"), "\(check.stderr)")
        // Removing a vote.
        _ = try box.run("vote", "b.md", "S-1", "--as", "bob", "value=")
        #expect(try box.text("b.md").contains("- value-votes: alice 13\n"))
    }
}
