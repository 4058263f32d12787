import Foundation
import PrioApp
import PrioEngine
import Testing

/// Planning on the screen follows the engine's one rule for the sprint, and resolves what it shows (issue 9).
@Suite("Planning that a team can trust")
struct TrustedPlanningTests {
    static let backlog = """
        # Team

        - strategy: wsjf
        - sprint: Sprint 1 | capacity 10 | 2026-11-02 .. 2026-11-13
        - sprint: Sprint 2 | capacity 12 | 2026-11-16 .. 2026-11-27

        ## S-1 Done before
        - status: done
        - points: 8
        - sprint: Sprint 1

        ## S-2 High
        - moscow: must
        - value: 13
        - time-criticality: 8
        - risk-reduction: 5
        - points: 5

        ## S-3 Mid
        - moscow: must
        - value: 5
        - time-criticality: 3
        - risk-reduction: 1
        - points: 5

        ## S-4 Waits
        - value: 20
        - time-criticality: 20
        - risk-reduction: 20
        - points: 1
        - depends: S-5

        ## S-5 Unestimated
        - value: 1
        - time-criticality: 1
        - risk-reduction: 1

        """

    func session(_ file: TestBacklog, today: String = "2026-11-20") throws -> TestSession {
        file.runner.clock.today = today
        return try file.session(width: 120, height: 30)
    }

    @Test("P plans the sprint holding today; [ and ] step through the sprints still open and the next new one")
    func whichSprint() throws {
        let file = try TestBacklog(Self.backlog)
        let s = try session(file)
        s.send(.character("P"))
        #expect(s.screen.contains("Sprint 2 · capacity 12 pts"), "\(s.screen)")
        // Sprint 1 has ended: nothing is planned into it, so [ stays on Sprint 2.
        s.send(.character("["))
        #expect(s.screen.contains("Sprint 2 · capacity 12 pts"))
        s.send(.character("]"), .character("]"))
        #expect(s.screen.contains("Sprint 3 · capacity 8 pts"), "the next new sprint, at the velocity: \(s.screen)")
        // On 1 December Sprint 2 has ended with nothing done: the history is 8, 0.
        let later = try session(file, today: "2026-12-01")
        later.send(.character("P"))
        #expect(later.screen.contains("Sprint 3 · capacity 4 pts"), "\(later.screen)")
    }

    @Test("c lowers the capacity below what is planned: the plan cuts by rank, f takes the rest out, w saves the capacity")
    func overCapacityOnScreen() throws {
        let file = try TestBacklog(Self.backlog)
        let s = try session(file)
        s.send(.character("P"), .character("f"))
        #expect(s.screen.contains("filled Sprint 2"), "\(s.screen)")
        s.send(.character("c"))
        s.type("5\n")
        // What the file says stays on view: the gauge shows 10 of 5, the story ranked lower is
        // marked as over capacity in the sprint until f takes it out.
        let screen = s.screen
        #expect(screen.contains("10/5 pts, 5 over"), "\(screen)")
        #expect(screen.contains("! S-3"), "\(screen)")
        #expect(screen.contains("! over capacity: f takes it out"), "\(screen)")
        s.send(.character("f"))
        #expect(s.screen.contains("over capacity taken out"), "\(s.screen)")
        s.send(.character("w"))
        let text = file.text
        #expect(text.contains("- sprint: Sprint 2 | capacity 5 | 2026-11-16 .. 2026-11-27\n"), "\(text)")
        #expect(text.components(separatedBy: "- sprint: Sprint 2\n").count - 1 == 1, "one story stays planned: \(text)")
    }

