import Foundation
import Testing

/// E-1 is an epic of S-2 and S-4; S-4 is an epic of S-6; S-3, S-5 and S-7 are in no epic.
private let epicBacklog = """
# Shop

## E-1 Checkout epic
- points: 1

## S-2 Guest checkout
- parent: E-1

## S-3 Search

## S-4 Payments
- parent: E-1

## S-5 Wishlist

## S-6 Apple Pay
- parent: S-4

## S-7 Gift cards

"""

@Suite("prio move with epics")
struct EpicMoveTests {
    @Test("moving an epic moves its children and grandchildren with it, and says so")
    func epicWithChildren() throws {
        let box = try Sandbox()
        try box.write("backlog.md", epicBacklog)
        let result = try box.run("move", "E-1", "--bottom")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == "moved E-1 with 3 stories under it\n")
        let after = BacklogText(try box.text("backlog.md"))
        #expect(after.ids == ["S-3", "S-5", "S-7", "E-1", "S-2", "S-4", "S-6"])
        #expect(after.blockMultiset == BacklogText(epicBacklog).blockMultiset)
        // The file reads back as it was written.
        #expect(try box.run("check").status == 0)
    }

    @Test("--alone moves just the epic; its children keep their places")
    func alone() throws {
        let box = try Sandbox()
        try box.write("backlog.md", epicBacklog)
        let result = try box.run("move", "E-1", "--to", "3", "--alone")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")
        #expect(BacklogText(try box.text("backlog.md")).ids == ["S-2", "S-3", "E-1", "S-4", "S-5", "S-6", "S-7"])
    }

    @Test("moving a child moves only the child; a nested epic takes its own children")
    func childAndNested() throws {
        let box = try Sandbox()
        try box.write("backlog.md", epicBacklog)
        #expect(try box.run("move", "S-2", "--after", "S-7").status == 0)
        #expect(BacklogText(try box.text("backlog.md")).ids == ["E-1", "S-3", "S-4", "S-5", "S-6", "S-7", "S-2"])
        let nested = try box.run("move", "S-4", "--top")
        #expect(nested.stderr == "moved S-4 with 1 story under it\n")
        #expect(BacklogText(try box.text("backlog.md")).ids == ["S-4", "S-6", "E-1", "S-3", "S-5", "S-7", "S-2"])
    }

    @Test("an epic cannot go next to its own child; the file stays byte for byte")
    func refusesOwnChild() throws {
        let box = try Sandbox()
        try box.write("backlog.md", epicBacklog)
        let before = try box.read("backlog.md")
        let result = try box.run("move", "E-1", "--after", "S-6")
        #expect(result.status == 1)
        #expect(result.stderr == "prio: error: cannot move E-1 relative to S-6, which moves with it (one of its children; --alone moves E-1 without them)\n")
        #expect(try box.read("backlog.md") == before)
        #expect(try box.run("move", "E-1", "--after", "S-6", "--alone").status == 0)
        #expect(BacklogText(try box.text("backlog.md")).ids == ["S-2", "S-3", "S-4", "S-5", "S-6", "E-1", "S-7"])
    }
}
