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
}
