import Foundation
import Testing

/// `prio export --format json` writes a story's own fields as the file has them, and what prio
/// computes (the stakeholders' aggregate, disagreement, rank, score) under keys of its own;
/// `prio import --from json` of that export gives back the same stories.
@Suite("JSON export and import round trip")
struct JSONRoundTripTests {
    /// The bundled sample with two stakeholders, votes that disagree on one story, a vote on
    /// another and a pin; returns the sandbox and the two stories voted on.
    func sampleWithVotes() throws -> (box: Sandbox, disagreed: String, voted: String) {
        let box = try Sandbox()
        try box.initSample()
        var lines = linesKeepingEnds(try box.text("backlog.md"))
        let firstSetting = try #require(lines.firstIndex { $0.hasPrefix("- ") })
        lines.insert(contentsOf: ["- stakeholder: quinn | weight 2\n", "- stakeholder: rory\n"], at: firstSetting)
        try box.write("backlog.md", lines.joined())
        let open = BacklogText(try box.text("backlog.md")).blocks.filter { !$0.isDone }
        #expect(open.count >= 3)
        let (disagreed, voted, pinned) = (open[0].id, open[1].id, open[2].id)
        for arguments in [["vote", disagreed, "--as", "quinn", "value=13"], ["vote", disagreed, "--as", "rory", "value=2"],
                          ["vote", voted, "--as", "rory", "time-criticality=5"], ["pin", pinned, "1", "--reason", "board promise"]] {
            let result = try box.run(arguments: arguments)
            try #require(result.status == 0, "\(result)")
        }
        return (box, disagreed, voted)
    }

    /// The header of a backlog file: everything before the first story.
    func header(_ text: String) -> String { BacklogText(text).header }

    /// The warnings of `prio check`, without file and line.
    func warnings(_ box: Sandbox, _ name: String) throws -> [String] {
        try box.run("check", name).stderr.split(separator: "\n").compactMap { line in
            line.range(of: ": warning: ").map { String(line[$0.upperBound...]) }
        }.filter { !$0.hasPrefix("prio: note") }
    }

    @Test("value is the product owner's own; the aggregate and the disagreement have keys of their own; CSV agrees")
    func ownValues() throws {
        let (box, disagreed, voted) = try sampleWithVotes()
        let file = BacklogText(try box.text("backlog.md"))
        let stories = try #require(try JSONSerialization.jsonObject(with: try box.run("export", "--format", "json", "--all").stdoutData) as? [[String: Any]])
        let story = try #require(stories.first { $0["id"] as? String == disagreed })
        let own = try #require(file.block(disagreed)?.field("value"))
        #expect(jsonNumber(story["value"]) == Double(own))
        // (13 × 2 + 2) / 3 = 9.33
        #expect(jsonNumber(story["value_aggregate"]) == 9.33)
        #expect(story["value-votes"] as? String == "quinn 13, rory 2")
        #expect((story["disagreement"] as? [String])?.first?.hasPrefix("value: rory 2 .. quinn 13") == true)
        let other = try #require(stories.first { $0["id"] as? String == voted })
        #expect(jsonNumber(other["time-criticality_aggregate"]) == 5)
        #expect(jsonNumber(other["time-criticality"]) == file.block(voted)?.field("time-criticality").flatMap(Double.init))
        #expect(other["value_aggregate"] == nil && other["disagreement"] == nil)
        // CSV's value column is the same: the product owner's.
        let csv = try parseCSV(try box.run("export", "--format", "csv", "--all").stdout)
        let column = try #require(csv.first?.firstIndex(of: "value"))
        let row = try #require(csv.first { $0[1] == disagreed })
        #expect(row[column] == own)
    }

    @Test("import of prio's own JSON into the same header gives back the same stories, with no new warning",
          arguments: ["manual", "wsjf"])
    func roundTrip(strategy: String) throws {
        let (box, _, _) = try sampleWithVotes()
        let original = try box.text("backlog.md")
        let export = try box.run("export", "--format", "json", "--all", "--strategy", strategy, "-o", "out.json")
        #expect(export.status == 0, "\(export)")
        try box.write("copy.md", header(original))
        let imported = try box.run("import", "copy.md", "--from", "json", "out.json")
        #expect(imported.status == 0, "\(imported)")
        #expect(imported.stderr == "", "no import warning: \(imported.stderr)")
        let copy = try box.text("copy.md")
        #expect(header(copy) == header(original), "the header is not changed (no '- fields:' for prio's own keys)")
        // The same stories, block for block; JSON carries confidence as a number (80 for 80%).
        let expected = BacklogText(original.replacing(/(?m)^(- confidence: [0-9.]+)%$/) { $0.output.1 })
        let got = BacklogText(copy)
        if strategy == "manual" {
            #expect(got.ids == expected.ids)
        }
        #expect(got.blockMultiset == expected.blockMultiset)
        #expect(try warnings(box, "copy.md").sorted() == (try warnings(box, "backlog.md")).sorted())
    }
}
