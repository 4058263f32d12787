import Foundation
@testable import PrioEngine
@testable import PrioStorage
import Testing

/// Files over 2 MiB are parsed in two halves on two threads; these tests hold that path
/// to the same results as the one-thread path.
@Suite("Large files")
struct LargeFileTests {
    @Test("A generated 10,000-story backlog round-trips byte for byte")
    func roundTrip() throws {
        let bytes = BacklogGenerator.markdown(count: 10_000)
        #expect(bytes.count > 2 << 20)
        let backlog = try BacklogParser.parse(bytes, path: "big.md").backlog
        #expect(backlog.stories.count == 10_000)
        #expect(backlog.stories.map(\.id.number) == Array(1...10_000))
        #expect(BacklogWriter.write(backlog) == bytes)
        // Lines are counted across the split: each story's heading line is where it says.
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        for story in [backlog.stories[0], backlog.stories[5_000], backlog.stories[9_999]] {
            #expect(lines[story.line - 1].hasPrefix("## \(story.id) "))
        }
    }

    @Test("Errors in the second half carry the right line; duplicates across halves are found")
    func errorsAcrossTheSplit() throws {
        var text = String(decoding: BacklogGenerator.markdown(count: 10_000), as: UTF8.self)
        text = text.replacing("\n## S-9000 ", with: "\n## S-17 ")
        text += "\n## S-10001 Last\n- points: many\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let duplicateLine = try #require(lines.firstIndex { $0.hasPrefix("## S-17 ") && !$0.hasSuffix("#17") }) + 1
        let firstLine = try #require(lines.firstIndex { $0.hasPrefix("## S-17 ") }) + 1
        #expect(errors(text, path: "big.md") == [
            "big.md:\(duplicateLine):4: error: duplicate ID S-17 (first used on line \(firstLine))",
            "big.md:\(lines.count - 1):11: error: points must be a number like 5 or 0.5, got 'many'",
        ])
    }

    @Test("A duplicate within the second half names the first use's line, counted from the top of the file")
    func duplicateWithinTheSecondHalf() throws {
        var text = String(decoding: BacklogGenerator.markdown(count: 10_000), as: UTF8.self)
        text = text.replacing("\n## S-9500 ", with: "\n## S-9000 ")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let firstLine = try #require(lines.firstIndex { $0.hasPrefix("## S-9000 ") }) + 1
        let duplicateLine = try #require(lines.firstIndex { $0.hasPrefix("## S-9000 ") && $0.hasSuffix("#9500") }) + 1
        #expect(firstLine > lines.count / 2)
        #expect(errors(text, path: "big.md") == [
            "big.md:\(duplicateLine):4: error: duplicate ID S-9000 (first used on line \(firstLine))",
        ])
    }

    @Test("Dependencies resolve across the halves in both directions")
    func dependenciesAcrossTheSplit() throws {
        var text = String(decoding: BacklogGenerator.markdown(count: 10_000), as: UTF8.self)
        text += "\n## S-10001 Late\n- depends: S-2, S-9999\n"
        text = text.replacing("\n## S-3 Localise reviews #3\n", with: "\n## S-3 Localise reviews #3\n- depends: S-10001\n")
        let backlog = try BacklogParser.parse(text, path: "big.md").backlog
        #expect(backlog.stories.first { $0.id.number == 3 }?.dependencies.map(\.description) == ["S-10001"])
        #expect(backlog.stories.last?.dependencies.map(\.description) == ["S-2", "S-9999"])
    }

    @Test("Every story, warning and dependency error in the second half has its line (the half starts counting where a count of the first half's line feeds says)")
    func linesAcrossTheSplit() throws {
        var text = String(decoding: BacklogGenerator.markdown(count: 10_000), as: UTF8.self)
        text += "\n## S-10001 Late\n- colour: blue\n- depends: S-99999\n\n```\nnever closed\n"
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        // The heading line of every story, counted in the text.
        var headings: [Int] = []
        var inFence = false
        for (i, line) in lines.enumerated() {
            if line.hasPrefix("```") { inFence.toggle() }
            if !inFence && line.hasPrefix("## S-") { headings.append(i + 1) }
        }
        let late = try #require(lines.firstIndex { $0 == "## S-10001 Late" }) + 1
        let problems = errors(text, path: "big.md")
        #expect(problems == [
            "big.md:\(late + 2):12: error: S-10001 depends on S-99999, which is not in the backlog",
            "big.md:\(late + 4):1: error: code block opened here is never closed (close it with ```)",
        ])
        text = String(text.dropLast("```\nnever closed\n".utf8.count)).replacing("- depends: S-99999\n", with: "")
        let parsed = try BacklogParser.parse(text, path: "big.md")
        #expect(parsed.backlog.stories.map(\.line) == headings.filter { $0 <= late })
        #expect(parsed.warnings.map(\.description) == [
            "big.md:\(late + 1):3: warning: unknown field 'colour' (kept; declare it with '- fields: colour' in the header to silence this)",
        ])
    }

    @Test("A code block across the middle of the file is not split")
    func fenceAcrossTheMiddle() throws {
        var text = "# Big\n\n"
        for n in 1...500 { text += "## S-\(n) Before \(n)\n- points: 1\n\n" }
        text += "## S-501 Long log\n\n```\n"
        for n in 1...60_000 { text += "## not a story \(n)\n" }
        text += "```\n\n"
        for n in 502...1_000 { text += "## S-\(n) After \(n)\n- points: 2\n\n" }
        let backlog = try load(text)
        #expect(backlog.stories.count == 1_000)
        #expect(backlog.stories[500].description.hasSuffix("## not a story 60000\n```"))
        #expect(written(backlog) == text)
    }
}

