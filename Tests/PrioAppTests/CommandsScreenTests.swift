import PrioApp
import PrioEngine
import Testing

/// The screen's side of the commands that name a story, a status or a sprint: the edit form
/// refuses a status outside the workflow, the review keeps its cursor, `E` says why an edit
/// does not parse.
@Suite("Named values and edits on the screen")
struct CommandsScreenTests {
    /// The line of the screen the cursor (›) is on.
    func cursorLine(_ screen: String) -> String? {
        screen.split(separator: "\n").first { $0.hasPrefix("›") }.map(String.init)
    }

    @Test("D: Space ticks the criterion under the cursor and the cursor stays on it")
    func reviewTickKeepsCursor() throws {
        let file = try TestBacklog(ProductLoopScreenTests.review)
        let session = try file.session(width: 80, height: 16)
        session.send(.character("D"), .character("j"), .character("j"))
        #expect(cursorLine(session.screen)?.contains("[ ] PayPal works") == true, "\(session.screen)")
        session.send(.character(" "))
        #expect(session.state.backlog.stories[0].criteria.map(\.isChecked) == [true, true])
        #expect(cursorLine(session.screen)?.contains("[x] PayPal works") == true, "\(session.screen)")
        // Again: unticked, still there; u undoes and the cursor stays too.
        session.send(.character(" "))
        #expect(cursorLine(session.screen)?.contains("[ ] PayPal works") == true, "\(session.screen)")
        session.send(.character("k"), .character(" "))
        #expect(session.state.backlog.stories[0].criteria.map(\.isChecked) == [false, false])
        #expect(cursorLine(session.screen)?.contains("[ ] card payment works") == true, "\(session.screen)")
    }

    @Test("e: the form refuses a status outside the workflow, with a did-you-mean, and stays open")
    func formRefusesStatus() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("e"), .tab)  // status
        session.send(.control("u"))
        session.type("redy")
        session.send(.enter)
        #expect(session.screen.contains("unknown status 'redy' (did you mean 'ready'?"), "\(session.screen)")
        #expect(session.state.backlog.stories[0].status == .ready)
        session.send(.control("u"))
        session.type("in progress")
        session.send(.enter)
        #expect(session.state.backlog.stories[0].status == .inProgress)
    }

    /// The status line: the screen's last line.
    func statusLine(_ session: TestSession) -> String {
        session.screen.split(separator: "\n", omittingEmptySubsequences: false).last.map(String.init) ?? ""
    }

    @Test("E: an edit that does not parse says why and where on the status line; e reopens it with the problem as a note prio removes")
    func externalEditProblem() throws {
        let file = try TestBacklog()
        let session = try file.session(width: 140, height: 24)
        guard case .editExternally(let original, _)? = session.effects(of: .character("E")).first else {
            Issue.record("E asks for no external edit")
            return
        }
        // Line 4 opens a code block that is never closed.
        let broken = "## S-1 Guest checkout\n- value: 99\n\n```\nnot closed\n"
        session.dispatch(.edited(broken))
        let problem = "code block opened here is never closed (close it with ```)"
        #expect(statusLine(session).hasPrefix(" The edit of S-1 does not parse (e edit again · d discard): line 4:1: \(problem)"), "\(session.screen)")
        let smallFile = try TestBacklog()
        smallFile.runner.editor = { _ in broken }
        let small = try smallFile.session(width: 80, height: 16)
        small.send(.character("E"))
        assertSnapshot(small.screen, named: "edit-problem-80x16")

        // e hands the text back with the problem as a note on top (its line counted below the note).
        var handed: [String] = []
        file.runner.editor = { text in text }
        session.send(.character("e"))
        guard case .editExternally(let again, _)? = file.runner.performed.last else {
            Issue.record("e asks for no external edit")
            return
        }
        handed.append(again)
        #expect(again == "<!-- prio: line 5:1: \(problem) -->\n" + broken)
        // Given back unchanged: the note is removed, the problem named where the editor showed it
        // (line 5), and the next round has one note, not two.
        #expect(statusLine(session).contains("discard): line 5:1: \(problem)"), "\(session.screen)")
        session.send(.character("e"))
        guard case .editExternally(let third, _)? = file.runner.performed.last else {
            Issue.record("e asks for no external edit")
            return
        }
        #expect(third == again)

        // Fixed in the editor, note and all: the note never reaches the story.
        file.runner.editor = { text in text.replacing("```\nnot closed\n", with: "not closed\n") }
        session.send(.character("e"))
        let story = session.state.backlog.stories[0]
        #expect(story.value(of: .value) == "99")
        #expect(story.description == "not closed")
        #expect(!statusLine(session).contains("does not parse"))
        #expect(original.hasPrefix("## S-1 Guest checkout\n"))
    }

    @Test("E: note lines are only prio's own at the top; a comment of the user's stays")
    func notesRemoved() {
        let (text, notes) = EditedStory.removingNotes("<!-- prio: line 2:1: x -->\r\n<!-- prio: y -->\n## S-1 A\n<!-- prio: kept -->\n")
        #expect(text == "## S-1 A\n<!-- prio: kept -->\n")
        #expect(notes == 2)
        #expect(EditedStory.removingNotes("<!-- mine -->\n## S-1 A\n") == ("<!-- mine -->\n## S-1 A\n", 0))
    }
}
