import Foundation
import Testing

/// One sprint truth through the real binary (issue 23): plan, forecast, review and sprints agree
/// with each other and with the calendar.
@Suite("One sprint truth")
struct SprintTruthTests {
    func object(_ text: String) throws -> [String: Any]? {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
    }

    @Test("The sample made on any day gives meaningful answers: plan, forecast, --confidence, review, sprints, matrix, compare",
          arguments: ["2026-12-09", "2027-03-01", "2029-07-16"])
    func sampleOnAnyDay(today: String) throws {
        let box = try Sandbox()
        let env = ["PRIO_TODAY": today]
        #expect(try box.run("init", "--sample", environment: env).status == 0)

        let sprints = try #require(try JSONSerialization.jsonObject(with: Data(try box.run("sprints", "--format", "json", environment: env).stdoutData)) as? [[String: Any]])
        #expect(sprints.map { $0["state"] as? String } == ["closed", "closed", "closed", "active", "planned"])
        #expect(sprints.map { $0["committed"] as? Int } == [10, 8, 14, 18, nil])
        #expect(sprints.map { $0["done"] as? Int } == [8, 3, 6, nil, nil])
        let active = try #require(sprints.first { $0["state"] as? String == "active" })
        let start = try #require(active["start"] as? String), end = try #require(active["end"] as? String)
        #expect(start <= today && today <= end, "the active sprint holds today")

        let plan = try #require(try object(try box.run("plan", "--format", "json", environment: env).stdout))
        #expect(plan["sprint"] as? String == "Sprint 4")
        #expect((plan["selected"] as? [[String: Any]])?.count ?? 0 > 3)

        let forecast = try box.run("forecast", "--format", "json", environment: env)
        #expect(forecast.status == 0, "\(forecast)")
        let plain = try #require(try object(forecast.stdout))
        #expect((plain["history"] as? [[String: Any]])?.map { $0["points"] as? Int } == [8, 3, 6])
        let stories = try #require(plain["stories"] as? [[String: Any]])
        // The first sprint of the forecast is the sprint prio plan plans; nothing lands before today.
        #expect(stories.first { $0["planned"] as? Bool == false }?["sprint"] as? String == "Sprint 4")
        for story in stories { if let end = story["end"] as? String { #expect(end >= today, "\(story)") } }

        let confidence = try box.run("forecast", "--confidence", "--trials", "500", "--seed", "3", "--format", "json", environment: env)
        #expect(confidence.status == 0, "\(confidence)")
        let mc = try #require(try object(confidence.stdout))
        #expect((mc["history"] as? [[String: Any]])?.count == 3)
        // The plain forecast's sprint is never later than the 95 % one.
        let plainEnd = Dictionary(stories.compactMap { s in (s["id"] as? String).flatMap { id in (s["end"] as? String).map { (id, $0) } } },
                                  uniquingKeysWith: { a, _ in a })
        for outlook in mc["stories"] as? [[String: Any]] ?? [] {
            guard let id = outlook["id"] as? String, let p95 = (outlook["p95"] as? [String: Any])?["end"] as? String,
                  let mine = plainEnd[id] else { continue }
            #expect(mine <= p95, "\(id): plain \(mine), p95 \(p95)")
        }

        let review = try box.run("review", environment: env)
        #expect(review.stdout.hasPrefix("Sprint 4 (active): committed 18 · in it 18 · done 0 pts\n"), "\(review.stdout)")
        #expect(review.stdout.contains("S-4   Apple Pay and Google Pay"))
        for command in [["matrix"], ["compare"]] {
            let result = try box.run(arguments: command, environment: env)
            #expect(result.status == 0 && result.stdout.contains("S-31"), "\(command): \(result)")
        }
    }

    @Test("Months after the last sprint: the forecast lands nothing in the past, plans the sprint holding today, and says what is overdue")
    func laterDay() throws {
        let box = try Sandbox()
        try box.initSample()
        let env = ["PRIO_TODAY": "2027-03-01"]
        let plan = try box.run("plan", "--format", "json", environment: env)
        let object = try #require(try object(plan.stdout))
        // Sprint 4 ended on 2026-12-13 (not closed) and Sprint 5 on 2026-12-27: the cadence
        // sprint holding 2027-03-01 is Sprint 10 (2027-02-22 .. 2027-03-07).
        #expect(object["sprint"] as? String == "Sprint 10")
        // Its capacity is the velocity, and the plan says which history it comes from.
        #expect(object["capacity_from"] as? String == "the velocity; history: 8, 3, 6, 0, 0 (last 5 sprints, window 6)")
        #expect(plan.stderr.contains("prio: note: 3 stories (18 pts) not done in the ended sprint \"Sprint 4\": overdue"), "\(plan.stderr)")
        #expect(plan.stderr.contains("prio close-sprint \"Sprint 4\" --carry-over next"))
        let forecast = try box.run("forecast", environment: env)
        #expect(forecast.stdout.contains("from Sprint 10"))
        #expect(!forecast.stdout.contains("2026-"), "nothing forecast into the past: \(forecast.stdout)")
        // The overdue stories are work still to do, in rank order from the current sprint on.
        #expect(forecast.stdout.contains("S-31"))
        let sprints = try box.run("sprints", environment: env)
        #expect(sprints.stdout.contains("current: Sprint 10 (2027-02-22 .. 2027-03-07), on the cadence (not declared yet)"), "\(sprints.stdout)")
        // Planning an ended sprint is refused, with the current one named.
        let refused = try box.run("plan", "--sprint", "Sprint 4", environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr == "prio: error: Sprint 4 has ended (2026-12-13); nothing is planned into an ended sprint (the current sprint is Sprint 10)\n")
        // Closing it sends the unfinished stories to the sprint holding today, declared on the cadence.
        let closed = try box.run("close-sprint", "Sprint 4", "--carry-over", "next", environment: env)
        #expect(closed.status == 0, "\(closed)")
        #expect(closed.stderr == "closed Sprint 4: committed 18 pts, done 0 pts; moved S-31, S-4, S-5 to Sprint 10\n")
        #expect(try box.text("backlog.md").contains("- sprint: Sprint 10 | capacity 20 | 2027-02-22 .. 2027-03-07\n"))
    }

    @Test("Over-commitment is shown, not hidden: 33 of 20 in plan, review and the forecast until --apply takes it out")
    func overCommitment() throws {
        let box = try Sandbox()
        try box.initSample()
        // S-12 (13 points) joins the active sprint by hand: 18 + 13 = 31 of 20.
        #expect(try box.run("set", "S-12", "sprint=Sprint 4").status == 0)
        let plan = try box.run("plan")
        #expect(plan.stdout.contains("████████████████████ 31/20 pts, 11 over"), "\(plan.stdout)")
        #expect(plan.stdout.contains("over capacity (13 pts): in the sprint; f or --apply takes it out"))
        #expect(try box.run("review").stdout.hasPrefix("Sprint 4 (active): committed 18 · in it 31 · done 0 pts\n"))
        let forecast = try #require(try object(try box.run("forecast", "--format", "json").stdout))
        let s12 = (forecast["stories"] as? [[String: Any]])?.first { $0["id"] as? String == "S-12" }
        #expect(s12?["sprint"] as? String == "Sprint 4" && s12?["planned"] as? Bool == true)
        let applied = try box.run("plan", "--apply")
        #expect(applied.stderr.contains("took 1 over capacity out of it"), "\(applied)")
        #expect(try box.run("plan").stdout.contains(" 20/20 pts") || (try box.run("plan").stdout.contains("18/20 pts")))
    }

    @Test("plan lists 20 stories below the cut line unless told: --below N, --below all")
    func belowLimit() throws {
        let box = try Sandbox()
        try box.initSample()
        let table = try box.run("plan")
        let belowLines = table.stdout.components(separatedBy: "── cut line")[1].split(separator: "\n").dropFirst(2)
        #expect(belowLines.count == 21, "\(table.stdout)")
        #expect(table.stdout.hasSuffix("… and 7 more below the line (--below all lists them)\n"), "\(table.stdout)")
        let three = try #require(try object(try box.run("plan", "--format", "json", "--below", "3").stdout))
        #expect((three["below"] as? [[String: Any]])?.count == 3)
        #expect(three["below_not_listed"] as? Int == 24)
        let all = try #require(try object(try box.run("plan", "--format", "json", "--below", "all").stdout))
        #expect((all["below"] as? [[String: Any]])?.count == 27 && all["below_not_listed"] as? Int == 0)
        #expect(try box.run("plan", "--below", "some").status != 0)
    }

    @Test("prio sprints: a table and JSON of every sprint with state, dates, capacity, committed and done")
    func sprintsCommand() throws {
        let box = try Sandbox()
        try box.initSample()
        let table = try box.run("sprints")
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout == """
            Sprint      State    Dates                     Capacity  Committed  In it  Done
            Sprint 1    closed   2026-10-19 .. 2026-11-01        18         10      8     8
            Sprint 2    closed   2026-11-02 .. 2026-11-15        18          8      3     3
            Sprint 3    closed   2026-11-16 .. 2026-11-29        20         14      6     6
            Sprint 4 ◀  active   2026-11-30 .. 2026-12-13        20         18     18     0
            Sprint 5    planned  2026-12-14 .. 2026-12-27        20                 0
            current: Sprint 4
            velocity: 5.67 pts per sprint (the mean of the history)
            history: 8, 3, 6 (last 3 sprints, window 6)

            """)
        let window = try box.run("sprints", "--window", "2")
        #expect(window.stdout.contains("velocity: 4.5 pts per sprint"))
        #expect(window.stdout.contains("history: 3, 6 (last 2 sprints, window 2)"))
        // The header's velocity-window setting does the same for every command.
        let text = try box.text("backlog.md").replacing("- prefix: S\n", with: "- prefix: S\n- velocity-window: 2\n")
        try box.write("backlog.md", text)
        #expect(try box.run("check").stderr.contains("velocity-window") == false)
        #expect(try box.run("sprints").stdout.contains("history: 3, 6 (last 2 sprints, window 2)"))
        #expect(try box.run("forecast").stdout.hasPrefix("Forecast at 4.5 pts per sprint"))
    }
}
