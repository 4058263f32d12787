import Foundation
import PrioEngine
import PrioStorage
import Testing

/// Forecasts with confidence: worked examples, the sampler, repeatability.
@Suite("Forecasts with confidence")
struct ConfidenceForecastTests {
    /// The day the forecasts are made: after every generated sprint.
    static let today = "2026-01-30"

    func timeline(_ b: Backlog) -> SprintTimeline { SprintTimeline(b, today: Self.today) }
    /// A backlog with three past sprints of the given done points and open stories of `open` points.
    static func backlog(history: [Int], open: [Int], depends: [Int: Int] = [:]) -> String {
        var text = "# Team\n\n"
        for (k, _) in history.enumerated() {
            let start = 5 + 14 * k
            text += "- sprint: Sprint \(k + 1) | 2026-01-\(String(format: "%02d", start % 28 + 1)) .. 2026-01-\(String(format: "%02d", start % 28 + 10))\n"
        }
        text += "\n"
        var id = 1
        for (k, points) in history.enumerated() {
            text += "## S-\(id) Done in sprint \(k + 1)\n- status: done\n- sprint: Sprint \(k + 1)\n- points: \(points)\n\n"
            id += 1
        }
        for (j, points) in open.enumerated() {
            text += "## S-\(id) Open \(j + 1)\n- points: \(points)\n"
            if let on = depends[j] { text += "- depends: S-\(history.count + on + 1)\n" }
            text += "\n"
            id += 1
        }
        return text
    }

    @Test("A constant history gives the plain forecast at every percentile")
    func constantHistory() throws {
        let b = try load(Self.backlog(history: [10, 10, 10, 10], open: [5, 8, 3, 5, 13, 2, 8, 1], depends: [2: 4]))
        let plain = try Planner.forecast(b, timeline: timeline(b), velocity: Fraction(10), strategy: ManualStrategy())
        let mc = try ConfidenceForecast(b, timeline: timeline(b), strategy: ManualStrategy(), trials: 500, seed: 42)
        #expect(mc.stories.count == 8)
        for outlook in mc.stories {
            let expected = try #require(plain.sprint(of: outlook.storyIndex))
            #expect(outlook.p50?.sprint == expected.name)
            #expect(outlook.p85?.sprint == expected.name)
            #expect(outlook.p95?.sprint == expected.name)
            #expect(outlook.p95?.end == expected.end)
        }
    }

    @Test("Decimal points and capacities (counted in hundredths inside) give the plain forecast too")
    func decimals() throws {
        var text = Self.backlog(history: [7, 7, 7], open: [2, 3, 1, 5, 2, 3])
        text = text.replacingOccurrences(of: "- points: 2\n", with: "- points: 2.25\n")
            .replacingOccurrences(of: "- points: 3\n", with: "- points: 0.5\n")
        let b = try load(text)
        let plain = try Planner.forecast(b, timeline: timeline(b), velocity: Fraction(7), strategy: ManualStrategy())
        let mc = try ConfidenceForecast(b, timeline: timeline(b), strategy: ManualStrategy(), trials: 50, seed: 3)
        for outlook in mc.stories {
            #expect(outlook.p95?.sprint == plain.sprint(of: outlook.storyIndex)?.name)
        }
    }

    @Test("Percentiles are ordered: p50 no later than p85, p85 no later than p95")
    func ordered() throws {
        let b = try load(Self.backlog(history: [4, 15, 9, 6, 20], open: Array(repeating: 5, count: 30)))
        let mc = try ConfidenceForecast(b, timeline: timeline(b), strategy: ManualStrategy(), trials: 2_000, seed: 9)
        func number(_ landing: ConfidenceForecast.Landing?) throws -> Int {
            let name = try #require(landing?.sprint)
            return try #require(Int(name.split(separator: " ").last ?? ""))
        }
        var spread = false
        for outlook in mc.stories {
            let (a, b, c) = (try number(outlook.p50), try number(outlook.p85), try number(outlook.p95))
            #expect(a <= b && b <= c)
            if a < c { spread = true }
        }
        // A varied history spreads the later stories over several sprints.
        #expect(spread)
        // The last story: 150 points at velocities between 4 and 20 needs at least 8 sprints (all at 20).
        #expect(try number(mc.stories.last?.p50) >= 5 + 8)
    }

