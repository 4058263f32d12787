@testable import PrioEngine
@testable import PrioStorage
import Testing

/// The engine's rules for what a command names: a story (one lookup with the closest ID), a
/// status (the workflow), a sprint (the header), prio's own JSON, and an edited story's text.
@Suite("Named stories, statuses and sprints")
struct NamedValuesEngineTests {
    static let backlog = """
        # B

        - sprint: Sprint 1 | capacity 10 | 2026-11-02 .. 2026-11-13
        - sprint: Sprint 2 | capacity 10 | 2026-11-16 .. 2026-11-27

        ## S-1 One
        - status: todo
        - sprint: Sprint 2

        ## S-2 Two
        - status: blocked

        ## S-12 Twelve

        ## S-30 Thirty
        - sprint: Sprint 7

        """

    @Test("requireStory: the index, or the closest ID (fewest edits, then the nearest number)")
    func requireStory() throws {
        let backlog = try load(Self.backlog)
        #expect(try backlog.requireStory(#require(StoryID("S-12"))) == 2)
        // S-300 → S-30 (one deletion). S-21 is one edit from S-1, S-2 and S-12 (a swap): S-12 is nearest.
        let cases: [(String, String?)] = [("S-300", "S-30"), ("S-21", "S-12"), ("S-999", nil), ("T-1", "S-1")]
        for (typed, expected) in cases {
            let id = try #require(StoryID(typed))
            #expect(throws: UnknownStory(id: id, suggestion: expected.flatMap(StoryID.init))) { try backlog.requireStory(id) }
        }
        let message = UnknownStory(id: try #require(StoryID("S-300")), suggestion: StoryID("S-30")).description
        #expect(message == "no story with ID S-300 (did you mean S-30?)")
        // requireIndex (move, set, rm) says the same.
        #expect(throws: PrioError("no story with ID S-300 (did you mean S-30?)")) { try backlog.requireIndex(of: #require(StoryID("S-300"))) }
    }

    @Test("The byte edit distance with kept rows gives the generic one's answer (random IDs, every limit)")
    func byteDistanceAgrees() {
        var generator = SplitMix64(seed: 23)
        let alphabet = Array("s-0123456789x".utf8)
        var rows: [Int] = []
        for _ in 0..<2_000 {
            let a = (0..<generator.below(10)).map { _ in alphabet[generator.below(alphabet.count)] }
            let b = (0..<generator.below(10)).map { _ in alphabet[generator.below(alphabet.count)] }
            let limit = 1 + generator.below(4)
            #expect(Suggestion.editDistance(a, b, limit: limit, rows: &rows) == Suggestion.editDistance(a, b, limit: limit),
                    "\(a) \(b) \(limit)")
        }
    }

