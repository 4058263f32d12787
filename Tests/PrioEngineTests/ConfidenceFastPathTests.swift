@testable import PrioEngine
@testable import PrioStorage
import Testing

/// The Monte Carlo forecast's fast path (whole numbers, bit sets) against the plain
/// forecast's fractions and tree, trial for trial.
@Suite("Forecasts with confidence: the fast path")
struct ConfidenceFastPathTests {
    @Test("Same seed, same answers: decimal points, dependencies, declared sprints ahead, a story larger than a sprint")
    func sameAnswers() throws {
        var generator = SeededGenerator(seed: 11)
        var text = "# Team\n\n"
        for k in 1...5 { text += "- sprint: Sprint \(k) | capacity 12 | 2026-0\(k)-01 .. 2026-0\(k)-14\n" }
        text += "- sprint: Sprint 6 | capacity 9.5 | 2026-06-01 .. 2026-06-14\n\n"
        let sizes = ["1", "2", "3", "5", "8", "0.5", "2.25", "13", "21"]
        for i in 1...120 {
            text += "## S-\(i) Story \(i)\n"
            if i <= 12 {
                text += "- status: done\n- sprint: Sprint \((i - 1) / 3 + 1)\n- points: \(sizes[Int.random(in: 0..<5, using: &generator)])\n\n"
                continue
            }
            text += "- points: \(sizes[Int.random(in: 0..<sizes.count, using: &generator)])\n"
            text += "- value: \(Int.random(in: 1...20, using: &generator))\n"
            if i > 20 && Int.random(in: 0..<4, using: &generator) == 0 {
                text += "- depends: S-\(Int.random(in: 13..<i, using: &generator))\n"
            }
            text += "\n"
        }
        let backlog = try load(text)
        for strategy in [ManualStrategy() as any Strategy, ValueEffortStrategy()] {
            let fast = try ConfidenceForecast(backlog, timeline: SprintTimeline(backlog, today: "2030-01-01"), strategy: strategy, trials: 600, seed: 99, horizon: 1_000, exact: false)
            let exact = try ConfidenceForecast(backlog, timeline: SprintTimeline(backlog, today: "2030-01-01"), strategy: strategy, trials: 600, seed: 99, horizon: 1_000, exact: true)
            #expect(fast.stories.map(\.landings) == exact.stories.map(\.landings))
            #expect(ConfidenceReport.json(fast, backlog) == ConfidenceReport.json(exact, backlog))
            // The same answer on one thread and on three.
            for threads in [1, 3] {
                let other = try ConfidenceForecast(backlog, timeline: SprintTimeline(backlog, today: "2030-01-01"), strategy: strategy,
                                                   trials: 600, seed: 99, horizon: 1_000, exact: false, threads: threads)
                #expect(other.stories.map(\.landings) == fast.stories.map(\.landings), "\(threads) threads")
            }
        }
    }
}
