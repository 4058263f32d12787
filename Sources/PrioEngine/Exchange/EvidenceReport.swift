/// `prio forecast --from-git` as text and JSON: `--when`, `--by DATE` and `--backtest`.
public enum EvidenceReport {
    /// A story named in a report: its ID and title.
    public typealias Named = (id: StoryID, title: String)

    /// An amount as written: a whole number without decimals, else up to two.
    static func amount(_ value: Double) -> String {
        if value == value.rounded() && abs(value) < 1e15 { return String(Int(value)) }
        return formatFixed(value, decimals: 2)
    }

    /// "3 stories", "1 story", "7.5 points".
    static func amount(_ value: Double, _ unit: DeliveryHistory.Unit) -> String {
        unit == .stories && value == 1 ? "1 story"
            : "\(amount(value)) \(unit == .stories ? "stories" : value == 1 ? "point" : "points")"
    }

    /// The window in words: its days, those with completions and what was done in it.
    static func windowLine(_ window: DeliveryHistory, trials: Int, seed: UInt64) -> String {
        "Evidence: \(window.start) .. \(window.end) (\(Plural.count(window.days, "day", "days")), "
            + "\(window.daysWithCompletions) with completions, \(amount(window.done.reduce(0, +), window.unit)) done), "
            + "\(Plural.count(trials, "trial", "trials")), seed \(seed)\n"
    }

    static func growthLine(_ growth: ScopeGrowth, _ window: DeliveryHistory) -> String {
        switch growth {
        case .history:
            let perDay = window.days > 0 ? window.growth.reduce(0, +) / Double(window.days) : 0
            return "Scope growth: as in the window (net \(formatFixed(perDay, decimals: 2)) \(window.unit.rawValue) a day)\n"
        case .factor(let low, let high) where low == 1 && high == 1: return ""
        case .factor: return "Scope growth: the remaining scope × \(growth) (drawn per trial)\n"
        }
    }

    static func warningLine(_ warning: String?) -> String {
        warning.map { "Warning: \($0)\n" } ?? ""
    }

    static func level(_ level: Int) -> String {
        (level < 10 ? " " : "") + "\(level) %"
    }

    /// `--when` as text: the scope, the evidence and a date per level.
    public static func when(_ result: EvidenceForecast.When, scopeName: String, growth: ScopeGrowth) -> String {
        let unit = result.window.unit
        if result.scope <= 0 {
            return "When will \(scopeName) be done? Nothing is left to do: every date is today (\(result.window.end)).\n"
        }
        var out = "When will \(scopeName) be done? \(amount(result.scope, unit)) left, forecast from git\n"
        out += windowLine(result.window, trials: result.trials, seed: result.seed)
        out += growthLine(growth, result.window)
        for (i, l) in EvidenceForecast.levels.enumerated() {
            out += "  \(level(l))  \(result.dates[i].map(\.description) ?? "not within \(EvidenceForecast.horizonDays) days")\n"
        }
        if let d85 = result.date(85) {
            out += "In 85 % of the trials, all of it is done by \(d85).\n"
        }
        return out + warningLine(result.warning)
    }

    /// `--when --format json`.
    public static func whenJSON(_ result: EvidenceForecast.When) -> String {
        let dates = EvidenceForecast.levels.enumerated().map { i, l in
            "\"\(l)\": " + (result.dates[i].map { JSON.string($0.description) } ?? "null")
        }
        return "{\n  \"unit\": \(JSON.string(result.window.unit.rawValue)),\n"
            + "  \"window\": {\"from\": \(JSON.string(result.window.start.description)), \"to\": \(JSON.string(result.window.end.description))},\n"
            + "  \"days\": \(result.window.days),\n  \"trials\": \(result.trials),\n  \"seed\": \(result.seed),\n"
            + "  \"dates\": {\(dates.joined(separator: ", "))},\n"
            + "  \"warning\": \(result.warning.map(JSON.string) ?? "null")\n}\n"
    }

    /// `--by DATE` as text: the amount per level, then the stories of the ranking reached at 85 %.
    public static func by(_ result: EvidenceForecast.ByDate, reached: [Named], growth: ScopeGrowth) -> String {
        let unit = result.window.unit
        var out = "How much is done by \(result.date)? Forecast from git\n"
        out += windowLine(result.window, trials: result.trials, seed: result.seed)
        out += growthLine(growth, result.window)
        for (i, l) in EvidenceForecast.levels.enumerated() {
            out += "  \(level(l))  \(amount(result.counts[i], unit)) or more\n"
        }
        out += "With 85 % confidence, the ranking is done by \(result.date) through "
        out += reached.isEmpty ? "none of its stories.\n" : "its first \(Plural.count(reached.count, "story", "stories")):\n"
        for story in reached { out += "  \(story.id)  \(story.title)\n" }
        return out + warningLine(result.warning)
    }

    /// `--by DATE --format json`.
    public static func byJSON(_ result: EvidenceForecast.ByDate, reached: [StoryID]) -> String {
        let counts = EvidenceForecast.levels.enumerated().map { i, l in "\"\(l)\": \(amount(result.counts[i]))" }
        return "{\n  \"date\": \(JSON.string(result.date.description)),\n"
            + "  \"counts\": {\(counts.joined(separator: ", "))},\n"
            + "  \"stories\": [\(reached.map { JSON.string($0.description) }.joined(separator: ", "))],\n"
            + "  \"warning\": \(result.warning.map(JSON.string) ?? "null")\n}\n"
    }

    /// `--backtest` as text: per level how often the forecasts held, then the verdict.
    public static func backtest(_ result: EvidenceBacktest, history: DeliveryHistory, windowDays: Int, trials: Int, seed: UInt64) -> String {
        var out = "How well have forecasts from git held for this team? History \(history.start) .. \(history.end), "
            + "windows of \(Plural.count(windowDays, "day", "days")), horizons \(result.horizons.map(String.init).joined(separator: ", ")) days, "
            + "\(Plural.count(trials, "trial", "trials")), seed \(seed)\n"
        for (i, l) in EvidenceForecast.levels.enumerated() where result.windows > 0 {
            out += "  \(level(l)) forecasts held in \(formatFixed(result.held[i] * 100, decimals: 0)) %\n"
        }
        if result.refused > 0 {
            out += "(\(Plural.count(result.refused, "week", "weeks")) with fewer than \(EvidenceForecast.minimumDays) days with completions in the window not checked)\n"
        }
        return out + result.verdict.prefix(1).uppercased() + result.verdict.dropFirst() + ".\n"
    }

    /// `--backtest --format json`.
    public static func backtestJSON(_ result: EvidenceBacktest) -> String {
        let held = EvidenceForecast.levels.enumerated().map { i, l in "\"\(l)\": \(result.held[i])" }
        return "{\n  \"windows\": \(result.windows),\n  \"horizons\": [\(result.horizons.map(String.init).joined(separator: ", "))],\n"
            + "  \"held\": {\(held.joined(separator: ", "))}\n}\n"
    }
}
