/// Where `prio move` puts a story.
public enum Placement: Sendable, Hashable {
    case top
    case bottom
    /// 1-based position in the manual order.
    case position(Int)
    case before(StoryID)
    case after(StoryID)
}

extension Backlog {
    /// The stories that depend on a story.
    public func dependents(of id: StoryID) -> [StoryID] {
        stories.filter { $0.dependencies.contains(id) }.map(\.id)
    }

    /// Dependencies on stories that are not in the backlog, as messages.
    public func dependencyProblems() -> [String] {
        let ids = Set(stories.map(\.id))
        var problems: [String] = []
        for story in stories {
            for dependency in story.dependencies {
                if dependency == story.id {
                    problems.append("\(story.id) depends on itself")
                } else if !ids.contains(dependency) {
                    problems.append("\(story.id) depends on \(dependency), which is not in the backlog")
                }
            }
        }
        return problems + parentProblems()
    }

    /// Removes a story and every `depends` reference to it (its children lose their `parent`).
    public mutating func removeWithReferences(_ id: StoryID) throws(PrioError) {
        try remove(id)
        for index in children(of: id) { stories[index].removeField(FieldKey.parent.rawValue) }
        for index in stories.indices where stories[index].dependencies.contains(id) {
            let rest = stories[index].dependencies.filter { $0 != id }.map(\.description).joined(separator: ", ")
            try? stories[index].setField(FieldKey.depends.rawValue, rest)
        }
    }

    /// Reorders the stories to a ranking's order (done stories keep their places).
    public mutating func apply(_ ranking: Ranking) {
        reorder(ranking.impliedOrder)
    }
}

/// Splits `key=value` (the value may be empty, to remove a field).
public func parseAssignment(_ text: String) -> (key: String, value: String)? {
    guard let equals = text.firstIndex(of: "=") else { return nil }
    let key = text[..<equals].trimmingASCIIWhitespace()
    guard !key.isEmpty else { return nil }
    return (key, String(text[text.index(after: equals)...]))
}

/// The bundled sample backlog: an online shop.
public enum SampleBacklog {
    /// The sample file's bytes, dated as of its anchor day (`anchor`).
    public static var bytes: [UInt8] { PackageResources.sample_backlog_md }

    /// The day the bundled file's dates are written for: a Wednesday in the second week of its
    /// active sprint (four closed sprints before it, a planned one after it).
    public static let anchor = Day(year: 2026, month: 12, day: 9)

    /// The sample dated for `today`: every date of its header (sprint dates and closing days)
    /// moves by whole weeks, so that the active sprint holds `today` and sprints still start on a
    /// Monday. The bundled bytes when `today` is not a date or the dates would leave years 1-9999.
    public static func bytes(today: String) -> [UInt8] {
        guard let day = Day(today) else { return bytes }
        let weeks = (day.ordinal - day.weekday - (anchor.ordinal - anchor.weekday)) / 7
        guard weeks != 0 else { return bytes }
        let text = String(decoding: bytes, as: UTF8.self)
        var out = ""
        var inHeader = true
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("## ") { inHeader = false }
            guard inHeader, line.hasPrefix("- sprint:") else {
                out += line + "\n"
                continue
            }
            var shifted = ""
            var rest = Substring(line)
            while let range = rest.firstMatch(of: /\d{4}-\d{2}-\d{2}/)?.range {
                shifted += rest[..<range.lowerBound]
                guard let moved = Day(rest[range])?.adding(days: weeks * 7) else { return bytes }
                shifted += moved.description
                rest = rest[range.upperBound...]
            }
            out += shifted + rest + "\n"
        }
        out.removeLast()
        return Array(out.utf8)
    }
}

extension Backlog {
    /// Exchanges two stories in the manual order (O(1), for J/K on huge backlogs).
    public mutating func swapStories(_ a: Int, _ b: Int) {
        guard stories.indices.contains(a), stories.indices.contains(b) else { return }
        stories.swapAt(a, b)
    }

    /// Replaces the story at an index.
    public mutating func replaceStory(at index: Int, with story: Story) {
        guard stories.indices.contains(index) else { return }
        stories[index] = story
        resolveVotes(at: index)
    }

    /// Inserts a story at an index (clamped); the caller makes sure its ID is new.
    public mutating func insertStory(_ story: Story, at index: Int) {
        let at = min(max(0, index), stories.count)
        stories.insert(story, at: at)
        resolveVotes(at: at)
    }

    /// Removes the story at an index.
    public mutating func removeStory(at index: Int) {
        guard stories.indices.contains(index) else { return }
        stories.remove(at: index)
    }
}
