import PrioEngine
import PrioStorage
import Testing

@Suite("Status workflow")
struct WorkflowTests {
    static let declared = """
        # Team

        - statuses: todo, ready, in-progress, review, shipped

        ## S-1 Shipped
        - status: shipped
        - points: 3

        ## S-2 In review
        - status: Review
        - points: 2

        ## S-3 Done is not this team's word
        - status: done

        ## S-4 No status

        """

    @Test("without a statuses setting the workflow is todo, ready, in-progress, done; done is the last")
    func standardWorkflow() throws {
        let backlog = try load("# B\n\n## S-1 A\n- status: done\n\n## S-2 B\n- status: closed\n\n## S-3 C\n- status: review\n\n## S-4 D\n")
        let workflow = backlog.workflow
        #expect(workflow.statuses == ["todo", "ready", "in-progress", "done"])
        #expect(!workflow.isDeclared)
        #expect(workflow.done == "done")
        #expect(backlog.stories.map { workflow.isDone($0) } == [true, true, false, false])
    }

    @Test("a declared workflow: its last status is done, and every done question follows it")
    func declaredWorkflow() throws {
        let parsed = try BacklogParser.parse(Self.declared, path: "b.md")
        let workflow = parsed.backlog.workflow
        #expect(workflow.statuses == ["todo", "ready", "in-progress", "review", "shipped"])
        #expect(workflow.isDeclared)
        #expect(workflow.done == "shipped")
        #expect(parsed.backlog.stories.map { workflow.isDone($0) } == [true, false, false, false])
        #expect(workflow.contains(Status(parsing: "REVIEW")))
        #expect(!workflow.contains(Status(parsing: "done")))
        // Ranking leaves out the shipped story and keeps the one marked "done" (not done here).
        let ranking = Ranking(parsed.backlog, strategy: ManualStrategy())
        #expect(rankedIDs(ranking) == ["S-2", "S-3", "S-4"])
        #expect(parsed.warnings.map(\.description) == [
            "b.md:14:11: warning: unknown status 'done' (the workflow is todo, ready, in-progress, review, shipped)",
        ])
    }

    @Test("declared entries are read like status values: Doing is in-progress, In Review keeps its words")
    func declaredSpellings() {
        let workflow = Workflow(["To Do", "Doing", "In Review", "Closed"])
        #expect(workflow.statuses == ["todo", "in-progress", "In Review", "done"])
        #expect(workflow.isDone(Status(parsing: "resolved")))
        #expect(workflow.contains(Status(parsing: "in_review")))
        #expect(workflow.spelling(of: "in review") == "In Review")
        #expect(workflow.spelling(of: "wip") == "in-progress")
        #expect(workflow.spelling(of: "blocked") == nil)
    }

    @Test("an unknown status warns at the value with a did-you-mean")
    func unknownStatusWarning() throws {
        let text = "# B\n\n## S-1 A\n- status: redy\n\n## S-2 B\n- points: 1\n- status:   blocked\n\n## S-3 C\n- status: In Progress\n"
        let parsed = try BacklogParser.parse(text, path: "b.md")
        #expect(parsed.warnings.map(\.description) == [
            "b.md:4:11: warning: unknown status 'redy' (did you mean 'ready'? the workflow is todo, ready, in-progress, done)",
            "b.md:8:13: warning: unknown status 'blocked' (the workflow is todo, ready, in-progress, done; "
                + "a team declares its own with '- statuses: ...' in the header)",
        ])
    }

    @Test("a statuses setting needs two statuses, each once")
    func badStatusesSetting() {
        #expect(errors("# B\n\n- statuses: done\n") == [
            "b.md:3:13: error: the workflow needs at least two statuses, the last one meaning done (like 'todo, in-progress, done')",
        ])
        #expect(errors("# B\n\n- statuses:\n") == [
            "b.md:3:12: error: the workflow needs at least two statuses, the last one meaning done (like 'todo, in-progress, done')",
        ])
        #expect(errors("# B\n\n- statuses: todo, wip, Doing, done\n") == [
            "b.md:3:24: error: status 'Doing' appears twice in the workflow (as 'wip')",
        ])
    }

    @Test("Jira's statuses map onto the workflow, case ignored; other values are kept as written")
    func jiraMapping() {
        let standard = Workflow.standard
        let cases: [(String, String)] = [
            ("Backlog", "todo"), ("To Do", "todo"), ("TO DO", "todo"), ("Selected for Development", "ready"),
            ("In Progress", "in-progress"), ("in progress", "in-progress"), ("In Review", "in-progress"),
            ("Done", "done"), ("DONE", "done"), ("ready", "ready"), ("Blocked", "Blocked"), ("  Won't Do ", "Won't Do"),
        ]
        for (jira, expected) in cases { #expect(standard.imported(jira) == expected, "\(jira)") }

        let team = Workflow(["todo", "ready", "in-progress", "review", "shipped"])
        #expect(team.imported("In Review") == "review")
        #expect(team.imported("REVIEW") == "review")
        #expect(team.imported("Done") == "shipped")
        #expect(team.imported("Selected for Development") == "ready")

        // Without ready, Selected for Development still says ready (and check then warns about it).
        let short = Workflow(["To Do", "Doing", "Done"])
        #expect(short.imported("Selected for Development") == "ready")
        #expect(short.imported("In Progress") == "in-progress")
    }

    @Test("did-you-mean: edit distance with swaps, a third of the word at most, none for an exact match")
    func didYouMean() {
        #expect(Suggestion.editDistance(Array("redy"), Array("ready")) == 1)
        #expect(Suggestion.editDistance(Array("raedy"), Array("ready")) == 1)  // a swap is one edit
        #expect(Suggestion.editDistance(Array("kitten"), Array("sitting")) == 3)
        #expect(Suggestion.editDistance(Array(""), Array("abc")) == 3)
        #expect(Suggestion.editDistance(Array("abcdef"), Array("uvwxyz"), limit: 2) == 3)
        let statuses = ["todo", "ready", "in-progress", "done"]
        #expect(Suggestion.closest(to: "redy", among: statuses) == "ready")
        #expect(Suggestion.closest(to: "In Progres", among: statuses) == "in-progress")
        #expect(Suggestion.closest(to: "DONEE", among: statuses) == "done")
        #expect(Suggestion.closest(to: "review", among: statuses) == nil)
        #expect(Suggestion.closest(to: "ready", among: statuses) == nil)
        #expect(Suggestion.closest(to: "x", among: statuses) == nil)
        // A tie goes to the candidate listed first.
        #expect(Suggestion.closest(to: "cat", among: ["bat", "cab"]) == "bat")
    }
}
