/// Forecasts with confidence as text: a terminal table and JSON, for every story or for a date.
public enum ConfidenceReport {
    /// The confidence the `--by DATE` cut line asks for.
    public static let cutConfidence = 0.85

    static func label(_ landing: ConfidenceForecast.Landing?) -> String {
        guard let landing else { return "–" }
        return landing.end.map { "\(landing.sprint) (\($0))" } ?? landing.sprint
    }

    static func footer(_ forecast: ConfidenceForecast) -> String {
        let history = forecast.history.map { formatPoints($0.points) }.joined(separator: ", ")
        return "\(forecast.trials) trials drawing each sprint's velocity from \(forecast.history.count) past sprints "
            + "(\(history) pts); seed \(forecast.seed) (--seed \(forecast.seed) repeats it)\n"
    }

    /// The table of `prio forecast --confidence`: per story, the sprint by which it is done with
    /// 50 %, 85 % and 95 % probability.
    public static func table(_ forecast: ConfidenceForecast, _ backlog: Backlog, strategy: any Strategy, width: Int) -> String {
        let rows = forecast.stories.map { outlook -> [String] in
            let story = backlog.stories[outlook.storyIndex]
            return [story.id.description, story.title, story.points?.description ?? "",
                    label(outlook.p50), label(outlook.p85), label(outlook.p95), outlook.reason ?? ""]
        }
        let table = TextTable(columns: [.init("ID"), .init("Title", minWidth: 12), .init("Pts", alignRight: true),
                                        .init("50 %"), .init("85 %"), .init("95 %"), .init("Note")],
                              rows: rows)
        return "Done by, ranked by \(strategy.title):\n" + table.render(width: width) + "\n\n" + footer(forecast)
    }

    /// The JSON of `prio forecast --confidence`.
    public static func json(_ forecast: ConfidenceForecast, _ backlog: Backlog) -> String {
        func landing(_ landing: ConfidenceForecast.Landing?) -> String {
            guard let landing else { return "null" }
            return "{\"sprint\": \(JSON.string(landing.sprint)), \"end\": \(landing.end.map(JSON.string) ?? "null")}"
        }
        var out = "{\n  \"trials\": \(forecast.trials),\n  \"seed\": \(forecast.seed),\n"
        out += "  \"history\": " + ForecastReport.historyJSON(forecast.history) + ",\n"
        out += "  \"stories\": ["
        out += forecast.stories.map { outlook in
            let story = backlog.stories[outlook.storyIndex]
            return "\n    {\"id\": \(JSON.string(story.id.description)), \"title\": \(JSON.string(story.title)), "
                + "\"p50\": \(landing(outlook.p50)), \"p85\": \(landing(outlook.p85)), \"p95\": \(landing(outlook.p95))"
                + (outlook.reason.map { ", \"reason\": \(JSON.string($0))" } ?? "") + "}"
        }.joined(separator: ",")
        out += forecast.stories.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }

    /// Each story's probability of being done by `date`, in the forecast's order; nil when the
    /// sprints have no dates.
    public static func probabilities(_ forecast: ConfidenceForecast, doneBy date: String) -> [(storyIndex: Int, probability: Double)]? {
        forecast.probabilities(doneBy: date)
    }

    static func percent(_ p: Double) -> String {
        let value = (p * 100).rounded()
        return "\(Int(value)) %"
    }

    /// The table of `prio forecast --by DATE`: the stories done by the date with 85 %
    /// probability, the cut line, and the stories below it that have a chance.
    public static func byDate(_ forecast: ConfidenceForecast, _ backlog: Backlog, date: String,
                              probabilities: [(storyIndex: Int, probability: Double)], width: Int) -> String {
        let made = probabilities.filter { $0.probability >= cutConfidence }
        let missed = probabilities.filter { $0.probability < cutConfidence }
        func rows(_ items: [(storyIndex: Int, probability: Double)]) -> [[String]] {
            items.map { item in
                let story = backlog.stories[item.storyIndex]
                return [story.id.description, story.title, story.points?.description ?? "", percent(item.probability)]
            }
        }
        let columns: [TextTable.Column] = [.init("ID"), .init("Title", minWidth: 12), .init("Pts", alignRight: true),
                                           .init("Chance", alignRight: true)]
        var out = "Done by \(date) with 85 % confidence: \(Plural.count(made.count, "story", "stories"))\n"
        if !made.isEmpty { out += TextTable(columns: columns, rows: rows(made)).render(width: width) + "\n" }
        out += "── cut line (85 %) " + String(repeating: "─", count: max(0, min(width, 80) - 19)) + "\n"
        let near = missed.filter { $0.probability > 0 }
        if near.isEmpty {
            out += "(no other story has a chance by then)\n"
        } else {
            out += TextTable(columns: columns, rows: rows(near)).render(width: width) + "\n"
        }
        let none = missed.count - near.count
        if none > 0 { out += "\(Plural.count(none, "more story has", "more stories have")) no chance by then\n" }
        return out + "\n" + footer(forecast)
    }

    /// The JSON of `prio forecast --by DATE`.
    public static func byDateJSON(_ forecast: ConfidenceForecast, _ backlog: Backlog, date: String,
                                  probabilities: [(storyIndex: Int, probability: Double)]) -> String {
        let made = probabilities.filter { $0.probability >= cutConfidence }
        var out = "{\n  \"date\": \(JSON.string(date)),\n  \"confidence\": \(cutConfidence),\n"
        out += "  \"trials\": \(forecast.trials),\n  \"seed\": \(forecast.seed),\n"
        out += "  \"done\": [" + made.map { JSON.string(backlog.stories[$0.storyIndex].id.description) }.joined(separator: ", ") + "],\n"
        out += "  \"stories\": ["
        out += probabilities.map { item in
            let story = backlog.stories[item.storyIndex]
            return "\n    {\"id\": \(JSON.string(story.id.description)), \"title\": \(JSON.string(story.title)), "
                + "\"probability\": \(item.probability)}"
        }.joined(separator: ",")
        out += probabilities.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }
}