@Suite("Writing and importing in halves")
struct HalvesWriteTests {
    @Test("A big backlog written in two halves is the one-pass bytes: as read, edited, moved, with new stories, CRLF")
    func writeInHalves() throws {
        let bytes = BacklogGenerator.markdown(count: 21_000)
        var backlog = try BacklogParser.parse(bytes, path: "big.md").backlog
        #expect(BacklogWriter.write(backlog, parallelFrom: 2) == bytes)
        // A changed story on each side of the split, a move across it, a new story at the end.
        var story = backlog.stories[10]
        try story.setField("value", "99")
        backlog.replaceStory(at: 10, with: story)
        story = backlog.stories[15_000]
        try story.setTitle("Changed in the second half")
        backlog.replaceStory(at: 15_000, with: story)
        backlog.swapStories(10_499, 10_500)
        backlog.insertStory(Story(id: StoryID(prefix: "S", number: 30_000), title: "New at the end"), at: backlog.stories.count)
        let sequential = BacklogWriter.write(backlog, parallelFrom: .max)
        #expect(BacklogWriter.write(backlog, parallelFrom: 2) == sequential)
        #expect(try BacklogParser.parse(sequential, path: "big.md").backlog.stories.count == 21_001)
        // CRLF, and splits at every small size.
        let crlf = Array(String(decoding: BacklogGenerator.markdown(count: 40), as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        let small = try BacklogParser.parse(crlf, path: "crlf.md").backlog
        for threshold in 2...6 { #expect(BacklogWriter.write(small, parallelFrom: threshold) == crlf) }
    }

    @Test("An import of 25,000 rows built in two halves numbers, orders and reports as one pass would")
    func importInHalves() throws {
        var csv = "Summary,Story Points,Labels,Depends\n"
        for n in 1...25_000 {
            let depends = n > 1 && n % 1_000 == 0 ? "S-\(n - 1)" : ""
            csv += n == 20_000 ? ",3,x,\n" : "Story \(n),\(n % 13),x,\(depends)\n"
        }
        var backlog = Backlog(name: "Import")
        #expect(throws: BacklogErrors.self) {
            try Importer.importStories(Array(csv.utf8), format: .csv, path: "in.csv", into: &backlog)
        }
        do {
            _ = try Importer.importStories(Array(csv.utf8), format: .csv, path: "in.csv", into: &backlog)
        } catch {
            #expect(error.errors.map(\.description) == ["in.csv:20001:1: error: this story has no title (a title or summary column is needed)"])
        }
        csv = csv.replacingOccurrences(of: "\n,3,x,\n", with: "\nStory 20000,3,x,\n")
        let ids = try Importer.importStories(Array(csv.utf8), format: .csv, path: "in.csv", into: &backlog)
        #expect(ids == (1...25_000).map { StoryID(prefix: "S", number: $0) })
        #expect(backlog.stories.map(\.title) == (1...25_000).map { "Story \($0)" })
        #expect(backlog.stories[20_999].dependencies == [StoryID(prefix: "S", number: 20_999)])
        #expect(backlog.stories[12_499].number(.points)?.description == "\(12_500 % 13)")
    }
}
