@testable import PrioEngine
@testable import PrioStorage
import Foundation
import Testing

/// A loaded story keeps its field lines in the file's bytes until a field is asked for; these
/// check that what it reads from them is what a story holding its fields would say.
@Suite("Field lines read from the file")
struct FieldLinesTests {
    static let text = """
        # Fields

        - fields: customer

        ## S-1 Checkout
        - Value: 13
        - time criticality: 8
        - confidence: 80%
        - tags: payments, web
        - depends: S-2
        - Customer: ACME Corp\u{0D}two

        The description.

        ## S-2 Search
        - points: 3

        """

    @Test("Names, values, numbers and the custom-field bit match a story given the same fields one by one")
    func sameAsStored() throws {
        let backlog = try load(Self.text)
        let loaded = backlog.stories[0]
        var made = Story(id: StoryID(prefix: "S", number: 1), title: "Checkout")
        // In another order: a new field goes to its place in the canonical order, as in the file.
        for (key, value) in [("Customer", "ACME Corp two"), ("value", "13"), ("depends", "S-2"),
                             ("time-criticality", "8"), ("confidence", "80%"), ("tags", "payments, web")] {
            try made.setField(key, value)
        }
        made.setDescription("The description.")
        #expect(loaded.fields.map(\.rawKey) == ["value", "time-criticality", "confidence", "tags", "depends", "Customer"])
        #expect(loaded.fields.map(\.value) == made.fields.map(\.value))
        #expect(loaded.fields.map(\.value)[5] == "ACME Corp two")
        #expect(loaded == made)
        #expect(loaded.value(of: "customer") == "ACME Corp two")
        #expect(loaded.value(of: .timeCriticality) == "8")
        #expect(loaded.number(.confidence) == DecimalNumber(80))
        #expect(loaded.numbers(.all).value == DecimalNumber(13))
        #expect(loaded.numbers(.all)[.timeCriticality] == DecimalNumber(8))
        #expect(loaded.numbers(.all)[.size] == nil)
        #expect(loaded.dependencies == [StoryID(prefix: "S", number: 2)])
        #expect(loaded.tags == ["payments", "web"])
        #expect(loaded.hasCustomFields && made.hasCustomFields)
        #expect(!backlog.stories[1].hasCustomFields)
        #expect(backlog.stories[1].number(.points) == DecimalNumber(3))
        #expect(backlog.stories[1].value(of: "customer") == nil)
    }

    @Test("The parser's number sites cover exactly the numeric keys; values with spaces, CRLF, a percent, or past 64 KB of field lines read the same")
    func numberSites() throws {
        var sites = NumberSites()
        for (n, key) in FieldKey.allCases.enumerated() {
            sites[key] = UInt16(n + 1)
            #expect((sites[key] != 0) == key.isNumeric, "\(key)")
        }
        let longTags = String(repeating: "tag, ", count: 14_000)
        let text = "# B\r\n\r\n## S-1 A\r\n- value:   8   \r\n- confidence: 75%\r\n- size: 2.5\r\n\r\n"
            + "## S-2 B\r\n- tags: \(longTags)x\r\n- value: 3\r\n- points: 5\r\n"
        let backlog = try load(text)
        let a = backlog.stories[0], b = backlog.stories[1]
        #expect(a.numbers(.all).value == DecimalNumber(8))
        #expect(a.number(.confidence) == DecimalNumber(75))
        #expect(a.number(.size) == DecimalNumber(mantissa: 25, scale: 1))
        #expect(a.number(.points) == nil)
        #expect(b.numbers(.all).value == DecimalNumber(3))
        #expect(b.number(.points) == DecimalNumber(5))
        var changed = a
        try changed.setField("value", "13")
        #expect(changed.numbers(.all).value == DecimalNumber(13))
        #expect(changed.number(.confidence) == DecimalNumber(75))
    }

    @Test("Small whole numbers are kept by the parser, the others read from the bytes: both as the fields say")
    func smallNumbersKept() throws {
        // Each value against what the field's text parses to, through the slot's two kinds.
        let values = ["0", "7", "007", "9999", "10000", "12345678", "2.5", "0.75", "100%", "80%", "13 "]
        for value in values {
            let key = value.hasSuffix("%") ? "confidence" : "value"
            let story = try load("# B\n\n## S-1 A\n- \(key): \(value)\n- points: 3\n").stories[0]
            let expected = parseStoredNumber(value.trimmingCharacters(in: .whitespaces))
            #expect(story.number(FieldKey.canonical(key) ?? .value) == expected, "\(value)")
            #expect(story.numbers(.all).points == DecimalNumber(3))
        }
        #expect(NumberSites.smallValue(NumberSites.slot(offset: 40, small: 9999)) == 9999)
        #expect(NumberSites.smallValue(NumberSites.slot(offset: 40, small: nil)) == nil)
        #expect(NumberSites.smallValue(NumberSites.slot(offset: 40, small: 1 << 15)) == nil)
    }

