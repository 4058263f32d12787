import Foundation
import Testing

/// The ID column of `prio rank`'s table (the second column; IDs hold no spaces).
func tableIDs(_ output: String) -> [String] {
    output.split(separator: "\n").dropFirst().map { line in
        String(line.split(separator: " ", omittingEmptySubsequences: true)[1])
    }
}

/// The Why column of a table row: everything after the score (which is followed by two spaces).
func tableWhy(_ line: Substring, score: String) -> String? {
    guard let range = line.range(of: " \(score)  ") else { return nil }
    return String(line[range.upperBound...])
}

@Suite("prio rank")
struct RankTests {
    static let doneInSample: Set<String> = ["S-1", "S-2", "S-3", "S-6", "S-7"]

    @Test("rank --strategy wsjf --top 3 prints the table with the explanations")
    func wsjfTopThree() throws {
        let box = try Sandbox()
        let sample = BacklogText(String(decoding: try box.initSample(), as: UTF8.self))
        let result = try box.run("rank", "--strategy", "wsjf", "--top", "3")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")

        // Expected from the sample's own numbers.
        let expected = Array(expectedWSJF(sample, includeDone: false).prefix(3))
        #expect(expected.map(\.id) == ["S-29", "S-22", "S-8"])
        #expect(expected.map { $0.score?.twoDecimals } == ["12.00", "6.20", "6.00"])
        let lines = result.stdout.split(separator: "\n")
        try #require(lines.count == 4, "\(result)")
        #expect(tableIDs(result.stdout) == expected.map(\.id))
        for (row, line) in zip(expected, lines.dropFirst()) {
            let score = try #require(row.score).twoDecimals
            #expect(line.hasPrefix("\(expected.firstIndex { $0.id == row.id }! + 1)  \(row.id) "))
            #expect(line.contains(row.title))
            // A long Why is cut to the width, with an ellipsis.
            let why = tableWhy(line, score: score) ?? ""
            if why.hasSuffix("…") {
                #expect(row.explanation.hasPrefix(String(why.dropLast())), "\(why) vs \(row.explanation)")
            } else {
                #expect(why == row.explanation)
            }
        }
        // S-8 depends on S-4, which WSJF ranks 7th: marked, and its explanation says so.
        #expect(expected[2].explanation == "WSJF 6.00 = (8 + 5 + 5) / 3, size from points; waits for S-4, ranked 7")

        // The whole output.
        #expect(result.stdout == """
            #  ID    Title                         Pts  Score  Why
            1  S-29  Cookie consent banner rework    2  12.00  WSJF 12.00 = (3 + 13 + 8) / 2, size from points
            2  S-22  GDPR data export                5   6.20  WSJF 6.20 = (5 + 13 + 13) / 5, size from points
            3  S-8   ⚠ PayPal refunds from admin     3   6.00  WSJF 6.00 = (8 + 5 + 5) / 3, size from points; waits for S-4, ranked…

            """)

        // The sample's header says "- strategy: wsjf", so that is the default.
        let byDefault = try box.run("rank", "--top", "3")
        #expect(byDefault.status == 0, "\(byDefault)")
        #expect(byDefault.stdout == result.stdout)
    }

    @Test("rank without --all leaves done stories out; --all includes them")
    func allIncludesDone() throws {
        let box = try Sandbox()
        let sample = BacklogText(String(decoding: try box.initSample(), as: UTF8.self))
        #expect(Set(sample.blocks.filter(\.isDone).map(\.id)) == Self.doneInSample)

        let open = try box.run("rank", "-s", "wsjf")
        #expect(open.status == 0, "\(open)")
        let openIDs = tableIDs(open.stdout)
        #expect(openIDs == expectedWSJF(sample, includeDone: false).map(\.id))
        #expect(openIDs.count == 31)
        #expect(Set(openIDs).isDisjoint(with: Self.doneInSample))

        let all = try box.run("rank", "-s", "wsjf", "--all")
        #expect(all.status == 0, "\(all)")
        let allIDs = tableIDs(all.stdout)
        #expect(allIDs == expectedWSJF(sample, includeDone: true).map(\.id))
        #expect(allIDs.count == 36)
        #expect(Self.doneInSample.isSubset(of: Set(allIDs)))
        // Unscored stories come last, in file order, each saying what it lacks; S-33 is pinned at 25.
        #expect(Array(allIDs.suffix(2)) == ["S-26", "S-36"])
        #expect(allIDs[24] == "S-33")
        for line in all.stdout.split(separator: "\n").suffix(2) {
            #expect(line.hasSuffix("  –  unscored: no size or points"))
        }
    }

    @Test("rank --format json has rank, id, title, score, explanation and the fields")
    func jsonFormat() throws {
        let box = try Sandbox()
        let sample = BacklogText(String(decoding: try box.initSample(), as: UTF8.self))
        let result = try box.run("rank", "--strategy", "wsjf", "--top", "3", "--format", "json")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")
        let json = try #require(try rankedStories(result.stdoutData))
        let expected = Array(expectedWSJF(sample, includeDone: false).prefix(3))
        try #require(json.count == 3)
        for (index, (object, row)) in zip(json, expected).enumerated() {
            let block = try #require(sample.block(row.id))
            #expect(object["rank"] as? Int == index + 1)
            #expect(object["id"] as? String == row.id)
            #expect(object["title"] as? String == row.title)
            let score = try #require(row.score)
            #expect(jsonNumber(object["score"]) == Double(score.n) / Double(score.d))
            #expect(object["explanation"] as? String == row.explanation)
            // Every field line of the story is there; numbers are numbers, lists are arrays.
            for (key, value) in block.fields {
                switch key {
                case "tags", "depends":
                    #expect(object[key] as? [String] == value.split(separator: ",").map {
                        $0.trimmingCharacters(in: .whitespaces)
                    }, "\(row.id) \(key)")
                case "status", "moscow", "sprint":
                    #expect(object[key] as? String == value, "\(row.id) \(key)")
                default:
                    let number = try #require(Ratio(parsing: value))
                    #expect(jsonNumber(object[key]) == Double(number.n) / Double(number.d), "\(row.id) \(key)")
                }
            }
            #expect(Set(object.keys) == Set(["rank", "id", "title", "score", "explanation", "description"]
                                            + block.fields.map(\.key)))
            #expect((object["description"] as? String)?.hasPrefix("As a ") == true)
        }
        #expect(json[2]["depends"] as? [String] == ["S-4"])
        #expect(jsonNumber(json[0]["confidence"]) == 100)
        #expect(jsonNumber(json[0]["effort"]) == 0.5)

        // Unscored stories have a null score.
        let all = try box.run("rank", "--format", "json", "--all")
        let allJSON = try #require(try rankedStories(all.stdoutData))
        #expect(allJSON.count == 36)
        #expect(allJSON.compactMap { $0["rank"] as? Int } == Array(1...36))
        let last = try #require(allJSON.last)
        #expect(last["id"] as? String == "S-36")
        #expect(last["score"] is NSNull)
        #expect(last["explanation"] as? String == "unscored: no size or points")

        // --top 0 is an empty array.
        let none = try box.run("rank", "--format", "json", "--top", "0")
        #expect(none.stdout == "{\n  \"strategy\": \"wsjf\",\n  \"vision\": null,\n  \"goal\": null,\n  \"stories\": []\n}\n")
    }

    @Test("rank --apply rewrites the order: ranking order for open stories, done ones keep their places")
    func apply() throws {
        let box = try Sandbox()
        let beforeText = String(decoding: try box.initSample(), as: UTF8.self)
        let before = BacklogText(beforeText)
        let ranking = expectedWSJF(before, includeDone: false).map(\.id)

        // The open stories fill the places open stories held, in ranking order.
        var rankingIterator = ranking.makeIterator()
        let expectedOrder = before.blocks.map { block in block.isDone ? block.id : rankingIterator.next()! }
        let moved = zip(before.ids, expectedOrder).filter { $0 != $1 }.count

        let plain = try box.run("rank", "--strategy", "wsjf")
        let result = try box.run("rank", "--strategy", "wsjf", "--apply")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == plain.stdout)
        #expect(result.stderr == "applied the wsjf order to backlog.md (\(moved) stories changed place)\n")

        let afterText = try box.text("backlog.md")
        let after = BacklogText(afterText)
        #expect(after.ids == expectedOrder)
        for (index, block) in before.blocks.enumerated() where block.isDone {
            #expect(after.ids[index] == block.id, "done story \(block.id) keeps position \(index + 1)")
        }
        #expect(after.blocks.filter { !$0.isDone }.map(\.id) == ranking)
        #expect(after.header == before.header)
        #expect(after.blockMultiset == before.blockMultiset)
        #expect(afterText.utf8.count == beforeText.utf8.count)

        // The manual order now equals the ranking, and applying again moves nothing.
        let manual = try box.run("rank", "--strategy", "manual")
        #expect(tableIDs(manual.stdout) == ranking)
        let again = try box.run("rank", "--strategy", "wsjf", "--apply")
        #expect(again.status == 0, "\(again)")
        #expect(again.stderr == "applied the wsjf order to backlog.md (0 stories changed place)\n")
        #expect(try box.text("backlog.md") == afterText)
    }

    @Test("rank with an unknown strategy is an error")
    func unknownStrategy() throws {
        let box = try Sandbox()
        let before = try box.initSample()
        let result = try box.run("rank", "--strategy", "coinflip", "--apply")
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr
                == "prio: error: unknown strategy 'coinflip' (known: manual, moscow, wsjf, value-effort, rice)\n")
        #expect(try box.read("backlog.md") == before)
    }
}
