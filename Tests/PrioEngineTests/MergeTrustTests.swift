@testable import PrioEngine
@testable import PrioStorage
import Testing

/// The merge driver on inputs from a stranger (issue 24, items 2, 4, 5 and 12): CRLF files,
/// bytes that are not UTF-8, renumbered dependencies, results no command could read.
@Suite("Merge: line endings, bytes, and results that must read back")
struct MergeTrustTests {
    static let base = """
        # Team

        - strategy: wsjf
        - sprint: Sprint 1 | capacity 20

        ## S-1 Checkout
        - value: 8
        - points: 5

        Guest checkout without an account.
        Pay with a card.

        ## S-2 Search
        - value: 5
        - points: 3

        """

    func merge(_ base: String, _ ours: String, _ theirs: String) -> BacklogMerge.Outcome {
        BacklogMerge.merge(base: Array(base.utf8), ours: Array(ours.utf8), theirs: Array(theirs.utf8), path: "b.md")
    }

    func crlf(_ text: String) -> String { text.replacing("\n", with: "\r\n") }

    @Test("CRLF: a one-field conflict puts markers around that line only; heading, fields and description stay")
    func crlfFieldConflict() throws {
        let ours = Self.base.replacing("- value: 8", with: "- value: 13")
        let theirs = Self.base.replacing("- value: 8", with: "- value: 21")
        let lf = merge(Self.base, ours, theirs)
        let outcome = merge(crlf(Self.base), crlf(ours), crlf(theirs))
        #expect(outcome.conflicts == 1)
        let text = String(decoding: outcome.bytes, as: UTF8.self)
        #expect(text == crlf(String(decoding: lf.bytes, as: UTF8.self)))
        #expect(text.contains("## S-1 Checkout\r\n<<<<<<< ours\r\n- value: 13\r\n=======\r\n- value: 21\r\n>>>>>>> theirs\r\n- points: 5\r\n"))
        #expect(text.contains("Guest checkout without an account.\r\nPay with a card.\r\n"))
        // Keeping ours' line gives back a file with every story.
        let resolved = text.replacing("<<<<<<< ours\r\n", with: "").replacing("=======\r\n- value: 21\r\n>>>>>>> theirs\r\n", with: "")
        let parsed = try BacklogParser.parse(Array(resolved.utf8), path: "b.md").backlog
        #expect(parsed.stories.map(\.id.description) == ["S-1", "S-2"])
        #expect(parsed.stories[0].value(of: "value") == "13")
    }

    @Test("CRLF: header items edited on both sides merge item by item, as LF ones do")
    func crlfHeader() {
        let ours = Self.base.replacing("- strategy: wsjf", with: "- strategy: rice")
        let theirs = Self.base.replacing("capacity 20", with: "capacity 30")
        let outcome = merge(crlf(Self.base), crlf(ours), crlf(theirs))
        #expect(outcome.conflicts == 0)
        let text = String(decoding: outcome.bytes, as: UTF8.self)
        #expect(text.contains("- strategy: rice\r\n- sprint: Sprint 1 | capacity 30\r\n"))
    }

    @Test("The text fallback merges line by line (CRLF too), carrying bytes that are not UTF-8")
    func textFallback() {
        // A base with markers does not read as a backlog: the whole file merges as text.
        let base: [UInt8] = Array("## S-1 A\r\n- value: 1\r\n<<<<<<< x\r\n=======\r\n>>>>>>> y\r\ncaf".utf8) + [0xE9] + Array("\r\nend\r\n".utf8)
        var ours = base
        ours.replaceSubrange(0..<8, with: Array("## S-1 B".utf8))
        let theirs = base + Array("more\r\n".utf8)
        let outcome = BacklogMerge.merge(base: base, ours: ours, theirs: theirs, path: "b.md")
        #expect(outcome.bytes == ours + Array("more\r\n".utf8))
        #expect(outcome.conflicts == 1)  // always a look
        // A real text conflict: its marker lines end as ours' lines do.
        var other = base
        other.replaceSubrange(0..<8, with: Array("## S-1 C".utf8))
        let conflict = BacklogMerge.merge(base: base, ours: ours, theirs: other, path: "b.md")
        #expect(Array(conflict.bytes.prefix(14)) == Array("<<<<<<< ours\r\n".utf8))
        #expect(conflict.bytes.contains(0xE9))
    }

    @Test("A description line holding the merge's private-use placeholder stays as it is")
    func placeholderInDescription() {
        let planted = "\u{E000}prio-conflict-1\u{E000}"
        let base = Self.base.replacing("Pay with a card.", with: "Pay with a card. \(planted)")
        let ours = base.replacing("- value: 8", with: "- value: 13")
        let theirs = base.replacing("- value: 8", with: "- value: 21")
        let outcome = merge(base, ours, theirs)
        #expect(outcome.conflicts == 1)
        let text = String(decoding: outcome.bytes, as: UTF8.self)
        #expect(text.contains("Pay with a card. \(planted)\n"))
        #expect(text.components(separatedBy: "<<<<<<<").count == 2)
    }

