@testable import PrioEngine
@testable import PrioStorage
import Testing

@Suite("Merge properties")
struct MergePropertyTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Seeded: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let keys = ["value", "points", "effort", "reach", "owner"]

    func text(_ stories: [(id: Int, title: String, fields: [String: String])], header: String = "- strategy: wsjf\n") -> String {
        var out = "# Property\n\n" + header
        for story in stories {
            out += "\n## S-\(story.id) \(story.title)\n"
            for key in Self.keys { if let value = story.fields[key] { out += "- \(key): \(value)\n" } }
        }
        return out
    }

    @Test("For random pairs of edit sequences on one base, the merge keeps every edit only one side made")
    func keepsOneSidedEdits() throws {
        try oneSidedEdits(lineEnding: "\n", seed: 20261202)
    }

    @Test("The same with CRLF line endings: nothing is lost, and every line of the result ends in CRLF")
    func keepsOneSidedEditsCRLF() throws {
        try oneSidedEdits(lineEnding: "\r\n", seed: 20261206)
    }

    func oneSidedEdits(lineEnding: String, seed: UInt64) throws {
        func text(_ stories: [(id: Int, title: String, fields: [String: String])], header: String = "- strategy: wsjf\n") -> String {
            self.text(stories, header: header).replacing("\n", with: lineEnding)
        }
        var random = Seeded(state: seed)
        for round in 0..<200 {
            let count = Int.random(in: 3...9, using: &random)
            var base: [(id: Int, title: String, fields: [String: String])] = []
            for i in 1...count {
                var fields: [String: String] = [:]
                for key in Self.keys where Bool.random(using: &random) { fields[key] = String(Int.random(in: 1...20, using: &random)) }
                base.append((i, "Story \(i)", fields))
            }
            // Each (story, field or title) slot goes to at most one side.
            var ours = base, theirs = base
            var expected = base
            var removedByOurs: Set<Int> = [], removedByTheirs: Set<Int> = []
            for i in base.indices {
                let slots = ["title"] + Self.keys
                for slot in slots {
                    let side = Int.random(in: 0..<5, using: &random)  // 0 ours, 1 theirs, else nobody
                    guard side < 2 else { continue }
                    let value = slot == "title" ? "Edited \(round)-\(i)-\(side)" : (Bool.random(using: &random) ? String(Int.random(in: 21...99, using: &random)) : nil)
                    if slot == "title" {
                        if side == 0 { ours[i].title = value! } else { theirs[i].title = value! }
                        expected[i].title = value!
                    } else {
                        if side == 0 { ours[i].fields[slot] = value } else { theirs[i].fields[slot] = value }
                        expected[i].fields[slot] = value
                    }
                }
            }
            // A story one side left alone may be removed by the other.
            for i in base.indices where Int.random(in: 0..<6, using: &random) == 0 {
                if ours[i].title == base[i].title && ours[i].fields == base[i].fields {
                    removedByTheirs.insert(base[i].id)
                } else if theirs[i].title == base[i].title && theirs[i].fields == base[i].fields {
                    removedByOurs.insert(base[i].id)
                }
            }
            ours.removeAll { removedByOurs.contains($0.id) }
            theirs.removeAll { removedByTheirs.contains($0.id) }
            expected.removeAll { removedByOurs.contains($0.id) || removedByTheirs.contains($0.id) }
            // Half the rounds, both sides edit the header too (different items).
            let headers = Bool.random(using: &random)
                ? ("- strategy: rice\n", "- strategy: wsjf\n- sprint: Sprint 2 | capacity 9\n") : ("- strategy: wsjf\n", "- strategy: wsjf\n")
            let outcome = BacklogMerge.merge(base: Array(text(base).utf8), ours: Array(text(ours, header: headers.0).utf8),
                                             theirs: Array(text(theirs, header: headers.1).utf8))
            #expect(outcome.conflicts == 0, "round \(round)")
            let mergedText = String(decoding: outcome.bytes, as: UTF8.self)
            #expect(mergedText.contains(headers.0.replacing("\n", with: lineEnding)), "round \(round)")
            if headers.1.contains("Sprint 2") {
                #expect(mergedText.contains("- sprint: Sprint 2 | capacity 9" + lineEnding), "round \(round)")
            }
            if lineEnding == "\r\n" {
                let bare = outcome.bytes.indices.filter { outcome.bytes[$0] == 0x0A && ($0 == 0 || outcome.bytes[$0 - 1] != 0x0D) }
                #expect(bare.isEmpty, "round \(round): a line ends in LF alone")
            }
            let merged = try BacklogParser.parse(outcome.bytes, path: "merged.md").backlog
            #expect(merged.stories.map(\.id.number) == expected.map(\.id), "round \(round)")
            for (story, want) in zip(merged.stories, expected) {
                #expect(story.title == want.title, "round \(round) S-\(want.id)")
                for key in Self.keys {
                    #expect(story.value(of: key) == want.fields[key], "round \(round) S-\(want.id) \(key)")
                }
            }
        }
    }

    @Test("Merging a version with itself, or with the base, gives it back byte for byte")
    func identities() throws {
        let text = Array(String(decoding: SampleBacklog.bytes, as: UTF8.self).utf8)
        let edited = Array(String(decoding: text, as: UTF8.self).replacing("- value: 13", with: "- value: 14").utf8)
        #expect(BacklogMerge.merge(base: text, ours: edited, theirs: text).bytes == edited)
        #expect(BacklogMerge.merge(base: text, ours: text, theirs: edited).bytes == edited)
        #expect(BacklogMerge.merge(base: text, ours: edited, theirs: edited).bytes == edited)
    }

    @Test("Inputs that do not read as backlogs are merged as text, and always need a look")
    func textFallback() {
        let base = Array("## S-1 A\n- value: 1\n<<<<<<< x\n=======\n>>>>>>> y\n".utf8)
        let outcome = BacklogMerge.merge(base: base, ours: base, theirs: base + Array("more\n".utf8))
        #expect(outcome.conflicts >= 1)
        #expect(outcome.notes.first?.contains("merged line by line") == true)
        #expect(String(decoding: outcome.bytes, as: UTF8.self).hasSuffix("more\n"))
    }
}

