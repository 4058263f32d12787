import Foundation
import Testing

/// `prio import --update`: a tracker's export of a week later, applied three-way against what it
/// said the week before; the same for prio's own JSON and for `gh issue list --json`.
@Suite("prio import --update")
struct ImportUpdateTests {
    static let jiraHeader = "Issue key,Issue id,Summary,Status,Custom field (Story Points),Sprint,Sprint,Labels,Labels,Created,Description"

    /// The export of week 1, as Jira writes it (CRLF, repeated columns, dd/Mon/yy dates).
    static let jiraWeek1 = [
        jiraHeader,
        "SHOP-1,10001,Gift cards,To Do,3,,,payments,,01/Dec/26 9:15 AM,\"Sell gift cards.\r\nDigital only.\"",
        "SHOP-2,10002,Wishlist,To Do,5,Sprint 1,,,,01/Dec/26 9:20 AM,",
        "SHOP-3,10003,Search,Selected for Development,8,Sprint 1,Sprint 2,search,web,02/Dec/26 1:05 PM,",
        "SHOP-4,10004,Reviews,In Progress,2,Sprint 2,,,,02/Dec/26 2:00 PM,",
        "SHOP-5,10005,Ratings,To Do,3,,,,,03/Dec/26 10:00 AM,",
        "SHOP-6,10006,Old banner,To Do,1,,,,,03/Dec/26 11:00 AM,",
        "SHOP-7,10007,Login,Done,5,Sprint 1,,,,04/Dec/26 8:00 AM,",
        "SHOP-8,10008,Logout,To Do,1,,,,,04/Dec/26 8:30 AM,",
    ].joined(separator: "\r\n") + "\r\n"

    /// A week later: three changed in Jira (SHOP-1 title, SHOP-2 status, SHOP-3 points), SHOP-5's
    /// status changed (prio changes it too), SHOP-6 gone, SHOP-9 and SHOP-10 new.
    static let jiraWeek2 = [
        jiraHeader,
        "SHOP-1,10001,Gift cards and vouchers,To Do,3,,,payments,,01/Dec/26 9:15 AM,\"Sell gift cards.\r\nDigital only.\"",
        "SHOP-2,10002,Wishlist,In Progress,5,Sprint 1,,,,01/Dec/26 9:20 AM,",
        "SHOP-3,10003,Search,Selected for Development,13,Sprint 1,Sprint 2,search,web,02/Dec/26 1:05 PM,",
        "SHOP-4,10004,Reviews,In Progress,2,Sprint 2,,,,02/Dec/26 2:00 PM,",
        "SHOP-5,10005,Ratings,Done,3,,,,,03/Dec/26 10:00 AM,",
        "SHOP-7,10007,Login,Done,5,Sprint 1,,,,04/Dec/26 8:00 AM,",
        "SHOP-8,10008,Logout,To Do,1,,,,,04/Dec/26 8:30 AM,",
        "SHOP-9,10009,Coupons,To Do,2,,,,,08/Dec/26 9:00 AM,",
        "SHOP-10,10010,Gift wrap,Backlog,,,,,,08/Dec/26 9:30 AM,",
    ].joined(separator: "\r\n") + "\r\n"

    static let weekLaterJSON = """
        {
          "added": ["SHOP-9", "SHOP-10"],
          "changed": [
            {"id": "SHOP-1", "changes": [{"field": "title", "from": "Gift cards", "to": "Gift cards and vouchers"}]},
            {"id": "SHOP-2", "changes": [{"field": "status", "from": "todo", "to": "in-progress"}]},
            {"id": "SHOP-3", "changes": [{"field": "points", "from": "8", "to": "13"}]}
          ],
          "conflicts": [
            {"id": "SHOP-5", "field": "status", "prio": "ready", "source": "done"}
          ],
          "missing": ["SHOP-6"],
          "unchanged": 3
        }

        """

    /// The product owner's own changes between the two imports: a prio-only points change, a
    /// status that Jira changes too, and fields Jira does not carry (MoSCoW, value), and an order.
    func productOwnerEdits(_ box: Sandbox) throws {
        for edit in [["set", "SHOP-4", "points=3"], ["set", "SHOP-5", "status=ready"], ["set", "SHOP-1", "moscow=must", "value=8"],
                     ["move", "SHOP-8", "--top"]] {
            let result = try box.run(arguments: edit)
            #expect(result.status == 0, "\(result)")
        }
    }

