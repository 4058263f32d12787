import Foundation
import PrioApp
import PrioEngine
import PropertyBased
import Testing

/// S-1 (Checkout) is an epic of S-2 (done) and S-4; S-5 (Search) of S-6; S-3 and S-7 are in no
/// epic. The Definition of Ready asks for points and acceptance criteria.
private let epicBacklog = """
# Shop

- ready: points, criteria

## S-1 Checkout epic
- points: 1

- [ ] pays in one step

## S-2 Guest checkout
- status: done
- points: 5
- parent: S-1

## S-3 Search box
- points: 2

- [ ] finds by title

## S-4 Apple Pay
- points: 3
- parent: S-1

## S-5 Search epic
- points: 1

- [ ] finds anything

## S-6 Facets
- parent: S-5

## S-7 Gift wrap
- points: 1

"""

private func statusLine(_ session: TestSession) -> String {
    session.render().lines.last ?? ""
}

/// The IDs of the list's rows, top to bottom, as drawn (the first ID on each line under the titles).
private func rowIDs(_ session: TestSession) -> [String] {
    session.render().lines.dropFirst(2).dropLast().compactMap { line in
        line.split(separator: " ").first { $0.hasPrefix("S-") && $0.dropFirst(2).allSatisfy(\.isNumber) }.map(String.init)
    }
}

@Suite("Folding the list by epic, moving epics and the not-ready marks on the screen")
struct EpicFoldScreenTests {
    @Test("z folds by epic as prio rank --group parent groups: each epic a row with its roll-up, the stories in no epic after")
    func fold() throws {
        let session = try TestBacklog(epicBacklog).session()
        session.send(.character("z"))
        #expect(statusLine(session).contains("folded by 2 epics"))
        #expect(rowIDs(session) == ["S-1", "S-5", "S-3", "S-7"])
        // The engine's roll-up: S-1's children are 5 (done) + 3 points.
        let epics = Epics(session.state.backlog, strategy: ManualStrategy(), forecast: nil)
        let rollup = try #require(epics.rollups.first)
        #expect(EpicsReport.summary(rollup) == "2 stories, 8 pts, 5 pts done (63%)")
        #expect(EpicsReport.brief(rollup) == "63% of 8 pts done · 2 stories")
        #expect(session.render().lines.contains { $0.contains("▸ Checkout epic · 63% of 8 pts done ") })
        assertSnapshot(session.screen, named: "epic-fold-80x24")
    }

    @Test("→, l and Enter unfold an epic, ← and h fold it; the cursor stays on its story")
    func unfoldAndFold() throws {
        let session = try TestBacklog(epicBacklog).session()
        session.send(.character("z"))
        #expect(session.state.selectedStory?.id.description == "S-1")
        session.send(.right)
        #expect(rowIDs(session) == ["S-1", "S-2", "S-4", "S-5", "S-3", "S-7"])
        #expect(session.state.selectedStory?.id.description == "S-1")
        session.send(.character("j"), .character("j"))
        #expect(session.state.selectedStory?.id.description == "S-4")
        assertSnapshot(session.screen, named: "epic-unfolded-80x24")
        // Unfolding another epic keeps the cursor on S-4.
        session.send(.character("j"), .enter)
        #expect(rowIDs(session) == ["S-1", "S-2", "S-4", "S-5", "S-6", "S-3", "S-7"])
        #expect(session.state.selectedStory?.id.description == "S-5")
        // ← on a child folds its epic and goes to the epic's row (the child is hidden).
        session.send(.character("j"), .character("h"))
        #expect(rowIDs(session) == ["S-1", "S-2", "S-4", "S-5", "S-3", "S-7"])
        #expect(session.state.selectedStory?.id.description == "S-5")
        // Enter on an unfolded epic opens its detail, which gives the roll-up.
        session.send(.character("k"), .character("k"), .character("k"), .enter)
        #expect(session.render().text.contains("epic: 2 stories, 8 pts, 5 pts done (63%)"))
    }

