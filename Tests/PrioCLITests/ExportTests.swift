import Foundation
import Testing

/// The description of a story block: the lines after the fields and the blank line, without the final newline.
func blockDescription(_ block: StoryBlock) -> String {
    var lines = Array(linesKeepingEnds(block.text).dropFirst(1 + block.fields.count))
    while let first = lines.first, chomp(first).isEmpty { lines.removeFirst() }
    return chomp(lines.joined())
}

@Suite("prio export")
struct ExportTests {
    static let allColumns = [
        "rank", "id", "title", "score", "explanation", "status", "moscow", "value", "time-criticality",
        "risk-reduction", "size", "effort", "points", "reach", "impact", "confidence", "tags", "depends", "sprint",
        "pin", "pin-reason", "value-votes", "description",
    ]

    @Test("export --format csv is RFC 4180: a header row, CRLF line ends, quoted fields")
    func csv() throws {
        let box = try Sandbox()
        let sample = BacklogText(String(decoding: try box.initSample(), as: UTF8.self))
        let add = try box.run("add", "--title", #"Say "hi", world"#, "value=5", "points=3", "moscow=M", "tags=a,b")
        #expect(add.stdout == "S-37\n")

        let result = try box.run("export", "--format", "csv", "--all", "--strategy", "manual")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")
        let csv = try readCSV(result.stdout)
        #expect(csv.records.count == 38)
        #expect(csv.terminators.allSatisfy { $0 == "\r\n" })
        #expect(csv.records.first == Self.allColumns)
        #expect(csv.records.allSatisfy { $0.count == Self.allColumns.count })
        #expect(csv.records.dropFirst().map { $0[1] } == sample.ids + ["S-37"])
        #expect(csv.records.dropFirst().map { $0[0] } == (1...37).map(String.init))

        // The title with a comma and quotes is quoted, its quotes doubled.
        #expect(result.stdout.hasSuffix("\r\n" + #"37,S-37,"Say ""hi"", world",,manual order,,must,5,,,,,3,,,,"a, b",,,,,,"#
                                        + "\r\n"))
        #expect(csv.records.last?[2] == #"Say "hi", world"#)

