/// Why a story is below the cut line.
public enum CutReason: Sendable, Hashable, CustomStringConvertible {
    /// Its points exceed what is left of the capacity.
    case didNotFit(points: DecimalNumber, remaining: Fraction)
    /// It depends on stories that are neither done nor planned in this or an earlier sprint.
    case blockedBy([StoryID])
    /// It has no points.
    case noEstimate
    /// It is planned in another sprint.
    case plannedIn(String)

    public var description: String {
        switch self {
        case .didNotFit(let points, let remaining):
            "did not fit (\(points) pts, \(formatPoints(remaining)) left)"
        case .blockedBy(let ids): "blocked by \(ids.map(\.description).joined(separator: ", "))"
        case .noEstimate: "no estimate"
        case .plannedIn(let sprint): "planned in \(sprint)"
        }
    }
}

/// A sprint plan: what is taken, in order, and everything below the cut line with why.
public struct SprintPlan: Sendable {
    /// A story in the sprint.
    public struct Taken: Sendable, Hashable {
        public var storyIndex: Int
        /// Its rank in the strategy's ranking (nil when it was already in the sprint and done-free ranking left it out).
        public var rank: Int?
        public var score: Score
        public var points: DecimalNumber
        /// True when the story was in the sprint before the fill.
        public var alreadyPlanned: Bool
    }

    /// A story below the cut line.
    public struct Left: Sendable, Hashable {
        public var storyIndex: Int
        public var rank: Int
        public var reason: CutReason
    }

    public var sprint: String
    public var capacity: Fraction
    /// Points taken.
    public var points: Fraction
    public var selected: [Taken]
    public var below: [Left]
    /// Warnings such as the DSDM 60 % Must-have guard.
    public var warnings: [String]
}

/// A dependency cycle, which makes planning impossible.
public struct DependencyCycle: Error, Sendable, CustomStringConvertible {
    /// The stories in the cycle, the first repeated at the end.
    public var path: [StoryID]

    public var description: String {
        "dependency cycle: " + path.map(\.description).joined(separator: " → ")
    }
}

/// Sprint planning: fill a sprint to capacity along a ranking, respecting dependencies.
public enum Planner {
    /// Fills `sprint` up to `capacity`, walking the strategy's ranking.
    ///
    /// Stories already in the sprint count first. Then each story in rank order (scored, then
    /// unscored in manual order) is taken when its points fit what is left; a story that does
    /// not fit is skipped and the walk goes on. A story whose dependencies are not done and not
    /// planned in this or an earlier sprint waits until they are taken. Capacity is inclusive.
    public static func plan(_ backlog: Backlog, sprint: String, capacity: DecimalNumber,
                            strategy: any Strategy) throws(DependencyCycle) -> SprintPlan {
        if let cycle = findCycle(backlog) { throw cycle }
        let ranking = Ranking(backlog, strategy: strategy)
        let sprints = sprintOrder(backlog)
        let position = sprints.firstIndex(of: sprint) ?? sprints.count
        let earlier = Set(sprints.prefix(position + 1)).union([sprint])
        var planned = Set<StoryID>()
        let workflow = backlog.workflow
        for story in backlog.stories where workflow.isDone(story) || story.value(of: .sprint).map(earlier.contains) == true {
            planned.insert(story.id)
        }

        let limit = capacity.fraction
        var used = Fraction(0)
        var selected: [SprintPlan.Taken] = []
        var rankOf: [Int: Ranking.Entry] = [:]
        for entry in ranking.entries { rankOf[entry.storyIndex] = entry }

        // Stories already in the sprint count first.
        for (index, story) in backlog.stories.enumerated() where !workflow.isDone(story) && story.value(of: .sprint) == sprint {
            let points = story.points ?? DecimalNumber(0)
            used = used.adding(points.fraction) ?? used
            selected.append(.init(storyIndex: index, rank: rankOf[index]?.rank, score: rankOf[index]?.score ?? .none,
                                  points: points, alreadyPlanned: true))
        }
        let alreadyIn = Set(selected.map(\.storyIndex))

        var waiting: [(entry: Ranking.Entry, reason: CutReason)] = []
        func take(_ entry: Ranking.Entry) -> CutReason? {
            let story = backlog.stories[entry.storyIndex]
            guard let points = story.points else { return .noEstimate }
            let missing = story.dependencies.filter { !planned.contains($0) }
            if !missing.isEmpty { return .blockedBy(missing) }
            guard let total = used.adding(points.fraction), total <= limit else {
                return .didNotFit(points: points, remaining: used.subtracting(from: limit))
            }
            used = total
            planned.insert(story.id)
            selected.append(.init(storyIndex: entry.storyIndex, rank: entry.rank, score: entry.score, points: points,
                                  alreadyPlanned: false))
            return nil
        }
        for entry in ranking.entries where !alreadyIn.contains(entry.storyIndex) {
            let story = backlog.stories[entry.storyIndex]
            if let other = story.value(of: .sprint), other != sprint {
                waiting.append((entry, .plannedIn(other)))
                continue
            }
            if let reason = take(entry) {
                waiting.append((entry, reason))
                continue
            }
            // A story taken may unblock ones that waited for it; they come right after it.
            var progress = true
            while progress {
                progress = false
                for (i, item) in waiting.enumerated() {
                    guard case .blockedBy = item.reason else { continue }
                    if let reason = take(item.entry) {
                        waiting[i].reason = reason
                    } else {
                        waiting.remove(at: i)
                        progress = true
                        break
                    }
                }
            }
        }
        let below = waiting.map { SprintPlan.Left(storyIndex: $0.entry.storyIndex, rank: $0.entry.rank, reason: $0.reason) }
            .sorted { $0.rank < $1.rank }

        var warnings: [String] = []
        var must = Fraction(0)
        for item in selected where backlog.stories[item.storyIndex].moscow == .must {
            must = must.adding(item.points.fraction) ?? must
        }
        if used > Fraction(0), let share = must.divided(by: used), share > Fraction(numerator: 3, denominator: 5) {
            warnings.append("Must-haves are \(formatFixed(share.doubleValue * 100, decimals: 0))% of the sprint's points "
                            + "(DSDM advises at most 60%, to leave room for contingency)")
        }
        return SprintPlan(sprint: sprint, capacity: limit, points: used, selected: selected, below: below, warnings: warnings)
    }

