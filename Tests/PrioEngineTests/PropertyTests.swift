import PrioEngine
import PrioStorage
import PropertyBased
import Testing

/// Random stories: Unicode titles, empty and long values, Markdown descriptions.
private let titleGen = Gen.oneOf(
    Gen.letterOrNumber.string(of: 1...20),
    Gen.element(of: ["Café crème", "日本語のタイトル", "Gift 🎁 wrap", "Ünïcödé ✓", "a | b", "x * y"]).map { $0 ?? "x" }
)
private let descriptionGen = Gen.element(of: [
    "", "One line", "Para one\n\nPara two", "- a list\n- with: colon", "```\n## fenced\n```",
    "### Acceptance\n1. one\n2. two", String(repeating: "long ", count: 400), "## looks like a story",
    "tab\there", "trailing spaces   ",
]).map { $0 ?? "" }
private let numberGen = Gen.element(of: ["1", "0.5", "13", "", "100", "2.25", "0"]).map { $0 ?? "" }

@Suite("Properties")
struct PropertyTests {
    @Test("Random backlogs written and read back are equal")
    func roundTrip() async {
        await propertyCheck(count: 200, input: titleGen.array(of: 0...12), descriptionGen.array(of: 12...12),
                            numberGen.array(of: 12...12)) { titles, descriptions, numbers in
            var backlog = Backlog(name: "Random")
            for (i, title) in titles.enumerated() {
                var story = Story(id: backlog.nextID(), title: title)
                story.setDescription(descriptions[i])
                try? story.setField("value", numbers[i])
                try? story.setField("points", numbers[(i + 3) % numbers.count])
                try? story.setField("tags", title.count % 2 == 0 ? "a, b" : "")
                try? story.setField("Custom Key", numbers[(i + 5) % numbers.count])
                try? backlog.append(story)
            }
            let bytes = BacklogWriter.write(backlog)
            guard let reread = try? BacklogParser.parse(bytes, path: "r.md").backlog else {
                Issue.record("did not parse: \(String(decoding: bytes, as: UTF8.self))")
                return
            }
            #expect(reread.stories.map(\.id) == backlog.stories.map(\.id))
            #expect(reread.stories.map(\.title) == backlog.stories.map(\.title))
            #expect(reread.stories.map(\.description) == backlog.stories.map(\.description))
            #expect(reread.stories.map(\.values) == backlog.stories.map(\.values))
            #expect(reread.stories.map { $0.fields.map(\.value) } == backlog.stories.map { $0.fields.map(\.value) })
            // Reading and writing again is the identity.
            #expect(BacklogWriter.write(reread) == bytes)
        }
    }

    @Test("Random moves keep every block's bytes")
    func movesKeepBlocks() async throws {
        let original = try load(canonicalFixture + "\n## S-20 Extra\n- value: 1\n")
        await propertyCheck(count: 100, input: Gen.int(in: 0...3).array(of: 1...8), Gen.int(in: 0...3).array(of: 8...8)) { froms, tos in
            var backlog = original
            for (i, from) in froms.enumerated() { backlog.move(from: from, to: tos[i]) }
            let text = written(backlog)
            let reread = try? load(text)
            #expect(reread.map(ids) == ids(backlog))
            for story in backlog.stories {
                let block = BacklogWriter.canonicalBlock(story)
                #expect(text.contains(block.trimmingCharacters(in: .newlines)))
            }
        }
    }
}
