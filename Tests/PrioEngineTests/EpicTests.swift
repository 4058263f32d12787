import PrioEngine
import Testing

private let epicFixture = """
# Shop

- sprint: Sprint 1 | capacity 5 | 2026-11-02 .. 2026-11-13 | committed 5 | done 5 | closed 2026-11-13
- sprint: Sprint 2 | capacity 5 | 2026-11-16 .. 2026-11-27 | committed 5 | done 5 | closed 2026-11-27
- view: open epic work = parent = S-1 and status != done
- ready: points, criteria
- team: ana, ben, chen

## S-1 Checkout epic
- points: 1

## S-2 Guest checkout
- status: done
- points: 5
- parent: S-1

## S-3 Apple Pay
- points: 3
- parent: S-1

## S-6 Search epic
- points: 4

## S-4 PayPal
- points: 2
- parent: S-1

## S-5 Facets
- points: 1
- parent: S-6

"""

@Suite("Epics")
struct EpicTests {
    @Test("Roll-ups: children's points (not the epic's own), done points, share done, rank order")
    func rollups() throws {
        let backlog = try load(epicFixture)
        let epics = Epics(backlog, strategy: ManualStrategy(), forecast: nil)
        #expect(epics.rollups.map { backlog.stories[$0.storyIndex].id.description } == ["S-1", "S-6"])
        let checkout = try #require(epics.rollups.first)
        #expect(checkout.children.map { backlog.stories[$0].id.description } == ["S-2", "S-3", "S-4"])
        // 5 (done) + 3 + 2 = 10 points, 5 done: 50 %.
        #expect(checkout.points == Fraction(10))
        #expect(checkout.donePoints == Fraction(5))
        #expect(checkout.shareDone == Fraction(numerator: 1, denominator: 2))
        #expect(checkout.openChildren == 2)
        #expect(EpicsReport.summary(checkout) == "3 stories, 10 pts, 5 pts done (50%)")
        let search = epics.rollups[1]
        #expect(search.points == Fraction(1) && search.donePoints == Fraction(0) && search.shareDone == Fraction(0))
    }

    @Test("An epic's forecast is the plain forecast's sprint of its last open child")
    func forecast() throws {
        let backlog = try load(epicFixture)
        let timeline = SprintTimeline(backlog, today: "2026-12-09")
        // Velocity: the mean of the two closed sprints' done points, 5.
        #expect(timeline.velocity?.value == Fraction(5))
        let report = try ForecastReport.plain(backlog, timeline: timeline, strategy: ManualStrategy(), velocity: Fraction(5))
        let epics = Epics(backlog, strategy: ManualStrategy(), forecast: report)
        func landing(_ id: String) -> (number: Int, name: String)? {
            guard let row = report.rows.first(where: { backlog.stories[$0.storyIndex].id.description == id }),
                  let sprint = row.sprint, let number = row.sprintNumber else { return nil }
            return (number, sprint.name)
        }
        let s3 = try #require(landing("S-3")), s4 = try #require(landing("S-4")), s5 = try #require(landing("S-5"))
        let last = s3.number > s4.number ? s3 : s4
        #expect(epics.rollups[0].forecast?.sprint == last.name)
        #expect(epics.rollups[1].forecast?.sprint == s5.name)
        #expect(epics.rollups[0].forecast?.end != nil)
        let json = EpicsReport.json(epics, backlog)
        #expect(json.contains("{\"id\": \"S-1\", \"title\": \"Checkout epic\", \"stories\": [\"S-2\", \"S-3\", \"S-4\"], \"points\": 10, \"done_points\": 5, \"share_done\": 0.5, \"forecast\": {\"sprint\": \"\(last.name)\""))
    }

    @Test("An epic whose children are all done has no forecast; without a forecast none is made")
    func noForecast() throws {
        let done = epicFixture.replacing("## S-5 Facets\n- points: 1", with: "## S-5 Facets\n- status: done\n- points: 1")
        let backlog = try load(done)
        let timeline = SprintTimeline(backlog, today: "2026-12-09")
        let report = try ForecastReport.plain(backlog, timeline: timeline, strategy: ManualStrategy(), velocity: Fraction(5))
        let epics = Epics(backlog, strategy: ManualStrategy(), forecast: report)
        #expect(epics.rollups[1].openChildren == 0 && epics.rollups[1].forecast == nil)
        #expect(EpicsReport.json(epics, backlog).contains("\"share_done\": 1, \"forecast\": null}"))
        #expect(Epics(backlog, strategy: ManualStrategy(), forecast: nil).rollups[0].forecast == nil)
    }

