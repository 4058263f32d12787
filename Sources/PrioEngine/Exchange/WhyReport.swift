/// `prio why` as text and JSON.
public enum WhyReport {
    /// The text: where the story stands and why, the story above, and what it would take.
    public static func text(_ answer: WhatItWouldTake, ranking: Ranking, sprint: WhatItWouldTake.SprintAnswer?) -> String {
        let backlog = ranking.backlog
        let story = backlog.stories[answer.entry.storyIndex]
        var out = "\(story.id) \(story.title): rank \(answer.entry.rank) of \(ranking.entries.count) by \(ranking.strategy.title)"
        out += answer.entry.score.fraction.map { ", score \($0.formatted)" } ?? ", unscored"
        out += "\n  " + ranking.explanation(answer.entry) + "\n"
        if let above = answer.above {
            let other = backlog.stories[above.storyIndex]
            out += "Directly above: \(other.id) \(other.title), "
            out += above.score.fraction.map { "score \($0.formatted)" } ?? "unscored"
            if above.pin != nil { out += " (pinned: it holds its place whatever the scores)" }
            out += "\n"
            if answer.entry.score.fraction == nil {
                out += "  \(story.id) is unscored: it needs the missing fields before any value can move it.\n"
            } else if above.score.fraction == nil {
                out += "  \(other.id) is unscored and ranked above only by a pin.\n"
            } else if answer.toPass.isEmpty {
                out += "  No input of \(ranking.strategy.name) that \(story.id) has would change its score.\n"
            } else {
                let tie = answer.entry.storyIndex < above.storyIndex ? "an equal score is enough: \(story.id) comes first in the manual order"
                    : "an equal score is not enough: \(other.id) comes first in the manual order"
                out += "To pass \(other.id), all else equal (\(tie)):\n" + lines(answer.toPass)
            }
        } else {
            out += "It is first: nothing is above it.\n"
        }
        if let sprint {
            out += sprintText(sprint, story: story, backlog: backlog)
        }
        return out
    }

    static func lines(_ thresholds: [WhatItWouldTake.Threshold]) -> String {
        let width = thresholds.map { DisplayWidth.of($0.field) }.max() ?? 0
        let nowWidth = thresholds.map { DisplayWidth.of($0.now) }.max() ?? 0
        return thresholds.map { t in
            "  " + DisplayWidth.pad(t.field, to: width) + "  " + DisplayWidth.pad(t.now, to: nowWidth, alignRight: true) + " → " + t.text
        }.joined(separator: "\n") + "\n"
    }

    static func sprintText(_ sprint: WhatItWouldTake.SprintAnswer, story: Story, backlog: Backlog) -> String {
        var out = "To make \(sprint.sprint) (capacity \(Plural.points(sprint.capacity))): "
        if sprint.alreadyIn { return out + "the plan takes \(story.id) already.\n" }
        if let obstacle = sprint.obstacle { return out + "no value would: \(obstacle).\n" }
        if let cut = sprint.cutAfter {
            let other = backlog.stories[cut.storyIndex]
            out += "it must pass \(other.id), the last story above the cut line (score \(cut.score.fraction?.formatted ?? "–"))"
        }
        if sprint.thresholds.isEmpty { return out + "; no input it has would do.\n" }
        return out + ", all else equal:\n" + lines(sprint.thresholds)
    }

    /// `{"id", "strategy", "rank", "score", "above": {"id", "score"}, "to_pass": [...], "to_make_sprint": [...]}`.
    public static func json(_ answer: WhatItWouldTake, ranking: Ranking, sprint: WhatItWouldTake.SprintAnswer?) -> String {
        let backlog = ranking.backlog
        let story = backlog.stories[answer.entry.storyIndex]
        func score(_ s: Score) -> String { s.fraction.map(Exporter.jsonNumber) ?? "null" }
        func list(_ thresholds: [WhatItWouldTake.Threshold]) -> String {
            "[" + thresholds.map { t in
                "{\"field\": \(JSON.string(t.field)), \"now\": \(jsonValue(t.now)), \"needs\": \(t.needs ?? "null"), "
                    + "\"op\": \(t.op.map(JSON.string) ?? "null")}"
            }.joined(separator: ", ") + "]"
        }
        var out = "{\n  \"id\": \(JSON.string(story.id.description)),\n  \"strategy\": \(JSON.string(ranking.strategy.name)),\n"
        out += "  \"rank\": \(answer.entry.rank),\n  \"score\": \(score(answer.entry.score)),\n"
        if let above = answer.above {
            out += "  \"above\": {\"id\": \(JSON.string(backlog.stories[above.storyIndex].id.description)), \"score\": \(score(above.score))},\n"
        } else {
            out += "  \"above\": null,\n"
        }
        out += "  \"explanation\": \(JSON.string(ranking.explanation(answer.entry))),\n"
        out += "  \"to_pass\": \(list(answer.toPass))"
        if let sprint {
            out += ",\n  \"sprint\": {\"name\": \(JSON.string(sprint.sprint)), \"capacity\": \(sprint.capacity), "
                + "\"already_in\": \(sprint.alreadyIn), \"obstacle\": \(sprint.obstacle.map(JSON.string) ?? "null"), "
                + "\"cut_after\": \(sprint.cutAfter.map { JSON.string(backlog.stories[$0.storyIndex].id.description) } ?? "null")},\n"
            out += "  \"to_make_sprint\": \(list(sprint.thresholds))"
        }
        return out + "\n}\n"
    }

    /// A field's value as JSON: a number when it is one, else a string.
    static func jsonValue(_ text: String) -> String {
        if case .success(let number) = DecimalNumber.parse(Substring(text)) { return number.description }
        return JSON.string(text)
    }
}
