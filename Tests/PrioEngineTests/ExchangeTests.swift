import PrioEngine
import PrioStorage
import Testing

@Suite("CSV, JSON and Markdown")
struct ExchangeTests {
    @Test("CSV reading: quoted commas, quotes and newlines, CRLF, located cells")
    func csvRead() throws {
        let text = "id,title,notes\r\nS-1,\"Say \"\"hi\"\", world\",\"two\nlines\"\r\nS-2,Plain,\r\n"
        let records = try CSV.parse(Array(text.utf8), path: "in.csv")
        #expect(records.map { $0.map(\.text) } == [
            ["id", "title", "notes"],
            ["S-1", "Say \"hi\", world", "two\nlines"],
            ["S-2", "Plain", ""],
        ])
        #expect(records[2][1].line == 4)
        #expect(records[2][1].column == 5)
    }

    @Test("CSV errors are located")
    func csvErrors() {
        do {
            _ = try CSV.parse(Array("a,b\n1,x\"y\n2,\"open\n".utf8), path: "in.csv")
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.map(\.description) == [
                "in.csv:2:4: error: a quote inside an unquoted field (quote the field and double the quote)",
                "in.csv:3:3: error: quoted field is never closed (a \" is missing)",
            ])
        }
    }

    @Test("CSV writing follows RFC 4180 and round-trips")
    func csvWrite() throws {
        let records = [["a", "b,c", "say \"x\"", "multi\nline", " pad "]]
        let text = CSV.write(records)
        #expect(text == "a,\"b,c\",\"say \"\"x\"\"\",\"multi\nline\",\" pad \"\r\n")
        #expect(try CSV.parse(Array(text.utf8), path: "x").map { $0.map(\.text) } == records)
    }

    @Test("Import maps Jira and spreadsheet column names and assigns IDs")
    func importAliases() throws {
        var backlog = try load("# B\n\n## S-1 Existing\n")
        let csv = """
            Issue key,Summary,Story Points,Business Value,Job Size,Labels,Labels,Custom field (Team),MoSCoW,Description
            WEB-7,Checkout revamp,5,13,3,checkout,mobile,Blue,M,"First line, with comma
            second line"
            ,Wishlist,2,3,,,,,could,

            """
        let added = try Importer.importStories(Array(csv.utf8), format: .csv, path: "in.csv", into: &backlog)
        #expect(added.map(\.description) == ["WEB-7", "S-2"])
        let web = try #require(backlog.story(StoryID(prefix: "WEB", number: 7)))
        #expect(web.title == "Checkout revamp")
        #expect(web.points == DecimalNumber(5))
        #expect(web.values[number: .value] == DecimalNumber(13))
        #expect(web.values[number: .size] == DecimalNumber(3))
        #expect(web.values.tags == ["checkout", "mobile"])
        #expect(web.values.moscow == .must)
        #expect(web.value(of: "team") == "Blue")
        #expect(web.description == "First line, with comma\nsecond line")
        // The custom column's name is normalised like a key, and declared in the header.
        #expect(written(backlog) == """
            # B

            - fields: team

            ## S-1 Existing

            ## WEB-7 Checkout revamp
            - moscow: must
            - value: 13
            - size: 3
            - points: 5
            - tags: checkout, mobile
            - team: Blue

            First line, with comma
            second line

            ## S-2 Wishlist
            - moscow: could
            - value: 3
            - points: 2

            """)
    }

    @Test("The CSV delimiter: the header line's most frequent of , ; and tab outside quotes, ties to the comma")
    func delimiterDetection() throws {
        #expect(CSV.detectDelimiter(Array("a,b;c\n".utf8)) == .comma)
        #expect(CSV.detectDelimiter(Array("a;b;c,d\n1,2,3,4,5,6\n".utf8)) == .semicolon)
        #expect(CSV.detectDelimiter(Array("\"x,y,z\";b\n".utf8)) == .semicolon)  // commas inside quotes do not count
        #expect(CSV.detectDelimiter(Array("\u{FEFF}a\tb\tc;d\r\n".utf8)) == .tab)
        #expect(CSV.detectDelimiter(Array("title\n".utf8)) == .comma)
        #expect(CSV.detectDelimiter([]) == .comma)
        #expect(CSV.Delimiter(named: "\\t") == .tab)
        #expect(CSV.Delimiter(named: "\t") == .tab)
        #expect(CSV.Delimiter(named: "semicolon") == .semicolon)
        #expect(CSV.Delimiter(named: "|") == nil)

        let records = try CSV.parse(Array("a;\"b;c\"\n1;\"x\"\"y\"\n".utf8), path: "in.csv", delimiter: .semicolon)
        #expect(records.map { $0.map(\.text) } == [["a", "b;c"], ["1", "x\"y"]])
        #expect(records[1][1].column == 3)
        do {
            _ = try CSV.parse(Array("a;b\n\"x\",y\n".utf8), path: "in.csv", delimiter: .semicolon)
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.map(\.description) == [
                "in.csv:2:4: error: unexpected text after a closing quote (quote the whole field and double inner quotes)",
            ])
        }
    }

    @Test("Imported column names are normalised like keys, the custom ones declared once")
    func importedNames() throws {
        var fresh = Backlog(name: "B")
        let csv = "Issue key,Issue id,Original_Order,Custom field (Risk Level),Custom field (Story Points),Summary,Business (Value)\n"
            + "N-1,7,1,high,3,x,5\n"
        _ = try Importer.importStories(Array(csv.utf8), format: .csv, path: "in.csv", into: &fresh)
        #expect(fresh.stories.first?.fields.map(\.rawKey) == ["value", "points", "issue-id", "original-order", "risk-level"])
        #expect(fresh.header.setting("fields") == "issue-id, original-order, risk-level")

        var backlog = try load("# B\n\n- fields: owner\n\n## S-1 A\n- owner: me\n")
        let json = #"[{"title": "x", "Owner": "you", "Issue id": 1, "Sprint": "S1"}, {"title": "y", "issue_id": 2}]"#
        _ = try Importer.importStories(Array(json.utf8), format: .json, path: "in.json", into: &backlog)
        #expect(backlog.header.setting("fields") == "owner, issue-id")
        let parsed = try BacklogParser.parse(written(backlog), path: "b.md")
        #expect(parsed.warnings.isEmpty)
    }

    @Test("Import errors are located and add nothing")
    func importErrors() throws {
        var backlog = try load("# B\n\n## S-1 Existing\n")
        let before = written(backlog)
        let csv = "id,title,points,depends\nS-1,Clash,1,\nS-5,Bad,three,\n,,2,\nS-6,Dep,1,S-99\n"
        do {
            _ = try Importer.importStories(Array(csv.utf8), format: .csv, path: "in.csv", into: &backlog)
            Issue.record("expected errors")
        } catch {
            #expect(error.errors.map(\.description) == [
                "in.csv:2:1: error: ID S-1 is already used in the backlog",
                "in.csv:3:9: error: points must be a number like 5 or 0.5, got 'three'",
                "in.csv:4:1: error: this story has no title (a title or summary column is needed)",
                "in.csv:5:11: error: S-6 depends on S-99, which is not in the backlog or the import",
            ])
        }
        #expect(written(backlog) == before)
    }

    @Test("JSON import reads prio's own export back")
    func jsonRoundTrip() throws {
        let source = try load(canonicalFixture)
        let ranking = Ranking(source, strategy: WSJFStrategy(), includeDone: true)
        let json = Exporter.json(ranking, ranking.entries)
        var fresh = Backlog(name: "Copy")
        let added = try Importer.importStories(Array(json.utf8), format: .json, path: "x.json", into: &fresh)
        #expect(added.map(\.description) == ["S-12", "S-14", "S-13"])
        for story in source.stories {
            let copy = try #require(fresh.story(story.id))
            #expect(copy.title == story.title)
            #expect(copy.values == story.values)
            #expect(copy.description == story.description)
        }
    }

    @Test("JSON numbers with exponents import as plain decimals; a surrogate pair is one character, a lone one a located error")
    func jsonNumbersAndSurrogates() throws {
        var backlog = Backlog(name: "B")
        let json = #"[{"title": "gift \ud83c\udf81\u0041B", "points": 1e2, "impact": 2.5E-1, "value": -12e-3}]"#
        _ = try Importer.importStories(Array(json.utf8), format: .json, path: "x.json", into: &backlog)
        let story = backlog.stories[0]
        #expect(story.title == "gift \u{1F381}AB")
        #expect(story.value(of: .points) == "100")
        #expect(story.value(of: .impact) == "0.25")
        #expect(story.value(of: .value) == "-0.012")
        let lone = #"[{"title": "gift \ud800\u0041B"}]"#
        do {
            _ = try Importer.importStories(Array(lone.utf8), format: .json, path: "x.json", into: &backlog)
            Issue.record("a lone surrogate was accepted")
        } catch {
            #expect(error.errors.map(\.description) == [#"x.json:1:18: error: a lone surrogate \uD800 is not a character (RFC 8259 pairs them)"#])
        }
    }

    @Test("JSON errors are located")
    func jsonErrors() {
        #expect(throws: BacklogErrors.self) { _ = try JSON.parse(Array("[1, 2".utf8), path: "x") }
        do {
            _ = try JSON.parse(Array("[\n  {\"a\": tru}\n]".utf8), path: "x.json")
        } catch {
            #expect(error.errors.map(\.description) == ["x.json:2:9: error: unexpected character in JSON"])
        }
        let deep = String(repeating: "[", count: 10_000)
        #expect(throws: BacklogErrors.self) { _ = try JSON.parse(Array(deep.utf8), path: "x") }
    }

    @Test("JSON export: numbers, lists, null scores, escaped strings")
    func jsonExport() throws {
        let backlog = try load("## S-1 Say \"hi\"\n- value: 0.50\n- points: 2\n- tags: a, b\n- colour: red\n\n## S-2 Unscored\n")
        let ranking = Ranking(backlog, strategy: ValueEffortStrategy())
        #expect(Exporter.json(ranking, ranking.entries) == """
            [
              {"rank": 1, "id": "S-1", "title": "Say \\"hi\\"", "score": 0.25, "explanation": "value/effort 0.25 = 0.50 / 2, effort from points; quick win", "quadrant": "quick win", "value": 0.5, "points": 2, "tags": ["a", "b"], "colour": "red", "description": ""},
              {"rank": 2, "id": "S-2", "title": "Unscored", "score": null, "explanation": "unscored: no value, no effort or points", "quadrant": null, "description": ""}
            ]

            """)
    }

    @Test("Markdown export escapes pipes and names strategy, date and source")
    func markdownExport() throws {
        let backlog = try load("# Shop | EU\n\n## S-1 A | B\n- moscow: must\n")
        let ranking = Ranking(backlog, strategy: MoSCoWStrategy())
        let text = Exporter.export(ranking, format: .markdown, top: 10, date: "2026-11-23", sourceName: "backlog.md")
        #expect(text == """
            # Shop \\| EU: top 1 by MoSCoW

            Ranked with **MoSCoW** (must > should > could > wont, then manual order) on 2026-11-23 from `backlog.md`.

            | Rank | ID | Title | MoSCoW | Score | Why |
            |---:|---|---|---|---:|---|
            | 1 | S-1 | A \\| B | must | 4.00 | must have |

            """)
    }

    @Test("Table output aligns CJK and emoji by display width and fits the width")
    func table() {
        let table = TextTable(columns: [.init("ID"), .init("Title", minWidth: 5), .init("Score", alignRight: true)],
                              rows: [["S-1", "日本語のタイトル", "3.20"], ["S-2", "Gift 🎁", "12.00"]])
        #expect(table.render(width: 80) == """
            ID   Title             Score
            S-1  日本語のタイトル   3.20
            S-2  Gift 🎁           12.00
            """)
        #expect(table.render(width: 20) == """
            ID   Title     Score
            S-1  日本語…    3.20
            S-2  Gift 🎁   12.00
            """)
    }
}
