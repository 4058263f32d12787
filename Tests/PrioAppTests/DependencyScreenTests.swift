import PrioApp
import PrioEngine
import Testing

@Suite("Dependencies through the screen")
struct ScreenDependencyTests {
    @Test("E on a story with depends, saved unchanged, is no error; E that closes a cycle is refused, naming it")
    func externalEditDepends() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("j"), .character("j"))  // S-3 depends on S-1
        file.runner.editor = { $0 }  // saved unchanged
        session.send(.character("E"))
        guard case .editExternally(let text, _)? = file.runner.performed.last else {
            Issue.record("expected an external edit request")
            return
        }
        #expect(text.contains("- depends: S-1"))
        #expect(!session.screen.contains("does not parse"))
        #expect(!session.isDirty)

        session.send(.character("g"))
        file.runner.editor = { $0.replacing("- points: 5\n", with: "- points: 5\n- depends: S-3\n") }
        session.send(.character("E"))
        #expect(session.screen.contains("The edit of S-1 does not parse"))
        #expect(session.state.backlog.stories[0].dependencies.isEmpty)
    }

    @Test("The form refuses a depends that closes a cycle, in place")
    func formCycle() throws {
        let file = try TestBacklog()
        let session = try file.session(width: 100, height: 30)
        session.send(.character("e"))
        let screen = session.screen
        let rows = screen.split(separator: "\n").filter { $0.contains("depends") }
        #expect(!rows.isEmpty, "\(screen)")
        // Tab to the depends field and type S-3.
        for _ in 0..<20 {
            if session.screen.split(separator: "\n").contains(where: { $0.contains("›depends") }) { break }
            session.send(.tab)
        }
        session.type("S-3\n")
        #expect(session.screen.contains("S-1 would close a dependency cycle: S-1 → S-3 → S-1"))
        #expect(session.state.backlog.stories[0].dependencies.isEmpty)
    }
}
