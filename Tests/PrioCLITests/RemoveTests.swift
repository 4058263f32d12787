import Foundation
import Testing

/// The sample text without the chunk from `## id ` up to the next story heading (the block and its blank line).
func removingChunk(_ text: String, story id: String, nextStory next: String) throws -> String {
    let start = try #require(text.range(of: "\n## \(id) "))
    let end = try #require(text.range(of: "\n## \(next) ", range: start.upperBound..<text.endIndex))
    return String(text[..<start.lowerBound]) + String(text[end.lowerBound...])
}

@Suite("prio rm")
struct RemoveTests {
    @Test("rm removes the story's block and nothing else")
    func removesBlock() throws {
        let box = try Sandbox()
        let sample = String(decoding: try box.initSample(), as: UTF8.self)
        // Nothing depends on S-14.
        let result = try box.run("rm", "S-14")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == "")
        let expected = try removingChunk(sample, story: "S-14", nextStory: "S-15")
        #expect(try box.text("backlog.md") == expected)
        #expect(BacklogText(try box.text("backlog.md")).ids.count == 35)
    }

    @Test("rm of the last story leaves the file ending with one newline")
    func removesLastBlock() throws {
        let box = try Sandbox()
        let sample = String(decoding: try box.initSample(), as: UTF8.self)
        let result = try box.run("rm", "S-36")
        #expect(result.status == 0, "\(result)")
        let start = try #require(sample.range(of: "\n## S-36 "))
        // S-35 is now last: its text ends the file, without the blank line that separated it from S-36.
        #expect(try box.text("backlog.md") == String(sample[..<start.lowerBound]))
    }

    @Test("rm refuses when other stories depend on the story")
    func refusesWithDependents() throws {
        let box = try Sandbox()
        let before = try box.initSample()
        // S-20 has "- depends: S-17".
        let sample = BacklogText(String(decoding: before, as: UTF8.self))
        #expect(sample.block("S-20")?.field("depends") == "S-17")

        let result = try box.run("rm", "S-17")
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr.hasPrefix("prio: error: S-20 depend"))
        #expect(result.stderr.contains("on S-17"))
        #expect(result.stderr.contains("--force"))
        #expect(result.stderr.hasSuffix("\n") && result.stderr.split(separator: "\n").count == 1)
        #expect(try box.read("backlog.md") == before)
    }

    @Test("rm --force removes the story and the depends reference to it")
    func forceRemovesReference() throws {
        let box = try Sandbox()
        let sample = String(decoding: try box.initSample(), as: UTF8.self)
        let result = try box.run("rm", "S-17", "--force")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == "")
        var expected = try removingChunk(sample, story: "S-17", nextStory: "S-18")
        // S-20 depended only on S-17, so its depends line goes.
        let s20 = try #require(expected.range(of: "## S-20 "))
        let dependsLine = try #require(expected.range(of: "- depends: S-17\n", range: s20.upperBound..<expected.endIndex))
        expected.removeSubrange(dependsLine)
        #expect(try box.text("backlog.md") == expected)

        let check = try box.run("check")
        #expect(check.status == 0, "\(check)")
        // The sample's one stakeholder disagreement is its only warning.
        #expect(check.stdout == "backlog.md: ok: 35 stories (30 not done), 1 warnings\n")
    }

    @Test("rm --force keeps the other IDs of a depends list")
    func forceKeepsOtherDependencies() throws {
        let box = try Sandbox()
        let sample = String(decoding: try box.initSample(), as: UTF8.self)
        // S-13 has "- depends: S-5, S-8".
        let refused = try box.run("rm", "S-8")
        #expect(refused.status == 1, "\(refused)")
        #expect(refused.stderr.contains("S-13"))
        let result = try box.run("rm", "--force", "S-8")
        #expect(result.status == 0, "\(result)")
        var expected = try removingChunk(sample, story: "S-8", nextStory: "S-22")
        let line = try #require(expected.range(of: "- depends: S-5, S-8\n"))
        expected.replaceSubrange(line, with: "- depends: S-5\n")
        #expect(try box.text("backlog.md") == expected)
    }

    @Test("rm of an unknown story is an error")
    func unknownStory() throws {
        let box = try Sandbox()
        let before = try box.initSample()
        let result = try box.run("rm", "S-99")
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == "prio: error: no story with ID S-99 (did you mean S-29?)\n")
        #expect(try box.read("backlog.md") == before)
    }
}