    /// A cycle in the `depends` graph of stories not done, if any.
    public static func findCycle(_ backlog: Backlog) -> DependencyCycle? {
        let workflow = backlog.workflow
        var index: [StoryID: Int] = [:]
        for (i, story) in backlog.stories.enumerated() { index[story.id] = i }
        var state = [UInt8](repeating: 0, count: backlog.stories.count)  // 0 new, 1 on the path, 2 done
        var path: [Int] = []
        for start in backlog.stories.indices where state[start] == 0 {
            // Iterative depth-first search: each frame is a story and its next dependency.
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            state[start] = 1
            path.append(start)
            while let top = stack.last {
                let dependencies = backlog.stories[top.node].dependencies
                if top.next < dependencies.count {
                    stack[stack.count - 1].next += 1
                    guard let child = index[dependencies[top.next]], !workflow.isDone(backlog.stories[child]) else { continue }
                    if state[child] == 1 {
                        let from = path.firstIndex(of: child) ?? 0
                        let ids = path[from...].map { backlog.stories[$0].id }
                        return DependencyCycle(path: ids + [backlog.stories[child].id])
                    }
                    if state[child] == 0 {
                        state[child] = 1
                        path.append(child)
                        stack.append((child, 0))
                    }
                } else {
                    state[top.node] = 2
                    path.removeLast()
                    stack.removeLast()
                }
            }
        }
        return nil
    }

    /// Every sprint in order: those declared in the header first, then names only stories use,
    /// in natural order ("Sprint 2" before "Sprint 10").
    public static func sprintOrder(_ backlog: Backlog) -> [String] {
        var names = backlog.header.sprints.map(\.name)
        var used = Set<String>()
        for story in backlog.stories { if let sprint = story.value(of: .sprint) { used.insert(sprint) } }
        names += used.subtracting(names).sorted { naturalLess($0, $1) }
        return names
    }

    /// Done points per sprint, for the sprints that have done stories, in sprint order.
    public static func history(_ backlog: Backlog) -> [(sprint: String, points: Fraction)] {
        var totals: [String: Fraction] = [:]
        let workflow = backlog.workflow
        for story in backlog.stories where workflow.isDone(story) {
            guard let sprint = story.value(of: .sprint), let points = story.points else { continue }
            totals[sprint] = (totals[sprint] ?? Fraction(0)).adding(points.fraction) ?? totals[sprint]
        }
        return sprintOrder(backlog).compactMap { name in totals[name].map { (name, $0) } }
    }

    /// Yesterday's weather: the average done points of the last three sprints with done stories.
    public static func velocity(_ backlog: Backlog) -> Fraction? {
        let recent = history(backlog).suffix(3)
        guard !recent.isEmpty else { return nil }
        var sum = Fraction(0)
        for item in recent { sum = sum.adding(item.points) ?? sum }
        return sum.divided(by: Fraction(recent.count))
    }
}

extension Fraction {
    /// `other - self`, or zero on overflow.
    func subtracting(from other: Fraction) -> Fraction {
        other.adding(Fraction(numerator: -numerator, denominator: denominator)) ?? Fraction(0)
    }
}

/// Points as people write them: `20`, `7.5`.
func formatPoints(_ value: Fraction) -> String {
    if value.denominator == 1 { return String(value.numerator) }
    var text = formatFixed(value.doubleValue, decimals: 2)
    while text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
}

/// Compares names with numbers in them by value: "Sprint 2" < "Sprint 10".
func naturalLess(_ a: String, _ b: String) -> Bool {
    func split(_ s: String) -> (String, Int?) {
        let digits = s.reversed().prefix { $0.isASCII && $0.isNumber }
        return (String(s.dropLast(digits.count)), Int(String(digits.reversed())))
    }
    let (pa, na) = split(a)
    let (pb, nb) = split(b)
    if pa == pb, let na, let nb { return na < nb }
    return a < b
}
