import PrioEngine
import PrioStorage
import Testing

/// The one rule for which sprint to plan and at what capacity, and over-capacity plans (issue 9).
@Suite("Choosing the sprint to plan")
struct SprintChoiceTests {
    static let dated = """
        # B

        - sprint: Sprint 1 | capacity 10 | 2026-11-02 .. 2026-11-13
        - sprint: Sprint 2 | capacity 12 | 2026-11-16 .. 2026-11-27

        ## S-1 A
        - points: 3
        - status: done
        - sprint: Sprint 1

        ## S-2 B
        - points: 5
        - status: done
        - sprint: Sprint 1

        ## S-3 C
        - points: 2

        """

    @Test("The sprint whose dates hold today; else the next one not finished; else a new one on the cadence", arguments: [
        ("2026-11-05", "Sprint 1", "2026-11-02", "10", SprintChoice.CapacitySource.declared, true),
        ("2026-11-14", "Sprint 2", "2026-11-16", "12", .declared, true),
        ("2026-11-20", "Sprint 2", "2026-11-16", "12", .declared, true),
        // Sprint 1 delivered 8, Sprint 2 nothing: the mean of 8 and 0 (a zero is history too).
        ("2026-12-01", "Sprint 3", "2026-11-30", "4", .velocity, false),
        ("2026-12-20", "Sprint 4", "2026-12-14", "4", .velocity, false),
    ])
    func rule(_ today: String, _ name: String, _ start: String, _ capacity: String,
              _ source: SprintChoice.CapacitySource, _ declared: Bool) throws {
        let backlog = try load(Self.dated)
        let choice = Planner.chooseSprint(backlog, today: today)
        #expect(choice.sprint.name == name)
        #expect(choice.sprint.start == start)
        #expect(choice.capacity == DecimalNumber(capacity))
        #expect(choice.capacitySource == source)
        #expect(choice.isDeclared == declared)
    }

    @Test("No sprint at all: Sprint 1, with no capacity until one is given")
    func none() throws {
        let backlog = try load("# B\n\n## S-1 A\n- points: 3\n")
        let choice = Planner.chooseSprint(backlog, today: "2026-12-01")
        #expect(choice.sprint.name == "Sprint 1")
        #expect(choice.capacity == nil)
        let given = Planner.chooseSprint(backlog, today: "2026-12-01", capacity: DecimalNumber(7))
        #expect(given.capacity == DecimalNumber(7) && given.capacitySource == .given)
    }

    @Test("Undated sprints: ended when all their stories are done; ended sprints are not planned")
    func undated() throws {
        let backlog = try load("# B\n\n- sprint: Alpha\n- sprint: Beta\n\n## S-1 A\n- points: 3\n- status: done\n- sprint: Alpha\n\n## S-2 B\n- points: 1\n")
        #expect(Planner.chooseSprint(backlog, today: "2026-12-01").sprint.name == "Beta")
        #expect(Planner.plannableSprints(backlog, today: "2026-12-01") == ["Beta", "Beta + 1"])
        let alpha = Planner.chooseSprint(backlog, today: "2026-12-01", named: "Alpha")
        #expect(alpha.problem == "Alpha has ended; nothing is planned into an ended sprint (the current sprint is Beta)")
    }

    @Test("Over capacity is resolved: committed stories kept in rank order, the rest below the line, and applying takes them out")
    func overCapacity() throws {
        let backlog = try load("""
            # B

            - strategy: wsjf

            ## S-1 Low
            - value: 1
            - time-criticality: 1
            - risk-reduction: 1
            - points: 8
            - sprint: Sprint 1

            ## S-2 High
            - value: 13
            - time-criticality: 8
            - risk-reduction: 5
            - points: 5
            - sprint: Sprint 1

            ## S-3 Mid
            - value: 5
            - time-criticality: 3
            - risk-reduction: 1
            - points: 5
            - sprint: Sprint 1

            """)
        let strategy = try #require(StrategyRegistry.strategy(named: "wsjf"))
        let plan = try Planner.plan(backlog, sprint: "Sprint 1", capacity: DecimalNumber(10), strategy: strategy)
        #expect(plan.selected.map { backlog.stories[$0.storyIndex].id.description } == ["S-2", "S-3"])
        #expect(plan.points == Fraction(10))
        #expect(plan.below.map { backlog.stories[$0.storyIndex].id.description } == ["S-1"])
        #expect(plan.below.first?.reason.description == "over capacity (8 pts): in the sprint; f or --apply takes it out")
        // What the file says is in the sprint: 18 of 10, 8 over, until the plan is applied.
        #expect(plan.inSprint == Fraction(18))
        #expect(plan.over == Fraction(8))
        #expect(PlanReport.gauge(plan.inSprint, of: plan.capacity, width: 10) == "██████████ 18/10 pts, 8 over")
        let changes = plan.changes(in: backlog)
        #expect(changes.map { $0.story.id.description } == ["S-1"])
        #expect(changes.first?.story.value(of: .sprint) == nil)
    }
}
