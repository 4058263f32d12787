import PrioApp
import PrioEngine
import Testing

/// Issue 11 on the screen: formula strategies among the others, pins with `p`.
@Suite("Decisions on the screen")
struct DecisionScreenTests {
    static let backlog = fixture.replacing("- strategy: wsjf\n", with: "- strategy: wsjf\n- formula: delay = (value + time-criticality + risk-reduction) / points\n")

    @Test("s reaches the header's formula after the built-ins; R lists it; its explanation is in the pane")
    func formulaOnScreen() throws {
        let file = try TestBacklog(Self.backlog)
        let session = try file.session(width: 120, height: 24)
        for _ in 0..<5 { session.send(.character("s")) }
        #expect(session.screen.split(separator: "\n")[0].hasSuffix("delay (formula)"))
        #expect(session.screen.contains("delay 4.80 = (13 + 8 + 3) / 5"), "\(session.screen)")
        session.send(.character("R"))
        #expect(session.screen.contains("6 delay (formula)"))
        #expect(session.screen.contains("delay = (value + time-criticality + risk-reduction) / points"))
    }

    @Test("p pins the story in every computed ranking, with a reason; u undoes; an empty position unpins")
    func pin() throws {
        let file = try TestBacklog()
        let session = try file.session(width: 120, height: 24)
        session.send(.character("G"), .character("k"))  // S-4? no: the last open story in manual order
        let id = try #require(session.state.selectedStory?.id.description)
        #expect(id == "S-4")
        session.send(.character("j"))  // S-5 Wishlist, wont, ranked last by WSJF
        session.send(.character("p"))
        #expect(session.screen.contains("Pin S-5 in every computed ranking"))
        session.type("1")
        session.send(.tab)
        session.type("the CEO asked\n")
        #expect(session.screen.contains("pinned S-5 at 1"))
        session.send(.character("s"), .character("s"))  // WSJF
        let lines = session.screen.split(separator: "\n")
        #expect(lines[2].contains("S-5") && lines[2].contains("⚑ Wishlist"), "\(session.screen)")
        #expect(session.screen.contains("pinned at 1: the CEO asked; unscored"), "\(session.screen)")
        session.send(.character("w"))
        #expect(file.text.contains("## S-5 Wishlist\n- moscow: wont\n- value: 2\n- points: 2\n- pin: 1\n- pin-reason: the CEO asked\n"))
        session.send(.character("u"))
        #expect(!session.screen.contains("⚑"))
        session.send(.control("r"), .character("p"), .control("u"), .enter)
        #expect(session.screen.contains("unpinned S-5"))
        #expect(session.state.backlog.stories[4].pin == nil)
        #expect(session.state.backlog.stories[4].pinReason == nil)
    }

    @Test("A bad position is refused in the form")
    func badPin() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("p"))
        session.type("0\n")
        #expect(session.screen.contains("✗ pin must be a position like 1 or 3, got '0'"))
    }
}