        // A full row, read back cell by cell.
        let s1 = try #require(sample.block("S-1"))
        let row = Dictionary(uniqueKeysWithValues: zip(Self.allColumns, csv.records[1]))
        #expect(row == [
            "rank": "1", "id": "S-1", "title": "Guest checkout", "score": "", "explanation": "manual order",
            "status": "done", "moscow": "must", "value": "13", "time-criticality": "8", "risk-reduction": "3",
            "size": "", "effort": "", "points": "5", "reach": "4000", "impact": "2", "confidence": "80%",
            "tags": "checkout, mobile", "depends": "", "sprint": "Sprint 1", "pin": "", "pin-reason": "", "value-votes": "",
            "description": blockDescription(s1),
        ])
        #expect(blockDescription(s1).hasSuffix("create an account with one click"))
    }

    @Test("a CSV export imports into a fresh backlog and exports the same again")
    func csvRoundTrip() throws {
        let box = try Sandbox()
        try box.initSample()
        #expect(try box.run("add", "--title", #"Say "hi", world"#, "value=5", "points=3", "tags=a,b").status == 0)
        let export = try box.run("export", "--format", "csv", "--all", "--strategy", "manual", "-o", "out.csv")
        #expect(export.status == 0, "\(export)")
        #expect(export.stdout == "")

        // A fresh file with the sample's stakeholders, whose votes the stories carry.
        try box.write("fresh.md", "# Backlog\n\n- strategy: manual\n- stakeholder: alice | weight 2\n- stakeholder: bob\n")
        let imported = try box.run("import", "fresh.md", "--from", "csv", "out.csv")
        #expect(imported.status == 0, "\(imported)")
        #expect(imported.stdout == "imported 37 stories (S-1 ... S-37)\n")
        #expect(try box.text("fresh.md").contains("\n## S-37 Say \"hi\", world\n- value: 5\n- points: 3\n- tags: a, b\n"))

        for strategy in ["manual", "wsjf", "rice"] {
            let original = try box.run("export", "--format", "csv", "--all", "--strategy", strategy)
            let again = try box.run("export", "fresh.md", "--format", "csv", "--all", "--strategy", strategy)
            #expect(again.status == 0, "\(again)")
            #expect(again.stdout == original.stdout, "strategy \(strategy)")
        }
    }

    @Test("export --format markdown: heading, strategy line with date and source, a table with escaped cells")
    func markdown() throws {
        let box = try Sandbox()
        try FileManager.default.createDirectory(at: box.file("plans"), withIntermediateDirectories: true)
        try box.initSample("plans/shop.md")
        let add = try box.run("add", "plans/shop.md", "--title", #"Pipe | and \ back"#, "value=100",
                              "time-criticality=1", "risk-reduction=1", "points=1")
        #expect(add.stdout == "S-37\n")

        // Without PRIO_TODAY the date is today's, in local time.
        let dayBefore = localDate()
        let result = try box.run("export", "plans/shop.md", "--format", "markdown", "--top", "3", environment: ["PRIO_TODAY": ""])
        let dayAfter = localDate()
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")

        let dateLine = try #require(result.stdout.split(separator: "\n").first { $0.hasPrefix("Ranked with ") })
        let match = try #require(dateLine.firstMatch(of: /on (\d{4})-(\d{2})-(\d{2}) from/))
        let date = "\(match.1)-\(match.2)-\(match.3)"
        #expect(date == dayBefore || date == dayAfter)

        #expect(result.stdout == #"""
            # Northwind Webshop: top 3 by WSJF (SAFe)

            Ranked with **WSJF (SAFe)** ((value + time-criticality + risk-reduction) / size; size falls back to points) on \#(date) from `shop.md`; sprints forecast at their declared capacity, then 5.67 points each.

            | Rank | ID | Title | Points | MoSCoW | Score | Why | Forecast |
            |---:|---|---|---:|---|---:|---|---|
            | 1 | S-37 | Pipe \| and \\ back | 1 |  | 102.00 | high value 100, not urgent 1, little risk reduction 1, small 1 pt | Sprint 4, ends 2026-12-13 |
            | 2 | S-29 | Cookie consent banner rework | 2 | must | 12.00 | low value 3, urgent 13, reduces risk 8, small 2 pts | Sprint 5, ends 2026-12-27 |
            | 3 | S-22 | GDPR data export | 5 | must | 6.20 | low value 5, urgent 13, reduces risk 13, large 5 pts | Sprint 5, ends 2026-12-27 |

            """#)
    }

    /// The date on the "Ranked with" line of a Markdown export, checked to be today (or the day the run began).
    func exportDate(_ markdown: String, between dayBefore: String, and dayAfter: String) throws -> String {
        let dateLine = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("Ranked with ") })
        let match = try #require(dateLine.firstMatch(of: /on (\d{4})-(\d{2})-(\d{2}) from/))
        let date = "\(match.1)-\(match.2)-\(match.3)"
        #expect(date == dayBefore || date == dayAfter)
        return date
    }

    @Test("The default Markdown: rank, ID, title, points, MoSCoW, score, the short why, and the forecast sprint")
    func stakeholderMarkdown() throws {
        let box = try Sandbox()
        try box.initSample("shop.md")
        let dayBefore = PrioRunner.today
        let result = try box.run("export", "shop.md", "--format", "markdown", "--top", "6")
        let date = try exportDate(result.stdout, between: dayBefore, and: PrioRunner.today)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")
        // The velocity is the mean of the closed sprints: 8, 3 and 6, so 5.67 a sprint beyond the
        // declared ones. Sprint 4 is active and holds S-31, S-4 and S-5 (18 of 20): S-29 (2) fills it.
        // Sprint 5 (planned, 20) takes S-22 (5), S-8 (3), S-34 (1), S-16 (5) and S-11 (5): 19.
        #expect(result.stdout == #"""
            # Northwind Webshop: top 6 by WSJF (SAFe)

            Ranked with **WSJF (SAFe)** ((value + time-criticality + risk-reduction) / size; size falls back to points) on \#(date) from `shop.md`; sprints forecast at their declared capacity, then 5.67 points each.

            | Rank | ID | Title | Points | MoSCoW | Score | Why | Forecast |
            |---:|---|---|---:|---|---:|---|---|
            | 1 | S-29 | Cookie consent banner rework | 2 | must | 12.00 | low value 3, urgent 13, reduces risk 8, small 2 pts | Sprint 4, ends 2026-12-13 |
            | 2 | S-22 | GDPR data export | 5 | must | 6.20 | low value 5, urgent 13, reduces risk 13, 5 pts | Sprint 5, ends 2026-12-27 |
            | 3 | S-8 | PayPal refunds from admin | 3 | must | 6.00 | high value 8, urgent 5, reduces risk 5, small 3 pts | Sprint 5, ends 2026-12-27 |
            | 4 | S-34 | Admin order export to CSV | 1 | could | 6.00 | low value 3, not urgent 2, little risk reduction 1, small 1 pt | Sprint 5, ends 2026-12-27 |
            | 5 | S-16 | VAT invoices as PDF | 5 | must | 4.80 | high value 8, urgent 8, reduces risk 8, 5 pts | Sprint 5, ends 2026-12-27 |
            | 6 | S-11 | Coupon codes at checkout | 5 | must | 4.60 | high value 13, urgent 8, reduces risk 2, 5 pts | Sprint 5, ends 2026-12-27 |

            """#)
        // The why is in words, not the strategy's arithmetic.
        #expect(!result.stdout.contains("size from points |"))
        #expect(!result.stdout.contains("(3 + 13 + 8) / 2"))
        #expect(!result.stdout.contains("| WSJF "))
    }

    @Test("The short why of each strategy in the default Markdown", arguments: [
        ("rice", "| 1 | S-29 | Cookie consent banner rework | 2 | must | 6000.00 | wide reach 12000, low impact 0.25, sure 100%, small effort 0.5 | Sprint 4, ends 2026-12-13 |"),
        ("value-effort", "| 1 | S-14 | SEO sitemaps | 2 | should | 10.00 | fill-in: low value 5, small effort 0.5 | Sprint 4, ends 2026-12-13 |"),
        ("moscow", "| 1 | S-31 | Lighthouse performance fixes | 8 | must | 4.00 | must have | Sprint 4, ends 2026-12-13 |"),
    ])
    func shortWhy(strategy: String, firstRow: String) throws {
        let box = try Sandbox()
        try box.initSample()
        let result = try box.run("export", "--format", "markdown", "--strategy", strategy, "--top", "1")
        #expect(result.status == 0, "\(result)")
        let rows = result.stdout.split(separator: "\n").filter { $0.hasPrefix("| ") }.map(String.init)
        #expect(rows == ["| Rank | ID | Title | Points | MoSCoW | Score | Why | Forecast |", firstRow])
    }

    @Test("The default Markdown leaves out columns empty in every row: no score or why in manual order, no forecast without a velocity")
    func markdownWithoutVelocity() throws {
        let box = try Sandbox()
        #expect(try box.run("init", "--name", "Side project").status == 0)
        #expect(try box.run("add", "--title", "Dark mode", "value=3", "time-criticality=1", "risk-reduction=1",
                            "points=2").status == 0)
        #expect(try box.run("add", "--title", "Export to PDF", "moscow=should", "value=5", "time-criticality=2",
                            "risk-reduction=1", "points=3").status == 0)
        let dayBefore = PrioRunner.today
        let manual = try box.run("export", "--format", "markdown")
        let date = try exportDate(manual.stdout, between: dayBefore, and: PrioRunner.today)
        #expect(manual.status == 0, "\(manual)")
        #expect(manual.stdout == """
            # Side project: top 2 by Manual order

            Ranked with **Manual order** (the order of the stories in the file) on \(date) from `backlog.md`.

            | Rank | ID | Title | Points | MoSCoW |
            |---:|---|---|---:|---|
            | 1 | S-1 | Dark mode | 2 |  |
            | 2 | S-2 | Export to PDF | 3 | should |

            """)

        // A story already in a sprint shows it even without a velocity; the others show nothing.
        #expect(try box.run("set", "S-1", "sprint=Sprint 9").status == 0)
        let wsjf = try box.run("export", "--format", "markdown", "--strategy", "wsjf")
        #expect(wsjf.status == 0, "\(wsjf)")
        #expect(wsjf.stdout.hasSuffix("""
            from `backlog.md`.

            | Rank | ID | Title | Points | MoSCoW | Score | Why | Forecast |
            |---:|---|---|---:|---|---:|---|---|
            | 1 | S-2 | Export to PDF | 3 | should | 2.67 | high value 5, urgent 2, risk reduction 1, large 3 pts |  |
            | 2 | S-1 | Dark mode | 2 |  | 2.50 | low value 3, not urgent 1, risk reduction 1, small 2 pts | Sprint 9 |

            """))
    }

    @Test("export --columns chooses the CSV columns, in order, with field aliases")
    func columnsCSV() throws {
        let box = try Sandbox()
        try box.initSample()
        let result = try box.run("export", "--format", "csv", "--columns", "rank, id,title,Story Points,why,forecast,tags",
                                 "--top", "3")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")
        #expect(result.stdout == """
            rank,id,title,points,why,forecast,tags\r
            1,S-29,Cookie consent banner rework,2,(3 + 13 + 8) / 2,Sprint 4,"accessibility, performance"\r
            2,S-22,GDPR data export,5,(5 + 13 + 13) / 5,Sprint 5,"accounts, admin"\r
            3,S-8,PayPal refunds from admin,3,(8 + 5 + 5) / 3,Sprint 5,"payments, admin"\r

            """)
    }

    @Test("export --columns chooses the Markdown columns; done stories show no forecast")
    func columnsMarkdown() throws {
        let box = try Sandbox()
        try box.initSample()
        let dayBefore = PrioRunner.today
        let result = try box.run("export", "--format", "markdown", "--columns", "id,title,status,confidence,forecast",
                                 "--strategy", "manual", "--all", "--top", "3")
        let date = try exportDate(result.stdout, between: dayBefore, and: PrioRunner.today)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == """
            # Northwind Webshop: top 3 by Manual order

            Ranked with **Manual order** (the order of the stories in the file) on \(date) from `backlog.md`; sprints forecast at their declared capacity, then 5.67 points each.

            | ID | Title | Status | Confidence | Forecast |
            |---|---|---|---:|---|
            | S-1 | Guest checkout | done | 80% |  |
            | S-2 | Search autocomplete | done | 100% |  |
            | S-31 | Lighthouse performance fixes | in-progress | 80% | Sprint 4, ends 2026-12-13 |

            """)
    }

    @Test("export --columns chooses the JSON members: typed values, null when a story has none")
    func columnsJSON() throws {
        let box = try Sandbox()
        try box.initSample()
        #expect(try box.run("add", "--title", "No estimate", "value=50", "Team=Blue").status == 0)
        let result = try box.run("export", "--format", "json", "--columns", "id,score,points,tags,team,forecast,why",
                                 "--strategy", "value-effort", "--top", "2")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == """
            [
              {"id": "S-14", "score": 10, "points": 2, "tags": ["seo", "catalog"], "team": null, "forecast": "Sprint 4", "why": "fill-in (5 / 0.5)"},
              {"id": "S-29", "score": 6, "points": 2, "tags": ["accessibility", "performance"], "team": null, "forecast": "Sprint 5", "why": "fill-in (3 / 0.5)"}
            ]

            """)
        // The unscored story at the end: no score, points or forecast.
        let all = try box.run("export", "--format", "json", "--columns", "id,score,points,team,forecast", "--strategy", "value-effort")
        #expect(all.stdout.hasSuffix(#"  {"id": "S-37", "score": null, "points": null, "team": "Blue", "forecast": null}"# + "\n]\n"))
    }

    @Test("An unknown column is an error with a did-you-mean and the list of names; nothing is written")
    func unknownColumn() throws {
        let box = try Sandbox()
        try box.initSample()
        #expect(try box.run("set", "S-8", "Team=Blue").status == 0)
        let names = "rank, id, title, score, why, explanation, forecast, description, status, moscow, value, "
            + "time-criticality, risk-reduction, size, effort, points, reach, impact, confidence, tags, depends, sprint, pin, pin-reason, goal, parent, team, value-votes"
        for format in ["csv", "markdown", "json"] {
            let result = try box.run("export", "--format", format, "--columns", "id,titel", "-o", "out.txt")
            #expect(result.status == 1, "\(result)")
            #expect(result.stdout == "")
            #expect(result.stderr == "prio: error: unknown column 'titel' (did you mean 'title'?); columns are: \(names)\n")
            #expect(!box.exists("out.txt"))
        }
        let far = try box.run("export", "--format", "csv", "--columns", "id,xyzzy")
        #expect(far.status == 1)
        #expect(far.stderr == "prio: error: unknown column 'xyzzy'; columns are: \(names)\n")
        let twice = try box.run("export", "--format", "csv", "--columns", "id,sp,points")
        #expect(twice.stderr == "prio: error: column 'points' is named twice\n")
        let none = try box.run("export", "--format", "csv", "--columns", " , ")
        #expect(none.stderr == "prio: error: no columns named; columns are: \(names)\n")
    }

    @Test("export --format json is the array of stories that rank --format json holds under 'stories'")
    func json() throws {
        let box = try Sandbox()
        try box.initSample()
        let export = try box.run("export", "--format", "json", "--strategy", "rice", "--top", "5")
        let rank = try box.run("rank", "--format", "json", "--strategy", "rice", "--top", "5")
        #expect(export.status == 0, "\(export)")
        #expect(export.stderr == "")
        let ranked = try #require(try JSONSerialization.jsonObject(with: rank.stdoutData) as? [String: Any])
        let exported = try #require(try JSONSerialization.jsonObject(with: export.stdoutData) as? [[String: Any]])
        #expect(NSArray(array: exported).isEqual(ranked["stories"]))
        let json = try #require(try JSONSerialization.jsonObject(with: export.stdoutData) as? [[String: Any]])
        #expect(json.count == 5)
        // RICE: S-29 12000 × 0.25 × 100% / 0.5 = 6000; S-14 7000 × 0.5 × 80% / 0.5 = 5600.
        #expect(json.prefix(2).map { $0["id"] as? String } == ["S-29", "S-14"])
        #expect(jsonNumber(json[0]["score"]) == 6000)
        #expect(json[0]["explanation"] as? String == "RICE 6000.00 = 12000 × 0.25 × 100% / 0.5")
        #expect(jsonNumber(json[1]["score"]) == 5600)

        let all = try box.run("export", "--format", "json", "--all")
        let allJSON = try #require(try JSONSerialization.jsonObject(with: all.stdoutData) as? [[String: Any]])
        #expect(allJSON.count == 36)
    }

    @Test("export -o writes the file, prints nothing on stdout", arguments: ["csv", "markdown", "json"])
    func outputFile(format: String) throws {
        let box = try Sandbox()
        let backlog = try box.initSample()
        let printed = try box.run("export", "--format", format, "--top", "3")
        let result = try box.run("export", "--format", format, "--top", "3", "-o", "out.txt")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == "wrote 3 stories to out.txt\n")
        #expect(try box.text("out.txt") == printed.stdout)
        #expect(try box.listing() == ["backlog.md", "out.txt"])
        #expect(try box.read("backlog.md") == backlog)

        // --output and an existing file: replaced.
        let again = try box.run("export", "--format", format, "--top", "2", "--output", "out.txt")
        #expect(again.status == 0, "\(again)")
        #expect(again.stderr == "wrote 2 stories to out.txt\n")
        let two = try box.run("export", "--format", format, "--top", "2")
        #expect(try box.text("out.txt") == two.stdout)
    }

    @Test("export --top N exports the first N stories")
    func top() throws {
        let box = try Sandbox()
        try box.initSample()
        let two = try readCSV(try box.run("export", "--format", "csv", "--top", "2").stdout)
        #expect(two.records.count == 3)
        #expect(two.records.dropFirst().map { $0[1] } == ["S-29", "S-22"])

        let json = try box.run("export", "--format", "json", "--top", "1")
        let objects = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [[String: Any]])
        #expect(objects.map { $0["id"] as? String } == ["S-29"])

        let markdown = try box.run("export", "--format", "markdown", "--top", "4")
        #expect(markdown.stdout.hasPrefix("# Northwind Webshop: top 4 by WSJF (SAFe)\n"))
        #expect(markdown.stdout.split(separator: "\n").filter { $0.hasPrefix("| ") }.count == 5)  // heading row + 4

        let many = try readCSV(try box.run("export", "--format", "csv", "--top", "1000").stdout)
        #expect(many.records.count == 32)  // 31 open stories
    }

    @Test("export --top with a negative number never reports a negative count")
    func negativeTop() throws {
        let box = try Sandbox()
        try box.initSample()
        let result = try box.run("export", "--format", "csv", "--top=-1", "-o", "out.csv")
        if result.status == 0 {
            // Treated as --top 0: a header row only, and the message says so.
            #expect(result.stderr == "wrote 0 stories to out.csv\n")
            #expect(try readCSV(try box.text("out.csv")).records.count == 1)
        } else {
            // Or refused as a usage error (exit 64, EX_USAGE), writing nothing.
            #expect(result.status == 64, "\(result)")
            #expect(result.stderr.contains("--top must be 0 or more"))
            #expect(!box.exists("out.csv"))
        }
    }
}
