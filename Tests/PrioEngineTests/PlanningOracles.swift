// The planner and the forecast as they were before issue 8, kept verbatim (only renamed) as
// reference oracles: they follow the rules plainly and are quadratic; the fast versions in the
// engine must give exactly the same results (PlanningPropertyTests).
import Foundation
@testable import PrioEngine
@testable import PrioStorage

/// The old sprint planning: fill a sprint to capacity along a ranking, respecting dependencies.
enum OraclePlanner {
    /// Fills `sprint` up to `capacity`, walking the strategy's ranking.
    ///
    /// Stories already in the sprint count first. Then each story in rank order (scored, then
    /// unscored in manual order) is taken when its points fit what is left; a story that does
    /// not fit is skipped and the walk goes on. A story whose dependencies are not done and not
    /// planned in this or an earlier sprint waits until they are taken. Capacity is inclusive.
    static func plan(_ backlog: Backlog, sprint: String, capacity: DecimalNumber,
                            strategy: any Strategy) throws(DependencyCycle) -> SprintPlan {
        if let cycle = findCycle(backlog) { throw cycle }
        let ranking = Ranking(backlog, strategy: strategy)
        let sprints = sprintOrder(backlog)
        let position = sprints.firstIndex(of: sprint) ?? sprints.count
        let earlier = Set(sprints.prefix(position + 1)).union([sprint])
        var planned = Set<StoryID>()
        for story in backlog.stories where backlog.workflow.isDone(story) || story.value(of: .sprint).map(earlier.contains) == true {
            planned.insert(story.id)
        }

        let limit = capacity.fraction
        var used = Fraction(0)
        var selected: [SprintPlan.Taken] = []
        var rankOf: [Int: Ranking.Entry] = [:]
        for entry in ranking.entries { rankOf[entry.storyIndex] = entry }

        // Issue 23: done stories in the sprint count first and stay; what the file has in the
        // sprint is its total.
        var fileTotal = Fraction(0)
        var doneIn: [Int] = []
        for (index, story) in backlog.stories.enumerated() where story.value(of: .sprint) == sprint {
            fileTotal = fileTotal.adding((story.points ?? DecimalNumber(0)).fraction) ?? fileTotal
            if backlog.workflow.isDone(story) { doneIn.append(index) }
        }
        for index in doneIn {
            let points = backlog.stories[index].points ?? DecimalNumber(0)
            used = used.adding(points.fraction) ?? used
            selected.append(.init(storyIndex: index, rank: rankOf[index]?.rank, score: rankOf[index]?.score ?? .none,
                                  points: points, alreadyPlanned: true, isDone: true))
        }
        // Stories already in the sprint count first, in rank order, as far as the capacity goes;
        // the rest are over capacity (issue 9: over capacity is resolved, not just shown).
        var inSprint: [Int] = []
        for (index, story) in backlog.stories.enumerated() where !backlog.workflow.isDone(story) && story.value(of: .sprint) == sprint {
            inSprint.append(index)
        }
        inSprint.sort { (rankOf[$0]?.rank ?? Int.max, $0) < (rankOf[$1]?.rank ?? Int.max, $1) }
        var overCapacity: [SprintPlan.Left] = []
        for index in inSprint {
            let points = backlog.stories[index].points ?? DecimalNumber(0)
            guard let total = used.adding(points.fraction), total <= limit else {
                overCapacity.append(SprintPlan.Left(storyIndex: index, rank: rankOf[index]?.rank ?? Int.max, reason: .overCapacity(points: points)))
                continue
            }
            used = total
            selected.append(.init(storyIndex: index, rank: rankOf[index]?.rank, score: rankOf[index]?.score ?? .none,
                                  points: points, alreadyPlanned: true))
        }
        let alreadyIn = Set(inSprint).union(doneIn)

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
        let below = (overCapacity + waiting.map { SprintPlan.Left(storyIndex: $0.entry.storyIndex, rank: $0.entry.rank, reason: $0.reason) })
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
        return SprintPlan(sprint: sprint, capacity: limit, points: used, inSprint: fileTotal, selected: selected, below: below,
                          warnings: warnings)
    }

