import ArgumentParser
import PrioEngine
import PrioStorage

/// `--where EXPR` and `--view NAME`: the stories a command shows (ranks stay the whole backlog's).
struct FilterOptions: ParsableArguments {
    @Option(name: .customLong("where"),
            help: "Show only the stories matching a filter, like 'points <= 3 and status != done' (see docs/FORMAT.md, Filters).")
    var expression: String?

    @Option(help: "Show only the stories of a view the header saves (- view: NAME = FILTER).")
    var view: String?

    /// True when neither option is given.
    var isEmpty: Bool { expression == nil && view == nil }

    /// The filter the options name (both: a story must match both), nil when neither is given;
    /// a bad expression or an unknown view stops the command with a located message.
    func filter(_ backlog: Backlog) throws -> StoryFilter? {
        var parts: [FilterExpression] = []
        let vocabulary = FilterVocabulary(backlog)
        if let view {
            let saved = try reportingErrors { try backlog.header.view(named: view) }
            do {
                // An unknown field in a saved view is a warning of the file: it matches no story.
                parts.append(try FilterExpression.parseCollecting(saved.expression, vocabulary: vocabulary).expression)
            } catch {
                throw fail(lines: error.rendered(saved.expression, label: "view '\(saved.name)'"))
            }
        }
        if let expression {
            do {
                parts.append(try FilterExpression.parse(expression, vocabulary: vocabulary))
            } catch {
                throw fail(lines: error.rendered(expression, label: "--where"))
            }
        }
        guard !parts.isEmpty else { return nil }
        return StoryFilter(parts.count == 1 ? parts[0] : .all(parts), in: backlog)
    }

    /// A flag per story (manual order), true where it matches; nil when no filter is given.
    func flags(_ backlog: Backlog) throws -> [Bool]? {
        try filter(backlog)?.flags(backlog)
    }
}
