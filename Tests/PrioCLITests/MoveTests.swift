import Foundation
import Testing

/// One `prio move` case and the order it should produce, computed from the old order.
struct MoveCase: Sendable, CustomTestStringConvertible {
    enum Placement: Sendable {
        case top, bottom
        case position(Int)
        case before(String)
        case after(String)
    }

    var id: String
    var placement: Placement

    var arguments: [String] {
        switch placement {
        case .top: ["move", id, "--top"]
        case .bottom: ["move", id, "--bottom"]
        case .position(let n): ["move", id, "--to", String(n)]
        case .before(let other): ["move", id, "--before", other]
        case .after(let other): ["move", id, "--after", other]
        }
    }

    /// The IDs after the move: take the story out, then put it in its place among the rest.
    func expectedOrder(from ids: [String]) -> [String] {
        var rest = ids
        rest.removeAll { $0 == id }
        let index: Int
        switch placement {
        case .top: index = 0
        case .bottom: index = rest.count
        case .position(let n): index = min(n, ids.count) - 1
        case .before(let other): index = rest.firstIndex(of: other)!
        case .after(let other): index = rest.firstIndex(of: other)! + 1
        }
        rest.insert(id, at: index)
        return rest
    }

    var testDescription: String { arguments.joined(separator: " ") }
}

@Suite("prio move")
struct MoveTests {
    @Test("move reorders the headings and keeps every block's bytes", arguments: [
        MoveCase(id: "S-10", placement: .top),
        MoveCase(id: "S-10", placement: .bottom),
        MoveCase(id: "S-10", placement: .position(3)),
        MoveCase(id: "S-10", placement: .position(1)),
        MoveCase(id: "S-10", placement: .position(999)),
        MoveCase(id: "S-10", placement: .before("S-3")),
        MoveCase(id: "S-10", placement: .after("S-3")),
        MoveCase(id: "S-10", placement: .before("S-36")),
        MoveCase(id: "S-10", placement: .after("S-36")),
        MoveCase(id: "S-36", placement: .top),  // the last block, which has no blank line after it
        MoveCase(id: "S-36", placement: .position(2)),
        MoveCase(id: "S-1", placement: .bottom),  // the first block, right after the header
        MoveCase(id: "S-1", placement: .after("S-2")),
        MoveCase(id: "S-2", placement: .before("S-1")),
    ])
    func reorders(_ move: MoveCase) throws {
        let box = try Sandbox()
        let beforeText = String(decoding: try box.initSample(), as: UTF8.self)
        let before = BacklogText(beforeText)
        #expect(before.ids.count == 36)

        let result = try box.run(arguments: move.arguments)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == "")

        let afterText = try box.text("backlog.md")
        let after = BacklogText(afterText)
        #expect(after.ids == move.expectedOrder(from: before.ids))
        #expect(after.header == before.header)
        #expect(after.blockMultiset == before.blockMultiset)
        // Nothing is lost or added: the same bytes apart from blank lines between blocks.
        #expect(afterText.utf8.count == beforeText.utf8.count)
        #expect(afterText.hasSuffix("\n") && !afterText.hasSuffix("\n\n"))
        // Blocks are separated by exactly one blank line, as in the sample.
        #expect(!afterText.contains("\n\n\n"))
        for block in after.blocks.dropFirst() {
            #expect(afterText.contains("\n\n" + block.text.prefix(while: { $0 != "\n" }) + "\n"))
        }
    }

    @Test("moving back restores the file byte for byte")
    func moveAndBack() throws {
        let box = try Sandbox()
        let original = try box.initSample()
        #expect(try box.run("move", "S-36", "--top").status == 0)
        #expect(try box.run("move", "S-36", "--bottom").status == 0)
        #expect(try box.read("backlog.md") == original)
        #expect(try box.run("move", "S-4", "--to", "20").status == 0)
        #expect(try box.run("move", "S-4", "--after", "S-3").status == 0)
        #expect(try box.read("backlog.md") == original)
    }

    @Test("move refuses bad requests and leaves the file byte-identical", arguments: [
        (["S-10", "--to", "0"], "prio: error: position must be 1 or more\n"),
        (["S-10", "--before", "S-10"], "prio: error: cannot move S-10 relative to itself\n"),
        (["S-99", "--top"], "prio: error: no story with ID S-99 (did you mean S-29?)\n"),
        (["S-10", "--after", "S-99"], "prio: error: no story with ID S-99 (did you mean S-29?)\n"),
        (["S-10"], "prio: error: give exactly one of --top, --bottom, --to N, --before ID, --after ID\n"),
        (["S-10", "--top", "--bottom"], "prio: error: give exactly one of --top, --bottom, --to N, --before ID, --after ID\n"),
    ])
    func refuses(arguments: [String], message: String) throws {
        let box = try Sandbox()
        let before = try box.initSample()
        let result = try box.run(arguments: ["move"] + arguments)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == message)
        #expect(try box.read("backlog.md") == before)
    }
}
