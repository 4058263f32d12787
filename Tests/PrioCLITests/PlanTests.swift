import Foundation
import Testing

@Suite("prio plan and prio forecast")
struct PlanTests {
    let backlog = """
        # Team

        - strategy: wsjf
        - sprint: Sprint 1 | capacity 10 | 2026-11-02 .. 2026-11-13
        - sprint: Sprint 2 | capacity 10 | 2026-11-16 .. 2026-11-27

        ## S-1 Big and valuable
        - moscow: must
        - value: 40
        - time-criticality: 0
        - risk-reduction: 0
        - points: 8

        ## S-2 Too big now
        - moscow: should
        - value: 30
        - time-criticality: 0
        - risk-reduction: 0
        - points: 5

        ## S-3 Small filler
        - moscow: could
        - value: 4
        - time-criticality: 0
        - risk-reduction: 0
        - points: 1

        ## S-4 Needs S-2
        - value: 100
        - time-criticality: 0
        - risk-reduction: 0
        - points: 1
        - depends: S-2

        ## S-5 Unestimated
        - value: 1
        - time-criticality: 0
        - risk-reduction: 0

        """

    /// A day in Sprint 1: it is the current sprint, Sprint 2 is planned.
    let inSprint1 = ["PRIO_TODAY": "2026-11-05"]

    @Test("plan prints the sprint, the gauge, the cut line and the reasons")
    func table() throws {
        let box = try Sandbox()
        try box.write("backlog.md", backlog)
        let result = try box.run("plan", "--sprint", "Sprint 1", environment: inSprint1)
        #expect(result.status == 0, "\(result)")
        // WSJF: S-4 100 (needs S-2), S-2 6, S-1 5, S-3 4, S-5 unscored. S-4 waits for S-2 and
        // follows it; S-1 (8) no longer fits in 10; the 1-point S-3 below it still does.
        #expect(result.stdout == """
            Sprint 1: capacity 10 pts (declared), ranked by WSJF (SAFe)
            ██████████████░░░░░░ 7/10 pts

            #  ID   Title         Pts   Score  Note
            2  S-2  Too big now     5    6.00
            1  S-4  Needs S-2       1  100.00
            4  S-3  Small filler    1    4.00
            ── cut line ────────────────────────────────────────────────────────────────────
            #  ID   Title             Pts  Why not
            3  S-1  Big and valuable    8  did not fit (8 pts, 4 left)
            5  S-5  Unestimated            no estimate

            """)
        #expect(result.stderr == "")
    }

    @Test("plan --format json has capacity, points, selected and below")
    func json() throws {
        let box = try Sandbox()
        try box.write("backlog.md", backlog)
        // On 2026-11-20 Sprint 2 (2026-11-16 .. 2026-11-27) is the sprint in progress.
        let result = try box.run("plan", "--capacity", "14", "--format", "json", environment: ["PRIO_TODAY": "2026-11-20"])
        #expect(result.status == 0, "\(result)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["sprint"] as? String == "Sprint 2")
        #expect(integer(object["capacity"]) == 14)
        #expect(integer(object["points"]) == 14)
        let selected = try #require(object["selected"] as? [[String: Any]])
        // S-2 (5), then S-4, which waited for S-2, then S-1 (8): exactly 14.
        #expect(selected.compactMap { $0["id"] as? String } == ["S-2", "S-4", "S-1"])
        #expect(selected.map { integer($0["points"]) } == [5, 1, 8])
        #expect(selected.map { integer($0["rank"]) } == [2, 1, 3])
        let below = try #require(object["below"] as? [[String: Any]])
        #expect(below.compactMap { $0["id"] as? String } == ["S-3", "S-5"])
        #expect(below.compactMap { $0["reason"] as? String } == ["did not fit (1 pts, 0 left)", "no estimate"])
    }

    @Test("plan --apply writes the sprint fields; markdown is ready to paste")
    func applyAndMarkdown() throws {
        let box = try Sandbox()
        try box.write("backlog.md", backlog)
        let markdown = try box.run("plan", "--sprint", "Sprint 1", "--format", "markdown", environment: inSprint1)
        #expect(markdown.stdout == """
            ## Sprint 1

            Capacity **10 pts**, planned **7 pts**, ranked by WSJF (SAFe).

            | # | ID | Title | Pts | Score |
            |---:|---|---|---:|---:|
            | 2 | S-2 | Too big now | 5 | 6.00 |
            | 1 | S-4 | Needs S-2 | 1 | 100.00 |
            | 4 | S-3 | Small filler | 1 | 4.00 |

            ### Below the cut line

            - S-1 Big and valuable: did not fit (8 pts, 4 left)
            - S-5 Unestimated: no estimate

            """)
        let applied = try box.run("plan", "--sprint", "Sprint 1", "--apply", environment: inSprint1)
        #expect(applied.status == 0, "\(applied)")
        #expect(applied.stderr.contains("planned 3 stories into Sprint 1"))
        let text = try box.text("backlog.md")
        #expect(text == backlog.replacing("- points: 5\n", with: "- points: 5\n- sprint: Sprint 1\n")
            .replacing("- points: 1\n\n## S-4", with: "- points: 1\n- sprint: Sprint 1\n\n## S-4")
            .replacing("- depends: S-2\n", with: "- depends: S-2\n- sprint: Sprint 1\n"))
        // Planned again, the stories already in the sprint count first and nothing more fits.
        let again = try box.run("plan", "--sprint", "Sprint 1", "--format", "json", environment: inSprint1)
        #expect(again.stdout.contains("\"points\": 7"))
    }

    @Test("a dependency cycle is an error naming it")
    func cycle() throws {
        let box = try Sandbox()
        try box.write("backlog.md", "## S-1 A\n- points: 1\n- depends: S-2\n\n## S-2 B\n- points: 1\n- depends: S-1\n")
        let result = try box.run("plan", "--capacity", "5")
        #expect(result.status == 1)
        #expect(result.stderr == "prio: error: dependency cycle: S-1 → S-2 → S-1\n")
    }

    @Test("forecast lists the sprint and dates each story lands in")
    func forecast() throws {
        let box = try Sandbox()
        try box.write("backlog.md", backlog)
        let result = try box.run("forecast", "--velocity", "9", environment: inSprint1)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == """
            Forecast at 9 pts per sprint on the cadence (given; history: none yet (no sprint has ended)), ranked by WSJF (SAFe), from Sprint 1

            Sprint    Dates                     ID   Title             Pts  Note
            Sprint 1  2026-11-02 .. 2026-11-13  S-4  Needs S-2           1
            Sprint 1  2026-11-02 .. 2026-11-13  S-2  Too big now         5
            Sprint 1  2026-11-02 .. 2026-11-13  S-3  Small filler        1
            Sprint 2  2026-11-16 .. 2026-11-27  S-1  Big and valuable    8

            Not forecast:
              S-5 Unestimated: no estimate

            """)
        // No done story gives a velocity: the last declared capacity is used, as on the screen.
        let declared = try box.run("forecast", environment: inSprint1)
        #expect(declared.status == 0, "\(declared)")
        #expect(declared.stdout.hasPrefix("Forecast at 10 pts per sprint"), "\(declared)")
        try box.write("bare.md", "# Bare\n\n## S-1 One\n- points: 3\n")
        let noVelocity = try box.run("forecast", "bare.md")
        #expect(noVelocity.status == 1)
        #expect(noVelocity.stderr.contains("give --velocity N"))
    }
}
