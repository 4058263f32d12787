@testable import PrioApp
import PrioEngine
import PropertyBased
import Testing

/// The detail pane's forecast is kept between keys (and followed through J/K in place); after
/// any keys it must say what a forecast made from scratch says.
@Suite("Forecast in the detail pane")
struct ForecastPaneTests {
    /// Sprints with done stories (a velocity of 5.25), dependencies (a chain and a fan-in), a story
    /// without points and one larger than the velocity.
    static let backlog = """
        # Planning
        - strategy: wsjf
        - sprint: Sprint 1 | capacity 8 | 2026-11-02 .. 2026-11-13
        - sprint: Sprint 2 | capacity 8 | 2026-11-16 .. 2026-11-27

        """ + (1...14).map { n in
            var text = "## S-\(n) Story \(n)\n- value: \([3, 8, 5, 1, 13, 2, 8][n % 7])\n- time-criticality: \(n % 3)\n"
            text += n == 6 ? "" : "- points: \(n == 9 ? "20" : ["1", "2", "3", "5", "0.5"][n % 5])\n"
            if n <= 4 { text += "- status: done\n- sprint: Sprint \(n % 2 + 1)\n" }
            if n == 13 { text += "- sprint: Sprint 2\n" }
            if n >= 8 && n <= 11 { text += "- depends: S-\(n + 1)\n" }
            if n == 14 || n == 7 { text += "- depends: S-5\n" }
            return text + "\n"
        }.joined()

    static let actions: [[Key]] = [
        [.character("j")], [.character("k")], [.character("g")], [.character("G")],
        [.character("J")], [.character("K")], [.character("J")], [.character("K")], [.character("T")], [.character("B")],
        [.character("u")], [.character("u")], [.control("r")], [.character("s")], [.character("A")],
        [.character("d"), .character("y")],
        [.character("a")] + Key.typing("Added story") + [.enter],
        [.character("P"), .character("f"), .escape],
        [.character("P"), .character(" "), .escape],
        [.character("f"), .character("j"), .character(" "), .escape], [.character("F")],
    ]

    /// The line the pane should show: a whole forecast made for this backlog from scratch, from
    /// today's timeline, along the ranking the pane names (the backlog's strategy while the list
    /// is in the manual order).
    static func expected(_ state: AppState) -> String? {
        guard let index = state.selectedIndex else { return nil }
        let backlog = state.backlog
        let story = backlog.stories[index]
        let timeline = SprintTimeline(backlog, today: state.clock.today)
        let strategy = state.document.strategies.all[state.forecastStrategyIndex]
        guard !backlog.workflow.isDone(story), let velocity = timeline.velocity?.value, velocity > Fraction(0),
              let forecast = try? Planner.forecast(backlog, timeline: timeline, velocity: velocity, strategy: strategy, maxSprints: 200)
        else { return nil }
        let by = "forecast by \(strategy.title)"
        if let sprint = forecast.sprint(of: index) {
            let dates = sprint.start.map { " (\($0) .. \(sprint.end ?? ""))" } ?? ""
            if let note = sprint.note { return "\(by): \(sprint.name)\(dates), \(note)" }
            return "\(by): \(sprint.name)\(dates) at \(formatForecastVelocity(velocity)) pts per sprint on the cadence"
        }
        return forecast.unplaceable.first { $0.storyIndex == index }.map { "\(by): none (\($0.reason))" }
    }

    @Test("After any keys, the pane's forecast is the forecast of the backlog as it stands")
    func neverStale() async {
        await propertyCheck(count: 120, input: Gen.int(in: 0...(ForecastPaneTests.actions.count - 1)).array(of: 1...30)) { choices in
            guard let file = try? TestBacklog(ForecastPaneTests.backlog), let session = try? file.session(width: 120, height: 40) else {
                Issue.record("could not open the backlog")
                return
            }
            _ = session.render()
            for (step, choice) in choices.enumerated() {
                session.send(ForecastPaneTests.actions[choice])
                _ = session.render()
                let state = session.state
                // The forecast is made for the detail; the planning screen shows the sprint instead.
                guard state.layout.showsDetail else { continue }
                let shown = state.selectedIndex.flatMap { DetailPane(state: state).forecastLine(for: $0) }
                #expect(shown == ForecastPaneTests.expected(state), "after \(choices.prefix(step + 1))")
            }
        }
    }

    @Test("The forecast is shown at the cursor's story, with its sprint's dates")
    func shown() throws {
        let file = try TestBacklog(ForecastPaneTests.backlog)
        let session = try file.session(width: 120, height: 40)
        session.send(.character("j"), .character("j"), .character("j"), .character("j"))
        let screen = session.render().text
        let line = try #require(ForecastPaneTests.expected(session.state))
        #expect(line.hasPrefix("forecast by WSJF (SAFe): Sprint "))
        #expect(screen.contains(String(line.prefix(30))))
    }
}
