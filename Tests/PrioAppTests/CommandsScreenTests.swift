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
}
