import Foundation
import Testing

/// Numbers at their limits through the real binary (issue 24): refusals, never a trap and
/// never a file no command reads.
@Suite("prio at the limits of its numbers")
struct LimitsCLITests {
    static let topID = """
        # Team

        ## S-999999999999999999 Last
        - value: 1

        """

    @Test("add and import after S-999999999999999999 refuse; the file stays readable and unchanged")
    func noNineteenDigitID() throws {
        let box = try Sandbox()
        try box.write("backlog.md", Self.topID)
        let add = try box.run("add", "--title", "Another")
        #expect(add.status == 1)
        #expect(add.stderr.contains("no ID is left for a new story"), "\(add)")
        try box.write("in.csv", "Summary,Business Value\nImported,3\n")
        let imported = try box.run("import", "--from", "csv", "in.csv")
        #expect(imported.status == 1)
        #expect(imported.stderr.contains("in.csv:2:1: error: no ID is left for this story"), "\(imported)")
        #expect(try box.text("backlog.md") == Self.topID)
        #expect(try box.run("check").status == 0)
    }

    @Test("A formula reaching Int128.min over -1 leaves the story unscored with the reason (rank, compare, export)")
    func int128Formula() throws {
        let box = try Sandbox()
        try box.write("backlog.md", """
            # Team

            - formula: edge = value * points / size

            ## S-1 Edge
            - value: -9223372036854775808
            - points: 18446744073709551616
            - size: -1

            ## S-2 Plain
            - value: 3
            - points: 1
            - size: 1

            """)
        let rank = try box.run("rank", "--strategy", "edge")
        #expect(rank.status == 0, "\(rank)")
        #expect(rank.stdout.contains("S-2") && rank.stdout.contains("S-1"), "\(rank)")
        let why = try box.run("why", "S-1", "--strategy", "edge")
        #expect(why.stdout.contains("too large"), "\(why)")
        #expect(try box.run("compare").status == 0)
        #expect(try box.run("export", "--format", "csv", "--strategy", "edge").status == 0)
    }

    @Test("A header formula of 100,000 terms is a located error in every command, check included (no stack overflow)")
    func longChain() throws {
        let box = try Sandbox()
        try box.write("backlog.md", "# Team\n\n- formula: long = " + String(repeating: "1+", count: 100_000) + "1\n\n## S-1 A\n- value: 1\n")
        let check = try box.run("check")
        #expect(check.status == 1)
        #expect(check.stderr.contains("backlog.md:3:") && check.stderr.contains("longer than 2048 bytes"), "\(check)")
        let set = try box.run("set", "S-1", "value=2")
        #expect(set.status == 1)
    }

    @Test("PRIO_LOCK_TIMEOUT=inf, 1e300 or 99999999999999999 do not crash a command")
    func lockTimeoutEnvironment() throws {
        let box = try Sandbox()
        try box.write("backlog.md", Self.topID)
        for value in ["inf", "1e300", "99999999999999999", "nan"] {
            let rank = try box.run("rank", environment: ["PRIO_LOCK_TIMEOUT": value])
            #expect(rank.status == 0, "\(value): \(rank)")
            let set = try box.run("set", "S-999999999999999999", "value=2", environment: ["PRIO_LOCK_TIMEOUT": value])
            #expect(set.status == 0, "\(value): \(set)")
        }
    }

    /// Runs a command; true when it ended by itself (0 or 1), not by a signal or a trap.
    func endsCleanly(_ box: Sandbox, _ arguments: String...) throws -> Bool {
        let run = try box.run(arguments: arguments, environment: ["PRIO_TODAY": "2026-11-20"])
        return run.status == 0 || run.status == 1
    }

    @Test("A sprint named Sprint 9223372036854775807: forecast, plan, review, close-sprint and export end cleanly")
    func sprintNumberAtInt64Max() throws {
        let box = try Sandbox()
        try box.write("backlog.md", """
            # Team

            - sprint: Sprint 9223372036854775806 | capacity 10 | 2026-10-19 .. 2026-10-30
            - sprint: Sprint 9223372036854775807 | capacity 10 | 2026-11-02 .. 2026-11-13

            ## S-1 A
            - value: 3
            - points: 5
            - sprint: Sprint 9223372036854775807

            ## S-2 B
            - value: 2
            - points: 8

            """)
        #expect(try endsCleanly(box, "forecast"))
        #expect(try endsCleanly(box, "plan"))
        #expect(try endsCleanly(box, "review", "--sprint", "Sprint 9223372036854775807"))
        #expect(try endsCleanly(box, "export", "--format", "markdown"))
        let close = try box.run("close-sprint", "Sprint 9223372036854775807", "--carry-over", "next", environment: ["PRIO_TODAY": "2026-11-20"])
        #expect(close.status == 0, "\(close)")
        #expect(try box.run("check").status == 0)
        #expect(try box.text("backlog.md").contains("Sprint 9223372036854775807 + 1"))
    }

    @Test("close-sprint after a sprint ending 9999-12-19 writes a file that reads; 2026-02-30 is not a date")
    func datesAtTheEnd() throws {
        let box = try Sandbox()
        try box.write("backlog.md", """
            # Team

            - sprint: Sprint 1 | capacity 10 | 9999-12-06 .. 9999-12-19

            ## S-1 A
            - value: 3
            - points: 5
            - sprint: Sprint 1

            """)
        let close = try box.run("close-sprint", "Sprint 1", "--carry-over", "next", environment: ["PRIO_TODAY": "9999-12-20"])
        #expect(close.status == 0, "\(close)")
        let check = try box.run("check")
        #expect(check.status == 0, "\(check)")
        #expect(!(try box.text("backlog.md")).contains("10000-"))
        try box.write("feb.md", "# Team\n\n- sprint: Sprint 1 | capacity 10 | 2026-02-16 .. 2026-02-30\n\n## S-1 A\n")
        let february = try box.run("check", "feb.md")
        #expect(february.status == 1)
        #expect(february.stderr.contains("feb.md:3:"), "\(february)")
        let leap = try box.run("check", "feb.md", environment: [:])
        #expect(leap.status == 1)
        try box.write("leap.md", "# Team\n\n- sprint: Sprint 1 | capacity 10 | 2028-02-16 .. 2028-02-29\n\n## S-1 A\n")
        #expect(try box.run("check", "leap.md").status == 0)
    }