    @Test("Folding keeps the cursor on its story: its epic stays open; z again shows the list flat")
    func cursorKept() throws {
        let session = try TestBacklog(epicBacklog).session()
        session.send(.character("j"), .character("j"), .character("j"))
        #expect(session.state.selectedStory?.id.description == "S-4")
        session.send(.character("z"))
        #expect(session.state.selectedStory?.id.description == "S-4")
        #expect(rowIDs(session) == ["S-1", "S-2", "S-4", "S-5", "S-3", "S-7"])
        session.send(.character("z"))
        #expect(session.state.selectedStory?.id.description == "S-4")
        #expect(rowIDs(session) == ["S-1", "S-2", "S-3", "S-4", "S-5", "S-6", "S-7"])
        // Under a ranking and a filter: the same grouping of what they show.
        session.send(.character("s"), .character("z"))
        #expect(!rowIDs(session).contains("S-2"), "rankings leave done stories out")
        #expect(rowIDs(session).contains("S-4") && session.state.selectedStory?.id.description == "S-4")
        session.send(.character("f"), .character("/"))
        session.type("points >= 2")
        session.send(.enter)
        // S-1 (1 point) is filtered out but heads its shown child.
        #expect(rowIDs(session) == ["S-1", "S-4", "S-3"])
    }

    @Test("J moves an epic with its children past the next epic, as one undoable step")
    func moveEpic() throws {
        let backlog = try TestBacklog(epicBacklog)
        let session = try backlog.session()
        session.send(.character("z"), .character("J"))
        #expect(statusLine(session).contains("moved S-1 with 2 stories under it"))
        #expect(session.state.backlog.stories.map(\.id.description) == ["S-3", "S-5", "S-6", "S-1", "S-2", "S-4", "S-7"])
        #expect(rowIDs(session) == ["S-5", "S-1", "S-3", "S-7"])
        #expect(session.state.selectedStory?.id.description == "S-1")
        assertSnapshot(session.screen, named: "epic-moved-80x24")
        session.send(.character("u"))
        #expect(session.state.backlog.stories.map(\.id.description) == ["S-1", "S-2", "S-3", "S-4", "S-5", "S-6", "S-7"])
        // In the flat list T takes the epic's children to the top too; a child moves alone.
        session.send(.character("z"), .character("G"), .character("k"), .character("k"), .character("T"))
        #expect(session.state.selectedStory?.id.description == "S-5")
        #expect(session.state.backlog.stories.map(\.id.description) == ["S-5", "S-6", "S-1", "S-2", "S-3", "S-4", "S-7"])
        session.send(.character("j"), .character("B"))
        #expect(session.state.backlog.stories.map(\.id.description) == ["S-5", "S-1", "S-2", "S-3", "S-4", "S-7", "S-6"])
        session.send(.character("w"))
        #expect(backlog.text.contains("## S-7 Gift wrap\n- points: 1\n\n## S-6 Facets\n- parent: S-5\n"))
    }

    @Test("A child moves among its epic's children in the folded list, and says where it stops")
    func moveChild() throws {
        let session = try TestBacklog(epicBacklog).session()
        session.send(.character("z"), .right, .character("j"), .character("J"))
        #expect(session.state.backlog.stories.map(\.id.description) == ["S-1", "S-3", "S-4", "S-2", "S-5", "S-6", "S-7"])
        #expect(session.state.selectedStory?.id.description == "S-2")
        session.send(.character("J"))
        #expect(statusLine(session).contains("S-2 is the last story under S-1"))
    }

