import ArgumentParser
import PrioEngine
import PrioStorage

/// The options of `prio forecast --from-git`: forecasts from the throughput the backlog's own
/// git history shows.
/// `prio forecast --from-git --top N`.
enum GitForecastTop: TopMeaning {
    static let help = "With --from-git --when or --by: only the first N open stories of the ranking."
    static let counts = 1...Int.max
}

struct GitForecastOptions: ParsableArguments {
    @Flag(help: "Forecast from the throughput in the backlog's git history (the days stories became done), not from sprints.")
    var fromGit = false

    @Option(help: "With --from-git: the window of history drawn from, in days up to today (default 90).")
    var days: Int?

    @Option(help: "With --from-git: count stories or points (default stories).")
    var unit: String?

    @Flag(help: "With --from-git: the dates by which the open stories (or --top N, or --goal TEXT) are done in 50/70/85/95 % of trials (the default).")
    var when = false

    @OptionGroup var first: TopStories<GitForecastTop>
    var top: Int? { first.top }

    @Option(help: "With --from-git --when or --by: only the open stories whose goal contains this text (any case).")
    var goal: String?

    @Option(help: "With --from-git: scope growth, LOW..HIGH (a factor drawn per trial, default 1..1) or history (the net stories added per day in the window, drawn with the completions).")
    var growth: String?

    @Flag(help: "With --from-git: how often past forecasts from the history came true (per week of the history, per horizon).")
    var backtest = false

    @Option(help: "With --backtest: the horizons in days, comma-separated (default 14,28,56).")
    var horizons: String?

    /// The horizons of `--horizons`, or nil when they do not read.
    var horizonDays: [Int]? {
        guard let horizons else { return EvidenceBacktest.defaultHorizons }
        let values = horizons.split(separator: ",", omittingEmptySubsequences: false).map { Int($0.trimmingASCIIWhitespace()) }
        guard !values.isEmpty, values.count <= 12, values.allSatisfy({ ($0 ?? 0) >= 1 && ($0 ?? 0) <= 366 }) else { return nil }
        return values.compactMap { $0 }
    }

    func validate() throws {
        let given = days != nil || unit != nil || when || top != nil || goal != nil || growth != nil || backtest || horizons != nil
        if !fromGit {
            if given { throw ValidationError("--days, --unit, --when, --top, --goal, --growth, --backtest and --horizons go with --from-git") }
            return
        }
        if let days, days < 1 || days > EvidenceForecast.horizonDays {
            throw ValidationError("--days must be from 1 to \(EvidenceForecast.horizonDays)")
        }
        if let unit, DeliveryHistory.Unit(rawValue: unit) == nil { throw ValidationError("--unit must be stories or points, got '\(unit)'") }
        if let growth, ScopeGrowth(growth) == nil {
            throw ValidationError("--growth must be LOW..HIGH (numbers from 0 to 100, like 1..1.3) or history, got '\(growth)'")
        }
        if horizonDays == nil { throw ValidationError("--horizons must be up to 12 numbers of days from 1 to 366, comma-separated (like 14,28,56)") }
        if horizons != nil && !backtest { throw ValidationError("--horizons goes with --backtest") }
        if backtest && (when || top != nil || goal != nil || growth != nil) {
            throw ValidationError("--backtest checks the history itself: --when, --top, --goal and --growth do not go with it")
        }
    }
}

extension ForecastCommand {
    /// Options that belong to the sprint forecasts, refused with `--from-git`.
    func validateFromGit() throws {
        if confidence || velocity != nil || horizon != nil || history.window != nil {
            throw ValidationError("--from-git draws from the git history: --confidence, --velocity, --horizon and --window are for the sprint forecasts")
        }
        // Each trial may walk up to ten years of days: 100,000 trials stay within seconds.
        if trials < 1 || trials > 100_000 { throw ValidationError("--trials with --from-git must be from 1 to 100000") }
        if let by, Day(by) == nil { throw ValidationError("--by must be a real date YYYY-MM-DD, got '\(by)'") }
        if by != nil && (git.when || git.backtest) { throw ValidationError("--by, --when and --backtest are three questions: ask one") }
    }

    /// `prio forecast --from-git`.
    func runFromGit() throws {
        let path = source.path
        let loaded = try loadBacklog(path, readOnly: true)
        let backlog = loaded.backlog
        guard let repository = GitRepository.containing(path) else {
            throw fail("\(path) is not in a git repository: prio forecast --from-git reads the history git keeps")
        }
        guard let day = Day(today()) else { throw fail("today's date does not read as YYYY-MM-DD: '\(today())' (check PRIO_TODAY)") }
        let unit = git.unit.flatMap(DeliveryHistory.Unit.init(rawValue:)) ?? .stories
        let history = try reportingErrors {
            try DeliveryHistory.read(repository, path: repository.relative(path), unit: unit, through: day)
        }
        let windowDays = git.days ?? EvidenceForecast.defaultWindow
        let seed = self.seed ?? EvidenceForecast.standardSeed
        if git.backtest {
            let result = EvidenceBacktest(history, windowDays: windowDays, horizons: git.horizonDays ?? EvidenceBacktest.defaultHorizons,
                                          trials: trials, seed: seed)
            try output(format == .json ? EvidenceReport.backtestJSON(result)
                : EvidenceReport.backtest(result, history: history, windowDays: windowDays, trials: trials, seed: seed))
            return
        }
        let window = history.window(days: windowDays, through: day)
        let growth = git.growth.flatMap(ScopeGrowth.init) ?? .none
        let chosen = try chooseStrategy(ranked.strategy, backlog)
        let entries = Ranking(backlog, strategy: chosen).entries(servingGoal: git.goal, top: git.top)
        let stories = entries.map { backlog.stories[$0.storyIndex] }
        let amounts = stories.map { unit == .stories ? 1 : $0.points?.doubleValue ?? 0 }
        if unit == .points {
            let unestimated = stories.count { $0.points == nil }
            if unestimated > 0 { printLine("prio: note: \(Plural.count(unestimated, "open story has", "open stories have")) no points and count as 0") }
        }
        do {
            if let by, let date = Day(by) {
                let result = try EvidenceForecast.by(date: date, window: window, today: day, trials: trials, seed: seed, growth: growth)
                let reached = Array(stories.prefix(EvidenceForecast.reached(amounts, within: result.reach85)))
                try output(format == .json ? EvidenceReport.byJSON(result, reached: reached.map(\.id))
                    : EvidenceReport.by(result, reached: reached.map { ($0.id, $0.title) }, growth: growth))
            } else {
                let result = try EvidenceForecast.when(scope: amounts.reduce(0, +), window: window, today: day, trials: trials,
                                                       seed: seed, growth: growth)
                let name: String
                if let goal = git.goal {
                    name = "the \(Plural.count(stories.count, "open story", "open stories")) serving the goal '\(goal)'"
                } else if git.top != nil {
                    name = "the first \(Plural.count(stories.count, "open story", "open stories")) of the ranking"
                } else {
                    name = "the \(Plural.count(stories.count, "open story", "open stories"))"
                }
                try output(format == .json ? EvidenceReport.whenJSON(result) : EvidenceReport.when(result, scopeName: name, growth: growth))
            }
        } catch let problem as EvidenceProblem {
            throw fail(problem.description)
        }
    }
}
