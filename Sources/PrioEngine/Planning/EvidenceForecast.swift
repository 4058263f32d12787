/// Why no forecast can be drawn from the history.
public struct EvidenceProblem: Error, Sendable, CustomStringConvertible {
    /// What is wrong, in words.
    public let description: String
}

/// How the remaining scope grows while the team works on it.
public enum ScopeGrowth: Sendable, Hashable, CustomStringConvertible {
    /// The scope is multiplied by a factor drawn per trial, uniformly from `low` through `high`.
    case factor(low: Double, high: Double)
    /// Each simulated day adds the net growth (added minus removed) of the day of the window it
    /// drew, the same day whose completions it takes.
    case history

    /// No growth: a factor of 1.
    public static let none = ScopeGrowth.factor(low: 1, high: 1)

    /// `LOW..HIGH` (numbers from 0 to 100, LOW not above HIGH) or `history`; nil otherwise.
    public init?(_ text: String) {
        if text == "history" {
            self = .history
            return
        }
        let parts = text.split(separator: "..", omittingEmptySubsequences: false)
        guard parts.count == 2, let low = Double(parts[0]), let high = Double(parts[1]),
              parts.allSatisfy({ $0.allSatisfy { $0.isNumber || $0 == "." } }),
              low >= 0, high <= 100, low <= high else { return nil }
        self = .factor(low: low, high: high)
    }

    public var description: String {
        switch self {
        case .history: "history"
        case .factor(let low, let high): "\(formatFixed(low, decimals: 2))..\(formatFixed(high, decimals: 2))"
        }
    }
}

/// Forecasts from the evidence of a delivery history (`DeliveryHistory`): Monte Carlo trials in
/// which each simulated day draws a random day of the window, zero days included, and takes
/// its completions off the remaining scope. Pure: the history, the scope and today come in as
/// values, and the same seed gives the same answer on any machine and any number of cores.
public enum EvidenceForecast {
    /// The confidence levels every answer gives, in percent.
    public static let levels = [50, 70, 85, 95]
    /// The fewest days with completions in the window a forecast needs.
    public static let minimumDays = 5
    /// Trials unless told otherwise.
    public static let defaultTrials = 10_000
    /// The window unless told otherwise, in days.
    public static let defaultWindow = 90
    /// How far a trial looks: about ten years of days. Beyond it, a forecast says "not within".
    public static let horizonDays = 3_660
    /// The seed of forecasts that must agree without one being given (the screen, `prio report`).
    public static let standardSeed: UInt64 = 29

    /// The answer to "when will this scope be done?".
    public struct When: Sendable {
        /// The window drawn from.
        public var window: DeliveryHistory
        public var trials: Int
        public var seed: UInt64
        /// The scope at the start, in the window's unit.
        public var scope: Double
        /// Per level (`levels`): the day by which the scope is done in that share of trials; nil
        /// when some of those trials had not finished within `horizonDays`.
        public var dates: [Day?]
        /// The warning that the team's pace has changed, when it has.
        public var warning: String?

        /// The date of a level (50, 70, 85 or 95).
        public func date(_ level: Int) -> Day? {
            EvidenceForecast.levels.firstIndex(of: level).flatMap { dates[$0] }
        }
    }

    /// The answer to "how much is done by this date?".
    public struct ByDate: Sendable {
        public var window: DeliveryHistory
        public var trials: Int
        public var seed: UInt64
        /// The date asked about.
        public var date: Day
        /// Per level: the work done by the date in at least that share of trials.
        public var counts: [Double]
        /// The amount of the ranking reached by the date in 85 % of trials, after scope growth.
        public var reach85: Double
        public var warning: String?
    }

    /// Refuses a window with fewer than `minimumDays` days with completions, naming what is missing.
    public static func check(_ window: DeliveryHistory) throws(EvidenceProblem) {
        let have = window.daysWithCompletions
        guard have < minimumDays else { return }
        let span = window.days > 0 ? "\(window.start) .. \(window.end), \(Plural.count(window.days, "day", "days"))" : "empty"
        throw EvidenceProblem(description: "not enough evidence: a forecast from git needs at least \(minimumDays) days with "
            + "completions in the window (\(span)); it has \(have), so \(minimumDays - have) more "
            + "\(minimumDays - have == 1 ? "is" : "are") missing (widen it with --days N, or commit the backlog each time "
            + "stories are done)")
    }

