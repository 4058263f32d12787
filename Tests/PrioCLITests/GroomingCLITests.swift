import Foundation
import Testing

private let groomingFixture = """
# Shop

- strategy: wsjf
- statuses: todo, ready, in-progress, review, done
- view: quick wins = points <= 3 and value >= 8
- view: open musts = moscow = must and status < done

## S-1 Guest checkout
- status: done
- moscow: must
- value: 13
- time-criticality: 8
- risk-reduction: 1
- points: 5

## S-2 Apple Pay
- status: review
- moscow: must
- value: 8
- time-criticality: 5
- risk-reduction: 1
- points: 3
- tags: checkout

## S-3 Wishlist
- moscow: could
- value: 9
- time-criticality: 1
- risk-reduction: 1
- points: 10

## S-4 Dark mode
- status: in-progress
- value: 2
- time-criticality: 1
- risk-reduction: 1
- points: 2
- tags: ui

## S-5 Gift wrapping
- value: 8
- time-criticality: 2
- risk-reduction: 1
- points: 1
- tags: checkout

"""

/// The `[id: rank]` of a `prio rank --format json` run.
private func ranks(_ result: RunResult) throws -> [String: Int] {
    let object = try #require(try JSONSerialization.jsonObject(with: result.stdoutData) as? [String: Any], "\(result)")
    let array = try #require(object["stories"] as? [[String: Any]])
    var out: [String: Int] = [:]
    for item in array { out[item["id"] as? String ?? ""] = item["rank"] as? Int }
    return out
}

@Suite("Grooming from the command line: --where, --view, bulk set")
struct GroomingCLITests {
    @Test("rank --where keeps the whole backlog's ranks and only the matching stories")
    func rankWhere() throws {
        let box = try Sandbox()
        try box.write("b.md", groomingFixture)
        let whole = try ranks(try box.run("rank", "b.md", "--format", "json"))
        let result = try box.run("rank", "b.md", "--format", "json", "--where", "tags = checkout or moscow = could")
        #expect(result.status == 0, "\(result)")
        let shown = try ranks(result)
        // Read from the fixture: S-2 and S-5 are tagged checkout, S-3 is a could; S-1 is done.
        #expect(Set(shown.keys) == ["S-2", "S-3", "S-5"])
        for (id, rank) in shown { #expect(whole[id] == rank, "\(id) keeps its rank") }
        // WSJF: S-5 (8+2+1)/1 = 11, S-2 (8+5+1)/3 = 4.67, S-4 (2+1+1)/2 = 2, S-3 (9+1+1)/10 = 1.1.
        #expect(whole == ["S-5": 1, "S-2": 2, "S-4": 3, "S-3": 4])
    }

    @Test("--view names a view the header saves, in any case; an unknown one has a did-you-mean")
    func views() throws {
        let box = try Sandbox()
        try box.write("b.md", groomingFixture)
        let quick = try box.run("rank", "b.md", "--format", "json", "--view", "Quick Wins")
        #expect(Set(try ranks(quick).keys) == ["S-2", "S-5"])
        let both = try box.run("rank", "b.md", "--format", "json", "--view", "quick-wins", "--where", "points = 1")
        #expect(Set(try ranks(both).keys) == ["S-5"])
        let unknown = try box.run("rank", "b.md", "--view", "quick win")
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "prio: error: no view 'quick win' (did you mean 'quick wins'? views: quick wins, open musts)\n")
    }