    @Test("Open stories that fail the Definition of Ready carry a mark; the detail says what they lack")
    func notReady() throws {
        let session = try TestBacklog(epicBacklog).session()
        let lines = session.render().lines
        func mark(_ id: String) -> Bool { lines.first { $0.contains(" \(id) ") }?.contains("○") ?? false }
        #expect(!mark("S-1") && !mark("S-2") && !mark("S-3") && !mark("S-5"))
        #expect(mark("S-4") && mark("S-6") && mark("S-7"))
        assertSnapshot(session.screen, named: "not-ready-marks-80x24")
        session.send(.character("G"), .character("k"), .enter)
        #expect(session.render().text.contains("○ not ready by the Definition of Ready: missing points, criteria"))
    }

    @Test("Planning a story that is not ready warns once, naming it (the engine's plan warning)")
    func planningWarns() throws {
        let session = try TestBacklog(epicBacklog).session()
        session.send(.character("P"), .character("c"))
        session.type("20")
        session.send(.enter, .character("f"))
        // Once in the pane, whole (wrapped), naming each planned story that is not ready.
        let pane = session.render().lines.map { $0.split(separator: "│").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? "" }
            .joined(separator: " ")
        #expect(pane.components(separatedBy: "planned stories are not ready by the Definition of Ready").count == 2)
        #expect(pane.contains("S-4 (criteria)") && pane.contains("S-7 (criteria)"))
        assertSnapshot(session.screen, named: "planning-not-ready-80x24")
    }

    @Test("z without epics says so and leaves the list flat")
    func noEpics() throws {
        let session = try TestBacklog("# Flat\n\n## S-1 One\n\n## S-2 Two\n").session()
        session.send(.character("z"))
        #expect(statusLine(session).contains("no epics to fold by here"))
        #expect(!session.render().lines[0].contains("by epic"))
    }

    @Test(": to a story inside a folded epic opens the epic")
    func goToInFold() throws {
        let session = try TestBacklog(epicBacklog).session()
        session.send(.character("z"), .character(":"))
        session.type("s-6")
        session.send(.enter)
        #expect(session.state.selectedStory?.id.description == "S-6")
        #expect(rowIDs(session) == ["S-1", "S-5", "S-6", "S-3", "S-7"])
    }

    /// Folding, unfolding and moving keys, each a short sequence.
    static let actions: [[Key]] = [
        [.character("z")], [.character("l")], [.character("h")], [.right], [.left], [.enter, .escape],
        [.character("j")], [.character("k")], [.character("G")], [.character("J")], [.character("K")],
        [.character("T")], [.character("B")], [.character("m"), .character("3"), .enter],
        [.character("v")], [.escape], [.character("s")], [.character("S")],
    ]

    @Test("Any sequence of folds and moves keeps the cursor on a shown story; undoing all gives back the file's bytes")
    func undoAll() async throws {
        let original = Array(epicBacklog.utf8)
        await propertyCheck(count: 150, input: Gen.int(in: 0...(EpicFoldScreenTests.actions.count - 1)).array(of: 1...30)) { choices in
            guard let file = try? TestBacklog(epicBacklog), let session = try? file.session() else {
                Issue.record("could not open the fixture")
                return
            }
            for choice in choices {
                session.send(EpicFoldScreenTests.actions[choice])
                // On the list (not the detail a stray Enter opens), the cursor's story is a row.
                if let story = session.state.selectedStory, session.render().lines.dropFirst().first?.contains(" ID ") == true {
                    #expect(rowIDs(session).contains(story.id.description), "after \(choices) the cursor's story is not shown")
                }
            }
            #expect(session.state.backlog.stories.map(\.id).sorted { $0.number < $1.number }.map(\.description)
                    == (1...7).map { "S-\($0)" })
            let edited = BacklogWriter.write(session.state.backlog)
            var undos = 0
            while session.isDirty && undos < 200 {
                session.send(.character("u"))
                undos += 1
            }
            #expect(BacklogWriter.write(session.state.backlog) == original, "undoing \(choices) did not restore the file")
            for _ in 0..<undos { session.send(.control("r")) }
            #expect(BacklogWriter.write(session.state.backlog) == edited, "redoing \(choices) did not restore the edits")
        }
    }
}
