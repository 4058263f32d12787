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
}
