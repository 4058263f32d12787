import PrioEngine
import PrioStorage
import Testing

@Suite("Sprint planning")
struct PlanningTests {
    /// Stories with WSJF inputs; `wsjf` is the cost of delay (as value) and points the size.
    func backlog(_ stories: [(id: Int, cod: Int, points: String?, extra: String)], header: String = "") throws -> Backlog {
        var text = "# B\n\n- strategy: wsjf\n\(header)\n"
        for story in stories {
            text += "## S-\(story.id) Story \(story.id)\n- value: \(story.cod)\n- time-criticality: 0\n- risk-reduction: 0\n"
            if let points = story.points { text += "- points: \(points)\n" }
            text += story.extra
            text += "\n"
        }
        return try load(text)
    }

    func plan(_ backlog: Backlog, capacity: Int) throws(DependencyCycle) -> SprintPlan {
        try Planner.plan(backlog, sprint: "Sprint 1", capacity: DecimalNumber(capacity), strategy: WSJFStrategy())
    }

    func ids(_ plan: SprintPlan, _ backlog: Backlog) -> [String] {
        plan.selected.map { backlog.stories[$0.storyIndex].id.description }
    }

    @Test("Capacity 20 by WSJF: a 5-point story that does not fit is skipped, a 1-point one below it still fits")
    func skipAndFill() throws {
        // WSJF: S-1 80/8 = 10, S-2 72/8 = 9, S-3 40/5 = 8, S-4 7/1 = 7, S-5 12/2 = 6.
        let b = try backlog([(1, 80, "8", ""), (2, 72, "8", ""), (3, 40, "5", ""), (4, 7, "1", ""), (5, 12, "2", "")])
        let p = try plan(b, capacity: 20)
        // 8 + 8 = 16; S-3 (5) would make 21: skipped; S-4 (1) and S-5 (2) still fit: 19.
        #expect(ids(p, b) == ["S-1", "S-2", "S-4", "S-5"])
        #expect(p.points == Fraction(19))
        #expect(p.below.map { "\(b.stories[$0.storyIndex].id) \($0.reason)" } == ["S-3 did not fit (5 pts, 4 left)"])
        // With 21 points S-3 fits exactly, and then nothing else does.
        let roomy = try plan(b, capacity: 21)
        #expect(ids(roomy, b) == ["S-1", "S-2", "S-3"])
    }

    @Test("A fill can land exactly on capacity (at most, not less than)")
    func exactCapacity() throws {
        // WSJF: S-2 20/5 = 4, S-1 30/8 = 3.75, S-3 10/7 = 1.43; 5 + 8 + 7 = 20.
        let b = try backlog([(1, 30, "8", ""), (2, 20, "5", ""), (3, 10, "7", "")])
        let p = try plan(b, capacity: 20)
        #expect(p.points == Fraction(20))
        #expect(ids(p, b) == ["S-2", "S-1", "S-3"])
        #expect(p.below.isEmpty)
    }

