import PrioApp
import PrioEngine
import Testing

/// `#`: the team's estimation round on the screen.
@Suite("The estimation round on the screen")
struct EstimationScreenTests {
    static let team = """
        # Shop

        - team: ana, ben, chen

        ## S-1 Guest checkout
        - value: 8
        - points: 2

        ## S-2 Search
        - value: 5

        ## S-3 Wishlist
        - value: 3
        - points: 1

        """

    @Test("# hides each estimate, reveals all with the spread and a suggestion, confirms one undoable edit")
    func round() throws {
        let file = try TestBacklog(Self.team)
        let session = try file.session(width: 80, height: 24)
        session.send(.character("#"))
        assertSnapshot(session.screen, named: "estimate-handover-80x24")
        // ana: 3, typed unseen by the others.
        session.send(.enter)
        session.type("3")
        assertSnapshot(session.screen, named: "estimate-entering-80x24")
        session.send(.enter)
        // ben's turn: ana's estimate is not on the screen.
        #expect(session.screen.contains("ben's turn"))
        assertSnapshot(session.screen, named: "estimate-hidden-80x24")
        #expect(!session.screen.contains("ana  3") && !session.screen.contains("› points  3"))
        session.send(.enter)
        // A refused value stays in place with the reason.
        session.type("-5")
        session.send(.enter)
        #expect(session.screen.contains("an estimate is 0 points or more, not -5"))
        #expect(session.screen.contains("ben's estimate"))
        session.send(.backspace, .backspace)
        session.type("lots")
        session.send(.enter)
        #expect(session.screen.contains("'lots' is not a number of points"))
        session.send(.backspace, .backspace, .backspace, .backspace)
        session.type("5")
        session.send(.enter, .enter)
        session.type("13")
        session.send(.enter)
        // The reveal: 3, 5, 13; spread (13 > 2 × 3, and 3 steps apart); suggested the median 5.
        assertSnapshot(session.screen, named: "estimate-reveal-80x24")
        #expect(session.screen.contains("Agreed points: 5"))
        // The product owner settles on 8 instead.
        session.send(.backspace)
        session.type("8")
        session.send(.enter)
        let id = try #require(StoryID("S-1"))
        let story = try #require(session.state.backlog.story(id))
        #expect(story.value(of: .points) == "8")
        #expect(story.value(of: "points-votes") == "ana 3, ben 5, chen 13")
        #expect(story.number(.points) == DecimalNumber(8))
        #expect(session.isDirty)
        #expect(session.screen.contains("S-1: 8 points from 3 estimates (u undoes)"))
        assertSnapshot(session.screen, named: "estimate-confirmed-80x24")
        // The estimates spread: the list marks the story.
        #expect(session.screen.contains("≠ Guest checkout"))
        // One undo gives back the points and no estimates.
        session.send(.character("u"))
        let undone = try #require(session.state.backlog.story(id))
        #expect(undone.value(of: .points) == "2")
        #expect(undone.value(of: "points-votes") == nil)
        #expect(!session.isDirty)
        assertSnapshot(session.screen, named: "estimate-undone-80x24")
    }

    @Test("Marked stories are estimated one after another; n restarts, s skips, Esc closes without writing")
    func marked() throws {
        let file = try TestBacklog(Self.team)
        let session = try file.session(width: 80, height: 24)
        let s2ID = try #require(StoryID("S-2")), s3ID = try #require(StoryID("S-3"))
        // Mark S-3, then S-2 (the order marked is the order estimated).
        session.send(.character("j"), .character("j"), .character("v"), .character("k"), .character("v"))
        session.send(.character("#"))
        #expect(session.screen.contains("S-3 Wishlist"))
        #expect(session.screen.contains("story 1 of 2"))
        // Everybody passes: no estimates; the reveal offers the story's points now (1).
        session.send(.enter, .enter, .enter, .enter, .enter, .enter)
        #expect(session.screen.contains("no estimates in this round"))
        #expect(session.screen.contains("Agreed points: 1"))
        // n: a new round on the same story.
        session.send(.character("n"))
        #expect(session.screen.contains("round 2"))
        session.send(.enter)
        session.type("2")
        session.send(.enter, .enter, .enter, .enter)
        session.type("3")
        session.send(.enter)
        // ana 2 and chen 3: no spread; median 2.5 to the nearer step... a tie between 2 and 3: 2.
        #expect(!session.screen.contains("≠ spread"))
        #expect(session.screen.contains("Agreed points: 2"))
        session.send(.character("a"))
        #expect(session.screen.contains("S-2 Search"))
        #expect(session.screen.contains("story 2 of 2"))
        // Esc closes the run: S-3 written, S-2 untouched.
        session.send(.escape)
        #expect(session.screen.contains("estimation closed; not estimated: S-2"))
        let s3 = try #require(session.state.backlog.story(s3ID))
        #expect(s3.value(of: .points) == "2")
        #expect(s3.value(of: "points-votes") == "ana 2, chen 3")
        #expect(session.state.backlog.story(s2ID)?.value(of: .points) == nil)
        // s skips a story without writing: the run goes on with the next.
        session.send(.character("#"))
        session.send(.enter, .enter, .enter, .enter, .enter, .enter)
        #expect(session.screen.contains("Agreed points: 2"))
        session.send(.character("s"))
        #expect(session.screen.contains("S-2 Search"))
        #expect(session.screen.contains("story 2 of 2"))
        session.send(.escape)
        #expect(session.state.backlog.story(s3ID)?.value(of: "points-votes") == "ana 2, chen 3")
    }

    @Test("Without a team, # says how to declare one")
    func noTeam() throws {
        let plain = try TestBacklog(Self.team.replacingOccurrences(of: "- team: ana, ben, chen\n", with: "")).session()
        plain.send(.character("#"))
        #expect(plain.screen.contains("no team: declare it in the header (- team: ana, ben, chen), then #"))
        #expect(plain.state.backlog.stories.allSatisfy { $0.value(of: "points-votes") == nil })
    }
}
