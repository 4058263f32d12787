import Foundation
@testable import PrioEngine
@testable import PrioStorage
import PropertyBased
import Synchronization
import Testing

/// A big file's halves are parsed on two threads: a count of each half's lines and story
/// headings sizes each half's buffer and gives the second half its first line.
@Suite("Parsing in place")
struct InPlaceParseTests {
    /// The count a line-by-line reading gives: line feeds, and the lines that may start a story.
    private func naive(_ text: String) -> (breaks: Int, stories: Int) {
        // Split the bytes: in a String, "\r\n" is one character.
        let lines = Array(text.utf8).split(separator: 0x0A, omittingEmptySubsequences: false)
        let headings = lines.dropLast(text.hasSuffix("\n") ? 1 : 0).filter { line in
            Array(line).withUnsafeBufferPointer { isStoryHeading($0[...]) }
        }
        return (lines.count - 1, headings.count)
    }

    private func count(_ text: String) -> LineCount {
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBufferPointer { LineCount($0, 0..<$0.count) }
    }

    @Test("Worked examples: `###` and text are no story; an indented heading, a CRLF heading and the first line are")
    func workedExamples() {
        let text = "## S-1 First\n- value: 3\n### Notes\nsome text ## not one\n   ## S-2 Indented\r\n## S-3 CRLF\r\n##\n"
        let counted = count(text)
        #expect(counted.lineBreaks == 7)
        // First line, the indented line (starts with a space), `## S-3`, `##`: four, as many as there are headings.
        #expect(counted.storyBound == 4)
        #expect(naive(text).stories == 4)
        // Long enough for the sixteen-byte blocks, with headings at every place in a block.
        var long = ""
        for n in 1...300 { long += "## S-\(n) " + String(repeating: "x", count: n % 23) + "\n### Detail\n" }
        #expect(count(long).lineBreaks == 600)
        #expect(count(long).storyBound == 300)
        #expect(count("").storyBound == 0 && count("").lineBreaks == 0)
    }

    @Test("For any text, the line breaks are exact and the bound is at least the story headings")
    func boundHolds() async {
        let pieces = ["## S-1 A\n", "### B\n", " ## S-2 C\n", "text\n", "- value: 3\n", "\n", "##\n", "#\n", "\r\n",
                      "## S-3 D\r\n", "  - nested\n", "é ünïcode ✓\n", "##\t S-4\n", "```\n"]
        await propertyCheck(count: 300, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...80)) { choices in
            let text = choices.map { pieces[$0] }.joined()
            let counted = count(text)
            let expected = naive(text)
            #expect(counted.lineBreaks == expected.breaks)
            #expect(counted.storyBound >= expected.stories)
            #expect(counted.storyBound <= text.utf8.count / 4 + 1)
        }
    }

    @Test("The next line feed, eight bytes at a time, is the first one a byte-by-byte look finds, from any start")
    func nextLineFeedIsFirst() async {
        // Line feeds among bytes that differ from one only by a bit (0x0B, 0x8A, 0x09) or carry the
        // high bit, at every distance from the start, the end and each other.
        let alphabet: [UInt8] = [0x0A, 0x0B, 0x8A, 0x09, 0x41, 0xFF, 0x00, 0x0D]
        await propertyCheck(count: 400, input: Gen.int(in: 0...(alphabet.count - 1)).array(of: 0...40)) { choices in
            let bytes = choices.map { alphabet[$0] }
            bytes.withUnsafeBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                for start in 0...bytes.count {
                    for end in start...bytes.count {
                        let naive = bytes[start..<end].firstIndex(of: 0x0A)
                        #expect(nextLineFeed(base, from: start, to: end) == naive, "\(bytes) \(start)..<\(end)")
                    }
                }
            }
        }
    }

    @Test("A generated big file's halves need no move: the bound is the story count, the lines are exact")
    func exactForGeneratedFiles() throws {
        let bytes = BacklogGenerator.markdown(count: 10_000)
        let backlog = try BacklogParser.parse(bytes, path: "big.md").backlog
        let firstStory = try #require((0..<(bytes.count - 3)).first { bytes[$0] == 0x0A && bytes[$0 + 1...$0 + 3] == [0x23, 0x23, 0x20] }) + 1
        let counted = bytes.withUnsafeBufferPointer { LineCount($0, firstStory..<$0.count) }
        #expect(counted.storyBound == backlog.stories.count)
        #expect(counted.lineBreaks == bytes.filter { $0 == 0x0A }.count - (backlog.stories[0].line - 1))
    }

    @Test("A big file whose first half's bound overcounts (indented text, headings in code blocks) parses as written")
    func overcountedBound() throws {
        var text = "# Big\n\n"
        for n in 1...30_000 {
            text += "## S-\(n) Story \(n)\n- points: \(n % 8 + 1)\n\n  indented line\n    ## indented code, no heading\n"
            if n % 100 == 0 { text += "```\n## S-0 inside a code block\n```\n" }
            text += "\n"
        }
        #expect(text.utf8.count > 2 << 20)
        let backlog = try load(text)
        #expect(backlog.stories.count == 30_000)
        #expect(backlog.stories.map(\.id.number) == Array(1...30_000))
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        for story in [backlog.stories[0], backlog.stories[14_999], backlog.stories[15_000], backlog.stories[29_999]] {
            #expect(lines[story.line - 1].hasPrefix("## \(story.id) "))
        }
        #expect(written(backlog) == text)
    }
}

