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

    @Test("The planning pane shows the selected story's 85 % sprint")
    func confidenceInPlanning() throws {
        let file = try TestBacklog(Self.history)
        let session = try file.session(width: 120, height: 16)
        session.send(.character("P"), .character("G"))
        assertSnapshot(session.screen, named: "confidence-planning-120x16")
        #expect(session.screen.contains("S-6 85 %: done by Sprint"))
    }

    @Test("The detail pane shows the 85 % sprint under the plain forecast")
    func confidenceInDetail() throws {
        let file = try TestBacklog(Self.history)
        let session = try file.session(width: 120, height: 16)
        session.send(.character("j"), .character("j"), .character("j"), .character("j"), .character("j"))
        assertSnapshot(session.screen, named: "confidence-detail-120x16")
    }

    static let stakeholders = """
        # Shop

        - stakeholder: alice | weight 2
        - stakeholder: bob
        - strategy: wsjf

        ## S-1 Guest checkout
        - value: 5
        - time-criticality: 8
        - risk-reduction: 3
        - size: 4

        ## S-2 Loyalty
        - value: 8
        - time-criticality: 3
        - risk-reduction: 1
        - size: 2

        """

    @Test("V: each stakeholder scores in turn without seeing the others'; the reveal shows spread and aggregate; a writes, u undoes")
    func votingSession() throws {
        let file = try TestBacklog(Self.stakeholders)
        let session = try file.session(width: 80, height: 24)
        session.send(.character("V"))
        assertSnapshot(session.screen, named: "vote-handover-80x24")
        // alice: value 13, time-criticality 8, risk-reduction 3, size 5.
        session.send(.enter)
        session.type("13")
        session.send(.enter)
        session.type("8")
        session.send(.enter)
        assertSnapshot(session.screen, named: "vote-entering-80x24")
        session.type("3")
        session.send(.enter)
        session.type("5")
        session.send(.enter)
        // bob's turn: alice's scores are not on the screen.
        #expect(!session.screen.contains("13"))
        session.send(.enter)
        session.type("4")
        session.send(.enter, .enter, .enter)
        session.type("lots")
        #expect(session.screen.contains("size") )
        session.send(.enter)
        assertSnapshot(session.screen, named: "vote-reveal-80x24")
        session.send(.character("a"))
        let id = try #require(StoryID("S-1"))
        let story = try #require(session.state.backlog.story(id))
        #expect(story.value(of: "value-votes") == "alice 13, bob 4")
        #expect(story.value(of: "size-votes") == "alice 5")
        #expect(story.number(.value) == DecimalNumber(10))
        #expect(session.isDirty)
        session.send(.character("u"))
        #expect(session.state.backlog.story(id)?.value(of: "value-votes") == nil)
        // Without stakeholders, V says how to declare them.
        let plain = try TestBacklog().session()
        plain.send(.character("V"))
        #expect(plain.screen.contains("no stakeholders: declare them in the header"))
    }

    static let review = """
        # Team

        - sprint: Sprint 4 | capacity 20 | 2026-11-16 .. 2026-11-27

        ## S-1 Guest checkout
        - status: in-progress
        - sprint: Sprint 4
        - points: 5

        - [x] card payment works
        - [ ] PayPal works

        ## S-2 Search
        - status: done
        - sprint: Sprint 4
        - points: 3

        ## S-3 Wishlist
        - sprint: Sprint 4
        - points: 8

        """

    @Test("D: the review; Space ticks a criterion, a accepts, r rejects with a reason; all undoable")
    func reviewScreen() throws {
        let file = try TestBacklog(Self.review)
        let session = try file.session(width: 80, height: 16)
        session.send(.character("D"))
        assertSnapshot(session.screen, named: "review-80x16")
        // a on S-1 is refused while PayPal is unchecked.
        session.send(.character("a"))
        #expect(session.screen.contains("S-1 has 1 unchecked criterion: 'PayPal works'; tick them with Space first"))
        session.send(.character("j"), .character("j"), .character(" "))
        #expect(session.state.backlog.stories[0].criteria.map(\.isChecked) == [true, true])
        session.send(.character("a"))
        #expect(session.state.backlog.stories[0].status == .done)
        // r on S-3 (the last row): the reason, then Enter.
        session.send(.character("G"), .character("r"))
        session.type("not what we asked")
        session.send(.enter)
        let s3 = session.state.backlog.stories[2]
        #expect(s3.value(of: .sprint) == nil && s3.status == .todo)
        #expect(s3.description == "Rejected on 2026-11-20 in Sprint 4: not what we asked")
        assertSnapshot(session.screen, named: "review-after-80x16")
        session.send(.character("u"), .character("u"), .character("u"))
        #expect(session.state.backlog.stories.map(\.status) == [.inProgress, .done, .todo])
        #expect(session.state.backlog.stories[0].criteria.map(\.isChecked) == [true, false])
        session.send(.escape)
        #expect(session.screen.contains("Manual order"))
    }

    @Test("c on the review closes the sprint: n carries the unfinished stories to a new next sprint, b to the backlog; u undoes")
    func closeSprint() throws {
        let file = try TestBacklog(Self.review)
        let session = try file.session(width: 100, height: 16)
        session.send(.character("D"), .character("c"))
        #expect(session.screen.contains("Close Sprint 4: unfinished stories to n the next sprint · b the backlog · Esc cancel"))
        session.send(.character("n"))
        #expect(session.screen.contains("closed Sprint 4: committed 16 pts, done 3 pts; moved S-1, S-3 to Sprint 5"))
        let backlog = session.state.backlog
        // The closing is recorded on the sprint's own line: what was committed, what was done, when.
        let closed = try #require(backlog.header.sprints.first)
        #expect(closed.committed == DecimalNumber(16) && closed.done == DecimalNumber(3) && closed.closed == "2026-11-20")
        #expect(backlog.stories.map { $0.value(of: .sprint) } == ["Sprint 5", "Sprint 4", "Sprint 5"])
        #expect(backlog.header.sprints.map(\.name) == ["Sprint 4", "Sprint 5"])
        #expect(backlog.header.sprints.last?.start == "2026-11-30")
        session.send(.character("u"))
        #expect(session.state.backlog.stories.map { $0.value(of: .sprint) } == ["Sprint 4", "Sprint 4", "Sprint 4"])
        #expect(session.state.backlog.header.sprints.map(\.name) == ["Sprint 4"])
        session.send(.character("c"), .character("b"))
        #expect(session.state.backlog.stories.map { $0.value(of: .sprint) } == [nil, "Sprint 4", nil])
        #expect(session.screen.contains("moved S-1, S-3 to the backlog"))
    }
}
