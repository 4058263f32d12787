import Foundation

/// Where each remaining story is expected to land, sprint by sprint, at a given velocity.
public struct Forecast: Sendable {
    /// A future sprint and the stories in it.
    public struct FutureSprint: Sendable {
        public var name: String
        public var start: String?
        public var end: String?
        public var points: Fraction
        public var storyIndices: [Int]
    }

    public var velocity: Fraction
    public var sprints: [FutureSprint]
    /// Stories that cannot be forecast, with why (no estimate, larger than the velocity, blocked).
    public var unplaceable: [(storyIndex: Int, reason: String)]

    /// The sprint a story is forecast to land in, by story index.
    public func sprint(of storyIndex: Int) -> FutureSprint? {
        sprints.first { $0.storyIndices.contains(storyIndex) }
    }
}

extension Planner {
    /// Assigns every story that is not done and not yet in a sprint to the sprints after the
    /// last declared one, `velocity` points each, by the same rules as `plan`.
    public static func forecast(_ backlog: Backlog, velocity: Fraction, strategy: any Strategy,
                                maxSprints: Int = 1_000) throws(DependencyCycle) -> Forecast {
        if let cycle = findCycle(backlog) { throw cycle }
        let ranking = Ranking(backlog, strategy: strategy)
        var planned = Set<StoryID>()
        var remaining: [Ranking.Entry] = []
        let workflow = backlog.workflow
        for story in backlog.stories where workflow.isDone(story) || story.value(of: .sprint) != nil { planned.insert(story.id) }
        for entry in ranking.entries where backlog.stories[entry.storyIndex].value(of: .sprint) == nil {
            remaining.append(entry)
        }
        var unplaceable: [(storyIndex: Int, reason: String)] = []
        remaining.removeAll { entry in
            guard let points = backlog.stories[entry.storyIndex].points else {
                unplaceable.append((entry.storyIndex, CutReason.noEstimate.description))
                return true
            }
            if points.fraction > velocity {
                unplaceable.append((entry.storyIndex, "larger than the velocity (\(points) pts > \(formatPoints(velocity)))"))
                return true
            }
            return false
        }
        // Declared sprints after the last one that has stories come first; then new ones follow
        // the last sprint known, with its length and cadence.
        let order = Planner.sprintOrder(backlog)
        var used = Set<String>()
        for story in backlog.stories { if let sprint = story.value(of: .sprint) { used.insert(sprint) } }
        let lastUsed = order.lastIndex { used.contains($0) } ?? -1
        let declared = backlog.header.sprints
        var upcoming = order.dropFirst(lastUsed + 1).map { name in declared.first { $0.name == name } ?? Sprint(name: name) }
        let lastKnown = order.last.map { name in declared.first { $0.name == name } ?? Sprint(name: name) }
        var previous: Sprint?
        if order.count >= 2 {
            let name = order[order.count - 2]
            previous = declared.first { $0.name == name }
        }
        var names = SprintNamer(after: lastKnown, previous: previous)
        var sprints: [Forecast.FutureSprint] = []
        while !remaining.isEmpty && sprints.count < maxSprints && velocity > Fraction(0) {
            var used = Fraction(0)
            var taken: [Int] = []
            var progress = true
            // Several passes, so a story whose dependency is taken later in this sprint can follow it.
            while progress {
                progress = false
                var i = 0
                while i < remaining.count {
                    let story = backlog.stories[remaining[i].storyIndex]
                    let points = story.points?.fraction ?? Fraction(0)
                    if story.dependencies.allSatisfy(planned.contains), let total = used.adding(points), total <= velocity {
                        used = total
                        planned.insert(story.id)
                        taken.append(remaining[i].storyIndex)
                        remaining.remove(at: i)
                        progress = true
                    } else {
                        i += 1
                    }
                }
            }
            if taken.isEmpty { break }
            let (name, start, end) = upcoming.isEmpty ? names.next()
                : { let s = upcoming.removeFirst(); return (s.name, s.start, s.end) }()
            sprints.append(.init(name: name, start: start, end: end, points: used, storyIndices: taken))
        }
        for entry in remaining {
            let missing = backlog.stories[entry.storyIndex].dependencies.filter { !planned.contains($0) }
            unplaceable.append((entry.storyIndex, missing.isEmpty ? "beyond \(maxSprints) sprints"
                                : CutReason.blockedBy(missing).description))
        }
        return Forecast(velocity: velocity, sprints: sprints, unplaceable: unplaceable)
    }
}

/// Names and dates for future sprints, continuing the last declared sprint.
struct SprintNamer {
    var prefix = "Sprint "
    var number = 0
    var start: Date?
    var length = 14
    var cadence = 14
    let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        return calendar
    }()

    init(after last: Sprint?, previous: Sprint? = nil) {
        if let last {
            // "Sprint 14" continues as "Sprint 15"; other names get "Sprint 1", "Sprint 2"...
            let digits = last.name.reversed().prefix { $0.isNumber }
            if let n = Int(String(digits.reversed())), !digits.isEmpty {
                number = n
                prefix = String(last.name.dropLast(digits.count))
            } else {
                prefix = "\(last.name) + "
            }
            if let s = last.start.flatMap(parse), let e = last.end.flatMap(parse) {
                length = (calendar.dateComponents([.day], from: s, to: e).day ?? 13) + 1
                // The cadence: the gap between the last two starts, else the length in whole weeks.
                if let p = previous?.start.flatMap(parse), let gap = calendar.dateComponents([.day], from: p, to: s).day, gap > 0 {
                    cadence = gap
                } else {
                    cadence = (length + 6) / 7 * 7
                }
                start = calendar.date(byAdding: .day, value: cadence, to: s)
            }
        }
    }

    mutating func next() -> (String, String?, String?) {
        number += 1
        guard let current = start else { return ("\(prefix)\(number)", nil, nil) }
        let end = calendar.date(byAdding: .day, value: length - 1, to: current) ?? current
        start = calendar.date(byAdding: .day, value: cadence, to: current)
        return ("\(prefix)\(number)", format(current), format(end))
    }

    func parse(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    func format(_ date: Date) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}
