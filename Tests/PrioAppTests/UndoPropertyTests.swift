import PrioApp
import PrioEngine
import PropertyBased
import Testing

/// Random sessions of edits: undoing every one gives back the original bytes, and redoing
/// them all gives back the edited backlog.
@Suite("Undo properties")
struct UndoPropertyTests {
    /// Editing actions, each a short key sequence.
    static let actions: [[Key]] = [
        [.character("j")], [.character("k")], [.character("G")], [.character("g")],
        [.character("J")], [.character("K")], [.character("T")], [.character("B")],
        [.character("m"), .character("2"), .enter],
        [.character("s")], [.character("A")],
        [.character("d"), .character("y")],
        [.character("e"), .tab, .tab, .control("u")] + Key.typing("should") + [.enter],
        [.character("e"), .control("u")] + Key.typing("Renamed ✓ 日本") + [.enter],
        [.character("a")] + Key.typing("Added story") + [.enter],
        [.character("P"), .character("f"), .escape],
        [.character("P"), .character(" "), .escape],
        [.character("f"), .character("j"), .character(" "), .escape], [.character("F")],
        // The team's estimation round: two estimates, the suggested points confirmed.
        [.character("#"), .enter] + Key.typing("3") + [.enter, .enter] + Key.typing("8") + [.enter, .enter],
        // On two marked stories: no estimates, the points as they are (or refused when none), then 13.
        [.character("v"), .character("j"), .character("v"), .character("#"), .enter, .enter, .enter, .enter, .character("a"),
         .character("s"), .enter, .enter, .enter, .enter, .control("u")] + Key.typing("13") + [.enter, .escape, .escape],
    ]

    @Test("Any sequence of edits, all undone, leaves the file's bytes")
    func undoAll() async throws {
        let original = Array(fixture.replacing("- strategy: wsjf\n", with: "- strategy: wsjf\n- sprint: Sprint 1 | capacity 6\n- team: ana, ben\n").utf8)
        await propertyCheck(count: 150, input: Gen.int(in: 0...(UndoPropertyTests.actions.count - 1)).array(of: 1...25)) { choices in
            guard let file = try? TestBacklog(String(decoding: original, as: UTF8.self)),
                  let session = try? file.session() else {
                Issue.record("could not open the fixture")
                return
            }
            for choice in choices { session.send(UndoPropertyTests.actions[choice]) }
            session.send(.escape)
            let edited = BacklogWriter.write(session.state.backlog)
            var undos = 0
            while session.isDirty && undos < 200 {
                session.send(.character("u"))
                undos += 1
            }
            #expect(BacklogWriter.write(session.state.backlog) == original, "undoing \(choices) did not restore the file")
            #expect(!session.isDirty)
            for _ in 0..<undos { session.send(.control("r")) }
            #expect(BacklogWriter.write(session.state.backlog) == edited, "redoing \(choices) did not restore the edits")
        }
    }
}