    @Test("A story waits for its dependencies; it follows them once they are taken")
    func dependencies() throws {
        // S-1 ranks first but needs S-3; S-3 ranks last.
        let b = try backlog([(1, 100, "2", "- depends: S-3\n"), (2, 10, "2", ""), (3, 1, "2", ""), (4, 50, "2", "- depends: S-9\n"),
                             (9, 1, "30", "")])
        let p = try plan(b, capacity: 6)
        #expect(ids(p, b) == ["S-2", "S-3", "S-1"])
        #expect(p.below.map { "\(b.stories[$0.storyIndex].id) \($0.reason)" }
            == ["S-4 blocked by S-9", "S-9 did not fit (30 pts, 0 left)"])
        // Done dependencies, and ones planned in an earlier sprint, do not block.
        let done = try backlog([(1, 100, "2", "- depends: S-3\n"), (3, 1, "2", "- status: done\n")])
        #expect(ids(try plan(done, capacity: 6), done) == ["S-1"])
        let earlier = try backlog([(1, 100, "2", "- depends: S-3\n"), (3, 1, "2", "- sprint: Sprint 0\n")],
                                  header: "- sprint: Sprint 0 | capacity 10\n- sprint: Sprint 1 | capacity 10\n")
        #expect(ids(try plan(earlier, capacity: 6), earlier) == ["S-1"])
    }

    @Test("A dependency cycle is an error that names the cycle")
    func cycle() throws {
        let b = try backlog([(1, 5, "1", "- depends: S-2\n"), (2, 5, "1", "- depends: S-3\n"), (3, 5, "1", "- depends: S-1\n")])
        #expect(throws: DependencyCycle.self) { try plan(b, capacity: 10) }
        do {
            _ = try plan(b, capacity: 10)
        } catch {
            #expect(error.description == "dependency cycle: S-1 → S-2 → S-3 → S-1")
        }
    }

    @Test("Stories without points are listed as needing an estimate, never dropped")
    func noEstimate() throws {
        let b = try backlog([(1, 5, nil, ""), (2, 5, "3", ""), (3, 1, nil, "")])
        let p = try plan(b, capacity: 10)
        #expect(ids(p, b) == ["S-2"])
        #expect(p.below.map { "\(b.stories[$0.storyIndex].id) \($0.reason)" } == ["S-1 no estimate", "S-3 no estimate"])
    }

    @Test("Stories already in the sprint count first; DSDM warns above 60% Must-haves")
    func alreadyPlannedAndMust() throws {
        let b = try backlog([(1, 50, "3", "- moscow: must\n"), (2, 1, "5", "- sprint: Sprint 1\n- moscow: must\n"),
                             (3, 40, "4", "- moscow: could\n")])
        let p = try plan(b, capacity: 10)
        #expect(ids(p, b) == ["S-2", "S-1"])
        #expect(p.selected.map(\.alreadyPlanned) == [true, false])
        #expect(p.warnings == ["Must-haves are 100% of the sprint's points (DSDM advises at most 60%, to leave room for contingency)"])
    }

    @Test("The velocity is the mean done points of the sprints that ended, zeros included, over the window")
    func velocity() throws {
        let header = "- sprint: Sprint 1 | capacity 10 | 2026-10-05 .. 2026-10-16\n"
            + "- sprint: Sprint 2 | capacity 10 | 2026-10-19 .. 2026-10-30\n"
            + "- sprint: Sprint 3 | capacity 10 | 2026-11-02 .. 2026-11-13\n"
            + "- sprint: Sprint 4 | capacity 10 | 2026-11-16 .. 2026-11-27\n"
            + "- sprint: Sprint 5 | capacity 10 | 2026-11-30 .. 2026-12-11\n"
        let b = try backlog([(1, 1, "5", "- status: done\n- sprint: Sprint 1\n"),
                             (2, 1, "8", "- status: done\n- sprint: Sprint 2\n"), (3, 1, "3", "- status: done\n- sprint: Sprint 2\n"),
                             (4, 1, "13", "- sprint: Sprint 3\n"), (5, 1, "20", "- status: done\n- sprint: Sprint 4\n"),
                             (6, 1, "5", "- status: done\n- sprint: Sprint 5\n")], header: header)
        // Sprint 3 delivered nothing: a zero is history too. Sprint 5 is still running.
        let timeline = SprintTimeline(b, today: "2026-12-01")
        #expect(timeline.history.map(\.points) == [Fraction(5), Fraction(11), Fraction(0), Fraction(20)])
        #expect(timeline.meanVelocity == Fraction(9))
        #expect(timeline.historyLine == "history: 5, 11, 0, 20 (last 4 sprints, window 6)")
        // A window of 3: 11, 0, 20 → 31 / 3.
        #expect(SprintTimeline(b, today: "2026-12-01", window: 3).meanVelocity == Fraction(numerator: 31, denominator: 3))
        // The story of Sprint 3 that is not done is overdue.
        #expect(timeline.overdue.map { b.stories[$0].id.description } == ["S-4"])
        #expect(timeline.current.name == "Sprint 5")
    }

    @Test("The forecast fills sprint after sprint at the velocity, with dates, by the same rules")
    func forecast() throws {
        let b = try backlog([(1, 80, "8", ""), (2, 45, "5", ""), (3, 40, "5", ""), (4, 7, "1", ""), (5, 12, "2", "- depends: S-6\n"),
                             (6, 1, "9", ""), (7, 1, nil, ""), (8, 1, "13", "")],
                            header: "- sprint: Sprint 1 | capacity 10 | 2026-11-02 .. 2026-11-13\n")
        let f = try Planner.forecast(b, timeline: SprintTimeline(b, today: "2026-11-01"), velocity: Fraction(10), strategy: WSJFStrategy())
        let lines = f.sprints.map { s in "\(s.name) \(s.start ?? "") \(s.end ?? ""): " + s.storyIndices.map { b.stories[$0].id.description }.joined(separator: " ") }
        #expect(lines == [
            "Sprint 1 2026-11-02 2026-11-13: S-1 S-4",
            "Sprint 2 2026-11-16 2026-11-27: S-2 S-3",
            "Sprint 3 2026-11-30 2026-12-11: S-6",
            "Sprint 4 2026-12-14 2026-12-25: S-5",
            // Larger than the velocity: still forecast, alone, with a note (issue 9).
            "Sprint 5 2026-12-28 2027-01-08: S-8",
        ])
        #expect(f.sprints.map(\.note) == [nil, nil, nil, nil, "larger than the sprint's capacity (13 > 10 pts): forecast alone in it"])
        #expect(f.unplaceable.map { "\(b.stories[$0.storyIndex].id) \($0.reason)" } == ["S-7 no estimate"])
    }

    @Test("Declared sprints are forecast at their own capacity, the velocity beyond them; a holiday sprint stays empty")
    func declaredCapacities() throws {
        let b = try backlog([(1, 80, "8", ""), (2, 45, "5", ""), (3, 40, "5", ""), (4, 7, "1", "")],
                            header: "- sprint: Sprint 1 | capacity 13 | 2026-11-02 .. 2026-11-13\n"
                                + "- sprint: Sprint 2 | capacity 0 | 2026-11-16 .. 2026-11-27\n")
        let f = try Planner.forecast(b, timeline: SprintTimeline(b, today: "2026-11-01"), velocity: Fraction(6), strategy: WSJFStrategy())
        let lines = f.sprints.map { s in "\(s.name): " + s.storyIndices.map { b.stories[$0].id.description }.joined(separator: " ") }
        #expect(lines == ["Sprint 1: S-1 S-2", "Sprint 2: ", "Sprint 3: S-3 S-4"])
    }

    @Test("Sprint lines in the header are checked")
    func sprintHeader() {
        #expect(errors("# B\n- sprint: S1 | capacity lots\n- sprint: S2 | 2026-13-01 .. 2026-13-02\n- sprint: S3\n- sprint: S3\n\n## S-1 A\n") == [
            "b.md:2:11: error: sprint capacity must be a number of points, got 'capacity lots'",
            "b.md:3:11: error: '2026-13-01 .. 2026-13-02' is neither 'capacity N' nor a date range like 2026-11-02 .. 2026-11-13",
            "b.md:5:11: error: sprint 'S3' is declared twice",
        ])
    }
}
