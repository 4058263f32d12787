import Foundation
import Testing

/// One CSV read with `--delimiter`, where the header line alone would mislead the guess.
struct DelimiterCase: Sendable, CustomTestStringConvertible {
    var option: String
    var content: String
    var testDescription: String { "--delimiter \(option)" }
}

/// Import of a Jira export as it really comes: statuses, repeated Sprint columns, Jira's own
/// columns (`Issue id`, `Original_Order`) and semicolon-separated files.
/// Each test reads the written file line by line and runs `prio check` on it.
extension ImportTests {
    /// The header `prio init` writes.
    static let freshHeader = "# Backlog\n\n- strategy: manual\n- prefix: S\n"

    /// A fresh backlog, `input` written as `in.csv`, imported with `options`; returns the sandbox.
    func imported(_ input: String, options: [String] = [], header: String? = nil,
                  expecting stdout: String, warnings: String = "", sourceLocation: SourceLocation = #_sourceLocation) throws -> Sandbox {
        let box = try Sandbox()
        if let header {
            try box.write("backlog.md", header)
        } else {
            let created = try box.run("init")
            #expect(created.status == 0, "\(created)", sourceLocation: sourceLocation)
        }
        try box.write("in.csv", input)
        let result = try box.run(arguments: ["import", "--from", "csv"] + options + ["in.csv"])
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout == stdout, sourceLocation: sourceLocation)
        #expect(result.stderr == warnings, sourceLocation: sourceLocation)
        return box
    }

    /// `prio check` says ok with no warnings.
    func expectClean(_ box: Sandbox, stories: Int, open: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let check = try box.run("check")
        #expect(check.status == 0, "\(check)", sourceLocation: sourceLocation)
        #expect(check.stdout == "backlog.md: ok: \(stories) stories (\(open) not done), 0 warnings\n", sourceLocation: sourceLocation)
        #expect(check.stderr == "", sourceLocation: sourceLocation)
    }

    static let jiraExport = [
        "Issue key,Issue id,Summary,Status,Sprint,Sprint,Sprint,Labels,Labels,Original_Order",
        "NW-1,10101,Gift cards,To Do,,,,payments,,1",
        "NW-2,10102,Wishlist,Backlog,Sprint 1,,,,,2",
        "NW-3,10103,Search,Selected for Development,Sprint 1,Sprint 2,,search,web,3",
        "NW-4,10104,Reviews,In Progress,Sprint 1,Sprint 2,Sprint 3,,,4",
        "NW-5,10105,Ratings,in review,Sprint 2,,Sprint 3,,,5",
        "NW-6,10106,Login,DONE,Sprint 1,Sprint 2,,,,6",
    ].joined(separator: "\r\n") + "\r\n"

    @Test("a Jira export: statuses mapped, the last sprint kept, Issue id and Original_Order named and declared")
    func jiraExport() throws {
        let box = try imported(Self.jiraExport, expecting: "imported 6 stories (NW-1 ... NW-6)\n")
        #expect(try box.text("backlog.md") == Self.freshHeader + """
            - fields: issue-id, original-order

            ## NW-1 Gift cards
            - status: todo
            - tags: payments
            - issue-id: 10101
            - original-order: 1

            ## NW-2 Wishlist
            - status: todo
            - sprint: Sprint 1
            - issue-id: 10102
            - original-order: 2

            ## NW-3 Search
            - status: ready
            - tags: search, web
            - sprint: Sprint 2
            - issue-id: 10103
            - original-order: 3

            ## NW-4 Reviews
            - status: in-progress
            - sprint: Sprint 3
            - issue-id: 10104
            - original-order: 4

            ## NW-5 Ratings
            - status: in-progress
            - sprint: Sprint 3
            - issue-id: 10105
            - original-order: 5

            ## NW-6 Login
            - status: done
            - sprint: Sprint 2
            - issue-id: 10106
            - original-order: 6

            """)
        try expectClean(box, stories: 6, open: 5)
    }

    @Test("a declared workflow: In Review becomes review, Done its last status; existing fields entries stay")
    func jiraIntoDeclaredWorkflow() throws {
        let header = """
            # Team

            - statuses: todo, ready, in-progress, review, shipped
            - fields: Risk_Level

            ## T-1 Existing
            - Risk_Level: high

            """
        let input = "Summary,Status,Team,Risk level\nRatings,In Review,Blue,low\nLogin,Done,Red,\nSearch,Shipped,,\n"
        let box = try imported(input, header: header, expecting: "imported 3 stories (T-2 ... T-4)\n")
        #expect(try box.text("backlog.md") == """
            # Team

            - statuses: todo, ready, in-progress, review, shipped
            - fields: Risk_Level, team

            ## T-1 Existing
            - Risk_Level: high

            ## T-2 Ratings
            - status: review
            - team: Blue
            - risk-level: low

            ## T-3 Login
            - status: shipped
            - team: Red

            ## T-4 Search
            - status: shipped

            """)
        try expectClean(box, stories: 4, open: 2)
    }

    @Test("a status Jira does not share is kept as written, reported once at import, and check warns with a did-you-mean")
    func unknownImportedStatus() throws {
        let declare = "declare the team's own in the header, like '- statuses: todo, ready, in-progress, Redy, Blocked, done'"
        let box = try imported("Summary,Status\nOne,Redy\nTwo,Blocked\nThree,blocked\n", expecting: "imported 3 stories (S-1 ... S-3)\n", warnings: """
            in.csv:2:5: warning: status 'Redy' kept as written, outside the workflow (did you mean 'ready'? the workflow is todo, ready, in-progress, done); \(declare)
            in.csv:3:5: warning: status 'Blocked' kept as written, outside the workflow (the workflow is todo, ready, in-progress, done); \(declare)

            """)
        #expect(try box.text("backlog.md") == Self.freshHeader + "\n## S-1 One\n- status: Redy\n\n## S-2 Two\n- status: Blocked\n\n## S-3 Three\n- status: blocked\n")
        let check = try box.run("check")
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout == "backlog.md: ok: 3 stories (3 not done), 3 warnings\n")
        #expect(check.stderr == """
            backlog.md:7:11: warning: unknown status 'Redy' (did you mean 'ready'? the workflow is todo, ready, in-progress, done)
            backlog.md:10:11: warning: unknown status 'Blocked' (the workflow is todo, ready, in-progress, done; a team declares its own with '- statuses: ...' in the header)
            backlog.md:13:11: warning: unknown status 'blocked' (the workflow is todo, ready, in-progress, done; a team declares its own with '- statuses: ...' in the header)

            """)
        // Declaring the suggested workflow silences check: the kept statuses are the team's.
        let text = try box.text("backlog.md").replacing("- prefix: S\n", with: "- prefix: S\n- statuses: todo, ready, in-progress, Redy, Blocked, done\n")
        try box.write("backlog.md", text)
        try expectClean(box, stories: 3, open: 3)
    }

    @Test("a semicolon-separated export is detected from its header line")
    func semicolonDetected() throws {
        let input = "\u{FEFF}Issue key;Summary;Story Points;Status;Sprint;Sprint;Labels\r\n"
            + "NW-1;\"Gift cards; digital, too\";5;In Progress;Sprint 1;Sprint 2;a,b\r\n"
            + ";Wishlist;2,5;To Do;;;\r\n"
        // "2,5" is a European decimal: in a ';'-separated file it reads as 2.5 (issue 27).
        let european = try imported(input, expecting: "imported 2 stories (NW-1 ... S-1)\n")
        let fixed = try imported(input.replacing("2,5", with: "2.5"), expecting: "imported 2 stories (NW-1 ... S-1)\n")
        #expect(try european.text("backlog.md") == fixed.text("backlog.md"))
        #expect(try fixed.text("backlog.md") == Self.freshHeader + """

            ## NW-1 Gift cards; digital, too
            - status: in-progress
            - points: 5
            - tags: a, b
            - sprint: Sprint 2

            ## S-1 Wishlist
            - status: todo
            - points: 2.5

            """)
        try expectClean(fixed, stories: 2, open: 2)
    }

    static let delimiterCases = [
        // Two semicolons in a column name outweigh the one comma: only --delimiter ',' reads it right.
        DelimiterCase(option: ",", content: "Summary,Notes; one; two\nGift cards,wrap\n"),
        // One of each: the guess goes to the comma.
        DelimiterCase(option: ";", content: "Summary;Team, Squad\nGift cards;Blue\n"),
        DelimiterCase(option: "\\t", content: "Summary\tTeam, Squad, Tribe\nGift cards\tBlue\n"),
        DelimiterCase(option: "tab", content: "Summary\tTeam, Squad, Tribe\nGift cards\tBlue\n"),
    ]

    @Test("--delimiter forces the separator", arguments: delimiterCases)
    func delimiterOption(_ delimiterCase: DelimiterCase) throws {
        let box = try imported(delimiterCase.content, options: ["--delimiter", delimiterCase.option],
                               expecting: "imported 1 stories (S-1 ... S-1)\n")
        let (key, value) = delimiterCase.option == "," ? ("notes-one-two", "wrap") : ("team-squad" + (delimiterCase.option == ";" ? "" : "-tribe"), "Blue")
        #expect(try box.text("backlog.md") == Self.freshHeader + "- fields: \(key)\n\n## S-1 Gift cards\n- \(key): \(value)\n")
        try expectClean(box, stories: 1, open: 1)
    }

    @Test("--delimiter is for CSV only, and takes , ; or a tab")
    func delimiterRefused() throws {
        let box = try Sandbox()
        let before = try box.initSample()
        try box.write("in.json", #"[{"title": "x"}]"#)
        let json = try box.run("import", "--from", "json", "--delimiter", ";", "in.json")
        #expect(json.status == 1, "\(json)")
        #expect(json.stderr == "prio: error: --delimiter applies to CSV only\n")
        let bad = try box.run("import", "--from", "csv", "--delimiter", "|", "in.json")
        #expect(bad.status != 0, "\(bad)")
        #expect(bad.stderr.hasPrefix("Error: The value '|' is invalid for '--delimiter <sep>'"))
        #expect(try box.read("backlog.md") == before)
    }
}
