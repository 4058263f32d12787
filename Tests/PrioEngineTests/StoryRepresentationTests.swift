@testable import PrioEngine
import PropertyBased
import Testing

/// A story lives in two representations: read from a file it holds byte ranges of the file
/// (numbers in slots, a bit per known key), built or edited in memory it holds fields. Every
/// query must answer the same in both.
@Suite("A story read from bytes and one built from fields")
struct StoryRepresentationTests {
    private static let keys = [
        "value", "time-criticality", "risk-reduction", "points", "size", "effort", "reach", "impact",
        "confidence", "moscow", "status", "depends", "tags", "sprint", "pin", "goal", "colour", "Value",
    ]
    private static let values = [
        "0", "3", "13", "2.5", "0.25", "1234", "99999", "40%", "100%", "must", "Could", "wont", "todo",
        "in-progress", "done", "S-1", "S-1, S-2", "ux, checkout", "Sprint 4", "2", "Checkout", "red",
        "12345678901234567", "7 ", "日本語",
    ]

    /// Every query a strategy, a view or an export asks, as text.
    private func answers(_ story: Story) -> [String] {
        let n = story.numbers
        var out = [
            story.id.description, story.title, story.description, "\(story.status)", "\(String(describing: story.moscow))",
            "\(story.dependencies)", "\(story.tags)", "\(String(describing: story.pin))", "\(String(describing: story.goal))",
            "\(String(describing: story.points))",
            FieldKey.numericKeys.map { String(describing: n[$0]) }.joined(separator: ","),
            story.fields.map { "\($0.key)=\($0.value)" }.joined(separator: ";"),
        ]
        for key in FieldKey.allCases {
            out.append("\(key.rawValue): \(String(describing: story.value(of: key))) \(story.hasField(key)) "
                       + "\(String(describing: story.number(key)))")
        }
        for key in Self.keys { out.append("\(key): \(String(describing: story.value(of: key)))") }
        return out
    }

    @Test("For any fields a story can hold, every query answers the same both ways")
    func sameAnswers() async throws {
        // Each number is a key and a value: key = n / values.count, value = n % values.count.
        let pairs = Gen.int(in: 0...(Self.keys.count * Self.values.count - 1)).array(of: 0...8)
        await propertyCheck(count: 400, input: pairs) { codes in
            var backlog = try #require(try? BacklogParser.parse("# B\n\n- sprint: Sprint 4\n\n## S-1 One\n\n## S-2 Two\n").backlog)
            var built = Story(id: StoryID(prefix: "S", number: 7), title: "Seven 🎁")
            for code in codes {
                try? built.setField(Self.keys[code / Self.values.count], Self.values[code % Self.values.count])
            }
            built.setDescription("Some text.\n\n- [ ] a criterion")
            try backlog.append(built)
            let bytes = BacklogWriter.write(backlog)
            let read = try #require(try? BacklogParser.parse(bytes, path: "b.md").backlog.stories.last)
            #expect(answers(read) == answers(built), "\(String(decoding: bytes, as: UTF8.self))")
        }
    }
}
