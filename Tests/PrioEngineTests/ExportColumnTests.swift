import PrioEngine
import PrioStorage
import Testing

/// Column selection for exports (`--columns`, the screen's dialog), the short why and the forecast column.
@Suite("Export columns")
struct ExportColumnTests {
    let backlog = """
        # Team

        - strategy: wsjf
        - fields: owner, risk level
        - sprint: Sprint 1 | capacity 5
        - sprint: Sprint 2 | capacity 5

        ## S-1 Done one
        - status: done
        - value: 1
        - time-criticality: 1
        - risk-reduction: 1
        - points: 4
        - sprint: Sprint 1

        ## S-2 Planned
        - value: 2
        - time-criticality: 2
        - risk-reduction: 2
        - points: 3
        - sprint: Sprint 2
        - Team: Blue

        ## S-3 Big win
        - moscow: M
        - value: 13
        - time-criticality: 8
        - risk-reduction: 3
        - size: 4
        - points: 2
        - score: 99

        ## S-4 Small
        - value: 3
        - time-criticality: 1
        - risk-reduction: 1
        - points: 1

        ## S-5 No estimate
        - value: 8

        """

    @Test("Names read like field keys: case, spaces and aliases; computed names win over custom fields")
    func names() throws {
        let backlog = try load(self.backlog)
        let columns = try ExportColumn.parse(" Rank ,ID,title,Story Points", in: backlog)
        #expect(columns == [.rank, .id, .title, .field("points")])
        #expect(try ExportColumn.parse("why,explanation,forecast,description,score", in: backlog)
            == [.why, .explanation, .forecast, .description, .score])
        #expect(try ExportColumn.parse("labels,state,MoSCoW,bv,job size", in: backlog)
            == [.field("tags"), .field("status"), .field("moscow"), .field("value"), .field("size")])
        // Custom fields: used by a story (any spelling), or declared with `- fields:`.
        #expect(try ExportColumn.parse("team,OWNER,Risk_Level", in: backlog) == [.field("team"), .field("owner"), .field("risk-level")])
        // S-3 has a custom field named `score`: the column is the computed score.
        #expect(try ExportColumn.parse("score", in: backlog) == [.score])
        #expect(ExportColumn.knownNames(in: backlog).suffix(3) == ["team", "owner", "risk-level"])
    }

    @Test("Unknown, repeated and missing names are refused with the closest name and the list")
    func refused() throws {
        let backlog = try load(self.backlog)
        let list = ExportColumn.knownNames(in: backlog).joined(separator: ", ")
        #expect(throws: PrioError("unknown column 'titel' (did you mean 'title'?); columns are: \(list)")) {
            try ExportColumn.parse("id,titel", in: backlog)
        }
        #expect(throws: PrioError("unknown column 'Tema' (did you mean 'team'?); columns are: \(list)")) {
            try ExportColumn.parse("Tema", in: backlog)
        }
        #expect(throws: PrioError("unknown column 'budget'; columns are: \(list)")) {
            try ExportColumn.parse("budget", in: backlog)
        }
        #expect(throws: PrioError("column 'points' is named twice")) {
            try ExportColumn.parse("points,estimate", in: backlog)
        }
        #expect(throws: PrioError("no columns named; columns are: \(list)")) {
            try ExportColumn.parse(" ,, ", in: backlog)
        }
    }

    @Test("Did you mean: a swap of neighbours is one edit; short names allow one edit, longer ones two or three",
          arguments: [("titel", "title"), ("ponts", "points"), ("forcast", "forecast"), ("wy", "why"), ("rnak", "rank"),
                      ("descripton", "description"), ("time critcality", "time-criticality"), ("xy", nil), ("budget", nil),
                      ("story-pts", nil)])
    func didYouMean(typed: String, suggestion: String?) throws {
        let backlog = try load(self.backlog)
        do {
            _ = try ExportColumn.parse(typed, in: backlog)
            Issue.record("'\(typed)' was accepted")
        } catch {
            let hint = error.message.firstMatch(of: /did you mean '([^']+)'/).map { String($0.1) }
            #expect(hint == suggestion, "\(error.message)")
        }
    }

    @Test("The short why keeps what differs from row to row: no score, no fallback suffix")
    func why() throws {
        let backlog = try load(self.backlog)
        func whys(_ strategy: String) throws -> [String] {
            let ranking = Ranking(backlog, strategy: try #require(StrategyRegistry.strategy(named: strategy)))
            return ranking.entries.map { ranking.why($0) }
        }
        // WSJF: S-3 (13 + 8 + 3) / 4 = 6 (size), S-4 5 / 1 = 5, S-2 6 / 3 = 2 (size from points).
        #expect(try whys("wsjf") == ["(13 + 8 + 3) / 4", "(3 + 1 + 1) / 1", "(2 + 2 + 2) / 3",
                                     "unscored: no time-criticality, no risk-reduction, no size or points"])
        #expect(try whys("manual") == ["", "", "", ""])
        #expect(try whys("moscow") == ["Must have", "unscored: no moscow value", "unscored: no moscow value",
                                       "unscored: no moscow value"])
        // Value/effort: values 3, 2, 13 over efforts 1, 3, 2 (points); medians value 3, effort 2.
        #expect(try whys("value-effort") == ["quick win (13 / 2)", "quick win (3 / 1)", "money pit (2 / 3)",
                                             "unscored: no effort or points"])
    }

    @Test("The forecast column: a planned story shows its sprint, done ones nothing, others the forecast at the velocity")
    func forecast() throws {
        let backlog = try load(self.backlog)
        // Velocity: Sprint 1 (undated, all done) ended with 4 points. Sprint 2 is current and holds
        // S-2 (3 of 5): S-3 (2) fills it; S-4 (1) goes on into Sprint 3; S-5 has no estimate.
        let today = "2026-12-01"
        #expect(SprintTimeline(backlog, today: today).velocity?.value == Fraction(4))
        let landing = SprintLanding(backlog, strategy: WSJFStrategy(), today: today)
        #expect((0..<5).map { landing.sprint(ofStory: $0) } == [nil, "Sprint 2", "Sprint 2", "Sprint 3", nil])
        #expect(landing.sprint(ofStory: 99) == nil)

        // No done story: the last declared capacity (5) stands in for the velocity.
        let fresh = try load(self.backlog.replacing("- status: done\n", with: ""))
        #expect(SprintTimeline(fresh, today: today).velocity?.value == Fraction(5))
        // Neither: only stories already in a sprint show one.
        let bare = try load("# B\n\n## S-1 A\n- points: 1\n- sprint: Next\n\n## S-2 B\n- points: 1\n")
        #expect(SprintTimeline(bare, today: today).velocity == nil)
        let bareLanding = SprintLanding(bare, strategy: ManualStrategy(), today: today)
        #expect(bareLanding.velocity == nil)
        #expect([0, 1].map { bareLanding.sprint(ofStory: $0) } == ["Next", nil])
    }

    // The forecast column: Sprint 2 (undated, S-2's 3 of 5 points in it) is current, so S-3 (2)
    // fills it; S-4 (1) goes on into Sprint 3 at the velocity (Sprint 1 ended with 4).
    @Test("Chosen columns in CSV, Markdown and JSON; CSV formulas still neutralised")
    func chosenColumns() throws {
        let backlog = try load(self.backlog.replacing("- Team: Blue", with: "- Team: =1+1"))
        let ranking = Ranking(backlog, strategy: WSJFStrategy(), includeDone: true)
        let columns = try ExportColumn.parse("id,team,score,forecast", in: backlog)
        func export(_ format: ExportFormat, raw: Bool = false) -> String {
            Exporter.export(ranking, format: format, top: 3, date: "2026-11-23", sourceName: "b.md", columns: columns,
                            neutraliseFormulas: !raw)
        }
        #expect(export(.csv) == "id,team,score,forecast\r\nS-3,,6.00,Sprint 2\r\nS-4,,5.00,Sprint 3\r\nS-2,'=1+1,2.00,Sprint 2\r\n")
        #expect(export(.csv, raw: true).hasSuffix("S-2,=1+1,2.00,Sprint 2\r\n"))
        #expect(export(.json) == """
            [
              {"id": "S-3", "team": null, "score": 6, "forecast": "Sprint 2"},
              {"id": "S-4", "team": null, "score": 5, "forecast": "Sprint 3"},
              {"id": "S-2", "team": "=1+1", "score": 2, "forecast": "Sprint 2"}
            ]

            """)
        #expect(export(.markdown) == """
            # Team: top 3 by WSJF (SAFe)

            Ranked with **WSJF (SAFe)** ((value + time-criticality + risk-reduction) / size; size falls back to points) on 2026-11-23 from `b.md`; sprints forecast at their declared capacity, then 4 points each.

            | ID | Team | Score | Forecast |
            |---|---|---:|---|
            | S-3 |  | 6.00 | Sprint 2 |
            | S-4 |  | 5.00 | Sprint 3 |
            | S-2 | =1+1 | 2.00 | Sprint 2 |

            """)
    }

    @Test("Without --columns, CSV and JSON keep their columns and the Markdown its stakeholder table")
    func defaults() throws {
        let backlog = try load(self.backlog)
        let ranking = Ranking(backlog, strategy: WSJFStrategy())
        let csv = Exporter.export(ranking, format: .csv, top: 1, date: "2026-11-23", sourceName: "b.md")
        // (S-3's custom `score` field is left out, as before: the column is the computed score.)
        #expect(csv.hasPrefix("rank,id,title,score,explanation,moscow,value,time-criticality,risk-reduction,size,points,"
                              + "description\r\n1,S-3,Big win,6.00,WSJF 6.00 = (13 + 8 + 3) / 4,must,13,8,3,4,2,\r\n"))
        let json = Exporter.export(ranking, format: .json, top: 1, date: "2026-11-23", sourceName: "b.md")
        #expect(json == Exporter.json(ranking, Array(ranking.top(1))))
        let markdown = Exporter.export(ranking, format: .markdown, top: nil, date: "2026-11-23", sourceName: "b.md")
        #expect(markdown.hasSuffix("""
            | Rank | ID | Title | Points | MoSCoW | Score | Why | Forecast |
            |---:|---|---|---:|---|---:|---|---|
            | 1 | S-3 | Big win | 2 | must | 6.00 | high value 13, urgent 8, reduces risk 3, large 4 pts | Sprint 2 |
            | 2 | S-4 | Small | 1 |  | 5.00 | low value 3, not urgent 1, little risk reduction 1, small 1 pt | Sprint 3 |
            | 3 | S-2 | Planned | 3 |  | 2.00 | low value 2, urgency 2, risk reduction 2, 3 pts | Sprint 2 |
            | 4 | S-5 | No estimate |  |  | – | unscored: no time-criticality, no risk-reduction, no size or points |  |

            """))
    }
}
