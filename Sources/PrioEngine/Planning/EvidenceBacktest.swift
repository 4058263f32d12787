/// How often forecasts from git would have come true for this team: for every week of the
/// history with a full window before it, "how much by (week + horizon)" is forecast from the
/// window up to that week only, and compared with what the history shows was done by then.
public struct EvidenceBacktest: Sendable {
    /// The (week, horizon) forecasts checked.
    public let windows: Int
    /// The horizons, in days.
    public let horizons: [Int]
    /// Per level (`EvidenceForecast.levels`): the share of checked forecasts that held (the work
    /// done was at least the forecast amount), from 0 to 1; 0 when none was checked.
    public let held: [Double]
    /// The weeks whose window had too little evidence for a forecast (not checked).
    public let refused: Int

    /// The horizons unless told otherwise: two, four and eight weeks.
    public static let defaultHorizons = [14, 28, 56]
    /// The share of 85 % forecasts that must hold for the history to count as a good guide.
    public static let calibrated = 0.75
    /// The fewest checked forecasts a verdict needs.
    public static let minimumWindows = 10

    /// Runs the backtest over `history`, with windows of `windowDays` days, `trials` trials per
    /// forecast, on every core (one seed per week: the answer is the same for any number of cores).
    public init(_ history: DeliveryHistory, windowDays: Int = EvidenceForecast.defaultWindow, horizons: [Int] = defaultHorizons,
                trials: Int = EvidenceForecast.defaultTrials, seed: UInt64) {
        let horizons = Array(Set(horizons.filter { $0 >= 1 })).sorted()
        self.horizons = horizons
        let width = max(1, windowDays)
        // Week ends: the first with a full window before it, then every 7 days while a horizon fits.
        let anchors = stride(from: width - 1, to: history.days - (horizons.first ?? history.days), by: 7).map { $0 }
        let done = history.done
        let trials = max(1, trials)
        struct Outcome: Sendable { var checked = 0, refused = 0, held = [Int](repeating: 0, count: EvidenceForecast.levels.count) }
        let outcomes = concurrentMap(anchors.count) { a -> Outcome in
            let end = anchors[a]
            var outcome = Outcome()
            let window = Array(done[(end - width + 1)...end])
            guard window.count(where: { $0 > 0 }) >= EvidenceForecast.minimumDays else {
                outcome.refused = 1
                return outcome
            }
            let fits = horizons.filter { end + $0 < history.days }
            let reach = fits.last ?? 0
            guard reach > 0 else { return outcome }
            var generator = SeededGenerator(seed: seed, chunk: a)
            // Per horizon, the totals of every trial.
            var totals = [[Double]](repeating: [], count: fits.count)
            for h in totals.indices { totals[h].reserveCapacity(trials) }
            for _ in 0..<trials {
                var sum = 0.0, next = 0
                for day in 1...reach {
                    sum += window[Int.random(in: 0..<window.count, using: &generator)]
                    if day == fits[next] {
                        totals[next].append(sum)
                        next += 1
                    }
                }
            }
            for (h, horizon) in fits.enumerated() {
                let actual = done[(end + 1)...(end + horizon)].reduce(0, +)
                let sorted = totals[h].sorted(by: >)
                outcome.checked += 1
                for (l, level) in EvidenceForecast.levels.enumerated()
                where actual >= sorted[EvidenceForecast.index(level, of: trials)] - 1e-9 {
                    outcome.held[l] += 1
                }
            }
            return outcome
        }
        windows = outcomes.reduce(0) { $0 + $1.checked }
        refused = outcomes.reduce(0) { $0 + $1.refused }
        let windows = self.windows
        held = EvidenceForecast.levels.indices.map { l in
            windows == 0 ? 0 : Double(outcomes.reduce(0) { $0 + $1.held[l] }) / Double(windows)
        }
    }

    /// The share of forecasts at a level (50, 70, 85 or 95) that held.
    public func held(_ level: Int) -> Double {
        EvidenceForecast.levels.firstIndex(of: level).map { held[$0] } ?? 0
    }

    /// The verdict in one sentence: "85 % forecasts held in 82 % of 31 windows: well calibrated".
    public var verdict: String {
        guard windows > 0 else {
            return "no forecast could be checked: the backtest needs a full window of history with completions "
                + "before a week and the horizon after it"
        }
        let share = formatFixed(held(85) * 100, decimals: 0)
        let head = "85 % forecasts held in \(share) % of \(Plural.count(windows, "window", "windows"))"
        if windows < Self.minimumWindows { return head + ": too few windows to judge" }
        return head + (held(85) >= Self.calibrated ? ": well calibrated" : ": this team's history is not a good guide")
    }
}