    /// The days (from 1, tomorrow) by which each trial finished `scope`, ascending; `Int.max` for
    /// a trial that had not finished within `horizonDays`.
    static func finishingDays(scope: Double, window: DeliveryHistory, trials: Int, seed: UInt64,
                              growth: ScopeGrowth) -> [Int] {
        let done = window.done, net = window.growth
        let chunk = 250
        let parts = concurrentMap((trials + chunk - 1) / chunk) { c -> [Int] in
            var generator = SeededGenerator(seed: seed, chunk: c)
            var out: [Int] = []
            out.reserveCapacity(chunk)
            for _ in 0..<min(chunk, trials - c * chunk) {
                var remaining = scope
                if case .factor(let low, let high) = growth, low != high {
                    remaining *= Double.random(in: low...high, using: &generator)
                } else if case .factor(let low, _) = growth {
                    remaining *= low
                }
                var day = 0
                while remaining > 1e-9 && day < horizonDays {
                    day += 1
                    let k = Int.random(in: 0..<done.count, using: &generator)
                    remaining -= done[k]
                    if growth == .history { remaining += net[k] }
                }
                out.append(remaining > 1e-9 ? Int.max : day)
            }
            return out
        }
        return parts.flatMap { $0 }.sorted()
    }

    /// The index in ascending values of the level `percent`: the smallest value at least that
    /// share of trials reach.
    static func index(_ percent: Int, of trials: Int) -> Int {
        max(0, (trials * percent + 99) / 100 - 1)
    }

    /// When `scope` (in the window's unit) is done, counting from the day after `today`: the dates
    /// of the 50, 70, 85 and 95 % levels. Refused under `minimumDays` days with completions.
    public static func when(scope: Double, window: DeliveryHistory, today: Day, trials: Int = defaultTrials,
                            seed: UInt64, growth: ScopeGrowth = .none) throws(EvidenceProblem) -> When {
        try check(window)
        guard trials >= 1 else { throw EvidenceProblem(description: "--trials must be at least 1") }
        let days = finishingDays(scope: max(0, scope), window: window, trials: trials, seed: seed, growth: growth)
        let dates = levels.map { level -> Day? in
            let day = days[index(level, of: trials)]
            return day == Int.max ? nil : today.adding(days: day)
        }
        return When(window: window, trials: trials, seed: seed, scope: scope, dates: dates, warning: PaceCheck(window)?.warning)
    }

    /// The 85 % date of `scope` (in the history's unit) from a delivery history: the one date the
    /// screen, `prio report` and `prio forecast --from-git --when` (with its defaults) show. The
    /// window is the last `windowDays` days through `today`, with the standard trials and seed.
    /// Nil when it lies beyond `horizonDays`; refused under `minimumDays` days with completions.
    public static func likelyFinish(scope: Double, history: DeliveryHistory, today: Day, windowDays: Int = defaultWindow,
                                    seed: UInt64 = standardSeed) throws(EvidenceProblem) -> Day? {
        try when(scope: scope, window: history.window(days: windowDays, through: today), today: today, seed: seed).date(85)
    }

    /// How much is done from the day after `today` through `date`, at each level, and how much of
    /// the ranking that reaches at 85 % once scope growth is taken off.
    public static func by(date: Day, window: DeliveryHistory, today: Day, trials: Int = defaultTrials, seed: UInt64,
                          growth: ScopeGrowth = .none) throws(EvidenceProblem) -> ByDate {
        try check(window)
        guard trials >= 1 else { throw EvidenceProblem(description: "--trials must be at least 1") }
        let days = today.days(to: date)
        guard days >= 1 else { throw EvidenceProblem(description: "\(date) is not after today (\(today))") }
        guard days <= horizonDays else {
            throw EvidenceProblem(description: "\(date) is more than \(horizonDays) days away: the history cannot say that far ahead")
        }
        let done = window.done, net = window.growth
        let chunk = 250
        let parts = concurrentMap((trials + chunk - 1) / chunk) { c -> [(Double, Double)] in
            var generator = SeededGenerator(seed: seed, chunk: c)
            var out: [(Double, Double)] = []
            for _ in 0..<min(chunk, trials - c * chunk) {
                var factor = 1.0
                if case .factor(let low, let high) = growth { factor = low == high ? low : Double.random(in: low...high, using: &generator) }
                var total = 0.0, grown = 0.0
                for _ in 0..<days {
                    let k = Int.random(in: 0..<done.count, using: &generator)
                    total += done[k]
                    grown += net[k]
                }
                let reach = growth == .history ? max(0, total - grown) : (factor > 0 ? total / factor : .infinity)
                out.append((total, reach))
            }
            return out
        }
        let results = parts.flatMap { $0 }
        // At least p % of trials did this much or more: the p-th value from the top.
        let totals = results.map(\.0).sorted(by: >), reaches = results.map(\.1).sorted(by: >)
        return ByDate(window: window, trials: trials, seed: seed, date: date,
                      counts: levels.map { totals[index($0, of: trials)] },
                      reach85: reaches[index(85, of: trials)], warning: PaceCheck(window)?.warning)
    }

    /// How many of the ranked stories (their amounts in rank order) fit in `reach`.
    public static func reached(_ amounts: [Double], within reach: Double) -> Int {
        var sum = 0.0
        for (i, amount) in amounts.enumerated() {
            sum += amount
            if sum > reach + 1e-9 { return i }
        }
        return amounts.count
    }
}
