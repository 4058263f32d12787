import Foundation
import Testing

/// The index of the first line of a story's block (after its heading) that starts with `prefix`.
func lineIndex(_ lines: [String], story id: String, startingWith prefix: String) -> Int? {
    guard let heading = lines.firstIndex(where: { $0.hasPrefix("## \(id) ") }) else { return nil }
    var i = heading + 1
    while i < lines.count && !lines[i].hasPrefix("## ") {
        if lines[i].hasPrefix(prefix) { return i }
        i += 1
    }
    return nil
}

@Suite("prio set")
struct SetTests {
    @Test("set changes exactly one line", arguments: [
        // (story, assignment, line it changes, the new line)
        ("S-10", "value=8", "- value: ", "- value: 8\n"),
        ("S-10", "moscow=M", "- moscow: ", "- moscow: must\n"),
        ("S-10", "status=In Progress", "- status: ", "- status: in-progress\n"),
        ("S-20", "tags=i18n,checkout ,  japan", "- tags: ", "- tags: i18n, checkout, japan\n"),
        ("S-36", "risk-reduction=2.5", "- risk-reduction: ", "- risk-reduction: 2.5\n"),
        ("S-10", "title=Wish list", "", "## S-10 Wish list\n"),
    ])
    func changesOneLine(id: String, assignment: String, linePrefix: String, newLine: String) throws {
        let box = try Sandbox()
        let before = linesKeepingEnds(String(decoding: try box.initSample(), as: UTF8.self))
        let result = try box.run("set", id, assignment)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == "")

        let index: Int
        if linePrefix.isEmpty {
            index = try #require(before.firstIndex { $0.hasPrefix("## \(id) ") })
        } else {
            index = try #require(lineIndex(before, story: id, startingWith: linePrefix))
        }
        var expected = before
        expected[index] = newLine
        let after = linesKeepingEnds(try box.text("backlog.md"))
        #expect(after.count == before.count)
        let changed = zip(before, after).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
        #expect(changed == [index], "only line \(index + 1) may change")
        #expect(after == expected)
    }

    @Test("set key= removes the field line and nothing else")
    func emptyValueRemovesLine() throws {
        let box = try Sandbox()
        let before = linesKeepingEnds(String(decoding: try box.initSample(), as: UTF8.self))
        let result = try box.run("set", "S-10", "reach=")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "")
        let index = try #require(lineIndex(before, story: "S-10", startingWith: "- reach: "))
        var expected = before
        expected.remove(at: index)
        #expect(linesKeepingEnds(try box.text("backlog.md")) == expected)

        // Removing a field that is not there writes nothing.
        let again = try box.run("set", "S-10", "reach=")
        #expect(again.status == 0, "\(again)")
        #expect(linesKeepingEnds(try box.text("backlog.md")) == expected)
    }

    @Test("set adds a missing field in the canonical place")
    func newFieldInCanonicalPlace() throws {
        let box = try Sandbox()
        let before = linesKeepingEnds(String(decoding: try box.initSample(), as: UTF8.self))
        // S-33 has no moscow line: it goes after status and before value.
        let result = try box.run("set", "S-33", "moscow=could", "sprint=Sprint 5")
        #expect(result.status == 0, "\(result)")
        let status = try #require(lineIndex(before, story: "S-33", startingWith: "- status: "))
        let tags = try #require(lineIndex(before, story: "S-33", startingWith: "- tags: "))
        var expected = before
        expected.insert("- sprint: Sprint 5\n", at: tags + 1)
        expected.insert("- moscow: could\n", at: status + 1)
        #expect(linesKeepingEnds(try box.text("backlog.md")) == expected)
    }

    @Test("set with the file as the first argument")
    func namedFile() throws {
        let box = try Sandbox()
        let before = linesKeepingEnds(String(decoding: try box.initSample("shop.md"), as: UTF8.self))
        let result = try box.run("set", "shop.md", "S-14", "points=3")
        #expect(result.status == 0, "\(result)")
        let index = try #require(lineIndex(before, story: "S-14", startingWith: "- points: "))
        var expected = before
        expected[index] = "- points: 3\n"
        #expect(linesKeepingEnds(try box.text("shop.md")) == expected)
    }

    @Test("set refuses and leaves the file byte-identical", arguments: [
        (["S-99", "value=1"], "prio: error: no story with ID S-99 (did you mean S-29?)\n"),
        (["S-10", "id=S-50"], "prio: error: IDs never change; add a new story instead\n"),
        (["S-10", "ID=S-50"], "prio: error: IDs never change; add a new story instead\n"),
        (["S-10", "value=abc"], "prio: error: value must be a number like 5 or 0.5, got 'abc'\n"),
        // All or nothing: the first assignment is fine, the second is not.
        (["S-10", "value=8", "points=x"], "prio: error: points must be a number like 5 or 0.5, got 'x'\n"),
        (["S-10", "depends=S-98"], "prio: error: S-10 depends on S-98, which is not in the backlog\nnothing was written\n"),
        (["S-10"], "prio: error: nothing to set: give key=value pairs\n"),
        (["banana", "value=1"], "prio: error: 'banana' is not a story ID (like S-12)\n"),
    ])
    func refuses(arguments: [String], message: String) throws {
        let box = try Sandbox()
        let before = try box.initSample()
        let result = try box.run(arguments: ["set"] + arguments)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == message)
        #expect(try box.read("backlog.md") == before)
        #expect(try box.listing() == ["backlog.md"])
    }
}
