import Foundation
import Testing

/// One import that must fail: the input, where it comes from, and the exact errors.
struct ImportErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var format: String
    /// The input file's name in the sandbox, or "-" for stdin.
    var input: String
    var content: String
    var stderr: String

    var testDescription: String { name }
}

@Suite("prio import")
struct ImportTests {
    /// A Jira-style export: Jira's column names, Labels twice, a custom column, a description,
    /// quoted fields holding commas, doubled quotes and line breaks (CRLF and LF), and missing IDs.
    static let jiraCSV = "Issue key,Summary,Story Points,Business Value,Job Size,Labels,Labels,Team,Description\r\n"
        + "NW-7,\"Gift cards, digital\",5,13,3,payments,checkout,Blue,\"Sell gift cards.\r\nSay \"\"thanks\"\", then ship.\"\r\n"
        + ",\"Wrap \"\"it\"\"\nnicely\",2,8,,emails,,Red,\r\n"
        + ",Plain,,,,,,,\r\n"

    static let jiraAppended = """

        ## NW-7 Gift cards, digital
        - value: 13
        - size: 3
        - points: 5
        - tags: payments, checkout
        - team: Blue

        Sell gift cards.
        Say "thanks", then ship.

        ## S-37 Wrap "it" nicely
        - value: 8
        - points: 2
        - tags: emails
        - team: Red

        ## S-38 Plain

        """

    /// The sample's last setting line, after which import declares the fields it adds.
    static let sampleLastSetting = "- stakeholder: bob\n"

    @Test("import --from csv reads Jira column names, quoting, a custom column and a description")
    func jiraCSVImport() throws {
        let box = try Sandbox()
        let before = String(decoding: try box.initSample(), as: UTF8.self)
        try box.write("in.csv", Self.jiraCSV)
        let result = try box.run("import", "--from", "csv", "in.csv")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "imported 3 stories (NW-7 ... S-38)\n")
        #expect(result.stderr == "")
        // The custom column is named like a key (team) and declared in the header.
        let header = before.replacing(Self.sampleLastSetting, with: Self.sampleLastSetting + "- fields: team\n")
        #expect(try box.text("backlog.md") == header + Self.jiraAppended)