    @Test("Space on a story that does not fit asks first; t starts the sprint, recording its commitment once")
    func spaceOverCapacityAndStart() throws {
        let file = try TestBacklog(Self.backlog)
        let s = try session(file)
        s.send(.character("P"), .character("c"))
        s.type("6\n")
        s.send(.character("f"))  // S-2 (5) fills 6 but one point; S-3 (5) does not fit
        for _ in 0..<6 where s.state.selectedStory?.id.description != "S-3" { s.send(.character("j")) }
        #expect(s.state.selectedStory?.id.description == "S-3")
        s.send(.character(" "))
        #expect(s.screen.contains("(did not fit (5 pts, 1 left)): plan it in Sprint 2 anyway? y yes"), "\(s.screen)")
        s.send(.character("y"))
        #expect(s.screen.contains("10/6 pts, 4 over"), "\(s.screen)")
        s.send(.character("t"))
        #expect(s.screen.contains("started Sprint 2 with 10 pts committed"), "\(s.screen)")
        #expect(s.state.backlog.header.sprints.last?.committed == DecimalNumber(10))
        s.send(.character("t"))
        #expect(s.screen.contains("Sprint 2 has already started with 10 pts committed"), "\(s.screen)")
        s.send(.character("w"))
        #expect(file.text.contains("- sprint: Sprint 2 | capacity 6 | 2026-11-16 .. 2026-11-27 | committed 10\n"), "\(file.text)")
    }

    @Test("f on a sprint not declared yet declares it with the capacity it was filled to, as prio plan --apply does")
    func fillDeclaresNewSprint() throws {
        let text = Self.backlog + "## S-6 Small\n- value: 3\n- time-criticality: 1\n- risk-reduction: 1\n- points: 2\n"
        let file = try TestBacklog(text)
        let s = try session(file, today: "2026-12-01")
        s.send(.character("P"))
        #expect(s.screen.contains("Sprint 3 · capacity 4 pts"), "\(s.screen)")
        s.send(.character("f"))
        #expect(s.state.backlog.header.sprints.last?.name == "Sprint 3")
        s.send(.character("w"))
        #expect(file.text.contains("- sprint: Sprint 3 | capacity 4 | 2026-11-30 .. 2026-12-11\n"), "\(file.text)")
        // The engine's rule on the same backlog gives the same header and stories.
        var expected = try BacklogParser.parse(Array(text.utf8), path: "b").backlog
        let choice = Planner.chooseSprint(expected, today: "2026-12-01")
        let plan = try Planner.plan(expected, sprint: choice.sprint.name, capacity: try #require(choice.capacity), strategy: WSJFStrategy())
        try Planner.apply(plan, sprint: choice.sprint, capacity: try #require(choice.capacity), recordingCapacity: false, to: &expected)
        #expect(file.text == String(decoding: BacklogWriter.write(expected), as: UTF8.self))
        s.send(.character("u"))
        #expect(s.state.backlog.header.sprints.map(\.name) == ["Sprint 1", "Sprint 2"], "one undo takes the fill and the declaration back")
    }

    @Test("Space on a blocked or unestimated story asks first")
    func spaceAsks() throws {
        let file = try TestBacklog(Self.backlog)
        let s = try session(file)
        s.send(.character("P"), .character("G"))  // S-5, unestimated
        s.send(.character(" "))
        #expect(s.screen.contains("(no estimate): plan it in Sprint 2 anyway? y yes"), "\(s.screen)")
        s.send(.character("n"))
        #expect(s.screen.contains("S-5 stays out of Sprint 2"))
        s.send(.character(" "), .character("y"))
        #expect(s.screen.contains("S-5 joins Sprint 2"))
    }

    @Test("? in planning shows the planning keys and goes back to planning; the DSDM warning is on the status line")
    func helpAndWarning() throws {
        let file = try TestBacklog(Self.backlog)
        let s = try file.session(width: 120, height: 12)
        s.send(.character("P"), .character("f"))
        s.send(.character("j"))  // clears the fill message
        #expect(s.screen.split(separator: "\n").last?.contains("⚠ Must-haves are") == true, "\(s.screen)")
        s.send(.character("?"))
        #expect(s.screen.contains("Planning keys"))
        #expect(s.screen.contains("plan the previous / next sprint"))
        s.send(.character("x"))
        #expect(s.screen.contains("Sprint 2 · capacity 12 pts"), "back in planning: \(s.screen)")
    }
}
