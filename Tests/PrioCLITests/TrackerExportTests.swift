import Foundation
import Testing

/// Changes back out to the tracker: `prio export --changed-since REV` in a real git repository,
/// and `prio export --format jira-rank` against the order the last import recorded.
@Suite("prio export for the tracker")
struct TrackerExportTests {
    /// A repository whose b.md was filled from the Jira export of week 1 and committed.
    func importedRepository() throws -> GitSandbox {
        let repo = try GitSandbox(backlog: "# Shop\n\n- prefix: S\n", setUp: false)
        try repo.box.write("week1.csv", ImportUpdateTests.jiraWeek1)
        let imported = try repo.box.run("import", "b.md", "--update", "--from", "csv", "week1.csv", environment: repo.environment)
        #expect(imported.status == 0, "\(imported)")
        try repo.git("add", "b.md", "b.imported.md")
        try repo.git("commit", "-q", "-m", "week 1 from Jira")
        return repo
    }

    @Test("--changed-since HEAD: the stories re-estimated, re-titled or added since the commit, under Jira's column names")
    func changedSince() throws {
        let repo = try importedRepository()
        let box = repo.box
        for edit in [["set", "b.md", "SHOP-3", "points=13"], ["set", "b.md", "SHOP-1", "status=in-progress"],
                     ["move", "b.md", "SHOP-8", "--top"], ["add", "b.md", "--title", "Coupons", "points=2"]] {
            let result = try box.run(arguments: edit, environment: repo.environment)
            #expect(result.status == 0, "\(result)")
        }
        let csv = try box.run("export", "b.md", "--changed-since", "HEAD", "--format", "csv", environment: repo.environment)
        #expect(csv.status == 0, "\(csv)")
        #expect(csv.stdout == "Issue key,Summary,Status,Story Points\r\nSHOP-1,Gift cards,in-progress,3\r\nSHOP-3,Search,ready,13\r\nS-1,Coupons,,2\r\n")
        let json = try box.run("export", "b.md", "--changed-since", "HEAD", "--format", "json", "--columns", "id,points",
                               environment: repo.environment)
        #expect(json.stdout == """
            [
              {"Issue key": "SHOP-1", "Story Points": 3},
              {"Issue key": "SHOP-3", "Story Points": 13},
              {"Issue key": "S-1", "Story Points": 2}
            ]

            """)
        // Nothing changed since the working copy was committed: only the header.
        try repo.git("commit", "-q", "-am", "week 1 edits")
        let none = try box.run("export", "b.md", "--changed-since", "HEAD", "--format", "csv", environment: repo.environment)
        #expect(none.stdout == "Issue key,Summary\r\n")
        let older = try box.run("export", "b.md", "--changed-since", "HEAD~1", "--format", "csv", "--columns", "id", environment: repo.environment)
        #expect(older.stdout == "Issue key\r\nSHOP-1\r\nSHOP-3\r\nS-1\r\n")
    }

    @Test("--changed-since never hands the revision to git's option parser; an unknown revision is refused")
    func hostileRevision() throws {
        let repo = try importedRepository()
        let box = repo.box
        let hostile = try box.run("export", "b.md", "--changed-since=--output=pwned", "--format", "csv", environment: repo.environment)
        #expect(hostile.status == 1)
        #expect(hostile.stderr == "prio: error: '--output=pwned' does not name a commit in this repository\n")
        #expect(!box.exists("pwned"))
        let unknown = try box.run("export", "b.md", "--changed-since", "no-such-branch", "--format", "csv", environment: repo.environment)
        #expect(unknown.stderr == "prio: error: 'no-such-branch' does not name a commit in this repository\n")
        let markdown = try box.run("export", "b.md", "--changed-since", "HEAD", "--format", "markdown", environment: repo.environment)
        #expect(markdown.status == 1)
    }

    @Test("--format jira-rank: the keys in prio's order, each story that moves with the key it goes after")
    func jiraRank() throws {
        let repo = try importedRepository()
        let box = repo.box
        for edit in [["move", "b.md", "SHOP-8", "--top"], ["move", "b.md", "SHOP-2", "--after", "SHOP-5"], ["add", "b.md", "--title", "Local only"]] {
            #expect(try box.run(arguments: edit, environment: repo.environment).status == 0)
        }
        let rank = try box.run("export", "b.md", "--format", "jira-rank", environment: repo.environment)
        #expect(rank.status == 0, "\(rank)")
        #expect(rank.stdout == "Issue key,Rank after,Rank before,Step\r\n"
            + "SHOP-8,,SHOP-1,1\r\nSHOP-1,,,\r\nSHOP-3,,,\r\nSHOP-4,,,\r\nSHOP-5,,,\r\nSHOP-2,SHOP-5,,2\r\nSHOP-6,,,\r\nSHOP-7,,,\r\n")
        // A week later Jira no longer has SHOP-6 (kept in prio, reported missing): it is not ranked,
        // and the new SHOP-9 and SHOP-10 stand where Jira put them (at its end, as prio does).
        try box.write("week2.csv", ImportUpdateTests.jiraWeek2)
        #expect(try box.run("import", "b.md", "--update", "--from", "csv", "week2.csv", environment: repo.environment).status == 0)
        let later = try box.run("export", "b.md", "--format", "jira-rank", environment: repo.environment)
        #expect(later.stdout == "Issue key,Rank after,Rank before,Step\r\n"
            + "SHOP-8,,SHOP-1,1\r\nSHOP-1,,,\r\nSHOP-3,,,\r\nSHOP-4,,,\r\nSHOP-5,,,\r\nSHOP-2,SHOP-5,,2\r\nSHOP-7,,,\r\n"
            + "SHOP-9,,,\r\nSHOP-10,,,\r\n")
        let fresh = try Sandbox()
        #expect(try fresh.run("init").status == 0)
        let noBase = try fresh.run("export", "--format", "jira-rank")
        #expect(noBase.status == 1)
        #expect(noBase.stderr.contains("import the tracker's export (ordered by rank) with 'prio import --update' first"))
    }

    @Test("the base merges with prio merge: both branches refresh from Jira, one re-estimates, one imports a second project; the merge is clean and a new run changes nothing")
    func baseSurvivesMerge() throws {
        let repo = try GitSandbox(backlog: "# Shop\n\n- prefix: S\n", setUp: true)
        let box = repo.box
        let env = repo.environment
        #expect(try box.run("git-setup", "b.imported.md", environment: env).status == 0)
        try box.write("week1.csv", ImportUpdateTests.jiraWeek1)
        try box.write("week2.csv", ImportUpdateTests.jiraWeek2)
        try box.write("app.csv", "Issue key,Summary,Status\r\nAPP-1,Offline mode,To Do\r\nAPP-2,Push,Done\r\n")
        #expect(try box.run("import", "b.md", "--update", "--from", "csv", "week1.csv", environment: env).status == 0)
        try repo.git("add", ".")
        try repo.git("commit", "-q", "-m", "week 1")
        try repo.git("checkout", "-q", "-b", "theirs")
        #expect(try box.run("import", "b.md", "--update", "--from", "csv", "week2.csv", environment: env).status == 0)
        #expect(try box.run("import", "b.md", "--update", "--source", "app", "--from", "csv", "app.csv", environment: env).status == 0)
        try repo.git("commit", "-q", "-am", "theirs: week 2 and the app project")
        try repo.git("checkout", "-q", "main")
        #expect(try box.run("import", "b.md", "--update", "--from", "csv", "week2.csv", environment: env).status == 0)
        #expect(try box.run("set", "b.md", "SHOP-4", "points=3", environment: env).status == 0)
        try repo.git("commit", "-q", "-am", "ours: week 2, SHOP-4 re-estimated")
        let merged = try repo.git("merge", "-q", "--no-edit", "theirs")
        #expect(merged.status == 0, "\(merged.output)")
        let after = try BacklogText(box.text("b.md"))
        #expect(after.block("SHOP-4")?.field("points") == "3")
        #expect(after.block("APP-2")?.field("status") == "done")
        let again = try box.run("import", "b.md", "--update", "--from", "csv", "week2.csv", environment: env)
        #expect(again.stdout.hasSuffix("0 changes: 0 added, 0 changed, 0 conflicts, 1 missing, 9 unchanged\n"), "\(again)")
        let app = try box.run("import", "b.md", "--update", "--source", "app", "--from", "csv", "app.csv", environment: env)
        #expect(app.stdout == "0 changes: 0 added, 0 changed, 0 conflicts, 0 missing, 2 unchanged\n", "\(app)")
        #expect(try box.run("check", "b.md", environment: env).status == 0)
    }
}
