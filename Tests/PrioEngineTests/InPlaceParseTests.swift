import Foundation
@testable import PrioEngine
import PropertyBased
import Synchronization
import Testing

/// A big file's halves are parsed straight into the backlog's array: a count of each half's
/// lines and story headings sizes the array and gives the second half its first line.
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

@Suite("Move buffers in windows", .serialized)
struct MoveBufferWindowTests {
    @Test("Two windows of one allocation join into an array, moving the later one down over the gap")
    func joinWithGap() {
        let joined = [Tracked](unsafeUninitializedCapacity: 10) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            let earlier = MoveBuffer<Tracked>(window: base, capacity: 6)
            let later = MoveBuffer<Tracked>(window: base + 6, capacity: 4)
            for n in 0..<4 { earlier.append(Tracked(n)) }
            for n in 4..<7 { later.append(Tracked(n)) }
            let seen = Mutex<[Int]>([])
            initialized = later.joinWindows(after: earlier, alongside: { half in seen.withLock { $0.append(half) } }) ?? 0
            #expect(seen.withLock { $0.sorted() } == [0, 1])
            #expect(earlier.isEmpty && later.isEmpty)
        }
        withExtendedLifetime(joined) {
            #expect(joined.map(\.value) == Array(0..<7))
            #expect(Tracked.alive == 7)
        }
    }

    @Test("A buffer that outgrows its window moves out with its elements; the windows then do not join")
    func outgrowingTheWindow() {
        let taken: [Tracked] = [Tracked](unsafeUninitializedCapacity: 4) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            let earlier = MoveBuffer<Tracked>(window: base, capacity: 2)
            let later = MoveBuffer<Tracked>(window: base + 2, capacity: 2)
            for n in 0..<3 { earlier.append(Tracked(n)) }
            later.append(Tracked(3))
            #expect(!earlier.isInWindow && later.isInWindow)
            #expect(later.joinWindows(after: earlier, alongside: { _ in }) == nil)
            later.leaveWindow()
            #expect(!later.isInWindow)
            // Both hold their elements in memory of their own: the window's memory is free to go.
            initialized = 0
            let array = later.takeArray(after: earlier)
            #expect(array.map(\.value) == [0, 1, 2, 3])
            #expect(Tracked.alive == 4)
        }
        #expect(taken.isEmpty)
        #expect(Tracked.alive == 0)
    }

    @Test("A window buffer dropped with elements in it releases them once and leaves the memory to its owner")
    func droppedInWindow() {
        let kept = [Tracked](unsafeUninitializedCapacity: 3) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            var window: MoveBuffer<Tracked>? = MoveBuffer(window: base, capacity: 3)
            window?.append(Tracked(1))
            window?.append(Tracked(2))
            #expect(Tracked.alive == 2)
            window = nil
            #expect(Tracked.alive == 0)
            // The memory is still the array's to fill.
            base.initialize(to: Tracked(9))
            initialized = 1
        }
        #expect(kept.map(\.value) == [9])
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