    /// A cycle in the `depends` graph of stories not done, if any.
    static func findCycle(_ backlog: Backlog) -> DependencyCycle? {
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
                    guard let child = index[dependencies[top.next]], !backlog.workflow.isDone(backlog.stories[child]) else { continue }
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
    static func sprintOrder(_ backlog: Backlog) -> [String] {
        var names = backlog.header.sprints.map(\.name)
        var used = Set<String>()
        for story in backlog.stories { if let sprint = story.value(of: .sprint) { used.insert(sprint) } }
        names += used.subtracting(names).sorted { naturalLess($0, $1) }
        return names
    }

    /// Issue 23's velocity history, written plainly: the declared sprints (or, when none is
    /// declared, the names stories use, in natural order) that ended or are closed, each with
    /// its recorded done points or else the points of its done stories, zeros included; the last
    /// `window`.
    static func history(_ backlog: Backlog, today: String, window: Int = 6) -> [(sprint: String, points: Fraction)] {
        let declared = backlog.header.sprints
        var sprints: [Sprint] = []
        for sprint in declared where !sprints.contains(where: { $0.name == sprint.name }) { sprints.append(sprint) }
        if declared.isEmpty { sprints = sprintOrder(backlog).map { Sprint(name: $0) } }
        var out: [(sprint: String, points: Fraction)] = []
        for sprint in sprints {
            let stories = backlog.stories.filter { $0.value(of: .sprint) == sprint.name }
            var done = Fraction(0)
            for story in stories where backlog.workflow.isDone(story) {
                done = done.adding((story.points ?? DecimalNumber(0)).fraction) ?? done
            }
            let ended: Bool
            if sprint.closed != nil {
                ended = true
            } else if let end = sprint.end, sprint.start != nil {
                ended = end < today
            } else {
                ended = sprint.committed == nil && !stories.isEmpty && stories.allSatisfy { backlog.workflow.isDone($0) }
            }
            if ended { out.append((sprint.name, sprint.done?.fraction ?? done)) }
        }
        return Array(out.suffix(window))
    }

    /// The mean of that history.
    static func velocity(_ backlog: Backlog, today: String) -> Fraction? {
        let recent = history(backlog, today: today)
        guard !recent.isEmpty else { return nil }
        var sum = Fraction(0)
        for item in recent { sum = sum.adding(item.points) ?? sum }
        return sum.divided(by: Fraction(recent.count))
    }
}

extension OraclePlanner {
    /// Issue 23's forecast, written plainly: every story not done and not in a planned or
    /// active sprint lands in the timeline's sprints from the current one on (each at its
    /// declared capacity, else the velocity, minus what is in it already), then in sprints on
    /// the cadence at `velocity` points each; the best-ranked ready story larger than an empty
    /// sprint goes alone in it.
    static func forecast(_ backlog: Backlog, timeline: SprintTimeline, velocity: Fraction, strategy: any Strategy,
                         maxSprints: Int = 1_000) throws(DependencyCycle) -> Forecast {
        if let cycle = findCycle(backlog) { throw cycle }
        let ranking = Ranking(backlog, strategy: strategy)
        let open = Set(timeline.sprints.filter { $0.state == .planned || $0.state == .active }.map(\.name))
        func placed(_ story: Story) -> Bool {
            !backlog.workflow.isDone(story) && story.value(of: .sprint).map(open.contains) == true
        }
        var planned = Set<StoryID>()
        var remaining: [Ranking.Entry] = []
        for story in backlog.stories where backlog.workflow.isDone(story) || placed(story) { planned.insert(story.id) }
        for entry in ranking.entries where !placed(backlog.stories[entry.storyIndex]) {
            remaining.append(entry)
        }
        var unplaceable: [(storyIndex: Int, reason: String)] = []
        remaining.removeAll { entry in
            guard backlog.stories[entry.storyIndex].points != nil else {
                unplaceable.append((entry.storyIndex, CutReason.noEstimate.description))
                return true
            }
            return false
        }
        let upcoming = timeline.openSprints
        var sprints: [Forecast.FutureSprint] = []
        while !remaining.isEmpty && sprints.count < maxSprints && (velocity > Fraction(0) || sprints.count < upcoming.count) {
            let k = sprints.count
            let isUpcoming = k < upcoming.count
            let full = isUpcoming ? (upcoming[k].sprint.capacity?.fraction ?? velocity) : velocity
            let committed = isUpcoming ? upcoming[k].inSprint : Fraction(0)
            let left = committed.subtracting(from: full)
            let capacity = left > Fraction(0) ? left : Fraction(0)
            var used = Fraction(0)
            var taken: [Int] = []
            var note: String?
            if committed == Fraction(0), capacity > Fraction(0),
               let i = remaining.firstIndex(where: { backlog.stories[$0.storyIndex].dependencies.allSatisfy(planned.contains) }),
               let points = backlog.stories[remaining[i].storyIndex].points?.fraction, points > capacity {
                used = points
                planned.insert(backlog.stories[remaining[i].storyIndex].id)
                taken.append(remaining[i].storyIndex)
                remaining.remove(at: i)
                note = "larger than the sprint's capacity (\(formatPoints(points)) > \(formatPoints(capacity)) pts): forecast alone in it"
            }
            var progress = note == nil
            // Several passes, so a story whose dependency is taken later in this sprint can follow it.
            while progress {
                progress = false
                var i = 0
                while i < remaining.count {
                    let story = backlog.stories[remaining[i].storyIndex]
                    let points = story.points?.fraction ?? Fraction(0)
                    if story.dependencies.allSatisfy(planned.contains), let total = used.adding(points), total <= capacity {
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
            if taken.isEmpty && !isUpcoming { break }
            let sprint = isUpcoming ? upcoming[k].sprint : timeline.cadenceSprint(at: k - upcoming.count)
            sprints.append(.init(name: sprint.name, start: sprint.start, end: sprint.end, points: used, storyIndices: taken, note: note))
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
struct OracleSprintNamer {
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


/// `Sprint.parse` as it was before issue 8.
enum OracleSprint {
    /// Parses the value of a `sprint` setting; the message says what is wrong.
    static func parse(_ text: String) -> Result<Sprint, FieldProblem> {
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingASCIIWhitespace() }
        guard let name = parts.first, !name.isEmpty else {
            return .failure(FieldProblem("a sprint needs a name: '- sprint: Sprint 1 | capacity 20 | 2026-11-02 .. 2026-11-13'"))
        }
        var sprint = Sprint(name: name)
        for part in parts.dropFirst() where !part.isEmpty {
            let lower = part.lowercased()
            if lower.hasPrefix("capacity") || lower.hasSuffix("pts") || lower.hasSuffix("points") {
                var number = lower
                for word in ["capacity", "points", "pts", ":"] { number = number.replacing(word, with: "") }
                number = number.trimmingASCIIWhitespace()
                guard case .success(let value) = DecimalNumber.parse(number[...]), !value.isNegative else {
                    return .failure(FieldProblem("sprint capacity must be a number of points, got '\(part)'"))
                }
                sprint.capacity = value
            } else if let (start, end) = dateRange(part) {
                sprint.start = start
                sprint.end = end
            } else {
                return .failure(FieldProblem("'\(part)' is neither 'capacity N' nor a date range like 2026-11-02 .. 2026-11-13"))
            }
        }
        return .success(sprint)
    }

    /// `2026-11-02 .. 2026-11-13` (also `to` or an en dash) as two dates.
    static func dateRange(_ text: String) -> (String, String)? {
        var normalized = text
        for separator in ["..", "–", " to "] { normalized = normalized.replacing(separator, with: " ") }
        let parts = normalized.split(separator: " ").map(String.init)
        guard parts.count == 2, parts.allSatisfy(isDate), parts[0] <= parts[1] else { return nil }
        return (parts[0], parts[1])
    }

    /// True for a plausible `YYYY-MM-DD`.
    static func isDate(_ text: String) -> Bool {
        let pieces = text.split(separator: "-")
        guard pieces.count == 3, pieces[0].count == 4, pieces[1].count == 2, pieces[2].count == 2,
              let month = Int(pieces[1]), let day = Int(pieces[2]), Int(pieces[0]) != nil
        else { return false }
        return (1...12).contains(month) && (1...31).contains(day)
    }
}