    @Test("The same seed gives the same forecast; the seed is kept")
    func repeatable() throws {
        let b = try load(Self.backlog(history: [4, 15, 9], open: Array(repeating: 3, count: 20)))
        let one = try ConfidenceForecast(b, timeline: timeline(b), strategy: ManualStrategy(), trials: 1_000, seed: 123)
        let two = try ConfidenceForecast(b, timeline: timeline(b), strategy: ManualStrategy(), trials: 1_000, seed: 123)
        #expect(one.seed == 123)
        #expect(one.stories.map(\.p85) == two.stories.map(\.p85))
        #expect(ConfidenceReport.json(one, b) == ConfidenceReport.json(two, b))
    }

    @Test("The sampler draws every past sprint, the last one too, about equally often")
    func samplerDrawsEverySample() {
        let history = [Fraction(3), Fraction(5), Fraction(8)]
        let sampler = VelocitySampler(history: history)
        var generator = SeededGenerator(seed: 1)
        var counts: [Fraction: Int] = [:]
        for _ in 0..<30_000 { counts[sampler.draw(using: &generator), default: 0] += 1 }
        #expect(counts.count == 3)
        for value in history {
            let seen = counts[value] ?? 0
            #expect(seen > 9_000 && seen < 11_000, "\(value): \(seen)")
        }
        // A history of two: the second is drawn as well.
        let two = VelocitySampler(history: [Fraction(1), Fraction(2)])
        var drew = Set<Fraction>()
        for _ in 0..<100 { drew.insert(two.draw(using: &generator)) }
        #expect(drew == [Fraction(1), Fraction(2)])
    }

    @Test("Sprints that delivered nothing are history too, and do not cut the forecast short (issue 24: it stopped at 16 sprints)")
    func zerosInHistory() throws {
        let b = try load(Self.backlog(history: [0, 10, 0], open: Array(repeating: 5, count: 30)))
        let mc = try ConfidenceForecast(b, timeline: timeline(b), strategy: ManualStrategy(), trials: 1_000, seed: 2)
        #expect(mc.history.map(\.points) == [Fraction(0), Fraction(10), Fraction(0)])
        // 150 points at 10 in one sprint out of three: about 45 sprints, so the horizon stretches past 16.
        #expect(mc.horizon > 45)
        for outlook in mc.stories { #expect(outlook.p95 != nil && outlook.reason == nil, "\(outlook.storyIndex)") }
        // Nothing delivered at all: said, not a forecast of nothing.
        let none = try load(Self.backlog(history: [0, 0, 0], open: [5]))
        #expect(throws: ConfidenceProblem.self) { try ConfidenceForecast(none, timeline: timeline(none), strategy: ManualStrategy(), seed: 1) }
    }

    @Test("Fewer than three past sprints is a clear message")
    func shortHistory() throws {
        let b = try load(Self.backlog(history: [5, 8], open: [3]))
        #expect(throws: ConfidenceProblem.self) { try ConfidenceForecast(b, timeline: timeline(b), strategy: ManualStrategy(), seed: 1) }
        do {
            _ = try ConfidenceForecast(b, timeline: timeline(b), strategy: ManualStrategy(), seed: 1)
        } catch {
            #expect(error.description.hasPrefix("a forecast with confidence needs the done points of at least 3 sprints that ended; this backlog has 2"))
        }
    }

    @Test("By a date: the probability is the share of trials whose sprint ends by then")
    func byDate() throws {
        // Velocity 5 or 10, equally likely: the second 5-point story is done in the first
        // future sprint only when it draws 10 (half the trials), always by the second.
        let b = try load(Self.backlog(history: [5, 10, 5, 10], open: [5, 5]))
        let mc = try ConfidenceForecast(b, timeline: timeline(b), strategy: ManualStrategy(), trials: 4_000, seed: 5)
        let first = try #require(mc.stories.first?.p50?.end)
        let second = try #require(mc.stories.last?.p95?.end)
        let chances = try #require(ConfidenceReport.probabilities(mc, doneBy: first))
        #expect(chances[0].probability == 1)
        #expect(abs(chances[1].probability - 0.5) < 0.05)
        #expect(ConfidenceReport.probabilities(mc, doneBy: second)?.map(\.probability) == [1, 1])
        #expect(ConfidenceReport.probabilities(mc, doneBy: "2000-01-01")?.map(\.probability) == [0, 0])
    }
}
