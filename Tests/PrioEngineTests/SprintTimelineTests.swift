import PrioEngine
import PrioStorage
import Testing

/// The one model of the sprint (issue 23): states, the current sprint, recorded figures,
/// carry-over, overdue stories, and forecasts that start where the plan starts.
@Suite("The sprint timeline")
struct SprintTimelineTests {
    /// Two closed sprints (one delivered nothing), one that ended unclosed with a story left,
    /// one active, one planned.
    static let team = """
        # Team

        - strategy: wsjf
        - sprint: Sprint 1 | capacity 10 | 2026-10-05 .. 2026-10-18 | committed 12 | done 11 | closed 2026-10-16
        - sprint: Sprint 2 | capacity 10 | 2026-10-19 .. 2026-11-01 | committed 8 | done 0 | closed 2026-10-30
        - sprint: Sprint 3 | capacity 10 | 2026-11-02 .. 2026-11-15
        - sprint: Sprint 4 | capacity 10 | 2026-11-16 .. 2026-11-29
        - sprint: Sprint 5 | capacity 10 | 2026-11-30 .. 2026-12-13

        ## S-1 Done in Sprint 1
        - status: done
        - points: 5
        - sprint: Sprint 1

        ## S-2 Done in Sprint 3
        - status: done
        - points: 6
        - sprint: Sprint 3

        ## S-3 Left in Sprint 3
        - value: 8
        - time-criticality: 1
        - risk-reduction: 1
        - points: 3
        - sprint: Sprint 3

        ## S-4 In Sprint 4
        - value: 1
        - time-criticality: 1
        - risk-reduction: 1
        - points: 8
        - sprint: Sprint 4

        ## S-5 Open
        - value: 13
        - time-criticality: 1
        - risk-reduction: 1
        - points: 2

        ## S-6 Open too
        - value: 5
        - time-criticality: 1
        - risk-reduction: 1
        - points: 5

        """