    @Test("a Jira export a week later: three Jira changes taken, prio's kept, one conflict, one missing, two added; again: 0 changes")
    func jiraWeekLater() throws {
        let box = try Sandbox()
        #expect(try box.run("init").status == 0)
        try box.write("week1.csv", Self.jiraWeek1)
        let first = try box.run("import", "--update", "--from", "csv", "week1.csv")
        #expect(first.status == 0, "\(first)")
        #expect(first.stdout.hasSuffix("8 changes: 8 added, 0 changed, 0 conflicts, 0 missing, 0 unchanged\n"))
        #expect(box.exists("backlog.imported.md"))
        try productOwnerEdits(box)
        let before = try BacklogText(box.text("backlog.md"))
        try box.write("week2.csv", Self.jiraWeek2)
        let dry = try box.run("import", "--update", "--from", "csv", "week2.csv", "--dry-run", "--format", "json")
        #expect(dry.stdout == Self.weekLaterJSON)
        #expect(try BacklogText(box.text("backlog.md")).blocks == before.blocks, "a dry run writes nothing")
        let update = try box.run("import", "--update", "--from", "csv", "week2.csv", "--format", "json")
        #expect(update.status == 0, "\(update)")
        #expect(update.stdout == Self.weekLaterJSON)
        let after = try BacklogText(box.text("backlog.md"))
        // The manual order of existing stories is the product owner's; new ones at the bottom.
        #expect(after.blocks.map(\.id) == ["SHOP-8", "SHOP-1", "SHOP-2", "SHOP-3", "SHOP-4", "SHOP-5", "SHOP-6", "SHOP-7", "SHOP-9", "SHOP-10"])
        #expect(after.block("SHOP-1")?.title == "Gift cards and vouchers")
        #expect(after.block("SHOP-1")?.field("moscow") == "must")
        #expect(after.block("SHOP-1")?.field("value") == "8")
        #expect(after.block("SHOP-1")?.field("created") == "2026-12-01 09:15")
        #expect(after.block("SHOP-2")?.field("status") == "in-progress")
        #expect(after.block("SHOP-3")?.field("points") == "13")
        #expect(after.block("SHOP-4")?.field("points") == "3")
        #expect(after.block("SHOP-5")?.field("status") == "ready")
        #expect(after.block("SHOP-6") != nil, "a story gone from the source stays")
        #expect(after.block("SHOP-10")?.field("status") == "todo")
        let bytes = try box.read("backlog.md"), baseBytes = try box.read("backlog.imported.md")
        let again = try box.run("import", "--update", "--from", "csv", "week2.csv")
        #expect(again.status == 0, "\(again)")
        #expect(again.stdout == "missing SHOP-6 Old banner: gone from the source; kept\n"
            + "0 changes: 0 added, 0 changed, 0 conflicts, 1 missing, 9 unchanged\n")
        #expect(try box.read("backlog.md") == bytes)
        #expect(try box.read("backlog.imported.md") == baseBytes)
        let check = try box.run("check")
        #expect(check.status == 0, "\(check)")
        #expect(check.stderr == "")
    }

    @Test("--prefer source takes the source's side of a conflict; --prune removes the missing story prio left alone")
    func preferSourceAndPrune() throws {
        let box = try Sandbox()
        #expect(try box.run("init").status == 0)
        try box.write("week1.csv", Self.jiraWeek1)
        try box.write("week2.csv", Self.jiraWeek2)
        #expect(try box.run("import", "--update", "--from", "csv", "week1.csv").status == 0)
        try productOwnerEdits(box)
        let update = try box.run("import", "--update", "--from", "csv", "week2.csv", "--prefer", "source", "--prune", "--at", "top")
        #expect(update.status == 0, "\(update)")
        #expect(update.stdout.contains("conflict SHOP-5 status: prio ready, source done; took the source's (--prefer source)\n"))
        #expect(update.stdout.contains("missing SHOP-6 Old banner: gone from the source; removed (--prune: unchanged in prio)\n"))
        let after = try BacklogText(box.text("backlog.md"))
        #expect(after.blocks.map(\.id) == ["SHOP-9", "SHOP-10", "SHOP-8", "SHOP-1", "SHOP-2", "SHOP-3", "SHOP-4", "SHOP-5", "SHOP-7"])
        #expect(after.block("SHOP-5")?.field("status") == "done")
        let again = try box.run("import", "--update", "--from", "csv", "week2.csv", "--prune")
        #expect(again.stdout == "0 changes: 0 added, 0 changed, 0 conflicts, 0 missing, 9 unchanged\n")
    }

    @Test("a story prio changed is kept by --prune and reported; a row without an ID is refused and nothing is written")
    func pruneKeepsChangedAndRowsNeedIDs() throws {
        let box = try Sandbox()
        #expect(try box.run("init").status == 0)
        try box.write("week1.csv", Self.jiraWeek1)
        #expect(try box.run("import", "--update", "--from", "csv", "week1.csv").status == 0)
        #expect(try box.run("set", "SHOP-6", "points=2").status == 0)
        try box.write("week2.csv", Self.jiraWeek2)
        let update = try box.run("import", "--update", "--from", "csv", "week2.csv", "--prune", "--format", "json")
        #expect(update.stdout.contains("\"missing\": [\"SHOP-6\"],\n  \"pruned\": [],"))
        let bytes = try box.read("backlog.md")
        try box.write("bad.csv", "Summary,Status\r\nNo key,To Do\r\n")
        let bad = try box.run("import", "--update", "--from", "csv", "bad.csv")
        #expect(bad.status == 1)
        #expect(bad.stderr == "bad.csv:2:1: error: this row has no ID: an update matches rows to stories by ID (Issue key, id or the issue's number)\n")
        #expect(try box.read("backlog.md") == bytes)
    }

    @Test("prio's own JSON export a week later: the changes made in the other copy come in, prio's own stay")
    func prioJSONWeekLater() throws {
        let box = try Sandbox()
        let other = try Sandbox()
        #expect(try other.run("init").status == 0)
        for title in ["Gift cards", "Wishlist", "Search", "Reviews"] {
            #expect(try other.run("add", "--title", title, "points=3", "status=todo").status == 0)
        }
        let week1 = try other.run("export", "--format", "json", "--all")
        try box.write("week1.json", week1.stdout)
        #expect(try box.run("init").status == 0)
        let first = try box.run("import", "--update", "--from", "json", "week1.json")
        #expect(first.stdout.hasSuffix("4 changes: 4 added, 0 changed, 0 conflicts, 0 missing, 0 unchanged\n"), "\(first)")
        // The other copy: S-1 re-estimated, S-2 done, S-3 removed, S-5 added; this copy: S-4 re-titled, S-2 to ready.
        for edit in [["set", "S-1", "points=5"], ["set", "S-2", "status=done"], ["rm", "S-3"], ["add", "--title", "Ratings", "points=1"]] {
            #expect(try other.run(arguments: edit).status == 0)
        }
        for edit in [["set", "S-4", "title=Product reviews"], ["set", "S-2", "status=ready"]] {
            #expect(try box.run(arguments: edit).status == 0)
        }
        try box.write("week2.json", try other.run("export", "--format", "json", "--all").stdout)
        let update = try box.run("import", "--update", "--from", "json", "week2.json", "--format", "json")
        #expect(update.stdout == """
            {
              "added": ["S-5"],
              "changed": [
                {"id": "S-1", "changes": [{"field": "points", "from": "3", "to": "5"}]}
              ],
              "conflicts": [
                {"id": "S-2", "field": "status", "prio": "ready", "source": "done"}
              ],
              "missing": ["S-3"],
              "unchanged": 1
            }

            """)
        let after = try BacklogText(box.text("backlog.md"))
        #expect(after.block("S-4")?.title == "Product reviews")
        let bytes = try box.read("backlog.md")
        let again = try box.run("import", "--update", "--from", "json", "week2.json")
        #expect(again.stdout.hasSuffix("0 changes: 0 added, 0 changed, 0 conflicts, 1 missing, 4 unchanged\n"), "\(again)")
        #expect(try box.read("backlog.md") == bytes)
    }

    static func ghIssue(_ number: Int, _ title: String, state: String = "OPEN", labels: [String] = [], milestone: String? = nil) -> String {
        let labelJSON = labels.map { "{\"id\":\"LA_\($0)\",\"name\":\"\($0)\",\"description\":\"\",\"color\":\"ededed\"}" }.joined(separator: ",")
        let milestoneJSON = milestone.map { "{\"number\":1,\"title\":\"\($0)\",\"description\":\"\",\"dueOn\":null}" } ?? "null"
        return "{\"body\":\"About \(title.lowercased()).\",\"labels\":[\(labelJSON)],\"milestone\":\(milestoneJSON),\"number\":\(number),"
            + "\"state\":\"\(state)\",\"title\":\"\(title)\",\"url\":\"https://github.com/acme/shop/issues/\(number)\"}"
    }

    @Test("gh issue list --json a week later: labels, points labels, milestones and CLOSED read; three-way as for Jira")
    func githubWeekLater() throws {
        let box = try Sandbox()
        #expect(try box.run("init").status == 0)
        let week1 = "[" + [Self.ghIssue(12, "Gift cards", labels: ["payments", "points:3"], milestone: "Sprint 4"),
                           Self.ghIssue(13, "Wishlist", labels: ["size:5"]),
                           Self.ghIssue(14, "Search"),
                           Self.ghIssue(15, "Old banner")].joined(separator: ",") + "]\n"
        try box.write("week1.json", week1)
        let missingPrefix = try box.run("import", "--update", "--from", "github", "week1.json")
        #expect(missingPrefix.status == 1)
        let first = try box.run("import", "--update", "--from", "github", "--prefix", "GH", "week1.json")
        #expect(first.status == 0, "\(first)")
        let imported = try BacklogText(box.text("backlog.md"))
        #expect(imported.block("GH-12")?.field("points") == "3")
        #expect(imported.block("GH-12")?.field("tags") == "payments")
        #expect(imported.block("GH-12")?.field("sprint") == "Sprint 4")
        #expect(imported.block("GH-12")?.field("url") == "https://github.com/acme/shop/issues/12")
        #expect(imported.block("GH-13")?.field("points") == "5")
        #expect(try box.run("set", "GH-14", "status=in-progress").status == 0)
        #expect(try box.run("set", "GH-13", "points=8").status == 0)
        let week2 = "[" + [Self.ghIssue(12, "Gift cards", state: "CLOSED", labels: ["payments", "points:3"], milestone: "Sprint 4"),
                           Self.ghIssue(13, "Wishlist", labels: ["size:13"]),
                           Self.ghIssue(14, "Search"),
                           Self.ghIssue(16, "Coupons", labels: ["points:2"])].joined(separator: ",") + "]\n"
        try box.write("week2.json", week2)
        let update = try box.run("import", "--update", "--from", "github", "--prefix", "GH", "week2.json", "--format", "json")
        #expect(update.stdout == """
            {
              "added": ["GH-16"],
              "changed": [
                {"id": "GH-12", "changes": [{"field": "status", "from": "todo", "to": "done"}]}
              ],
              "conflicts": [
                {"id": "GH-13", "field": "points", "prio": "8", "source": "13"}
              ],
              "missing": ["GH-15"],
              "unchanged": 1
            }

            """)
        let bytes = try box.read("backlog.md")
        let again = try box.run("import", "--update", "--from", "github", "--prefix", "GH", "week2.json")
        #expect(again.stdout.hasSuffix("0 changes: 0 added, 0 changed, 0 conflicts, 1 missing, 4 unchanged\n"), "\(again)")
        #expect(try box.read("backlog.md") == bytes)
    }

    @Test("a ';'-separated CSV reads a decimal comma; --map priority=moscow maps Jira's priorities, without it Priority stays a custom field")
    func decimalCommaAndPriority() throws {
        let box = try Sandbox()
        #expect(try box.run("init").status == 0)
        try box.write("eu.csv", "Issue key;Summary;Story Points;Priority\r\nEU-1;Invoices;2,5;Highest\r\nEU-2;Refunds;1;Low\r\n")
        let plain = try box.run("import", "--from", "csv", "eu.csv")
        #expect(plain.status == 0, "\(plain)")
        var after = try BacklogText(box.text("backlog.md"))
        #expect(after.block("EU-1")?.field("points") == "2.5")
        #expect(after.block("EU-1")?.field("priority") == "Highest")
        let other = try Sandbox()
        #expect(try other.run("init").status == 0)
        try other.write("eu.csv", "Issue key,Summary,Story Points,Priority\r\nEU-1,Invoices,\"2,5\",Highest\r\nEU-2,Refunds,1,Low\r\n")
        let mapped = try other.run("import", "--update", "--from", "csv", "--decimal-comma", "--map", "priority=moscow", "eu.csv")
        #expect(mapped.status == 0, "\(mapped)")
        after = try BacklogText(other.text("backlog.md"))
        #expect(after.block("EU-1")?.field("points") == "2.5")
        #expect(after.block("EU-1")?.field("moscow") == "must")
        #expect(after.block("EU-2")?.field("moscow") == "wont")
        #expect(after.block("EU-2")?.field("priority") == nil)
    }

    @Test("--at rank puts each new story after the story the backlog's strategy ranks just above it")
    func atRank() throws {
        let box = try Sandbox()
        try box.write("backlog.md", "# Shop\n\n- strategy: value-effort\n\n## S-1 High\n- value: 20\n- points: 1\n\n## S-2 Low\n- value: 1\n- points: 5\n\n## S-3 Mid\n- value: 8\n- points: 2\n")
        try box.write("new.csv", "id,title,value,points\nN-1,Top,40,1\nN-2,Between,5,1\nN-3,Bottom,1,20\n")
        let result = try box.run("import", "--update", "--from", "csv", "--at", "rank", "new.csv")
        #expect(result.status == 0, "\(result)")
        // Value over points: N-1 40, S-1 20, N-2 5, S-3 4, S-2 0.2, N-3 0.05. N-1 goes on top, N-2 after
        // S-1, N-3 after S-2 (ranked just above it); the existing stories keep their order.
        #expect(try BacklogText(box.text("backlog.md")).ids == ["N-1", "S-1", "N-2", "S-2", "N-3", "S-3"])
    }
}
