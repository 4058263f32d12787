import PrioEngine
import Testing

/// S-1 is an epic of S-2 and S-4; S-4 is itself an epic of S-6 (nested); S-3 and S-5 are in no epic.
private let nested = """
# Shop

## S-1 Checkout epic

## S-2 Guest checkout
- parent: S-1

## S-3 Search

## S-4 Payments epic
- parent: S-1

## S-5 Wishlist

## S-6 Apple Pay
- parent: S-4

## S-7 Gift cards

"""

@Suite("Moving an epic moves its children")
struct BlockMoveTests {
    private func sid(_ text: String) throws -> StoryID { try #require(StoryID(text)) }

    private func ids(_ backlog: Backlog) -> [String] { backlog.stories.map(\.id.description) }

    private func index(_ backlog: Backlog, _ id: String) throws -> Int {
        try #require(backlog.index(of: try sid(id)))
    }

    @Test("The block of an epic: itself first, then every descendant (nested ones too) in manual order")
    func blocks() throws {
        let backlog = try load(nested)
        #expect(backlog.block(of: try index(backlog, "S-1")).map { backlog.stories[$0].id.description } == ["S-1", "S-2", "S-4", "S-6"])
        #expect(backlog.block(of: try index(backlog, "S-4")).map { backlog.stories[$0].id.description } == ["S-4", "S-6"])
        #expect(backlog.block(of: try index(backlog, "S-3")).map { backlog.stories[$0].id.description } == ["S-3"])
        #expect(backlog.block(of: 99).isEmpty)
    }

    @Test("Moving an epic to the bottom takes its children and grandchildren, in their order")
    func epicToBottom() throws {
        var backlog = try load(nested)
        try backlog.move(try sid("S-1"), to: .bottom)
        #expect(ids(backlog) == ["S-3", "S-5", "S-7", "S-1", "S-2", "S-4", "S-6"])
    }

    @Test("A nested epic moves with its own children only")
    func nestedEpicToTop() throws {
        var backlog = try load(nested)
        try backlog.move(try sid("S-4"), to: .top)
        #expect(ids(backlog) == ["S-4", "S-6", "S-1", "S-2", "S-3", "S-5", "S-7"])
    }

    @Test("Positions and neighbours count among the stories that stay")
    func placements() throws {
        var after = try load(nested)
        try after.move(try sid("S-4"), to: .after(try sid("S-7")))
        #expect(ids(after) == ["S-1", "S-2", "S-3", "S-5", "S-7", "S-4", "S-6"])
        var before = try load(nested)
        try before.move(try sid("S-4"), to: .before(try sid("S-2")))
        #expect(ids(before) == ["S-1", "S-4", "S-6", "S-2", "S-3", "S-5", "S-7"])
        // --to 2: the epic lands at 2, its children right after it.
        var position = try load(nested)
        try position.move(try sid("S-4"), to: .position(2))
        #expect(ids(position) == ["S-1", "S-4", "S-6", "S-2", "S-3", "S-5", "S-7"])
        // Past the end: as far down as the block fits.
        var far = try load(nested)
        try far.move(try sid("S-1"), to: .position(99))
        #expect(ids(far) == ["S-3", "S-5", "S-7", "S-1", "S-2", "S-4", "S-6"])
    }

    @Test("A scattered block becomes one run, the epic first")
    func scattered() throws {
        var backlog = try load(nested)
        // S-6 (under S-4) sits two stories below S-4: moving S-4 one place down gathers them.
        try backlog.move(try sid("S-4"), to: .after(try sid("S-5")))
        #expect(ids(backlog) == ["S-1", "S-2", "S-3", "S-5", "S-4", "S-6", "S-7"])
    }

    @Test("Moving a child moves only the child")
    func child() throws {
        var backlog = try load(nested)
        try backlog.move(try sid("S-6"), to: .top)
        #expect(ids(backlog) == ["S-6", "S-1", "S-2", "S-3", "S-4", "S-5", "S-7"])
        var second = try load(nested)
        try second.move(try sid("S-2"), to: .bottom)
        #expect(ids(second) == ["S-1", "S-3", "S-4", "S-5", "S-6", "S-7", "S-2"])
    }

    @Test("alone moves just the epic; its children stay where they are")
    func alone() throws {
        var backlog = try load(nested)
        try backlog.move(try sid("S-1"), to: .bottom, alone: true)
        #expect(ids(backlog) == ["S-2", "S-3", "S-4", "S-5", "S-6", "S-7", "S-1"])
        // The same as the plain move of a story without children.
        var plain = try load(nested)
        try plain.move(try sid("S-3"), to: .position(1), alone: true)
        #expect(ids(plain) == ["S-3", "S-1", "S-2", "S-4", "S-5", "S-6", "S-7"])
    }

    @Test("An epic cannot be placed next to a story that moves with it; unmoved orders say nil")
    func refusals() throws {
        var backlog = try load(nested)
        #expect(throws: PrioError.self) { try backlog.move(try sid("S-1"), to: .after(try sid("S-6"))) }
        #expect(ids(backlog) == ["S-1", "S-2", "S-3", "S-4", "S-5", "S-6", "S-7"])
        // --alone may: the epic alone goes after its grandchild.
        try backlog.move(try sid("S-1"), to: .after(try sid("S-6")), alone: true)
        #expect(ids(backlog) == ["S-2", "S-3", "S-4", "S-5", "S-6", "S-1", "S-7"])
        let fresh = try load(nested)
        #expect(try fresh.order(moving: 0, to: .top, alone: true) == nil)
        #expect(try fresh.order(moving: 0, to: .top) != nil)  // the scattered block gathers under S-1
        #expect(throws: PrioError.self) { try fresh.order(moving: 0, to: .position(0)) }
    }

    @Test("A parent cycle built in memory does not loop: each story is in the block once")
    func cycle() throws {
        var backlog = try load(nested)
        // The parser refuses cycles; a story changed in memory can still make one.
        var epic = backlog.stories[0]
        try epic.setField("parent", "S-6")
        backlog.replaceStory(at: 0, with: epic)
        let block = backlog.block(of: 0).map { backlog.stories[$0].id.description }
        #expect(block == ["S-1", "S-2", "S-4", "S-6"])
        try backlog.move(try sid("S-1"), to: .bottom)
        #expect(ids(backlog) == ["S-3", "S-5", "S-7", "S-1", "S-2", "S-4", "S-6"])
    }
}
