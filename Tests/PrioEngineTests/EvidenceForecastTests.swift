import Foundation
import PrioEngine
import PrioStorage
import Testing

/// Forecasts from the evidence of a delivery history: synthetic histories with known answers.
@Suite("Forecasts from git history (engine)")
struct EvidenceForecastTests {
    static let today = Day("2026-12-09")!

    /// A window of `done` per day, ending today.
    static func window(_ done: [Double], added: [Double] = []) -> DeliveryHistory {
        DeliveryHistory(start: today.adding(days: 1 - done.count)!, done: done, added: added)
    }

    /// Per level, the smallest day d by which a draw of `p` per day (one story each) has done
    /// `scope`: the negative binomial distribution, P(Binomial(d, p) >= scope) >= level.
    static func exactDays(scope: Int, p: Double, level: Int) -> Int {
        var d = scope
        while true {
            // P(Binomial(d, p) >= scope), summed in logs for stability.
            var cdf = 0.0
            var logC = 0.0  // log C(d, 0)
            for k in 0...d {
                if k > 0 { logC += log(Double(d - k + 1)) - log(Double(k)) }
                if k >= scope { cdf += exp(logC + Double(k) * log(p) + Double(d - k) * log(1 - p)) }
            }
            if cdf * 100 >= Double(level) { return d }
            d += 1
        }
    }

