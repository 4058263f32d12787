import PrioEngine
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

    @Test("Every story, warning and dependency error in the second half has its line (the half counts from 0 and moves)")
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