@Suite("Merge on hostile input")
struct MergeHostileTests {
    @Test("Random cuts, splices and junk in any of the three versions never crash the merge; a clean merge reads back")
    func hostile() throws {
        var random = MergePropertyTests.Seeded(state: 424242)
        let sample = Array(SampleBacklog.bytes)
        let junk: [[UInt8]] = [Array("<<<<<<< x\n".utf8), Array("## S-1 Dup\n".utf8), Array("- depends: S-999\n".utf8),
                               [0xFF, 0xFE, 0x00], Array("- pin: 0\n".utf8), Array("- formula: x = (\n".utf8),
                               Array("\r\n\r".utf8), Array("## \n".utf8), Array("- value: 1e9999\n".utf8)]
        func mutate(_ bytes: [UInt8]) -> [UInt8] {
            var out = bytes
            for _ in 0..<Int.random(in: 0...3, using: &random) {
                let at = Int.random(in: 0...out.count, using: &random)
                switch Int.random(in: 0..<3, using: &random) {
                case 0: out.insert(contentsOf: junk[Int.random(in: 0..<junk.count, using: &random)], at: at)
                case 1: out.removeSubrange(at..<min(out.count, at + Int.random(in: 1...400, using: &random)))
                default:
                    let from = Int.random(in: 0..<max(1, out.count), using: &random)
                    let piece = Array(out[from..<min(out.count, from + Int.random(in: 1...300, using: &random))])
                    out.insert(contentsOf: piece, at: min(at, out.count))
                }
            }
            return out
        }
        for round in 0..<150 {
            let base = mutate(sample)
            let outcome = BacklogMerge.merge(base: base, ours: mutate(base), theirs: mutate(base), path: "b.md")
            if outcome.conflicts == 0 {
                // As every command reads it: dependencies resolved, and no cycle (check).
                let parsed = try? BacklogParser.parse(outcome.bytes, path: "b.md")
                #expect(parsed != nil, "round \(round)")
                #expect(parsed?.backlog.cycleDiagnostics(path: "b.md").isEmpty != false, "round \(round)")
            }
        }
    }
}