    @Test("The title's bytes read in place are the title's; a stray CR reads as a space, as in the title")
    func titleBytes() throws {
        let backlog = try load("# B\n\n## S-1 Café \u{1F381} checkout\n\n## S-2 Odd\u{0D}title\n")
        for story in backlog.stories {
            #expect(story.withTitleUTF8 { Array($0) } == Array(story.title.utf8))
        }
        #expect(backlog.stories[1].title == "Odd title")
        var renamed = backlog.stories[0]
        try renamed.setTitle("New")
        #expect(renamed.withTitleUTF8 { Array($0) } == Array("New".utf8))
    }

    @Test("A story takes at most 160 bytes before its text (a big backlog loads 100,000 of them)")
    func storySize() {
        #expect(MemoryLayout<Story>.stride <= 160)
    }

    @Test("A title or description set on a copy leaves the original as it was (they share a box until one changes)")
    func sessionTextStaysAValue() throws {
        var original = Story(id: StoryID(prefix: "S", number: 9), title: "First")
        original.setDescription("one")
        var copy = original
        try copy.setTitle("Second")
        copy.setDescription("two")
        #expect(original.title == "First" && original.description == "one")
        #expect(copy.title == "Second" && copy.description == "two")
        var loaded = try load(Self.text).stories[0]
        let before = loaded
        loaded.setDescription("changed")
        #expect(before.description == "The description." && before.title == "Checkout")
        #expect(loaded.description == "changed" && loaded.title == "Checkout")
    }

    @Test("Changing one field rewrites that line only; the other lines stay as written")
    func oneLineChanges() throws {
        var backlog = try load(Self.text)
        try backlog.stories[0].setField("value", "20")
        let expected = Self.text.replacingOccurrences(of: "- Value: 13", with: "- value: 20")
        #expect(written(backlog) == expected)
        #expect(backlog.stories[0].number(.value) == DecimalNumber(20))
        #expect(backlog.stories[0].value(of: "customer") == "ACME Corp two")
        #expect(written(try load(Self.text)) == Self.text)
    }

    @Test("Stories are equal by meaning: the same lines spaced differently, or CRLF line ends, are the same fields")
    func equalByMeaning() throws {
        let spaced = Self.text.replacingOccurrences(of: "- points: 3", with: "*   points:    3   ")
        #expect(try load(spaced).stories[1] == load(Self.text).stories[1])
        let crlf = Self.text.replacingOccurrences(of: "\n", with: "\r\n")
        let a = try load(crlf).stories[1], b = try load(Self.text).stories[1]
        #expect(a.fields.map(\.value) == ["3"])
        #expect(a == b)
        var changed = b
        try changed.setField("points", "5")
        #expect(changed != b)
    }
}

