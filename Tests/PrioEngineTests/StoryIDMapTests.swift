import PrioEngine
import PrioStorage
import PropertyBased
import Testing

/// IDs from a few prefixes, with dense, sparse, huge and zero-padded numbers.
private let idGen = zip(
    Gen.element(of: ["S", "WEB", "s", "A1", "B_2"]).map { $0 ?? "S" },
    Gen.oneOf(Gen.int(in: 0...40), Gen.int(in: 0...200_000), Gen.int(in: 1_000_000_000_000...1_000_000_000_100)),
    Gen.int(in: 0...3)
).map { StoryID(prefix: $0, number: $1, width: $2) }

@Suite("Story ID map")
struct StoryIDMapTests {
    @Test("Agrees with a dictionary on random inserts and lookups")
    func agreesWithDictionary() async {
        await propertyCheck(count: 100, input: idGen.array(of: 0...60), idGen.array(of: 0...20)) { inserted, probes in
            var map = StoryIDMap(capacity: inserted.count)
            var dictionary: [StoryID: Int] = [:]
            for (value, id) in inserted.enumerated() {
                let previous = map.insertIfAbsent(id, value)
                #expect(previous == dictionary[id])
                if dictionary[id] == nil { dictionary[id] = value }
            }
            #expect(map.count == dictionary.count)
            for id in inserted + probes {
                #expect(map[id] == dictionary[id])
                #expect(map.contains(id) == (dictionary[id] != nil))
            }
        }
    }

    @Test("Zero padding is the same ID; prefixes are not")
    func workedExample() {
        var map = StoryIDMap()
        #expect(map.insertIfAbsent(StoryID(prefix: "US", number: 7, width: 3), 0) == nil)
        #expect(map.insertIfAbsent(StoryID(prefix: "US", number: 7), 1) == 0)
        #expect(map.insertIfAbsent(StoryID(prefix: "UX", number: 7), 2) == nil)
        #expect(map[StoryID(prefix: "UX", number: 7)] == 2)
        #expect(map[StoryID(prefix: "US", number: 8)] == nil)
        #expect(map[StoryID(prefix: "US", number: -1)] == nil)
        #expect(map.insertIfAbsent(StoryID(prefix: "US", number: -1), 3) == nil)
        #expect(map[StoryID(prefix: "US", number: -1)] == 3)
        #expect(map.count == 3)
    }

    @Test("More prefixes than tables still map every ID")
    func manyPrefixes() {
        let ids = (0..<40).map { StoryID(prefix: "P\($0)", number: $0) }
        let map = StoryIDMap(indexing: ids)
        for (i, id) in ids.enumerated() { #expect(map[id] == i) }
        #expect(map[StoryID(prefix: "P41", number: 41)] == nil)
    }
}

@Suite("Story ID map updates")
struct StoryIDMapUpdateTests {
    @Test("update changes a held ID's value, in a table or in the overflow, and ignores other IDs")
    func update() {
        let small = StoryID(prefix: "S", number: 3), large = StoryID(prefix: "S", number: 1_000_000_000_000)
        var map = StoryIDMap()
        map.insertIfAbsent(small, 0)
        map.insertIfAbsent(large, 1)
        map.update(small, to: 7)
        map.update(large, to: 8)
        map.update(StoryID(prefix: "S", number: 4), to: 9)
        map.update(StoryID(prefix: "X", number: 3), to: 9)
        #expect(map[small] == 7)
        #expect(map[large] == 8)
        #expect(map[StoryID(prefix: "S", number: 4)] == nil)
        #expect(map[StoryID(prefix: "X", number: 3)] == nil)
        #expect(map.count == 2)
    }
}

@Suite("Field key bits")
struct FieldKeyBitsTests {
    @Test("Every canonical key has its own bit in a story's knownKeys (at most 32 keys)")
    func bitsFit() throws {
        #expect(FieldKey.allCases.count <= 32)
        #expect(Set(FieldKey.allCases.map(\.order)).count == FieldKey.allCases.count)
        var story = Story(id: StoryID(prefix: "S", number: 1), title: "Pinned")
        #expect(story.pin == nil)
        try story.setField("pin", "2")
        try story.setField("pin-reason", "promised")
        #expect(story.pin == 2)
        #expect(story.pinReason == "promised")
        story.removeField("pin")
        #expect(story.pin == nil)
        #expect(story.pinReason == "promised")
    }
}
