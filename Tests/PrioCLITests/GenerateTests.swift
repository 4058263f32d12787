import Foundation
import Testing

@Suite("prio generate")
struct GenerateTests {
    @Test("generate writes a valid, deterministic backlog")
    func markdown() throws {
        let box = try Sandbox()
        let result = try box.run("generate", "--count", "40", "a.md")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == "wrote 40 stories to a.md\n")
        #expect(try box.run("generate", "--count", "40", "b.md").status == 0)
        #expect(try box.run("generate", "--count", "40", "--seed", "7", "c.md").status == 0)
        // The same seed gives the same bytes; another seed another file.
        #expect(try box.read("a.md") == (try box.read("b.md")))
        #expect(try box.read("a.md") != (try box.read("c.md")))

        let backlog = BacklogText(try box.text("a.md"))
        #expect(backlog.ids == (1...40).map { "S-\($0)" })
        let check = try box.run("check", "a.md")
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout.hasPrefix("a.md: ok: 40 stories ("))
        #expect(check.stdout.hasSuffix(" not done), 0 warnings\n"))
        #expect(check.stderr == "")

        // It ranks like any backlog: WSJF from its header.
        let rank = try box.run("rank", "a.md", "--format", "json", "--all")
        let json = try #require(try rankedStories(rank.stdoutData))
        #expect(json.count == 40)
        let expected = expectedWSJF(backlog, includeDone: true)
        #expect(json.compactMap { $0["id"] as? String } == expected.map(\.id))
        #expect(json.compactMap { $0["explanation"] as? String } == expected.map(\.explanation))
    }

    @Test("a backlog big enough to be mapped ranks, checks and applies as one that is read")
    func mappedSize() throws {
        let box = try Sandbox()
        #expect(try box.run("generate", "--count", "6000", "big.md").status == 0)
        // Over 1 MiB: the commands that only read map it (docs/ARCHITECTURE.md).
        #expect(try box.read("big.md").count > 1 << 20)
        let backlog = BacklogText(try box.text("big.md"))
        let rank = try box.run("rank", "big.md", "--format", "json", "--all")
        #expect(rank.status == 0, "\(rank.stderr)")
        let json = try #require(try rankedStories(rank.stdoutData))
        let expected = expectedWSJF(backlog, includeDone: true)
        #expect(json.compactMap { $0["id"] as? String } == expected.map(\.id))
        #expect(json.compactMap { $0["explanation"] as? String } == expected.map(\.explanation))
        let check = try box.run("check", "big.md")
        #expect(check.stdout.hasPrefix("big.md: ok: 6000 stories ("), "\(check)")
        // A command that writes reads the file, and the order it writes is the ranking's.
        let apply = try box.run("rank", "big.md", "--apply")
        #expect(apply.status == 0, "\(apply.stderr)")
        let done = Set(backlog.blocks.filter(\.isDone).map(\.id))
        let applied = BacklogText(try box.text("big.md")).ids.filter { !done.contains($0) }
        #expect(applied == expectedWSJF(backlog, includeDone: false).map(\.id))
    }

    @Test("generate --kind csv writes rows that import")
    func csv() throws {
        let box = try Sandbox()
        let before = try box.initSample()
        let result = try box.run("generate", "--kind", "csv", "--count", "25", "rows.csv")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "wrote 25 rows to rows.csv\n")
        let csv = try readCSV(try box.text("rows.csv"))
        #expect(csv.records.count == 26)
        #expect(csv.terminators.allSatisfy { $0 == "\r\n" })

        let imported = try box.run("import", "--from", "csv", "rows.csv")
        #expect(imported.status == 0, "\(imported)")
        #expect(imported.stdout == "imported 25 stories (S-37 ... S-61)\n")
        #expect(try box.read("backlog.md").prefix(before.count) == before)
        let check = try box.run("check")
        // The sample's one stakeholder disagreement is its only warning.
        #expect(check.stdout == "backlog.md: ok: 61 stories (56 not done), 1 warnings\n")
    }

    @Test("generate never overwrites a file")
    func refusesToOverwrite() throws {
        let box = try Sandbox()
        let before = try box.initSample()
        let result = try box.run("generate", "--count", "3", "backlog.md")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == "prio: error: backlog.md already exists; prio never overwrites it\n")
        #expect(try box.read("backlog.md") == before)
    }

    @Test("generate rejects a negative count without crashing", arguments: ["md", "csv"])
    func negativeCount(kind: String) throws {
        let box = try Sandbox()
        let result = try box.run("generate", "--kind", kind, "--count=-5", "out.\(kind)")
        // A usage error (exit 64, EX_USAGE) with a message: not a crash, not "wrote -5 ...".
        #expect(!result.crashed, "\(result)")
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("--count must be 0 or more"))
        #expect(!result.stderr.contains("Fatal error"))
        #expect(!result.stderr.contains("-5 stories") && !result.stderr.contains("-5 rows"))
        #expect(try box.listing() == [])
    }

    @Test("generate rejects an unknown --kind")
    func unknownKind() throws {
        let box = try Sandbox()
        let result = try box.run("generate", "--kind", "xml", "--count", "3", "out.xml")
        #expect(result.status != 0, "\(result)")
        #expect(result.stderr.contains("xml"))
        #expect(try box.listing() == [])
    }
}