@Suite("Field key lookup")
struct FieldKeyLookupTests {
    @Test("A field is one declaration: its order, numeric slot, bit and aliases follow from its case and its spec")
    func tablesFollow() {
        // The order is the case's place (read from the enum's tag), the bit of a story's key bits.
        #expect(FieldKey.allCases.map(\.order) == Array(0..<FieldKey.allCases.count))
        #expect(FieldKey.allCases.count <= 30)  // bits 30 and 31 of a story's key bits are taken
        // One number slot per numeric key, in field order; the inline slots hold exactly them.
        #expect(FieldKey.numericKeys == [.value, .timeCriticality, .riskReduction, .size, .effort, .points, .reach, .impact, .confidence])
        #expect(NumericSlots<Int>(repeating: 0).count == FieldKey.numericKeys.count,
                "NumericSlots' count must be the number of numeric keys")
        #expect(FieldKey.allCases.map { FieldKey.numericSlots[$0.order] } == [-1, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, -1, -1, -1, -1])
        #expect(NumericKeys.all.rawValue == 0b111_1111_1100)
        // Every alias leads to its key, none is another key's name, and names are normalised.
        for key in FieldKey.allCases {
            #expect(FieldKey.canonical(key.rawValue) == key)
            for alias in key.spec.aliasList {
                #expect(FieldKey.canonical(alias) == key, "\(alias)")
                #expect(FieldKey(rawValue: alias) == nil, "\(alias)")
                #expect(FieldKey.normalize(alias) == alias, "\(alias)")
            }
        }
        #expect(FieldKey.canonical("Story Points") == .points)
        #expect(FieldKey.canonical("Business_Value") == .value)
        // The kind decides how a value is checked.
        #expect(throws: FieldProblem.self) { try FieldKey.confidence.check("101%") }
        #expect(throws: FieldProblem.self) { try FieldKey.parent.check("not an id") }
        #expect(throws: FieldProblem.self) { try FieldKey.pin.check("0") }
        #expect(throws: Never.self) { try FieldKey.goal.check("anything at all") }
    }

    @Test("The byte lookup finds every canonical key by its raw value and nothing else")
    func everyKey() {
        func lookup(_ text: String) -> FieldKey? {
            Array(text.utf8).withUnsafeBufferPointer { FieldKey.lookup($0) }
        }
        for key in FieldKey.allCases {
            #expect(lookup(key.rawValue) == key)
            #expect(lookup(key.rawValue + "s") == nil)
            #expect(lookup(String(key.rawValue.dropLast())) == nil)
            #expect(lookup(key.rawValue.uppercased()) == nil)
        }
        for other in ["", "pi", "pit", "spent", "sprints", "stable", "valve", "tagz", "customer", "time-criticalit_", "vXlue", "risk_reduction", "pin-reasons"] {
            #expect(lookup(other) == nil, "\(other)")
        }
    }
}

@Suite("Big files on two threads")
struct TwoThreadTests {
    @Test("The UTF-8 check on two halves finds what one pass finds, bad bytes on either side of the split")
    func utf8Halves() {
        var bytes = BacklogGenerator.markdown(count: 8_000)
        #expect(bytes.count >= 1 << 21)
        for offset in [100, bytes.count / 2 - 3, bytes.count / 2 + 5, bytes.count - 10] { bytes[offset] = 0xFF }
        bytes.withUnsafeBufferPointer { buffer in
            let one = invalidUTF8Offsets(buffer)
            #expect(one.count >= 3)  // the two near the middle may share a line: one report per line
            #expect(checkTextInParallel(buffer).invalidUTF8 == one)
            #expect(checkTextInParallel(buffer, limit: 2).invalidUTF8 == Array(one.prefix(2)))
        }
    }

    @Test("The same look tells whether a line starts with `<`, in either half, at the split, or at the very start")
    func lineStartsWithLess() {
        let clean = BacklogGenerator.markdown(count: 8_000)
        clean.withUnsafeBufferPointer { buffer in
            #expect(!checkTextInParallel(buffer).lineStartsWithLess)
            #expect(!checkText(buffer).lineStartsWithLess)
        }
        // Lines with at least two bytes before their line break.
        let lineStarts = clean.indices.filter {
            ($0 == 0 || clean[$0 - 1] == 0x0A) && $0 + 1 < clean.count && clean[$0] != 0x0A && clean[$0 + 1] != 0x0A
        }
        let middle = lineStarts.first { $0 >= clean.count / 2 } ?? 0
        let picks = [0, lineStarts[40], middle, lineStarts[lineStarts.count - 2], lineStarts.last ?? 0]
        for start in picks {
            var bytes = clean
            bytes[start] = UInt8(ascii: "<")
            bytes.withUnsafeBufferPointer { buffer in
                #expect(checkTextInParallel(buffer).lineStartsWithLess, "line at \(start)")
                #expect(checkText(buffer).lineStartsWithLess, "line at \(start)")
            }
            // A `<` inside a line, near the non-ASCII titles or not, is no line start.
            var inside = clean
            inside[start + 1] = UInt8(ascii: "<")
            inside.withUnsafeBufferPointer { buffer in
                #expect(!checkTextInParallel(buffer).lineStartsWithLess, "inside the line at \(start)")
            }
        }
    }

    @Test("A big ranking, scored and sorted in halves and merged, is in rank order with every scored story once")
    func rankingHalves() throws {
        let backlog = try BacklogParser.parse(BacklogGenerator.markdown(count: 30_000), path: "big.md").backlog
        #expect(backlog.stories.count >= Ranking.parallelThreshold)
        let ranking = Ranking(backlog, strategy: WSJFStrategy())
        let scored = ranking.entries.compactMap { entry -> Ranking.Scored.Element? in
            guard case .value(let exact) = entry.score else { return nil }
            return (entry.storyIndex, exact.doubleValue, exact)
        }
        #expect(scored.count > 20_000)
        #expect(Set(scored.map(\.index)).count == scored.count)
        for (a, b) in zip(scored, scored.dropFirst()) {
            #expect(Ranking.ranksBefore(a, b), "story \(a.index) before \(b.index)")
        }
    }
}