    @Test("Renumbering theirs' new story rewrites the depends of the stories theirs changed")
    func renumberedDependsInChangedStory() throws {
        let theirs = Self.base.replacing("- value: 5\n- points: 3\n", with: "- value: 5\n- points: 3\n- depends: S-3\n")
            + "\n## S-3 Theirs' new\n- value: 1\n- points: 1\n"
        let ours = Self.base + "\n## S-3 Ours' new\n- value: 2\n- points: 2\n"
        let outcome = merge(Self.base, ours, theirs)
        #expect(outcome.conflicts == 0)
        let backlog = try BacklogParser.parse(outcome.bytes, path: "b.md").backlog
        let titles = Dictionary(uniqueKeysWithValues: backlog.stories.map { ($0.id.description, $0.title) })
        #expect(titles["S-3"] == "Ours' new" && titles["S-4"] == "Theirs' new")
        #expect(backlog.stories.first { $0.id.description == "S-2" }?.dependencies.map(\.description) == ["S-4"])
    }

    @Test("A merge that would not read is never clean: removed dependency, one 18-digit ID on both sides, half a cycle each")
    func resultsThatDoNotRead() throws {
        // Ours removes S-2; theirs adds a story that depends on it.
        let removed = Self.base.replacing("\n## S-2 Search\n- value: 5\n- points: 3\n", with: "")
        let dependent = Self.base + "\n## S-3 Filters\n- value: 3\n- points: 2\n- depends: S-2\n"
        let first = merge(Self.base, removed, dependent)
        #expect(first.conflicts == 1)
        let text = String(decoding: first.bytes, as: UTF8.self)
        #expect(text.contains("<<<<<<< merged (does not read: "))
        #expect(text.contains("\n- depends: S-2\n=======\n>>>>>>> resolve, then 'prio check'\n"))
        #expect(throws: BacklogErrors.self) { try BacklogParser.parse(first.bytes, path: "b.md") }
        // Both add the highest ID there is, differently: no 19-digit ID, both kept between markers.
        let top = "S-999999999999999999"
        let both = merge(Self.base, Self.base + "\n## \(top) Ours\n- value: 1\n", Self.base + "\n## \(top) Theirs\n- value: 2\n")
        #expect(both.conflicts == 1)
        let bothText = String(decoding: both.bytes, as: UTF8.self)
        #expect(!bothText.contains("S-1000000000000000000"))
        #expect(bothText.contains("<<<<<<< ours\n## \(top) Ours\n- value: 1\n=======\n## \(top) Theirs\n- value: 2\n>>>>>>> theirs"))
        // Half of a cycle on each side.
        let oursHalf = Self.base.replacing("- value: 8\n- points: 5\n", with: "- value: 8\n- points: 5\n- depends: S-2\n")
        let theirsHalf = Self.base.replacing("- value: 5\n- points: 3\n", with: "- value: 5\n- points: 3\n- depends: S-1\n")
        let cycle = merge(Self.base, oursHalf, theirsHalf)
        #expect(cycle.conflicts >= 1)
        #expect(String(decoding: cycle.bytes, as: UTF8.self).contains("<<<<<<< merged (does not read: "))
    }

    @Test("2,000 colliding new IDs are all kept, theirs numbered after the highest")
    func manyCollisions() throws {
        var ours = Self.base, theirs = Self.base
        for n in 3..<2003 {
            ours += "\n## S-\(n) Ours \(n)\n- value: 1\n"
            theirs += "\n## S-\(n) Theirs \(n)\n- value: 2\n"
        }
        let outcome = merge(Self.base, ours, theirs)
        #expect(outcome.conflicts == 0)
        let backlog = try BacklogParser.parse(outcome.bytes, path: "b.md").backlog
        #expect(backlog.stories.count == 2 + 4000)
        #expect(backlog.stories.map(\.id.number).max() == 4002)
    }

    @Test("A header with mixed line endings merged with itself stays byte for byte (found by the merge fuzzer)")
    func mixedEndingsHeader() {
        let text = "# Team\n\n# Team\r\n\r\n- strategy: wsjf\r\n\r\n## S-1 A\r\n- value: 8\r\n"
        let outcome = merge(text, text, text)
        #expect(outcome.conflicts == 0)
        #expect(outcome.bytes == Array(text.utf8))
        let theirs = text.replacing("- value: 8", with: "- value: 9")
        #expect(merge(text, text, theirs).bytes == Array(theirs.utf8))
    }
}
