import PrioApp
import PrioEngine
import Testing

private let groomBacklog = """
# Groom

- view: small = points <= 2
- fields: owner

## S-1 Guest checkout
- status: done
- points: 5

## S-2 Apple Pay
- moscow: must
- points: 3

## S-3 Gift wrap
- points: 1
- owner: ana

## S-12 Dark mode
- points: 2

"""

/// The row of the screen that shows a story ID, nil when it is not shown.
private func shown(_ id: String, _ session: TestSession) -> Bool {
    session.render().lines.dropFirst().contains { $0.contains(" \(id) ") }
}

private func statusLine(_ session: TestSession) -> String {
    session.render().lines.last ?? ""
}

@Suite("Grooming on the screen: go-to and the filter language")
struct GroomingScreenTests {
    @Test(": then an ID puts the cursor on it, in any case; a wrong one says the closest")
    func goTo() throws {
        let session = try TestBacklog(groomBacklog).session()
        session.send(.character(":"))
        #expect(statusLine(session).contains("Go to ID: ▏"))
        session.type("s-12")
        session.send(.enter)
        #expect(session.state.selectedStory?.id.description == "S-12")
        #expect(statusLine(session).contains("S-12 is row 4"))
        session.send(.character(":"))
        session.type("S-13")
        session.send(.enter)
        #expect(statusLine(session).contains("no story with ID S-13 (did you mean S-12?)"))
        #expect(session.state.selectedStory?.id.description == "S-12", "the cursor stays")
    }

    @Test("Go-to a story the view hides says why, and keeps the cursor")
    func goToHidden() throws {
        let session = try TestBacklog(groomBacklog).session()
        session.send(.character("f"), .character("/"))
        session.type("points >= 3")
        session.send(.enter, .character(":"))
        session.type("S-3")
        session.send(.enter)
        #expect(statusLine(session).contains("S-3 is not shown: the filter hides it (F clears it)"))
    }

    @Test("The filter prompt takes the --where language; a bad expression stays with its column")
    func expression() throws {
        let session = try TestBacklog(groomBacklog).session()
        session.send(.character("f"), .character("/"))
        session.type("points <= 2 or moscow = must")
        session.send(.enter)
        #expect(session.render().lines[0].contains("filter: where:\"points <= 2 or moscow = must\""))
        #expect(shown("S-2", session) && shown("S-3", session) && shown("S-12", session) && !shown("S-1", session))
        session.send(.character("f"), .character("/"), .control("u"))
        session.type("pionts < 2")
        session.send(.enter)
        #expect(statusLine(session).contains("Filter: pionts < 2▏ — column 1: unknown field 'pionts' (did you mean 'points'?)"))
        session.send(.escape)
        // Plain words still filter as text.
        session.send(.character("f"), .character("/"), .control("u"))
        session.type("gift")
        session.send(.enter)
        #expect(shown("S-3", session) && !shown("S-2", session))
        #expect(session.render().lines[0].contains("filter: text:\"gift\""))
    }

    @Test("The filter menu lists the header's views; choosing one filters by it, again removes it")
    func views() throws {
        let session = try TestBacklog(groomBacklog).session()
        session.send(.character("f"))
        #expect(session.screen.contains("[ ] view: small"))
        session.send(.character(" "), .escape)
        #expect(session.render().lines[0].contains("filter: where:\"view: small\""))
        #expect(shown("S-3", session) && shown("S-12", session) && !shown("S-2", session))
        assertSnapshot(session.screen, named: "groom-view-small")
        session.send(.character("f"), .character(" "), .escape)
        #expect(shown("S-2", session))
    }

    @Test("v marks stories; e sets fields on all of them as one undoable step; the status line counts them")
    func marks() throws {
        let file = try TestBacklog(groomBacklog)
        let session = try file.session()
        // The cursor starts on S-1; mark S-2 and S-12.
        session.send(.character("j"), .character("v"), .character("j"), .character("j"), .character("v"))
        #expect(session.state.markedIDs.map(\.description) == ["S-2", "S-12"])
        session.send(.character("g"))
        let marked = session.screen
        #expect(marked.contains("• 2 S-2") && marked.contains("• 4 S-12"))
        #expect(marked.split(separator: "\n").last?.contains("2 marked · ") == true)
        assertSnapshot(marked, named: "groom-marks")
        // A value one story refuses: nothing changes, the prompt stays with why.
        session.send(.character("e"))
        session.type("status=redy")
        session.send(.enter)
        #expect(statusLine(session).contains("S-2: unknown status 'redy'"))
        #expect(session.state.backlog.stories.allSatisfy { $0.status != .ready })
        session.send(.control("u"))
        session.type("status=ready sprint=Sprint 5")
        session.send(.enter)
        let stories = session.state.backlog.stories
        #expect(stories.filter { $0.value(of: "sprint") == "Sprint 5" }.map(\.id.description) == ["S-2", "S-12"])
        #expect(stories.filter { $0.status == .ready }.map(\.id.description) == ["S-2", "S-12"])
        #expect(statusLine(session).contains("set status, sprint on 2 stories of 2 marked"))
        session.send(.character("u"))
        #expect(session.state.backlog.stories.allSatisfy { $0.value(of: "sprint") == nil }, "one undo takes back both")
        session.send(.control("r"))
        // T moves the marked stories to the top, in their order, as one step.
        session.send(.character("T"))
        #expect(session.state.backlog.stories.map(\.id.description) == ["S-2", "S-12", "S-1", "S-3"])
        session.send(.character("u"))
        #expect(session.state.backlog.stories.map(\.id.description) == ["S-1", "S-2", "S-3", "S-12"])
        session.send(.escape)
        #expect(session.state.markedIDs.isEmpty)
    }

    @Test("Ctrl-V marks the range from the last story marked to the cursor")
    func markRange() throws {
        let session = try TestBacklog(groomBacklog).session()
        session.send(.character("v"), .character("j"), .character("j"), .control("v"))
        #expect(session.state.markedIDs.map(\.description) == ["S-1", "S-2", "S-3"])
        session.send(.character("B"))
        #expect(session.state.backlog.stories.map(\.id.description) == ["S-12", "S-1", "S-2", "S-3"])
    }
}