    @Test("Grouping by epic: each epic where its first story ranks, itself first, then the stories in no epic")
    func groups() throws {
        let backlog = try load(epicFixture)
        let epics = Epics(backlog, strategy: ManualStrategy(), forecast: nil)
        let ranking = Ranking(backlog, strategy: ManualStrategy())
        let groups = epics.groups(ranking.entries, in: backlog)
        #expect(groups.map { group in group.entries.map { backlog.stories[$0.storyIndex].id.description } }
                == [["S-1", "S-3", "S-4"], ["S-6", "S-5"]])
        #expect(groups.map { $0.epic.map { backlog.stories[$0].id.description } } == ["S-1", "S-6"])
    }

    @Test("A missing parent, a story its own parent and a parent cycle are located errors")
    func parentErrors() {
        let text = """
            ## S-1 A
            - parent: S-2

            ## S-2 B
            - parent: S-1

            ## S-3 C
            - parent: S-3

            ## S-4 D
            - parent: S-99

            ## S-5 E
            - parent: five
            """
        #expect(errors(text) == [
            "b.md:2:11: error: parent cycle: S-1 → S-2 → S-1 (a story cannot be inside itself; remove one of these parents)",
            "b.md:8:11: error: S-3 cannot be its own parent",
            "b.md:11:11: error: S-4's parent S-99 is not in the backlog",
            "b.md:14:11: error: 'five' is not a story ID (like S-12)",
        ])
    }

    @Test("A walk that enters a cycle from outside reports the cycle once, at its story first in the file")
    func cycleEnteredFromOutside() {
        let text = """
            ## S-6 Outside
            - parent: S-7

            ## S-7 In
            - parent: S-8

            ## S-8 In too
            - parent: S-7
            """
        #expect(errors(text) == [
            "b.md:5:11: error: parent cycle: S-7 → S-8 → S-7 (a story cannot be inside itself; remove one of these parents)",
        ])
    }

    @Test("A change that would make a parent cycle or lose a parent is refused before any save")
    func saveChecks() throws {
        var backlog = try load(epicFixture)
        #expect(throws: PrioError(lines: ["parent cycle: S-1 → S-3 → S-1 (a story cannot be inside itself; remove one of these parents)",
                                          "nothing was written"])) {
            try backlog.set([(key: "parent", value: "S-3")], at: [0])
        }
        #expect(backlog.stories[0].parent == nil, "nothing changed")
        try backlog.removeWithReferences(StoryID("S-6")!)
        #expect(backlog.parentProblems().isEmpty)
        #expect(backlog.story(StoryID("S-5")!)?.parent == nil)
        try backlog.removeWithReferences(StoryID("S-1")!)
        #expect(backlog.children(of: StoryID("S-1")!).isEmpty && backlog.parentProblems().isEmpty)
    }

    @Test("parent, view, ready and team round-trip byte for byte, and a set parent goes last among the known fields")
    func roundTrip() throws {
        let backlog = try load(epicFixture)
        #expect(written(backlog) == epicFixture)
        var changed = backlog
        _ = try changed.set([(key: "parent", value: "S-6"), (key: "moscow", value: "must")], at: [4])
        #expect(written(changed).contains("## S-4 PayPal\n- moscow: must\n- points: 2\n- parent: S-6\n\n## S-5"))
        #expect(written(changed).replacing("## S-4 PayPal\n- moscow: must\n- points: 2\n- parent: S-6", with: "")
                == epicFixture.replacing("## S-4 PayPal\n- points: 2\n- parent: S-1", with: ""))
        #expect(Team(header: backlog.header).members == ["ana", "ben", "chen"])
        #expect(DefinitionOfReady(header: backlog.header).checks == [.points, .criteria])
    }

    @Test("Two branches that each add a header line and a parent merge without a conflict")
    func merge() throws {
        let ours = epicFixture.replacing("- team: ana, ben, chen", with: "- team: ana, ben, chen\n- view: small = points <= 2")
        let theirs = epicFixture.replacing("## S-5 Facets\n- points: 1\n- parent: S-6", with: "## S-5 Facets\n- points: 1\n- parent: S-1")
        let outcome = BacklogMerge.merge(base: Array(epicFixture.utf8), ours: Array(ours.utf8), theirs: Array(theirs.utf8), path: "b.md")
        #expect(outcome.conflicts == 0)
        let merged = String(decoding: outcome.bytes, as: UTF8.self)
        #expect(merged.contains("- view: small = points <= 2\n"))
        #expect(merged.contains("## S-5 Facets\n- points: 1\n- parent: S-1\n"))
        #expect(try load(merged).header.views.map(\.name) == ["open epic work", "small"])
    }
}
