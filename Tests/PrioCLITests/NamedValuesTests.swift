import Foundation
import Testing

/// A status must be one of the workflow's and a story's sprint one the header declares: `set`
/// refuses an unknown status, `check` warns about an undeclared sprint, each with a did-you-mean.
@Suite("Statuses and sprints a story names")
struct NamedValuesTests {
    @Test("set refuses a status outside the workflow with a did-you-mean, and leaves the file as it was")
    func setStatus() throws {
        let box = try Sandbox()
        let before = try box.initSample()
        let typo = try box.run("set", "S-1", "status=redy")
        #expect(typo.status == 1, "\(typo)")
        #expect(typo.stderr == "prio: error: unknown status 'redy' (did you mean 'ready'? the workflow is todo, ready, in-progress, done)\n")
        let other = try box.run("set", "S-1", "value=3", "status=blocked")
        #expect(other.status == 1, "\(other)")
        #expect(other.stderr == "prio: error: unknown status 'blocked' (the workflow is todo, ready, in-progress, done; a team declares its own with '- statuses: ...' in the header)\n")
        let added = try box.run("add", "--title", "Gift cards", "status=redy")
        #expect(added.status == 1, "\(added)")
        #expect(added.stderr == typo.stderr)
        #expect(try box.read("backlog.md") == before)
        // Spellings of the workflow's statuses are fine; status= removes the field.
        #expect(try box.run("set", "S-1", "status=In Progress").status == 0)
        #expect(try box.run("set", "S-1", "status=").status == 0)
    }

    @Test("a declared workflow is the one set checks against")
    func declaredWorkflow() throws {
        let box = try Sandbox()
        try box.write("b.md", "# B\n\n- statuses: todo, doing, review, shipped\n\n## S-1 One\n- status: todo\n")
        #expect(try box.run("set", "b.md", "S-1", "status=review").status == 0)
        let refused = try box.run("set", "b.md", "S-1", "status=ready")
        #expect(refused.status == 1)
        #expect(refused.stderr == "prio: error: unknown status 'ready' (the workflow is todo, in-progress, review, shipped)\n")
        let typo = try box.run("set", "b.md", "S-1", "status=shiped")
        #expect(typo.stderr == "prio: error: unknown status 'shiped' (did you mean 'shipped'? the workflow is todo, in-progress, review, shipped)\n")
        #expect(try box.text("b.md") == "# B\n\n- statuses: todo, doing, review, shipped\n\n## S-1 One\n- status: review\n")
    }

    @Test("a story with a status outside the workflow can still have its other fields set")
    func keptStatus() throws {
        let box = try Sandbox()
        try box.write("b.md", "# B\n\n## S-1 One\n- status: blocked\n")
        let result = try box.run("set", "b.md", "S-1", "value=5", "status=blocked")
        #expect(result.status == 0, "\(result)")
        #expect(try box.text("b.md") == "# B\n\n## S-1 One\n- status: blocked\n- value: 5\n")
    }

    @Test("check warns about a sprint the header does not declare, with the closest declared name")
    func undeclaredSprint() throws {
        let box = try Sandbox()
        let text = """
            # B

            - sprint: Sprint 1 | capacity 10 | 2026-11-02 .. 2026-11-13
            - sprint: Sprint 2 | capacity 10 | 2026-11-16 .. 2026-11-27

            ## S-1 One
            - sprint: Sprint 2

            ## S-2 Two

            """
        try box.write("b.md", text)
        #expect(try box.run("check", "b.md").stdout == "b.md: ok: 2 stories (2 not done), 0 warnings\n")
        #expect(try box.run("set", "b.md", "S-1", "sprint=Sprint 9").status == 0)
        #expect(try box.run("set", "b.md", "S-2", "sprint=Hardening").status == 0)
        let check = try box.run("check", "b.md")
        #expect(check.status == 0, "\(check)")
        #expect(check.stdout == "b.md: ok: 2 stories (2 not done), 2 warnings\n")
        #expect(check.stderr == """
            b.md:7:11: warning: sprint 'Sprint 9' is not declared in the header (did you mean 'Sprint 2'? declared: Sprint 1, Sprint 2)
            b.md:10:11: warning: sprint 'Hardening' is not declared in the header (declared: Sprint 1, Sprint 2; declare it with '- sprint: Hardening | capacity N | START .. END')

            """)
        // Without declared sprints a story's sprint is its own business.
        try box.write("c.md", "# C\n\n## S-1 One\n- sprint: Sprint 9\n")
        #expect(try box.run("check", "c.md").stdout == "c.md: ok: 1 stories (1 not done), 0 warnings\n")
    }
}
