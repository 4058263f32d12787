import PrioApp
import PrioEngine
import Testing

@Suite("The story's history on the screen")
struct HistoryScreenTests {
    @Test("L asks the runner for the selected story's history and shows it; without git it says why")
    func history() throws {
        let file = try TestBacklog()
        let session = try file.session(width: 100, height: 20)
        session.send(.character("j"))
        let effects = session.effects(of: .character("L"))
        guard effects.count == 1, case .readHistory(let path, let id, let strategy) = effects[0] else {
            Issue.record("expected readHistory, got \(effects)")
            return
        }
        #expect(path == "/project/backlog.md" && id.description == "S-2" && strategy == "manual")
        file.runner.history = "abc1234567  2026-11-30  Ada  raise the value\n    value: 3 → 5\n    rank by wsjf 3 → 2\n"
        session.send(.character("L"))
        #expect(session.screen.contains("History of S-2"))
        #expect(session.screen.contains("value: 3 → 5"))
        session.send(.escape)
        #expect(!session.screen.contains("History of S-2"))
        file.runner.history = nil
        session.send(.character("L"))
        #expect(session.screen.contains("no history for S-2: not in a git repository"))
    }
}