    @Test("a constant one story a day gives exact dates: n stories are done n days from today at every level")
    func constantPace() throws {
        let window = Self.window(Array(repeating: 1, count: 30))
        for scope in [1, 7, 23] {
            let result = try EvidenceForecast.when(scope: Double(scope), window: window, today: Self.today, seed: 1)
            #expect(result.dates == Array(repeating: Self.today.adding(days: scope), count: 4))
        }
        let by = try EvidenceForecast.by(date: Self.today.adding(days: 12)!, window: window, today: Self.today, seed: 1)
        #expect(by.counts == [12, 12, 12, 12])
        #expect(by.reach85 == 12)
        #expect(EvidenceForecast.reached(Array(repeating: 1, count: 20), within: by.reach85) == 12)
        #expect(EvidenceForecast.reached([5, 3, 8], within: 8) == 2)
        // The one 85 % date other parts show: the last 90 days of a longer history, seed 29.
        let history = DeliveryHistory(start: Day("2026-01-01")!, done: (0..<343).map { $0 < 200 ? 5 : 1 })
        #expect(try EvidenceForecast.likelyFinish(scope: 9, history: history, today: Self.today) == Self.today.adding(days: 9))
        let last90 = history.window(days: 90, through: Self.today)
        #expect(try EvidenceForecast.likelyFinish(scope: 9, history: history, today: Self.today)
            == EvidenceForecast.when(scope: 9, window: last90, today: Self.today, seed: EvidenceForecast.standardSeed).date(85))
    }

    @Test("zero days count: half the days done nothing, and the dates follow the negative binomial within a day")
    func zeroDays() throws {
        let window = Self.window((0..<60).map { $0 % 2 == 0 ? 1 : 0 })
        let result = try EvidenceForecast.when(scope: 10, window: window, today: Self.today, seed: 7)
        for (i, level) in EvidenceForecast.levels.enumerated() {
            let exact = Self.exactDays(scope: 10, p: 0.5, level: level)
            let got = try #require(result.dates[i])
            #expect(abs(Self.today.days(to: got) - exact) <= 1, "level \(level): \(got) vs \(exact) days")
        }
        // 50 % needs about 19 days, not the 10 of the busy days alone.
        #expect(Self.today.days(to: try #require(result.date(50))) >= 18)
    }

    @Test("growth 1..1 equals no growth; growth history with nothing added equals no growth; 2..2 doubles the days")
    func growth() throws {
        let done: [Double] = (0..<45).map { [0, 1, 2, 0, 3][$0 % 5] }
        let window = Self.window(done)
        let plain = try EvidenceForecast.when(scope: 20, window: window, today: Self.today, seed: 3)
        let one = try EvidenceForecast.when(scope: 20, window: window, today: Self.today, seed: 3, growth: #require(ScopeGrowth("1..1")))
        let history = try EvidenceForecast.when(scope: 20, window: window, today: Self.today, seed: 3, growth: .history)
        #expect(one.dates == plain.dates)
        #expect(history.dates == plain.dates)
        let constant = Self.window(Array(repeating: 1, count: 30))
        let doubled = try EvidenceForecast.when(scope: 5, window: constant, today: Self.today, seed: 3, growth: .factor(low: 2, high: 2))
        #expect(doubled.dates == Array(repeating: Self.today.adding(days: 10), count: 4))
        // Growth from the window: one story done and a half added each day leaves half a story a day.
        let growing = Self.window(Array(repeating: 1, count: 30), added: Array(repeating: 0.5, count: 30))
        let slower = try EvidenceForecast.when(scope: 5, window: growing, today: Self.today, seed: 3, growth: .history)
        #expect(slower.dates == Array(repeating: Self.today.adding(days: 10), count: 4))
        // A range spreads the dates: 1..2 lands between no growth and double.
        let spread = try EvidenceForecast.when(scope: 10, window: constant, today: Self.today, seed: 3, growth: .factor(low: 1, high: 2))
        #expect(spread.date(50)! > Self.today.adding(days: 10)! && spread.date(95)! <= Self.today.adding(days: 20)!)
        #expect(ScopeGrowth("2..1") == nil && ScopeGrowth("x") == nil && ScopeGrowth("1..-2") == nil && ScopeGrowth("1e3..2") == nil)
    }

    @Test("fewer than 5 days with completions is refused, naming what is missing; 5 days are enough")
    func refusal() throws {
        var done = [Double](repeating: 0, count: 90)
        for day in [3, 20, 40, 41] { done[day] = 2 }
        #expect {
            try EvidenceForecast.when(scope: 3, window: Self.window(done), today: Self.today, seed: 1)
        } throws: { error in
            let text = (error as? EvidenceProblem)?.description ?? ""
            return text.contains("at least 5 days with completions") && text.contains("it has 4, so 1 more is missing")
                && text.contains("2026-09-11 .. 2026-12-09")
        }
        #expect(throws: EvidenceProblem.self) {
            try EvidenceForecast.by(date: Self.today.adding(days: 5)!, window: Self.window(done), today: Self.today, seed: 1)
        }
        done[60] = 1
        let result = try EvidenceForecast.when(scope: 3, window: Self.window(done), today: Self.today, seed: 1)
        #expect(result.date(50) != nil)
        #expect(throws: EvidenceProblem.self) {
            try EvidenceForecast.when(scope: 3, window: Self.window([]), today: Self.today, seed: 1)
        }
    }

    @Test("XmR: a step change in pace warns; a steady pace does not")
    func paceChange() throws {
        let steady = Self.window(Array(repeating: 1, count: 84))
        #expect(PaceCheck(steady)?.warning == nil)
        let step = Self.window(Array(repeating: 1, count: 56) + Array(repeating: 4, count: 28))
        let check = try #require(PaceCheck(step))
        #expect(check.weeks.count == 12)
        #expect(abs(check.mean - 14) < 1e-9)
        #expect(abs(check.averageMovingRange - 21.0 / 11) < 1e-9)
        #expect(abs(check.upper - (14 + 2.66 * 21 / 11)) < 1e-9)
        let warning = try #require(check.warning)
        #expect(warning.contains("28 stories in the week to 2026-12-09 is above the natural process limits"))
        let answer = try EvidenceForecast.when(scope: 10, window: step, today: Self.today, seed: 1)
        #expect(answer.warning == warning)
        let slowdown = Self.window(Array(repeating: 3, count: 63) + Array(repeating: 0.0, count: 14) + [1, 0, 0, 0, 0, 0, 0])
        #expect(PaceCheck(slowdown)?.warning?.contains("below") == true)
        // Fewer than 4 complete weeks: no chart.
        #expect(PaceCheck(Self.window(Array(repeating: 1, count: 27))) == nil)
    }

    @Test("the same seed gives the same answer; the trials are spread over cores without changing it")
    func repeatable() throws {
        var generator = SeededGenerator(seed: 11)
        let window = Self.window((0..<90).map { _ in Double(Int.random(in: 0...3, using: &generator)) })
        let a = try EvidenceForecast.when(scope: 40, window: window, today: Self.today, trials: 3_001, seed: 5)
        let b = try EvidenceForecast.when(scope: 40, window: window, today: Self.today, trials: 3_001, seed: 5)
        #expect(a.dates == b.dates)
        // 40 stories at the window's mean pace, within two days.
        let pace = window.done.reduce(0, +) / Double(window.days)
        let median = Self.today.days(to: try #require(a.date(50)))
        #expect(abs(Double(median) - 40 / pace) <= 2, "\(median) days at \(pace) a day")
        #expect(a.dates.compactMap { $0 } == a.dates.compactMap { $0 }.sorted())
    }

    @Test("a history that never finishes says so instead of a date")
    func neverFinishes() throws {
        let window = Self.window(Array(repeating: 1, count: 30), added: Array(repeating: 2, count: 30))
        let result = try EvidenceForecast.when(scope: 3, window: window, today: Self.today, trials: 200, seed: 1, growth: .history)
        #expect(result.dates == [nil, nil, nil, nil])
        #expect(EvidenceReport.whenJSON(result).contains("\"dates\": {\"50\": null, \"70\": null, \"85\": null, \"95\": null}"))
    }

    @Test("the backtest on a stationary random history holds near its levels and says well calibrated")
    func backtestStationary() throws {
        var generator = SeededGenerator(seed: 2026)
        let done = (0..<(90 + 365 + 56)).map { _ in Double([0, 0, 1, 1, 2, 3][Int.random(in: 0..<6, using: &generator)]) }
        let history = DeliveryHistory(start: Day("2025-06-01")!, done: done)
        let result = EvidenceBacktest(history, seed: 9)
        #expect(result.horizons == [14, 28, 56])
        // Every week with a full window before it and the horizon after it: 59, 57 and 53 weeks
        // for 14, 28 and 56 days.
        #expect(result.windows == 59 + 57 + 53)
        for (i, level) in EvidenceForecast.levels.enumerated() {
            let expected = Double(level) / 100
            #expect(result.held[i] >= expected - 0.12 && result.held[i] <= min(1, expected + 0.15), "level \(level): \(result.held[i])")
        }
        #expect(result.verdict.hasSuffix("well calibrated"))
        #expect(result.verdict.hasPrefix("85 % forecasts held in "))
        let again = EvidenceBacktest(history, seed: 9)
        #expect(again.held == result.held)
    }

    @Test("the backtest on a team whose pace fell is not a good guide; a constant pace always holds")
    func backtestShift() throws {
        let fell = DeliveryHistory(start: Day("2025-01-01")!, done: Array(repeating: 3, count: 200) + (0..<200).map { $0 % 3 == 0 ? 1 : 0 })
        let result = EvidenceBacktest(fell, horizons: [28], seed: 1)
        #expect(result.held(85) < EvidenceBacktest.calibrated)
        #expect(result.verdict.hasSuffix("this team's history is not a good guide"))
        let constant = EvidenceBacktest(DeliveryHistory(start: Day("2025-01-01")!, done: Array(repeating: 2, count: 200)), seed: 1)
        #expect(constant.held == [1, 1, 1, 1])
        let short = EvidenceBacktest(DeliveryHistory(start: Day("2025-01-01")!, done: Array(repeating: 2, count: 100)), seed: 1)
        #expect(short.windows == 0)
        #expect(short.verdict.hasPrefix("no forecast could be checked"))
    }

    @Test("a window is the last days of the history, clipped to where it starts")
    func windows() {
        let history = DeliveryHistory(start: Day("2026-12-01")!, done: [1, 2, 3, 4, 5, 6, 7, 8, 9])
        let last = history.window(days: 3, through: Day("2026-12-09")!)
        #expect(last.start == Day("2026-12-07")! && last.done == [7, 8, 9])
        let clipped = history.window(days: 90, through: Day("2026-12-05")!)
        #expect(clipped.start == Day("2026-12-01")! && clipped.done == [1, 2, 3, 4, 5])
        #expect(history.doneTotal(from: Day("2026-12-08")!, through: Day("2026-12-20")!) == 17)
    }
}
