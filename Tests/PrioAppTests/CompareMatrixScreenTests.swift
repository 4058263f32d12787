import PrioApp
import PrioEngine
import Testing

/// The compare (`C`) and matrix (`M`) screens on the bundled sample backlog.
@Suite("Compare and matrix screens")
struct CompareMatrixScreenTests {
    func sample(width: Int, height: Int) throws -> TestSession {
        let file = try TestBacklog(String(decoding: SampleBacklog.bytes, as: UTF8.self), name: "shop.md")
        return try file.session(width: width, height: height)
    }

    @Test("C at 80×24 and 120×40: a column per strategy with ▲/▼ against the manual order")
    func compareSnapshots() throws {
        let narrow = try sample(width: 80, height: 24)
        narrow.send(.character("C"), .character("j"))
        assertSnapshot(narrow.screen, named: "compare-80x24")
        let wide = try sample(width: 120, height: 40)
        wide.send(.character("C"), .right, .right)
        assertSnapshot(wide.screen, named: "compare-wsjf-120x40")
    }

    @Test("The compare screen keeps the list's story: sorting moves its row, Esc returns to it in the list")
    func compareCursor() throws {
        let s = try sample(width: 120, height: 40)
        s.send(.character("C"))
        let entered = try #require(s.state.selectedStory?.id)
        #expect(entered.description == "S-31", "the list's story is done: the first compared story is selected")
        s.send(.character("j"), .character("j"))
        let id = try #require(s.state.selectedStory?.id)
        s.send(.character("2"))  // sort by wsjf
        #expect(s.state.selectedStory?.id == id)
        #expect(s.screen.split(separator: "\n")[0].hasSuffix("sorted by WSJF (SAFe)"))
        let selectedLine = try #require(s.screen.split(separator: "\n").first { $0.hasPrefix("›") })
        #expect(selectedLine.contains(id.description))
        s.send(.character("j"))
        let next = try #require(s.state.selectedStory?.id)
        #expect(next != id)
        s.send(.escape)
        #expect(s.state.selectedStory?.id == next)
        #expect(s.screen.split(separator: "\n").first { $0.hasPrefix("›") }?.contains(next.description) == true)
    }

    @Test("M at 80×24 and 120×40: the 2×2 with the selected story highlighted and described")
    func matrixSnapshots() throws {
        let narrow = try sample(width: 80, height: 24)
        narrow.send(.character("M"))
        assertSnapshot(narrow.screen, named: "matrix-80x24")
        let wide = try sample(width: 120, height: 40)
        wide.send(.character("M"))
        assertSnapshot(wide.screen, named: "matrix-120x40")
    }

    @Test("Arrows move to the nearest story that way; Enter opens it; Esc returns to the list on it")
    func matrixKeys() throws {
        let s = try sample(width: 120, height: 40)
        s.send(.character("M"))
        let first = try #require(s.state.selectedStory)
        let status = { s.screen.split(separator: "\n", omittingEmptySubsequences: false).dropLast().last.map(String.init) ?? "" }
        #expect(status().hasPrefix("\(first.id) \(first.title)"), "\(s.screen)")
        // Moving right means more effort: the new story's effort is not below the first's.
        let effort = { (story: Story) in (story.number(.effort) ?? story.number(.points))?.doubleValue ?? 0 }
        s.send(.right)
        let right = try #require(s.state.selectedStory)
        #expect(right.id != first.id)
        #expect(effort(right) >= effort(first))
        s.send(.up)
        let up = try #require(s.state.selectedStory)
        #expect((up.number(.value)?.doubleValue ?? 0) >= (right.number(.value)?.doubleValue ?? 0))
        s.send(.enter)
        #expect(s.screen.contains("position "), "the detail opens")
        #expect(s.screen.split(separator: "\n")[1].hasPrefix(" \(up.id) \(up.title)"))
        s.send(.escape)
        #expect(s.state.selectedStory?.id == up.id)
    }

    @Test("A backlog without values says why the matrix is empty")
    func emptyMatrix() throws {
        let file = try TestBacklog("# Empty\n\n## S-1 Only\n- points: 1\n")
        let s = try file.session()
        s.send(.character("M"))
        #expect(s.screen.contains("nothing to place"))
        s.send(.escape)
        #expect(!s.screen.contains("nothing to place"))
    }
}

@Suite("Screens under random keys")
struct RandomKeysTests {
    @Test("Random keys on every screen, at sizes down to 1×1, never crash and keep the cursor on a story")
    func randomKeys() throws {
        let keys: [Key] = [.character("C"), .character("M"), .character("P"), .character("L"), .character("p"), .character("?"),
                           .character("j"), .character("k"), .character("G"), .character("g"), .character("J"), .character("K"),
                           .character("s"), .character("S"), .character("n"), .character("N"), .character("u"), .control("r"),
                           .character("1"), .character("3"), .left, .right, .up, .down, .enter, .escape, .tab, .pageDown, .pageUp,
                           .click(row: 3, column: 5), .click(row: 5, column: 90), .wheelDown,
                           .resize(width: 1, height: 1), .resize(width: 20, height: 6), .resize(width: 80, height: 24),
                           .resize(width: 130, height: 40), .resize(width: 75, height: 12)]
        var generator = SystemRandomNumberGenerator()
        let text = String(decoding: SampleBacklog.bytes, as: UTF8.self)
        for _ in 0..<40 {
            let file = try TestBacklog(text, name: "shop.md")
            let session = try file.session(width: 100, height: 30)
            for _ in 0..<150 {
                let key = keys[Int.random(in: 0..<keys.count, using: &generator)]
                if session.send(key) != nil { break }
                _ = session.render()
                if let story = session.state.selectedStory {
                    #expect(session.state.backlog.index(of: story.id) != nil)
                }
            }
        }
    }
}