        // The result is a valid backlog with no warning but the sample's one disagreement.
        let check = try box.run("check")
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout == "backlog.md: ok: 39 stories (34 not done), 1 warnings\n")
        #expect(check.stderr.hasSuffix("warning: stakeholders disagree on value: bob 1 .. alice 4, more than 2× apart\n"))
    }

    @Test("import reads standard input with -")
    func csvFromStdin() throws {
        let box = try Sandbox()
        let before = String(decoding: try box.initSample(), as: UTF8.self)
        let input = Data("summary,points,Custom field (Business Value),labels\r\nFrom stdin,3,5,\"x,y\"\r\n".utf8)
        let result = try box.run("import", "--from", "csv", "-", stdin: input)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "imported 1 stories (S-37 ... S-37)\n")
        #expect(try box.text("backlog.md") == before + "\n## S-37 From stdin\n- value: 5\n- points: 3\n- tags: x, y\n")
        #expect(try box.listing() == ["backlog.md"])
    }

    @Test("import with the backlog named first")
    func namedBacklog() throws {
        let box = try Sandbox()
        let before = String(decoding: try box.initSample("shop.md"), as: UTF8.self)
        try box.write("in.json", #"[{"title": "Named"}]"#)
        let result = try box.run("import", "shop.md", "--from", "json", "in.json")
        #expect(result.status == 0, "\(result)")
        #expect(try box.text("shop.md") == before + "\n## S-37 Named\n")
        #expect(!box.exists("backlog.md"))
    }

    @Test("import --from json reads an array of objects")
    func jsonImport() throws {
        let box = try Sandbox()
        let before = String(decoding: try box.initSample(), as: UTF8.self)
        let json = """
            [
              {"title": "Gift cards", "points": 5, "Business Value": 13, "tags": ["payments", "checkout"],
               "depends": ["S-1", "S-4"], "team": "Blue", "description": "Sell them.\\nShip them.",
               "status": "Ready", "sprint": null, "flagged": true},
              {"id": "NW-9", "summary": "Caf\\u00e9 \\ud83c\\udf81 menu", "confidence": "80%", "moscow": "Won't have"}
            ]
            """
        try box.write("in.json", json)
        let result = try box.run("import", "--from", "json", "in.json")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "imported 2 stories (S-37 ... NW-9)\n")
        #expect(result.stderr == "")
        let header = before.replacing(Self.sampleLastSetting, with: Self.sampleLastSetting + "- fields: team, flagged\n")
        #expect(try box.text("backlog.md") == header + """

            ## S-37 Gift cards
            - status: ready
            - value: 13
            - points: 5
            - tags: payments, checkout
            - depends: S-1, S-4
            - team: Blue
            - flagged: true

            Sell them.
            Ship them.

            ## NW-9 Café 🎁 menu
            - moscow: wont
            - confidence: 80%

            """)
    }

    @Test("import of a JSON object with a stories array")
    func jsonStoriesObject() throws {
        let box = try Sandbox()
        let before = String(decoding: try box.initSample(), as: UTF8.self)
        try box.write("in.json", #"{"project": "x", "stories": [{"title": "One"}, {"title": "Two", "value": 0.5}]}"#)
        let result = try box.run("import", "--from", "json", "in.json")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "imported 2 stories (S-37 ... S-38)\n")
        #expect(try box.text("backlog.md") == before + "\n## S-37 One\n\n## S-38 Two\n- value: 0.5\n")
    }

    @Test("prio's own JSON export imports into a fresh backlog")
    func ownJSONRoundTrip() throws {
        let box = try Sandbox()
        try box.initSample()
        let export = try box.run("export", "--format", "json", "--all", "--strategy", "manual", "-o", "all.json")
        #expect(export.status == 0, "\(export)")

        // A fresh file with the sample's stakeholders, whose votes the stories carry.
        try box.write("fresh.md", "# Backlog\n\n- strategy: manual\n- stakeholder: alice | weight 2\n- stakeholder: bob\n")
        let result = try box.run("import", "fresh.md", "--from", "json", "all.json")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "imported 36 stories (S-1 ... S-36)\n")

        let check = try box.run("check", "fresh.md")
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout == "fresh.md: ok: 36 stories (31 not done), 1 warnings\n")
        #expect(check.stderr.hasSuffix("warning: stakeholders disagree on value: bob 1 .. alice 4, more than 2× apart\n"), "\(check.stderr)")

        // Same stories, same order, same fields and descriptions: the exports agree.
        let again = try box.run("export", "fresh.md", "--format", "json", "--all", "--strategy", "manual")
        #expect(again.stdout == (try box.text("all.json")))
        for strategy in ["wsjf", "moscow", "value-effort", "rice"] {
            let original = try box.run("rank", "--all", "--strategy", strategy)
            let copy = try box.run("rank", "fresh.md", "--all", "--strategy", strategy)
            #expect(copy.stdout == original.stdout, "strategy \(strategy)")
        }
        // The descriptions came through whole, code blocks and all.
        let fresh = BacklogText(try box.text("fresh.md"))
        let sample = BacklogText(try Sample.text())
        #expect(fresh.ids == sample.ids)
        for block in sample.blocks {
            #expect(fresh.block(block.id).map(blockDescription) == blockDescription(block), "\(block.id)")
        }
    }

    static let errorCases: [ImportErrorCase] = [
        ImportErrorCase(
            name: "CSV: a non-number in Story Points after a multi-line cell, and an ID that is taken",
            format: "csv", input: "in.csv",
            content: "Summary,Story Points,Issue key\nOk story,3,\n\"Multi\nline title\",abc,\nThird,2,S-4\n",
            stderr: "in.csv:4:13: error: points must be a number like 5 or 0.5, got 'abc'\n"
                + "in.csv:5:9: error: ID S-4 is already used in the backlog\n"),
        ImportErrorCase(
            name: "CSV: columns are counted in characters, after a BOM and CRLF",
            format: "csv", input: "in.csv",
            content: "\u{FEFF}Summary,Points\r\nCafé 日本,abc\r\n",
            stderr: "in.csv:2:9: error: points must be a number like 5 or 0.5, got 'abc'\n"),
        ImportErrorCase(
            name: "CSV: the same ID twice in the import",
            format: "csv", input: "in.csv",
            content: "id,title\nNW-1,One\nNW-1,Two\n",
            stderr: "in.csv:3:1: error: ID NW-1 is already used in line 2 of in.csv\n"),
        ImportErrorCase(
            name: "CSV: a quote inside an unquoted field",
            format: "csv", input: "in.csv",
            content: "Summary,Points\nA \"b\",1\n",
            stderr: "in.csv:2:3: error: a quote inside an unquoted field (quote the field and double the quote)\n"
                + "in.csv:2:5: error: a quote inside an unquoted field (quote the field and double the quote)\n"),
        ImportErrorCase(
            name: "CSV: a quoted field that is never closed",
            format: "csv", input: "in.csv",
            content: "Summary,Points\nok,1\n\"unterminated,1\n",
            stderr: "in.csv:3:1: error: quoted field is never closed (a \" is missing)\n"),
        ImportErrorCase(
            name: "CSV: a dependency on a story that does not exist",
            format: "csv", input: "in.csv",
            content: "Summary,Depends\nA,S-99\n",
            stderr: "in.csv:2:3: error: S-37 depends on S-99, which is not in the backlog or the import\n"),
        ImportErrorCase(
            name: "CSV: a row without a title",
            format: "csv", input: "in.csv",
            content: "Summary,Points\nfine,1\n,3\n",
            stderr: "in.csv:3:1: error: this story has no title (a title or summary column is needed)\n"),
        ImportErrorCase(
            name: "CSV from stdin",
            format: "csv", input: "-",
            content: "Summary,Story Points\r\n\"A \"\"quoted\"\" one\",x1\r\n",
            stderr: "<stdin>:2:20: error: points must be a number like 5 or 0.5, got 'x1'\n"),
        ImportErrorCase(
            name: "JSON: a bad value, located in characters",
            format: "json", input: "in.json",
            content: "[{\"title\": \"ok\"},\n {\"title\":\"日本語\",\"points\":\"x\"}]",
            stderr: "in.json:2:26: error: points must be a number like 5 or 0.5, got 'x'\n"),
        ImportErrorCase(
            name: "JSON: a syntax error",
            format: "json", input: "in.json",
            content: "[{\"title\": \"x\",}]",
            stderr: "in.json:1:16: error: expected a \"key\"\n"),
        ImportErrorCase(
            name: "JSON: an item that is not an object",
            format: "json", input: "in.json",
            content: "[\n  {\"title\": \"x\"},\n  \"oops\"\n]",
            stderr: "in.json:3:3: error: each story must be a JSON object\n"),
        ImportErrorCase(
            name: "JSON: an ID that is taken",
            format: "json", input: "in.json",
            content: "[{\"id\": \"S-36\", \"title\": \"again\"}]",
            stderr: "in.json:1:9: error: ID S-36 is already used in the backlog\n"),
    ]

    @Test("import errors: exit 1, file:line:col for each, the backlog byte-identical", arguments: errorCases)
    func errors(_ errorCase: ImportErrorCase) throws {
        let box = try Sandbox()
        let before = try box.initSample()
        var stdin: Data?
        if errorCase.input == "-" {
            stdin = Data(errorCase.content.utf8)
        } else {
            try box.write(errorCase.input, errorCase.content)
        }
        let result = try box.run("import", "--from", errorCase.format, errorCase.input, stdin: stdin)
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == errorCase.stderr)
        #expect(try box.read("backlog.md") == before)
        #expect(try box.listing() == (errorCase.input == "-" ? ["backlog.md"] : ["backlog.md", errorCase.input]).sorted())
    }

    @Test("import of a file that does not exist")
    func missingInput() throws {
        let box = try Sandbox()
        let before = try box.initSample()
        let result = try box.run("import", "--from", "csv", "nope.csv")
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout == "")
        #expect(result.stderr == "prio: error: nope.csv: No such file or directory\n")
        #expect(try box.read("backlog.md") == before)
    }

    @Test("JSON import keeps a character escaped after an unpaired surrogate escape")
    func jsonUnpairedSurrogate() throws {
        let box = try Sandbox()
        let before = String(decoding: try box.initSample(), as: UTF8.self)
        // "\ud800" has no low surrogate after it; the "\u0041" that follows is an ordinary "A".
        try box.write("in.json", #"[{"title": "gift \ud800\u0041B"}]"#)
        let result = try box.run("import", "--from", "json", "in.json")
        if result.status == 0 {
            // Replaced by U+FFFD, and the A is still there.
            #expect(try box.text("backlog.md") == before + "\n## S-37 gift \u{FFFD}AB\n")
        } else {
            // Or refused as invalid, writing nothing.
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.hasPrefix("in.json:1:"))
            #expect(try box.text("backlog.md") == before)
        }
    }
}