@Suite("Reading and joining on two threads")
struct TwoThreadJoinTests {
    @Test("A file read whole is its bytes, at sizes around the read's doubling")
    func readInHalves() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prio-read-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for size in [0, 1, (4 << 20) - 1, 4 << 20, (4 << 20) + 1, (12 << 20) + 7] {
            var bytes = [UInt8](repeating: 0, count: size)
            for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i &* 31 &+ i >> 13) }
            let path = directory.appendingPathComponent("f-\(size)").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try readFile(path) == bytes, "size \(size)")
        }
    }

    @Test("The matrix's one pass gives the ranking's medians and quadrants, on two threads at 30,000 stories")
    func matrixOnePass() throws {
        let backlog = try BacklogParser.parse(BacklogGenerator.markdown(count: 30_000), path: "big.md").backlog
        let ranking = Ranking(backlog, strategy: ValueEffortStrategy())
        let matrix = ValueEffortMatrix(backlog)
        #expect(matrix.valueMedian == ranking.context?.values["value-median"])
        #expect(matrix.effortMedian == ranking.context?.values["effort-median"])
        #expect(matrix.points.count + matrix.unscored.count == ranking.entries.count)
        for point in matrix.points.prefix(500) {
            #expect(point.quadrant == ValueEffortStrategy.quadrant(of: backlog.stories[point.storyIndex], context: ranking.context))
        }
    }

    @Test("The merge's unchanged sides, worked out on two threads, are mergeStory's rule for every story")
    func mergeSides() throws {
        let bytes = BacklogGenerator.markdown(count: 25_000)
        let base = try BacklogParser.parse(bytes, path: "b.md").backlog
        var ours = base, theirs = base
        func edit(_ backlog: inout Backlog, _ index: Int, _ key: String, _ value: String) throws {
            var story = backlog.stories[index]
            try story.setField(key, value)
            backlog.replaceStory(at: index, with: story)
        }
        try edit(&ours, 10, "value", "99")
        try edit(&theirs, 20, "value", "98")
        try edit(&ours, 30, "value", "97")
        try edit(&theirs, 30, "effort", "3")
        let ids = base.storyIDs
        let maps = (StoryIDMap(indexing: ids), StoryIDMap(indexing: ours.storyIDs), StoryIDMap(indexing: theirs.storyIDs))
        let sides = Merger.unchangedSides(ids, (base, ours, theirs), maps)
        #expect(sides.count == ids.count)
        #expect(sides[10] == .theirsUnchanged)
        #expect(sides[20] == .oursUnchanged)
        #expect(sides[30] == .bothChanged)
        #expect(sides.enumerated().allSatisfy { $0.offset == 30 || $0.element != .bothChanged })
    }
}

@Suite("Writing IDs")
struct StoryIDWritingTests {
    @Test("An ID is written as its prefix, a dash and its number padded to its width, as text and as bytes")
    func written() {
        let cases: [(StoryID, String)] = [
            (StoryID(prefix: "S", number: 0), "S-0"), (StoryID(prefix: "S", number: 12), "S-12"),
            (StoryID(prefix: "US", number: 7, width: 3), "US-007"), (StoryID(prefix: "US", number: 1234, width: 3), "US-1234"),
            (StoryID(prefix: "LONGPREFIX_99", number: 999_999_999_999_999_999), "LONGPREFIX_99-999999999999999999"),
            (StoryID(prefix: "A", number: 5, width: 18), "A-" + String(repeating: "0", count: 17) + "5"),
        ]
        for (id, text) in cases {
            #expect(id.description == text)
            var bytes: [UInt8] = [UInt8(ascii: "[")]
            id.write(to: &bytes)
            #expect(bytes == [UInt8(ascii: "[")] + Array(text.utf8))
            #expect(StoryID(text) == id)
        }
        for _ in 0..<1_000 {
            let id = StoryID(prefix: "P", number: Int.random(in: 0...10_000_000), width: Int.random(in: 0...9))
            let digits = String(id.number)
            #expect(id.description == "P-" + String(repeating: "0", count: max(0, id.width - digits.count)) + digits)
        }
    }
}
