import Foundation
import Testing

@Suite("prio add")
struct AddTests {
    @Test("add prints the next ID and appends a canonical block")
    func appendsCanonicalBlock() throws {
        let box = try Sandbox()
        let before = try box.initSample()
        // Fields given out of order, with aliases and non-canonical spellings.
        let result = try box.run("add", "--title", "Gift cards", "sprint=Sprint 4", "Labels=gifts,payments",
                                 "Story Points=3", "Team=Blue", "moscow=S", "value=8", "status=Ready")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "S-37\n")
        #expect(result.stderr == "")
        let block = """

            ## S-37 Gift cards
            - status: ready
            - moscow: should
            - value: 8
            - points: 3
            - tags: gifts, payments
            - sprint: Sprint 4
            - Team: Blue

            """
        #expect(try box.text("backlog.md") == String(decoding: before, as: UTF8.self) + block)

        // The next story continues the numbering.
        let second = try box.run("add", "--title", "Another")
        #expect(second.status == 0, "\(second)")
        #expect(second.stdout == "S-38\n")
        #expect(try box.text("backlog.md") == String(decoding: before, as: UTF8.self) + block + "\n## S-38 Another\n")
    }

    @Test("add --description writes the description after the fields")
    func withDescription() throws {
        let box = try Sandbox()
        let before = try box.initSample()
        let result = try box.run("add", "--title", "  Gift wrap notes  ", "--description", "First line\nSecond line",
                                 "value=1", "time-criticality=2", "risk-reduction=3", "points=1")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "S-37\n")
        let expected = String(decoding: before, as: UTF8.self) + """

            ## S-37 Gift wrap notes
            - value: 1
            - time-criticality: 2
            - risk-reduction: 3
            - points: 1

            First line
            Second line

            """
        #expect(try box.text("backlog.md") == expected)
        // And the new story ranks with the others: (1 + 2 + 3) / 1 = 6.
        let rank = try box.run("rank", "--format", "json", "--top", "40")
        let json = try #require(try rankedStories(rank.stdoutData))
        let entry = try #require(json.first { $0["id"] as? String == "S-37" })
        #expect(jsonNumber(entry["score"]) == 6)
        #expect(entry["description"] as? String == "First line\nSecond line")
    }

    @Test("add takes the backlog file as the first argument")
    func namedFile() throws {
        let box = try Sandbox()
        try box.initSample("shop.md")
        let result = try box.run("add", "shop.md", "--title", "Named", "points=2")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "S-37\n")
        #expect(try box.text("shop.md").hasSuffix("\n## S-37 Named\n- points: 2\n"))
        #expect(!box.exists("backlog.md"))
    }

    @Test("add refuses bad input and leaves the file byte-identical", arguments: [
        (["points=abc"], "prio: error: points must be a number like 5 or 0.5, got 'abc'\n"),
        (["value=5", "confidence=120%"], "prio: error: confidence must be between 0% and 100%, got '120%'\n"),
        (["moscow=maybe"], "prio: error: unknown MoSCoW value 'maybe' (use must, should, could or wont)\n"),
        (["depends=S-99"], "prio: error: S-37 depends on S-99, which is not in the backlog\nnothing was written\n"),
        (["id=S-40"], "prio: error: IDs never change; add a new story instead\n"),
        (["value=1", "=5"], "prio: error: '=5' is not key=value\n"),
    ])
    func refusesBadFields(fields: [String], message: String) throws {
        let box = try Sandbox()
        let before = try box.initSample()
        let result = try box.run(arguments: ["add", "--title", "Broken"] + fields)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == message)
        #expect(try box.read("backlog.md") == before)
        #expect(try box.listing() == ["backlog.md"])
    }

    @Test("add refuses an empty title")
    func refusesEmptyTitle() throws {
        let box = try Sandbox()
        let before = try box.initSample()
        let result = try box.run("add", "--title", "   ", "value=3")
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == "prio: error: the title must not be empty\n")
        #expect(try box.read("backlog.md") == before)
    }

    @Test("add without a backlog file says how to make one")
    func missingFile() throws {
        let box = try Sandbox()
        let result = try box.run("add", "--title", "Nowhere")
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr
                == "prio: error: backlog.md does not exist (create it with 'prio init backlog.md', or name a file)\n")
        #expect(try box.listing() == [])
    }
}