    @Test("A bad --where is a located error with the expression and a caret; nothing else is printed")
    func badWhere() throws {
        let box = try Sandbox()
        try box.write("b.md", groomingFixture)
        let result = try box.run("rank", "b.md", "--where", "value >= 8 and pionts < 3")
        #expect(result.status == 1)
        #expect(result.stdout == "")
        #expect(result.stderr == """
            prio: error: --where:1:16: unknown field 'pionts' (did you mean 'points'?)
              value >= 8 and pionts < 3
                             ^

            """)
    }

    @Test("export, compare, matrix and plan list only the matching stories")
    func otherCommands() throws {
        let box = try Sandbox()
        try box.write("b.md", groomingFixture)
        let csv = try box.run("export", "b.md", "--format", "csv", "--columns", "rank,id", "--where", "tags = checkout")
        #expect(csv.stdout == "rank,id\r\n1,S-5\r\n2,S-2\r\n", "\(csv)")
        let compare = try box.run("compare", "b.md", "--format", "json", "--where", "id = s-3")
        let stories = try #require((try JSONSerialization.jsonObject(with: compare.stdoutData) as? [String: Any])?["stories"] as? [[String: Any]])
        #expect(stories.map { $0["id"] as? String } == ["S-3"])
        let matrix = try box.run("matrix", "b.md", "--format", "json", "--where", "points < 3")
        #expect(!matrix.stdout.contains("S-3") && matrix.stdout.contains("S-4") && matrix.stdout.contains("S-5"), "\(matrix)")
        let plan = try box.run("plan", "b.md", "--capacity", "4", "--format", "json", "--below", "all", "--where", "not tags = checkout")
        let object = try #require(try JSONSerialization.jsonObject(with: plan.stdoutData) as? [String: Any])
        let ids = ((object["selected"] as? [[String: Any]] ?? []) + (object["below"] as? [[String: Any]] ?? [])).compactMap { $0["id"] as? String }
        #expect(Set(ids) == ["S-3", "S-4"], "\(plan)")
        #expect(object["points"] as? Int == 4, "the plan itself is the whole backlog's: S-5 (1) and S-2 (3) fill it")
        let apply = try box.run("plan", "b.md", "--capacity", "4", "--apply", "--where", "points < 3")
        #expect(apply.status != 0)
    }

    @Test("set changes several stories in one write and says how many")
    func bulkSet() throws {
        let box = try Sandbox()
        try box.write("b.md", groomingFixture)
        let named = try box.run("set", "b.md", "S-3", "S-4", "S-5", "sprint=Sprint 7")
        #expect(named.status == 0, "\(named)")
        #expect(named.stderr == "changed 3 stories in b.md\n")
        let filtered = try box.run("set", "b.md", "--where", "sprint = Sprint 7 and points < 5", "moscow=should")
        #expect(filtered.stderr.contains("changed 2 stories in b.md"), "\(filtered)")
        let text = BacklogText(try box.text("b.md"))
        #expect(text.blocks.filter { $0.field("sprint") == "Sprint 7" }.map(\.id) == ["S-3", "S-4", "S-5"])
        #expect(text.blocks.filter { $0.field("moscow") == "should" }.map(\.id) == ["S-4", "S-5"])
        let again = try box.run("set", "b.md", "--where", "sprint = Sprint 7", "moscow=should")
        #expect(again.stderr.contains("changed 1 story in b.md (2 already had these values)"), "\(again)")
    }

    @Test("A bulk set that one story refuses writes nothing")
    func bulkSetIsAtomic() throws {
        let box = try Sandbox()
        try box.write("b.md", groomingFixture)
        let before = try box.read("b.md")
        // S-3 has no status: it takes 'review'; S-1 depends on nothing, but S-2 -> S-5 -> S-2 would be a cycle.
        let refused = try box.run("set", "b.md", "S-2", "S-5", "status=redy")
        #expect(refused.status == 1)
        #expect(refused.stderr.hasPrefix("prio: error: S-2: unknown status 'redy' (did you mean 'ready'?"), "\(refused)")
        #expect(refused.stderr.hasSuffix("nothing was written\n"))
        let cycle = try box.run("set", "b.md", "--where", "tags = checkout", "depends=S-2")
        #expect(cycle.status == 1, "\(cycle)")
        #expect(try box.read("b.md") == before)
        let unknown = try box.run("set", "b.md", "S-3", "S-33", "points=1")
        #expect(unknown.status == 1)
        #expect(unknown.stderr == "prio: error: no story with ID S-33 (did you mean S-3?)\n")
        #expect(try box.read("b.md") == before)
        let none = try box.run("set", "b.md", "--where", "points > 100", "points=1")
        #expect(none.status == 0)
        #expect(none.stderr == "no story matches; nothing was written\n")
        #expect(try box.read("b.md") == before)
    }

    @Test("epics: each epic with its children in rank order, points, done points and JSON")
    func epics() throws {
        let box = try Sandbox()
        try box.write("b.md", groomingFixture)
        #expect(try box.run("set", "b.md", "S-2", "S-3", "S-5", "parent=S-1").status == 0)
        let json = try box.run("epics", "b.md", "--format", "json")
        #expect(json.status == 0, "\(json)")
        let array = try #require(try JSONSerialization.jsonObject(with: json.stdoutData) as? [[String: Any]])
        #expect(array.count == 1)
        let epic = try #require(array.first)
        #expect(epic["id"] as? String == "S-1")
        // WSJF with done stories: S-5 11, S-2 4.67, S-3 1.1 (S-1 is done, not a child).
        #expect(epic["stories"] as? [String] == ["S-5", "S-2", "S-3"])
        #expect(epic["points"] as? Int == 14 && epic["done_points"] as? Int == 0)
        #expect(epic["forecast"] is NSNull, "no sprint has ended: no velocity, no forecast")
        let table = try box.run("rank", "b.md", "--group", "parent")
        #expect(table.stdout.contains("▾ Guest checkout: 3 stories, 14 pts, 0 pts done (0%)"), "\(table)")
        #expect(table.stdout.contains("▾ No epic"))
        let cycle = try box.run("set", "b.md", "S-1", "parent=S-2")
        #expect(cycle.status == 1)
        #expect(cycle.stderr == "prio: error: parent cycle: S-1 → S-2 → S-1 (a story cannot be inside itself; remove one of these parents)\nnothing was written\n")
    }

    @Test("ready lists the top stories that fail the header's Definition of Ready, in rank order")
    func ready() throws {
        let box = try Sandbox()
        let text = groomingFixture.replacing("- strategy: wsjf", with: "- strategy: wsjf\n- ready: points, criteria, depends-done")
            .replacing("## S-5 Gift wrapping\n", with: "## S-5 Gift wrapping\n").replacing("- tags: ui\n", with: "- tags: ui\n\n- [ ] Dark on every page\n")
        try box.write("b.md", text)
        let result = try box.run("ready", "b.md", "--format", "json", "--top", "3")
        #expect(result.status == 0, "\(result)")
        // Top 3 by WSJF: S-5, S-2, S-4; S-4 has a task item; none depends on an open story.
        #expect(result.stdout == """
            [
              {"id": "S-5", "title": "Gift wrapping", "rank": 1, "missing": ["criteria"]},
              {"id": "S-2", "title": "Apple Pay", "rank": 2, "missing": ["criteria"]}
            ]

            """)
        let plan = try box.run("plan", "b.md", "--capacity", "6")
        #expect(plan.stderr.contains("prio: warning: 2 planned stories are not ready by the Definition of Ready: S-5 (criteria), S-2 (criteria)\n"), "\(plan)")
        let filtered = try box.run("rank", "b.md", "--format", "json", "--where", "ready")
        #expect(Set(try ranks(filtered).keys) == ["S-4"])
    }

    @Test("Jira's Parent id and Epic Link import as parent through the Issue id; an unknown parent stays, with one warning")
    func jiraParents() throws {
        let box = try Sandbox()
        #expect(try box.run("init", "b.md").status == 0)
        try box.write("jira.csv", """
            Issue key,Issue id,Summary,Parent id,Epic Link,Custom field (Story Points)
            SHOP-1,10001,Checkout epic,,,
            SHOP-2,10002,Guest checkout,10001,,5
            SHOP-3,10003,Apple Pay,,SHOP-1,3
            SHOP-4,10004,Orphan,99999,,2
            SHOP-5,10005,Orphan too,,SHOP-77,1

            """)
        let result = try box.run("import", "b.md", "--from", "csv", "jira.csv")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.contains("jira.csv:5:1: warning: 2 parents not in the export or the backlog ('99999', 'SHOP-77'): kept as custom fields"), "\(result)")
        let text = BacklogText(try box.text("b.md"))
        #expect(text.block("SHOP-2")?.field("parent") == "SHOP-1")
        #expect(text.block("SHOP-3")?.field("parent") == "SHOP-1")
        #expect(text.block("SHOP-3")?.field("epic-link") == nil)
        #expect(text.block("SHOP-4")?.field("parent-id") == "99999")
        #expect(text.block("SHOP-5")?.field("epic-link") == "SHOP-77")
        #expect(try box.run("check", "b.md").status == 0)
    }
}