    @Test("A weight and a vote of 10^20 overflow: a located error in check, a refusal in vote, never a silent 0")
    func voteOverflow() throws {
        let box = try Sandbox()
        let big = "100000000000000000000"
        try box.write("votes.md", "# T\n\n- stakeholder: alice | weight \(big)\n\n## S-1 A\n- value-votes: alice \(big)\n")
        let check = try box.run("check", "votes.md")
        #expect(check.status == 1)
        #expect(check.stderr.contains("votes.md:6:16: error: these value votes times their stakeholders' weights are too large"), "\(check)")
        let plain = "# T\n\n- stakeholder: alice | weight \(big)\n\n## S-1 A\n- value: 3\n"
        try box.write("backlog.md", plain)
        let vote = try box.run("vote", "S-1", "value=\(big)", "--as", "alice")
        #expect(vote.status == 1)
        #expect(vote.stderr.contains("too large to combine"), "\(vote)")
        #expect(try box.text("backlog.md") == plain)
    }

    @Test("User text with a line break cannot forge a line on stderr (--as, a sprint name)")
    func noForgedLines() throws {
        let box = try Sandbox()
        try box.write("backlog.md", "# T\n\n- stakeholder: alice\n\n## S-1 A\n- value: 3\n")
        let vote = try box.run("vote", "S-1", "value=3", "--as", "x\nprio: error: fake")
        #expect(vote.status == 1)
        #expect(vote.stderr.split(separator: "\n").count == 1, "\(vote.stderr)")
        #expect(!vote.stderr.contains("\nprio: error: fake"))
        let close = try box.run("close-sprint", "Sprint\nprio: error: fake", "--carry-over", "backlog")
        #expect(close.stderr.split(separator: "\n").allSatisfy { !$0.hasPrefix("prio: error: fake") }, "\(close.stderr)")
    }

    @Test("JSON import per RFC 8259: \\u0000 is a valid escape; duplicate keys and lone surrogates are located errors")
    func jsonRFC8259() throws {
        let box = try Sandbox()
        try box.write("backlog.md", "# T\n")
        try box.write("dup.json", #"[{"title": "a", "value": 3, "title": "b"}]"#)
        let dup = try box.run("import", "--from", "json", "dup.json")
        #expect(dup.status == 1)
        #expect(dup.stderr == "dup.json:1:29: error: duplicate key \"title\" in one object\n", "\(dup)")
        try box.write("lone.json", #"[{"title": "a\ud800b"}]"#)
        let lone = try box.run("import", "--from", "json", "lone.json")
        #expect(lone.status == 1)
        #expect(lone.stderr.contains("lone.json:1:14: error: a lone surrogate"), "\(lone)")
        try box.write("low.json", #"[{"title": "\udc00"}]"#)
        #expect(try box.run("import", "--from", "json", "low.json").status == 1)
        #expect(try box.text("backlog.md") == "# T\n")
        try box.write("nul.json", #"[{"title": "a\u0000b", "value": 3}]"#)
        let nul = try box.run("import", "--from", "json", "nul.json")
        #expect(nul.status == 0, "\(nul)")
        #expect(try box.run("check").status == 0)
    }

    @Test("The matrix names stories too large to score as such, not as lacking a value or effort")
    func matrixTooLarge() throws {
        let box = try Sandbox()
        try box.write("backlog.md", """
            # T

            ## S-1 Huge
            - value: 999999999999999999999999999999
            - effort: 0.000000000000000000000000000001

            ## S-2 Plain
            - value: 3
            - effort: 1

            ## S-3 Bare

            """)
        let matrix = try box.run("matrix")
        #expect(matrix.status == 0, "\(matrix)")
        #expect(matrix.stdout.contains("unscored (no value, or no effort or points) (1): S-3"), "\(matrix.stdout)")
        #expect(matrix.stdout.contains("unscored (value / effort too large to score) (1): S-1"), "\(matrix.stdout)")
    }

    @Test("--top is one option with one check: each command refuses a count it cannot take, in the same words")
    func topCounts() throws {
        let box = try Sandbox()
        try box.initSample()
        let refused: [([String], String)] = [
            (["compare", "--top", "0"], "--top must be 1 or more"),
            (["report", "--top", "1001", "-o", "r.html"], "--top must be from 1 to 1000"),
            (["forecast", "--from-git", "--top", "0"], "--top must be 1 or more"),
            (["rank", "--top=-1"], "--top must be 0 or more"),
            (["export", "--format", "csv", "--top=-3"], "--top must be 0 or more"),
            (["ready", "--top=-2"], "--top must be 0 or more"),
        ]
        for (arguments, message) in refused {
            let result = try box.run(arguments: arguments)
            #expect(result.status == 64, "\(arguments): \(result)")
            #expect(result.stderr.contains(message), "\(arguments): \(result)")
        }
        #expect(!box.exists("r.html"))
        #expect(try box.run("rank", "--top", "3", "--format", "json").stdout.components(separatedBy: "\"rank\":").count == 4)
    }
}
