import PrioEngine
import PropertyBased
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

    @Test("parentIDs: the epics' IDs, nested ones too")
    func parentIDs() throws {
        let backlog = try load(nested)
        let ids = backlog.parentIDs()
        #expect(backlog.stories.filter { ids.contains($0.id) }.map(\.id.description) == ["S-1", "S-4"])
    }

    @Test("Random forests and placements: the block moves whole (epic first, descendants in manual order), the rest keeps its order")
    func property() async {
        // parents[i] < i: story i's parent is story parents[i] (no cycle); else none. The manual
        // order is shuffled by `shuffle`; then story `mover` goes to a placement of `kind`.
        await propertyCheck(count: 400, input: Gen.int(in: 0...11).array(of: 2...12), Gen.int(in: 0...11).array(of: 12...12),
                            Gen.int(in: 0...11).array(of: 4...4)) { parents, shuffle, choice in
            let n = parents.count
            var text = "# Random\n\n"
            for i in 0..<n {
                text += "## S-\(i + 1) Story\n" + (parents[i] < i ? "- parent: S-\(parents[i] + 1)\n" : "") + "\n"
            }
            guard var backlog = try? load(text) else {
                Issue.record("did not parse: \(text)")
                return
            }
            for (k, to) in shuffle.enumerated() { backlog.move(from: k % n, to: to % n) }
            let before = backlog.stories.map(\.id.description)
            let mover = choice[0] % n, alone = choice[2] % 3 == 0
            let moverID = before[mover]
            // The reference: a story is in the block when its chain of parents reaches the mover.
            func reaches(_ id: String) -> Bool {
                var current: String? = id
                var steps = 0
                while let c = current, steps <= n {
                    if c == moverID { return true }
                    current = backlog.story(StoryID(c) ?? StoryID(prefix: "S", number: 0))?.parent?.description
                    steps += 1
                }
                return false
            }
            let block = alone ? [moverID] : [moverID] + before.filter { $0 != moverID && reaches($0) }
            let rest = before.filter { !block.contains($0) }
            let other = before[choice[1] % n]
            let placement: Placement
            var at: Int
            switch choice[3] % 5 {
            case 0: placement = .top; at = 0
            case 1: placement = .bottom; at = rest.count
            case 2: placement = .position(choice[1] + 1); at = min(choice[1], rest.count)
            case 3: placement = .before(StoryID(other) ?? StoryID(prefix: "S", number: 0)); at = rest.firstIndex(of: other) ?? -1
            default: placement = .after(StoryID(other) ?? StoryID(prefix: "S", number: 0)); at = (rest.firstIndex(of: other) ?? -2) + 1
            }
            do {
                try backlog.move(StoryID(moverID) ?? StoryID(prefix: "S", number: 0), to: placement, alone: alone)
                #expect(at >= 0, "a placement next to a story of the block is refused")
                #expect(backlog.stories.map(\.id.description) == Array(rest[..<at]) + block + Array(rest[at...]))
            } catch {
                #expect(at < 0, "refused only next to a story of the block: \(error)")
                #expect(backlog.stories.map(\.id.description) == before)
            }
        }
    }
}
