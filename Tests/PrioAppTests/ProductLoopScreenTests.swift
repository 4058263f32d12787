import PrioApp
import PrioEngine
import Testing

/// The product owner's loop on the screen: the goal line, the voting session, the review view.
@Suite("Screens of the product owner's loop")
struct ProductLoopScreenTests {
    static let goals = """
        # Shop

        - vision: The easiest checkout in Europe
        - goal: Guests can pay without an account

        ## S-1 Guest checkout
        - goal: Guests can pay without an account
        - value: 8
        - points: 3

        ## S-2 Loyalty points
        - value: 13
        - points: 5

        """

    @Test("The goal and the vision are one line under the title bar; the list starts below it")
    func goalLine() throws {
        let file = try TestBacklog(Self.goals)
        assertSnapshot(try file.session(width: 80, height: 10).screen, named: "goal-line-80x10")
    }

    static let history = """
        # Team

        - sprint: Sprint 1 | capacity 10 | 2026-10-05 .. 2026-10-16
        - sprint: Sprint 2 | capacity 10 | 2026-10-19 .. 2026-10-30
        - sprint: Sprint 3 | capacity 10 | 2026-11-02 .. 2026-11-13

        ## S-1 Done one
        - status: done
        - sprint: Sprint 1
        - points: 8

        ## S-2 Done two
        - status: done
        - sprint: Sprint 2
        - points: 12

        ## S-3 Done three
        - status: done
        - sprint: Sprint 3
        - points: 10

        ## S-4 Next
        - points: 5

        ## S-5 After
        - points: 8

        ## S-6 Later
        - points: 5

        """

    @Test("The detail pane shows the 85 % sprint under the plain forecast")
    func confidenceInDetail() throws {
        let file = try TestBacklog(Self.history)
        let session = try file.session(width: 120, height: 16)
        session.send(.character("j"), .character("j"), .character("j"), .character("j"), .character("j"))
        assertSnapshot(session.screen, named: "confidence-detail-120x16")
    }
}