    @Test("A status set by a person must be in the workflow; one the story already has is kept")
    func setStatus() throws {
        let backlog = try load(Self.backlog)
        let workflow = backlog.workflow
        var one = backlog.stories[0]
        #expect(throws: FieldProblem("unknown status 'redy' (did you mean 'ready'? the workflow is todo, ready, in-progress, done)")) {
            try one.setField("status", "redy", in: workflow)
        }
        try one.setField("Status", "Doing", in: workflow)
        #expect(one.status == .inProgress)
        var two = backlog.stories[1]
        try two.setField("status", "blocked", in: workflow)
        try two.setField("value", "5", in: workflow)
        #expect(two.value(of: .status) == "blocked")
        #expect(workflow.declaration(adding: ["blocked"]) == "- statuses: todo, ready, in-progress, blocked, done")
    }

    @Test("A story's sprint the header does not declare is a warning with the closest declared sprint")
    func undeclaredSprint() throws {
        let parsed = try BacklogParser.parse(Self.backlog, path: "b.md")
        #expect(parsed.warnings.map(\.description) == [
            "b.md:11:11: warning: unknown status 'blocked' (the workflow is todo, ready, in-progress, done; a team declares its own with '- statuses: ...' in the header)",
            "b.md:16:11: warning: sprint 'Sprint 7' is not declared in the header (did you mean 'Sprint 2'? declared: Sprint 1, Sprint 2)",
        ])
    }

    @Test("Import keeps statuses outside the workflow and reports each once, at its first cell")
    func importedStatuses() throws {
        var backlog = try load("# B\n")
        let csv = "Summary,Status\nOne,Blocked\nTwo,In Progress\nThree,blocked\nFour,Waiting\n"
        let imported = try Importer.importing(Array(csv.utf8), format: .csv, path: "in.csv", into: &backlog)
        #expect(imported.ids.count == 4)
        #expect(backlog.stories.map { $0.value(of: .status) } == ["Blocked", "in-progress", "blocked", "Waiting"])
        let declare = "declare the team's own in the header, like '- statuses: todo, ready, in-progress, Blocked, Waiting, done'"
        #expect(imported.warnings.map(\.description) == [
            "in.csv:2:5: warning: status 'Blocked' kept as written, outside the workflow (the workflow is todo, ready, in-progress, done); \(declare)",
            "in.csv:5:6: warning: status 'Waiting' kept as written, outside the workflow (the workflow is todo, ready, in-progress, done); \(declare)",
        ])
    }

    @Test("JSON export: value is the file's, the votes' mean is value_aggregate; import skips what prio computes")
    func jsonOwnValues() throws {
        let text = "# B\n\n- stakeholder: alice | weight 2\n- stakeholder: bob\n\n## S-1 One\n- value: 3\n- points: 2\n- value-votes: alice 13, bob 2\n"
        let backlog = try load(text)
        let ranking = Ranking(backlog, strategy: ValueEffortStrategy())
        let json = Exporter.export(ranking, format: .json, top: nil, date: "2026-11-20", sourceName: "b.md")
        // (13 × 2 + 2) / 3 = 9.33; the file's value is 3.
        #expect(json.contains("\"value\": 3, \"points\": 2, \"value-votes\": \"alice 13, bob 2\", \"value_aggregate\": 9.33, \"disagreement\": ["), "\(json)")
        for key in ["value_aggregate", "Time Criticality Aggregate", "disagreement", "quadrant", "forecast", "rank", "score"] {
            #expect(Importer.target(of: key) == .ignored, "\(key)")
        }
        #expect(Importer.target(of: "owner_aggregate") == .field("owner-aggregate"))
        var copy = try load("# B\n\n- stakeholder: alice | weight 2\n- stakeholder: bob\n")
        _ = try Importer.importing(Array(json.utf8), format: .json, path: "b.json", into: &copy)
        #expect(copy.header == (try load("# B\n\n- stakeholder: alice | weight 2\n- stakeholder: bob\n")).header)
        #expect(copy.stories.first?.fields.map(\.key) == ["value", "points", "value-votes"])
        #expect(copy.stories.first?.number(.value) == DecimalNumber("9.33"))
    }

    @Test("An edited story: refused with line and column, handed back with notes that are removed on reading")
    func editedStory() throws {
        let backlog = try load(Self.backlog)
        let id = try #require(StoryID("S-1"))
        let broken = "## S-1 One\n- value: 5\n- points: x\n"
        guard case .failure(let failure) = EditedStory.read(broken, id: id, in: backlog) else {
            Issue.record("a bad value must be refused")
            return
        }
        #expect(failure.problems == [EditProblem(line: 3, column: 11, message: "points must be a number like 5 or 0.5, got 'x'")])
        #expect(failure.summary == "line 3:11: points must be a number like 5 or 0.5, got 'x'")
        #expect(failure.textWithNotes == "<!-- prio: line 4:11: points must be a number like 5 or 0.5, got 'x' -->\n" + broken)
        // Given back as it was: the note is removed, the line named as the editor showed it.
        guard case .failure(let again) = EditedStory.read(failure.textWithNotes, id: id, in: backlog) else {
            Issue.record("still bad")
            return
        }
        #expect(again.text == broken && again.notesRemoved == 1)
        #expect(again.summary == "line 4:11: points must be a number like 5 or 0.5, got 'x'")
        // Fixed below the note: the story, without the note.
        let fixed = failure.textWithNotes.replacing("points: x", with: "points: 3")
        guard case .success(let story) = EditedStory.read(fixed, id: id, in: backlog) else {
            Issue.record("the fixed text must read")
            return
        }
        #expect(story.number(.points) == DecimalNumber(3) && story.description.isEmpty)
        // Another ID, or a dependency on a story that is not there.
        guard case .failure(let renamed) = EditedStory.read("## S-5 One\n", id: id, in: backlog),
              case .failure(let dangling) = EditedStory.read("## S-1 One\n- depends: S-77\n", id: id, in: backlog) else {
            Issue.record("both must be refused")
            return
        }
        #expect(renamed.summary == "line 1:4: the ID must stay S-1 (found S-5); IDs never change")
        #expect(dangling.summary == "S-1 depends on S-77, which is not in the backlog")
    }
}
