import Foundation
import PrioEngine

/// Backlogs for the planning benchmarks (issue 8): the generator's stories, with declared
/// sprints, done stories in them (so there is a velocity, about 15 points), stories in the
/// current sprint, and dependency graphs of the shapes that used to hang.
public enum PlanningShape: String, CaseIterable, Sendable {
    /// 100,000 generated stories and their dependencies (one story in eight depends on an earlier one).
    case generated
    /// 10,000 stories in one `depends` chain that runs against the WSJF ranking.
    case chain
    /// 50,000 stories that all depend on one.
    case fanIn = "fan-in"
    /// 100,000 stories and 110,000 dependency edges: one story depends on 10,000 others, and
    /// every other open story on one earlier story.
    case fanOut = "fan-out"
    /// 100,000 generated stories and 10,000 declared sprints.
    case sprints

    /// How many stories.
    public var count: Int {
        switch self {
        case .chain: 10_000
        case .fanIn: 50_000
        default: 100_000
        }
    }

    /// The backlog; the same every time.
    public func backlog() -> Backlog {
        guard var backlog = try? BacklogParser.parse(BacklogGenerator.markdown(count: count), path: "generated.md").backlog else {
            fatalError("the generated backlog must parse")
        }
        let declared = self == .sprints ? 10_000 : 10
        for k in 0..<declared {
            let sprint = Sprint(name: "Sprint \(k + 1)", capacity: DecimalNumber(30),
                                start: Self.date(k * 14), end: Self.date(k * 14 + 11))
            do { try backlog.header.addSprint(sprint) } catch { fatalError("cannot declare \(sprint.name): \(error)") }
        }
        // Three done stories in each of Sprints 1 to 10; every 200th open story in Sprint 10.
        var doneInSprints = 0
        var open: [Int] = []
        let workflow = backlog.workflow
        for i in backlog.stories.indices {
            let story = backlog.stories[i]
            if workflow.isDone(story) && doneInSprints < 30 && story.points != nil {
                set(&backlog, i, "sprint", "Sprint \(doneInSprints / 3 + 1)")
                doneInSprints += 1
            } else if self == .generated || self == .sprints {
                if !workflow.isDone(story) && i % 200 == 199 { set(&backlog, i, "sprint", "Sprint 10") }
            } else {
                // The shapes: every other story open, estimated, and depending only as the shape says.
                if workflow.isDone(story) { set(&backlog, i, "status", "todo") }
                if story.points == nil { set(&backlog, i, "points", "3") }
                if !story.dependencies.isEmpty { set(&backlog, i, "depends", "") }
                open.append(i)
            }
        }
        let id = { (i: Int) in backlog.stories[i].id.description }
        switch self {
        case .generated, .sprints: break
        case .chain:
            // Against the ranking: the best ranked story depends on the second, and so on, so
            // each pass down the ranking can take only the last story of what is left. Every
            // story fits the velocity, so the chain is never cut.
            for i in open where (backlog.stories[i].points?.fraction ?? Fraction(0)) > Fraction(5) {
                set(&backlog, i, "points", "3")
            }
            let ranked = Ranking(backlog, strategy: WSJFStrategy()).entries.map(\.storyIndex)
            for (k, i) in ranked.enumerated().dropLast() { set(&backlog, i, "depends", id(ranked[k + 1])) }
        case .fanIn:
            for i in open.dropFirst() { set(&backlog, i, "depends", id(open[0])) }
        case .fanOut:
            set(&backlog, open[0], "depends", open[1...10_000].map(id).joined(separator: ", "))
            var random = UInt64(42)
            for k in 2..<open.count {
                random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                set(&backlog, open[k], "depends", id(open[1 + Int((random >> 33) % UInt64(k - 1))]))
            }
        }
        return backlog
    }

    /// The backlog as a file.
    public func markdown() -> [UInt8] {
        BacklogWriter.write(backlog())
    }

    private func set(_ backlog: inout Backlog, _ index: Int, _ key: String, _ value: String) {
        try? backlog.update(at: index) { (story: inout Story) throws(FieldProblem) in try story.setField(key, value) }
    }

    /// `YYYY-MM-DD`, `days` after Monday 2026-01-05.
    static func date(_ days: Int) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? .current
        let start = calendar.date(from: DateComponents(year: 2026, month: 1, day: 5)) ?? Date()
        let day = calendar.date(byAdding: .day, value: days, to: start) ?? start
        let c = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }
}
