@testable import PrioApp
import PrioEngine
import Testing

/// The planning pane shows the 85 % date from the git history beside the sprint forecast, and
/// the backtest's verdict; the history arrives as a value (`Effect.readDeliveryHistory`).
@Suite("Evidence from git in the planning pane")
struct EvidencePaneTests {
    /// Ten open stories and one done.
    static let text = "# Team\n\n- prefix: S\n- sprint: Sprint 1 | capacity 8 | 2026-11-16 .. 2026-11-27\n\n"
        + (1...11).map { "## S-\($0) Story \($0)\n- points: 2\n" + ($0 == 11 ? "- status: done\n" : "") + "\n" }.joined()

    @Test("P asks for the history once; the pane shows the 85 % date of the open stories and the verdict")
    func paneShowsEvidence() throws {
        let backlog = try TestBacklog(Self.text, today: "2026-11-20")
        // One story a day for 200 days up to today: ten open stories are done ten days from today.
        let start = try #require(Day("2026-11-20")?.adding(days: -199))
        backlog.runner.deliveryHistory = DeliveryHistory(start: start, done: Array(repeating: 1, count: 200))
        let session = try backlog.session(width: 140, height: 30)
        session.send(.character("P"))
        let asked = backlog.runner.performed.filter { if case .readDeliveryHistory = $0 { true } else { false } }
        #expect(asked.count == 1)
        let screen = session.screen
        #expect(screen.contains("from git: 10 open stories done by 2026-11-30 (85 %)"), "\(screen)")
        #expect(session.state.evidenceLines.last == "backtest: 85 % forecasts held in 100 % of 34 windows: well calibrated")
        #expect(screen.contains("backtest: 85 % forecasts held in 100 % of 34"), "\(screen)")
        #expect(screen.contains("│ well calibrated"), "\(screen)")
        // Leaving and coming back does not read the history again.
        session.send(.escape, .character("P"))
        #expect(backlog.runner.performed.count { if case .readDeliveryHistory = $0 { true } else { false } } == 1)
        #expect(session.state.evidenceLines.first == "from git: 10 open stories done by 2026-11-30 (85 %)")
    }

    @Test("a backlog outside git shows no line from git; too little evidence says so")
    func noHistory() throws {
        let outside = try TestBacklog(Self.text, today: "2026-11-20")
        let session = try outside.session(width: 140, height: 30)
        session.send(.character("P"))
        #expect(!session.screen.contains("from git"))
        let thin = try TestBacklog(Self.text, today: "2026-11-20")
        thin.runner.deliveryHistory = DeliveryHistory(start: try #require(Day("2026-11-01")), done: [1, 0, 1, 0, 1] + Array(repeating: 0, count: 15))
        let second = try thin.session(width: 140, height: 30)
        second.send(.character("P"))
        #expect(second.state.evidenceLines == ["from git: too little evidence, 3 days with completions of the 5 needed"])
    }
}