    @Test("States by the calendar and the records: closed, ended, active, planned")
    func states() throws {
        let backlog = try load(Self.team)
        let timeline = SprintTimeline(backlog, today: "2026-11-20")
        #expect(timeline.sprints.map(\.state) == [.closed, .closed, .ended, .active, .planned])
        #expect(timeline.current.name == "Sprint 4")
        // Recorded figures win over the stories: Sprint 1 says 11 done although its story has 5.
        #expect(timeline.sprints[0].done == Fraction(11))
        #expect(timeline.sprints[0].recordedCommitted == Fraction(12))
        // History: closed and ended sprints, zeros included, in order.
        #expect(timeline.history.map(\.sprint) == ["Sprint 1", "Sprint 2", "Sprint 3"])
        #expect(timeline.history.map(\.points) == [Fraction(11), Fraction(0), Fraction(6)])
        #expect(timeline.meanVelocity == Fraction(numerator: 17, denominator: 3))
        // S-3 was left in Sprint 3, which ended without being closed: overdue, said once.
        #expect(timeline.overdue.map { backlog.stories[$0].id.description } == ["S-3"])
        #expect(timeline.overdueNote == "1 story (3 pts) not done in the ended sprint \"Sprint 3\": overdue, forecast from the "
                + "current sprint on; close it with prio close-sprint \"Sprint 3\" --carry-over next")
        // Before any sprint: the first one is planned and current; after all of them: the cadence.
        #expect(SprintTimeline(backlog, today: "2026-10-01").current.name == "Sprint 3")
        let later = SprintTimeline(backlog, today: "2027-03-01")
        #expect(later.currentIsKnown == false)
        #expect(later.current.name == "Sprint 11")
        #expect(later.current.start == "2027-02-22" && later.current.end == "2027-03-07")
    }

    @Test("Nothing is planned into an ended or closed sprint; carry-over goes to the first sprint still open")
    func noPlanningIntoThePast() throws {
        let backlog = try load(Self.team)
        let timeline = SprintTimeline(backlog, today: "2026-11-20")
        #expect(Planner.chooseSprint(backlog, today: "2026-11-20", named: "Sprint 3").problem
                == "Sprint 3 has ended (2026-11-15); nothing is planned into an ended sprint (the current sprint is Sprint 4)")
        #expect(Planner.chooseSprint(backlog, today: "2026-11-20", named: "Sprint 1").problem
                == "Sprint 1 is closed; nothing is planned into a closed sprint (the current sprint is Sprint 4)")
        #expect(Planner.chooseSprint(backlog, today: "2026-11-20", named: "Sprint 5").problem == nil)
        // Closing Sprint 3 (ended) while Sprint 4 runs: its story goes to Sprint 4, not to an ended one.
        #expect(timeline.carryOverTarget(closing: "Sprint 3").sprint.name == "Sprint 4")
        var closing = backlog
        let closed = try SprintTimeline.close(&closing, sprint: "Sprint 3", carryOver: .next, today: "2026-11-20")
        #expect(closed.to == "Sprint 4" && closed.moved.map(\.description) == ["S-3"])
        #expect(closed.done == Fraction(6) && closed.committed == Fraction(9))
        let record = try #require(closing.header.sprints.first { $0.name == "Sprint 3" })
        #expect(record.committed == DecimalNumber(9) && record.done == DecimalNumber(6) && record.closed == "2026-11-20")
        // After all sprints, carry-over goes to a new sprint on the cadence holding today.
        let late = SprintTimeline(backlog, today: "2027-03-01")
        #expect(late.carryOverTarget(closing: "Sprint 5").sprint.name == "Sprint 11")
        // Closing twice is refused.
        #expect(throws: ReviewProblem.self) {
            _ = try SprintTimeline.close(&closing, sprint: "Sprint 3", carryOver: .next, today: "2026-11-21")
        }
    }

    @Test("Starting records the commitment once; rejecting a story never changes it")
    func commitmentRecordedOnce() throws {
        var backlog = try load(Self.team)
        let started = try SprintTimeline.start(&backlog, sprint: "Sprint 5", today: "2026-11-20")
        #expect(started.committed == Fraction(0))
        try backlog.update(at: 4) { (story: inout Story) throws(FieldProblem) in try story.setField("sprint", "Sprint 5") }
        #expect(throws: ReviewProblem.self) { _ = try SprintTimeline.start(&backlog, sprint: "Sprint 5", today: "2026-11-20") }
        var fresh = try load(Self.team)
        try fresh.update(at: 5) { (story: inout Story) throws(FieldProblem) in try story.setField("sprint", "Sprint 4") }
        _ = try SprintTimeline.start(&fresh, sprint: "Sprint 4", today: "2026-11-20")
        #expect(SprintReview(fresh, sprint: "Sprint 4", today: "2026-11-20").committed == Fraction(13))
        try SprintReview.reject(&fresh, try #require(StoryID("S-6")), reason: "not ready", date: "2026-11-20")
        let review = SprintReview(fresh, sprint: "Sprint 4", today: "2026-11-20")
        #expect(review.committed == Fraction(13))
        #expect(review.inSprint == Fraction(8))
        // Ended or closed sprints are not started.
        #expect(throws: ReviewProblem.self) { _ = try SprintTimeline.start(&fresh, sprint: "Sprint 3", today: "2026-11-20") }
    }

    @Test("The plain forecast starts in the sprint prio plan plans, minus what is in it; overdue stories are work to do")
    func forecastStartsWithThePlan() throws {
        let backlog = try load(Self.team)
        let timeline = SprintTimeline(backlog, today: "2026-11-20")
        let velocity = try #require(timeline.velocity?.value)
        let forecast = try Planner.forecast(backlog, timeline: timeline, velocity: velocity, strategy: WSJFStrategy())
        // Sprint 4 holds S-4 (8 of 10): 2 left, S-5 (2) fits. Sprint 5 (10) takes S-3 (overdue, 3) and S-6 (5).
        let lines = forecast.sprints.map { s in "\(s.name): " + s.storyIndices.map { backlog.stories[$0].id.description }.joined(separator: " ") }
        #expect(lines == ["Sprint 4: S-5", "Sprint 5: S-3 S-6"])
        let plan = try Planner.plan(backlog, sprint: timeline.current.name, capacity: DecimalNumber(10), strategy: WSJFStrategy())
        #expect(plan.sprint == forecast.sprints.first?.name)
        #expect(plan.selected.map { backlog.stories[$0.storyIndex].id.description } == ["S-4", "S-5"])
    }

    @Test("A constant history gives the plain forecast at every percentile, and p95 is never earlier than the plain forecast")
    func plainAgainstMonteCarlo() throws {
        let text = Self.team.replacing("| committed 12 | done 11 |", with: "| committed 6 | done 6 |")
            .replacing("| committed 8 | done 0 |", with: "| committed 6 | done 6 |")
        let backlog = try load(text)
        let timeline = SprintTimeline(backlog, today: "2026-11-20")
        #expect(timeline.history.map(\.points) == [Fraction(6), Fraction(6), Fraction(6)])
        let plain = try Planner.forecast(backlog, timeline: timeline, velocity: Fraction(6), strategy: WSJFStrategy())
        let mc = try ConfidenceForecast(backlog, timeline: timeline, strategy: WSJFStrategy(), trials: 300, seed: 4)
        for outlook in mc.stories where !outlook.isPlanned {
            let expected = try #require(plain.sprint(of: outlook.storyIndex)?.name)
            #expect(outlook.p50?.sprint == expected && outlook.p85?.sprint == expected && outlook.p95?.sprint == expected)
        }
    }

    @Test("The gauge: empty for an empty sprint (no full bar at 0/0), full and saying how far over")
    func gauge() {
        #expect(PlanReport.gauge(Fraction(0), of: Fraction(0), width: 4) == "░░░░ 0/0 pts")
        #expect(PlanReport.gauge(Fraction(10), of: Fraction(20), width: 4) == "██░░ 10/20 pts")
        #expect(PlanReport.gauge(Fraction(33), of: Fraction(20), width: 4) == "████ 33/20 pts, 13 over")
    }

    @Test("Sprint lines keep their records through a write; old lines without them read as before")
    func sprintLines() throws {
        let sprint = try Sprint.parse("Sprint 4 | capacity 20 | 2026-11-16 .. 2026-11-27 | committed 33 | done 28 pts | closed 2026-11-28").get()
        #expect(sprint.committed == DecimalNumber(33) && sprint.done == DecimalNumber(28) && sprint.closed == "2026-11-28")
        var backlog = try load("# T\n\n- sprint: Sprint 4 | capacity 20\n\n## S-1 A\n")
        backlog.header.updateSprint("Sprint 4") { $0.committed = DecimalNumber(5) }
        #expect(String(decoding: BacklogWriter.write(backlog), as: UTF8.self).contains("- sprint: Sprint 4 | capacity 20 | committed 5\n"))
        #expect(throws: FieldProblem.self) { try Sprint.parse("Sprint 4 | closed 2026-02-30").get() }
        #expect(throws: FieldProblem.self) { try Sprint.parse("Sprint 4 | 2026-02-30 .. 2026-03-02").get() }
    }

    @Test("The sample is dated around the day it is made: four closed sprints, an active one holding today, a planned one")
    func sampleDates() throws {
        for today in ["2026-12-09", "2027-06-02", "2031-01-13", "2025-02-28"] {
            let backlog = try BacklogParser.parse(SampleBacklog.bytes(today: today), path: "sample").backlog
            let timeline = SprintTimeline(backlog, today: today)
            #expect(timeline.sprints.map(\.state) == [.closed, .closed, .closed, .active, .planned], "\(today)")
            #expect(timeline.current.name == "Sprint 4")
            #expect(timeline.sprints.allSatisfy { $0.sprint.startDay?.weekday == 0 }, "sprints start on a Monday")
            #expect(timeline.history.map(\.points) == [Fraction(8), Fraction(3), Fraction(6)])
        }
        #expect(SampleBacklog.bytes(today: "2026-12-09") == SampleBacklog.bytes)
    }
}
