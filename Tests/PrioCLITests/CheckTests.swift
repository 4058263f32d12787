import Foundation
import Testing

@Suite("prio check")
struct CheckTests {
    @Test("check says ok for the sample, with the one stakeholder disagreement it shows on purpose")
    func sampleIsOK() throws {
        let box = try Sandbox()
        let before = try box.initSample()
        let result = try box.run("check")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "backlog.md: ok: 36 stories (31 not done), 1 warnings\n")
        #expect(result.stderr.hasSuffix("warning: stakeholders disagree on value: bob 1 .. alice 4, more than 2× apart\n"), "\(result.stderr)")
        #expect(try box.read("backlog.md") == before)

        try box.initSample("other.md")
        let named = try box.run("check", "other.md")
        #expect(named.stdout == "other.md: ok: 36 stories (31 not done), 1 warnings\n")
        let viaEnvironment = try box.run("check", environment: ["PRIO_FILE": "other.md"])
        #expect(viaEnvironment.stdout == "other.md: ok: 36 stories (31 not done), 1 warnings\n")
    }

    /// A file with one of each kind of error; the comments give line and column.
    static let malformed = [
        "# Broken backlog",  // 1
        "",  // 2
        "- strategy: coinflip",  // 3: col 13 unknown strategy
        "",  // 4
        "## S-1 Première story ☕",  // 5
        "- value: lots",  // 6: col 10 not a number
        "- moscow: maybe",  // 7: col 11 unknown moscow
        "- points: 3",  // 8
        "",  // 9
        "## S-2 Second",  // 10
        "- depends: S-1, ☕, S-77",  // 11: col 17 not an ID, col 20 missing story (columns count characters)
        "- points: 3",  // 12
        "",  // 13
        "## S-1 Again",  // 14: col 4 duplicate ID
        "- effort: 1.5.2",  // 15: col 11 not a number
        "- confidence: 120%",  // 16: col 15 out of range
    ].joined(separator: "\n") + "\n"

    static let malformedErrors = """
        bad.md:3:13: error: unknown strategy 'coinflip' (known: manual, moscow, wsjf, value-effort, rice)
        bad.md:6:10: error: value must be a number like 5 or 0.5, got 'lots'
        bad.md:7:11: error: unknown MoSCoW value 'maybe' (use must, should, could or wont)
        bad.md:11:17: error: '☕' is not a story ID (like S-12)
        bad.md:11:20: error: S-2 depends on S-77, which is not in the backlog
        bad.md:14:4: error: duplicate ID S-1 (first used on line 5)
        bad.md:15:11: error: effort must be a number like 5 or 0.5, got '1.5.2'
        bad.md:16:15: error: confidence must be between 0% and 100%, got '120%'

        """

    @Test("check prints every error as path:line:col and fails")
    func malformedFile() throws {
        let box = try Sandbox()
        try box.write("bad.md", Self.malformed)
        let result = try box.run("check", "bad.md")
        #expect(result.status != 0, "\(result)")
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == Self.malformedErrors)
        #expect(try box.text("bad.md") == Self.malformed)
        #expect(try box.listing() == ["bad.md"])
    }

    @Test("other commands refuse a malformed file with the same errors and write nothing",
          arguments: [["rank", "bad.md"], ["set", "bad.md", "S-2", "points=5"], ["move", "bad.md", "S-2", "--top"],
                      ["add", "bad.md", "--title", "x"], ["export", "bad.md", "--format", "csv"]])
    func otherCommandsRefuse(arguments: [String]) throws {
        let box = try Sandbox()
        try box.write("bad.md", Self.malformed)
        let result = try box.run(arguments: arguments)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == Self.malformedErrors)
        #expect(try box.text("bad.md") == Self.malformed)
        #expect(try box.listing() == ["bad.md"])
    }

    @Test("check reports invalid UTF-8 at its line and column")
    func invalidUTF8() throws {
        let box = try Sandbox()
        var bytes = Data("# Bad\n\n## S-1 Caf".utf8)
        bytes.append(0xE9)  // Latin-1 é
        bytes.append(contentsOf: Data("\n- value: 1\n- tags: ä".utf8))
        bytes.append(0xFF)
        bytes.append(contentsOf: Data("\n".utf8))
        try box.write("latin1.md", bytes)
        let result = try box.run("check", "latin1.md")
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == """
            latin1.md:3:11: error: invalid UTF-8 (the file must be UTF-8 text)
            latin1.md:5:10: error: invalid UTF-8 (the file must be UTF-8 text)

            """)
        #expect(try box.read("latin1.md") == bytes)
    }

    @Test("check prints warnings on stderr and still succeeds")
    func warnings() throws {
        let box = try Sandbox()
        let text = "# W\n\n## S-1 One\n- Team: Blue\n- value: 3\n"
        try box.write("w.md", text)
        let result = try box.run("check", "w.md")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "w.md: ok: 1 stories (1 not done), 1 warnings\n")
        #expect(result.stderr
                == "w.md:4:3: warning: unknown field 'Team' (kept; declare it with '- fields: team' in the header to silence this)\n")
        #expect(try box.text("w.md") == text)
    }

    @Test("check of a missing file")
    func missingFile() throws {
        let box = try Sandbox()
        let result = try box.run("check", "nope.md")
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == "prio: error: nope.md does not exist (create it with 'prio init nope.md', or name a file)\n")
    }
}

/// The workflow in the header decides which status is done, for every command.
extension CheckTests {
    @Test("a declared workflow: check counts its last status as done and warns at an unknown one; rank leaves it out")
    func declaredWorkflow() throws {
        let box = try Sandbox()
        let text = """
            # Team

            - statuses: todo, ready, in-progress, review, shipped

            ## S-1 Shipped
            - status: shipped

            ## S-2 In review
            - status: review

            ## S-3 Typo
            - status: reveiw

            """
        try box.write("backlog.md", text)
        let check = try box.run("check")
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout == "backlog.md: ok: 3 stories (2 not done), 1 warnings\n")
        #expect(check.stderr == "backlog.md:12:11: warning: unknown status 'reveiw' (did you mean 'review'? "
                + "the workflow is todo, ready, in-progress, review, shipped)\n")
        let rank = try box.run("rank", "--format", "json")
        #expect(rank.status == 0, "\(rank)")
        #expect(!rank.stdout.contains("\"S-1\""))
        #expect(rank.stdout.contains("\"S-2\"") && rank.stdout.contains("\"S-3\""))
        #expect(try box.text("backlog.md") == text)
    }
}