/// The parse in two halves (any file, split near its middle) against the one-thread parse.
@Suite("Parsing in halves against one thread")
struct HalvesDifferentialTests {
    /// The outcome of a parse as text: every story and warning, or every error.
    private func outcome(_ bytes: [UInt8], parallelFrom: Int) -> String {
        do {
            let parsed = try BacklogParser.parse(SourceText(bytes), path: "b.md", parallelFrom: parallelFrom)
            let stories = parsed.backlog.stories.map { "\($0.id) \($0.title) \($0.fields) \($0.dependencies)" }
            return (stories + parsed.warnings.map(\.description)
                + [String(decoding: BacklogWriter.write(parsed.backlog), as: UTF8.self)]).joined(separator: "\n")
        } catch {
            return "failed: " + error.errors.map(\.description).joined(separator: "\n")
        }
    }

    @Test("Any backlog, with duplicates, bad values, fences, CRLF and dependencies across the middle, parses the same")
    func sameAsOneThread() async {
        // Pieces that matter at a split: duplicate IDs, dependencies forward and back, a bad value,
        // an unknown key, a code fence, CRLF lines, a blank story, votes.
        let pieces = [
            "## S-1 One\n- value: 3\n", "## S-2 Two\n- depends: S-1\n", "## S-1 Again\n",
            "## S-3 Three\n- depends: S-9\n", "## S-4 Bad\n- value: lots\n", "## S-5 Custom\n- colour: red\n",
            "Some text.\n\n```\n## S-6 In a fence\n```\n", "## S-7 CRLF\r\n- effort: 2\r\n",
            "## S-8 Points\n- points: 5\n- status: done\n", "## S-9 Late\n- depends: S-2, S-8\n",
            "\n", "## S-10 Votes\n- value-votes: alice 3\n",
        ]
        let gen = Gen.int(in: 0...(pieces.count - 1)).array(of: 1...40)
        await propertyCheck(count: 300, input: gen) { picks in
            let text = "# B\n\n- stakeholder: alice\n\n" + picks.map { pieces[$0] }.joined()
            let bytes = Array(text.utf8)
            #expect(outcome(bytes, parallelFrom: 1) == outcome(bytes, parallelFrom: .max), "\(text)")
        }
    }

    @Test("A generated backlog of 3,000 stories parses the same in halves and on one thread")
    func generated() {
        let bytes = BacklogGenerator.markdown(count: 3_000)
        #expect(outcome(bytes, parallelFrom: 1) == outcome(bytes, parallelFrom: .max))
    }
}

/// Counts the instances alive, to show that buffers neither leak nor free their elements twice.
private final class Tracked: @unchecked Sendable {
    nonisolated(unsafe) static var alive = 0
    let value: Int
    init(_ value: Int) {
        self.value = value
        Tracked.alive += 1
    }
    deinit { Tracked.alive -= 1 }
}

@Suite("Move buffers", .serialized)
struct MoveBufferTests {
    @Test("Two buffers move into one array, the earlier's first, each element once; both are empty after")
    func takeArrayAfterEarlier() {
        let earlier = MoveBuffer<Tracked>(capacity: 2)
        let later = MoveBuffer<Tracked>(capacity: 1)
        for n in 0..<5 { earlier.append(Tracked(n)) }
        for n in 5..<8 { later.append(Tracked(n)) }
        let seen = Mutex<[Int]>([])
        let array = later.takeArray(after: earlier, alongside: { half in seen.withLock { $0.append(half) } })
        #expect(array.map(\.value) == Array(0..<8))
        #expect(seen.withLock { $0.sorted() } == [0, 1])
        #expect(earlier.isEmpty && later.isEmpty)
        #expect(Tracked.alive == 8)
    }

    @Test("A buffer dropped with elements in it releases them once")
    func dropped() {
        var buffer: MoveBuffer<Tracked>? = MoveBuffer(capacity: 1)
        buffer?.append(Tracked(1))
        buffer?.append(Tracked(2))
        #expect(Tracked.alive == 2)
        buffer = nil
        #expect(Tracked.alive == 0)
    }
}

/// Statuses and MoSCoW categories as prio writes them are read from the bytes; every other
/// spelling goes through the text rules. Both give the same answers.
@Suite("Words read from the bytes")
struct ByteWordTests {
    @Test("Each status and MoSCoW spelling reads as the text rules read it, warnings included")
    func sameAsTheTextRules() throws {
        let statuses = ["todo", "Todo", "ready", "in-progress", "In Progress", "done", "DONE", "doing", "review", "todo "]
        let categories = ["must", "Must", "should", "could", "wont", "won't", "W", "shoul"]
        var text = "# B\n\n- statuses: todo, in-progress, review, done\n\n"
        for (n, status) in statuses.enumerated() { text += "## S-\(n + 1) S\n- status: \(status)\n\n" }
        for (n, category) in categories.enumerated() where category != "shoul" {
            text += "## S-\(n + 100) M\n- moscow: \(category)\n\n"
        }
        let parsed = try BacklogParser.parse(text, path: "b.md")
        let read = parsed.backlog.stories
        #expect(read.prefix(statuses.count).map(\.status) == statuses.map { Status(parsing: $0.trimmingASCIIWhitespace()) })
        #expect(read.dropFirst(statuses.count).map(\.moscow) == categories.filter { $0 != "shoul" }.map { MoSCoW(parsing: $0) })
        // `ready` is not in this workflow: it warns, read from the bytes or not.
        let readyLine = try #require(text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0 == "- status: ready" }) + 1
        #expect(parsed.warnings.map(\.description).contains { $0.hasPrefix("b.md:\(readyLine):11: warning:") })
        #expect(throws: BacklogErrors.self) { try BacklogParser.parse("# B\n\n## S-1 A\n- moscow: shoul\n", path: "b.md") }
    }
}
