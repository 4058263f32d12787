/// Where a sprint is in its life, on a given day.
public enum SprintState: String, Sendable, CaseIterable {
    /// Not started: its first day is after today (undated: not started and not finished).
    case planned
    /// Running: today is within its dates (undated: started, not closed).
    case active
    /// Its last day has passed (undated: all its stories are done) and it is not closed yet.
    case ended
    /// Closed with `prio close-sprint` (its line says `closed DATE`).
    case closed
}

/// One sprint as the timeline sees it: its declaration, its state and what the file says is in it.
public struct SprintStatus: Sendable {
    /// The sprint as declared (with its recorded figures), or a name only stories use.
    public var sprint: Sprint
    /// True when the header declares it.
    public var isDeclared: Bool
    /// Where it is in its life today.
    public var state: SprintState
    /// The stories whose `sprint` field names it, by index.
    public var storyIndices: [Int] = []
    /// The points of those stories (done ones included): what the file says is in it now.
    public var inSprint = Fraction(0)
    /// The points of its done stories.
    public var doneNow = Fraction(0)
    /// Its stories not done, and their points.
    public var openCount = 0
    public var openPoints = Fraction(0)

    /// The sprint's name.
    public var name: String { sprint.name }
    /// The committed points: recorded when the sprint started; nil while not recorded.
    public var recordedCommitted: Fraction? { sprint.committed?.fraction }
    /// The done points: recorded at closing, else computed from its done stories.
    public var done: Fraction { sprint.done?.fraction ?? doneNow }
    /// True for a sprint that may still receive work (planned or active).
    public var isOpen: Bool { state == .planned || state == .active }
}

/// The backlog's sprints on a given day: their states, which one is current, what is overdue,
/// and the velocity history. The one model of the sprint that `prio plan`, `prio forecast`,
/// `prio review`, `prio sprints`, `close-sprint` and the screen read.
///
/// Which sprints count: those the header declares, in order. A header that declares none
/// lets the names stories use stand for them (undated, in natural order: "Sprint 2" before
/// "Sprint 10"); otherwise a name no declaration has is no sprint of the timeline (`prio
/// check` warns about it) and is never chosen as current.
public struct SprintTimeline: Sendable {
    /// The day the states are for, `YYYY-MM-DD`.
    public let today: String
    /// The sprints, in order.
    public let sprints: [SprintStatus]
    /// Names stories use that no declaration has (only when the header declares sprints).
    public let undeclared: [String]
    /// The current sprint: the first active one, else the first planned one, else the sprint
    /// on the cadence after the last one whose dates hold today (or the next to start).
    public let current: Sprint
    /// True when `current` is one of `sprints` (not a new one on the cadence).
    public let currentIsKnown: Bool
    /// Stories not done in sprints that ended and are not closed, by index.
    public let overdue: [Int]
    /// Their points.
    public let overduePoints: Fraction
    /// The sprints that hold them, in order.
    public let overdueSprints: [String]
    /// The number of sprints a velocity is the mean of (the header's `velocity-window`, else 6).
    public let window: Int
    let namer: SprintNamer
    /// The first step of `namer` that ends today or later.
    let cadenceStart: Int

    /// The default velocity window.
    public static let defaultWindow = 6

    /// Reads the sprints of a backlog as of `today` (YYYY-MM-DD); `window` overrides the header's.
    public init(_ backlog: Backlog, today: String, window: Int? = nil) {
        self.today = today
        let declared = backlog.header.sprints
        let workflow = backlog.workflow
        var byName: [String: Int] = [:]
        var statuses: [SprintStatus] = []
        for sprint in declared where byName[sprint.name] == nil {
            byName[sprint.name] = statuses.count
            statuses.append(SprintStatus(sprint: sprint, isDeclared: true, state: .planned))
        }
        // One pass over the stories: who is in which sprint, with what points.
        var usedOnly: [String: [Int]] = [:]
        for (i, story) in backlog.stories.enumerated() {
            guard let name = story.value(of: .sprint) else { continue }
            if byName[name] == nil {
                usedOnly[name, default: []].append(i)
                continue
            }
            Self.add(i, story, workflow, to: &statuses[byName[name] ?? 0])
        }
        var undeclared: [String] = []
        let names = usedOnly.keys.sorted { naturalLess($0, $1) }
        if declared.isEmpty {
            for name in names {
                var status = SprintStatus(sprint: Sprint(name: name), isDeclared: false, state: .planned)
                for i in usedOnly[name] ?? [] { Self.add(i, backlog.stories[i], workflow, to: &status) }
                statuses.append(status)
            }
        } else {
            undeclared = names
        }
        let todayDay = Day(today)
        for k in statuses.indices { statuses[k].state = Self.state(of: statuses[k], today: todayDay) }
        sprints = statuses
        self.undeclared = undeclared

        let last = statuses.last?.sprint
        let previous = statuses.count >= 2 ? statuses[statuses.count - 2].sprint : nil
        namer = SprintNamer(after: last, previous: previous)
        var k = 0
        while k < 10_000 {
            guard let end = namer.sprint(at: k).2, end < today else { break }
            k += 1
        }
        cadenceStart = k
        if let active = statuses.first(where: { $0.state == .active }) ?? statuses.first(where: { $0.state == .planned }) {
            current = active.sprint
            currentIsKnown = true
        } else {
            let (name, start, end) = namer.sprint(at: k)
            current = Sprint(name: name, capacity: last?.capacity, start: start, end: end)
            currentIsKnown = false
        }

        var overdue: [Int] = []
        var overduePoints = Fraction(0)
        var overdueSprints: [String] = []
        for status in statuses where status.state == .ended {
            var any = false
            for i in status.storyIndices where !workflow.isDone(backlog.stories[i]) {
                overdue.append(i)
                any = true
                if let p = backlog.stories[i].points { overduePoints = overduePoints.adding(p.fraction) ?? overduePoints }
            }
            if any { overdueSprints.append(status.name) }
        }
        self.overdue = overdue.sorted()
        self.overduePoints = overduePoints
        self.overdueSprints = overdueSprints
        let setting = backlog.header.setting("velocity-window").flatMap { Int($0.trimmingASCIIWhitespace()) }
        self.window = max(1, window ?? setting ?? Self.defaultWindow)
    }

    private static func add(_ i: Int, _ story: Story, _ workflow: Workflow, to status: inout SprintStatus) {
        status.storyIndices.append(i)
        let points = story.points?.fraction ?? Fraction(0)
        status.inSprint = status.inSprint.adding(points) ?? status.inSprint
        if workflow.isDone(story) {
            status.doneNow = status.doneNow.adding(points) ?? status.doneNow
        } else {
            status.openCount += 1
            status.openPoints = status.openPoints.adding(points) ?? status.openPoints
        }
    }

    /// The state rule: closed when its line says so; dated sprints by their dates; an undated
    /// sprint is active once started (its commitment recorded), ended when it has stories and
    /// all are done, else planned.
    static func state(of status: SprintStatus, today: Day?) -> SprintState {
        if status.sprint.closed != nil { return .closed }
        if let start = status.sprint.startDay, let end = status.sprint.endDay, let today {
            if today < start { return .planned }
            return today <= end ? .active : .ended
        }
        if status.sprint.committed != nil { return .active }
        if !status.storyIndices.isEmpty && status.openCount == 0 { return .ended }
        return .planned
    }

    /// The sprint of the timeline with this name.
    public func status(of name: String) -> SprintStatus? {
        sprints.first { $0.name == name }
    }

    /// The current sprint's entry, when it is a known sprint.
    public var currentStatus: SprintStatus? {
        currentIsKnown ? status(of: current.name) : nil
    }

    /// The velocity history: for each sprint that ended or was closed, its done points (recorded
    /// at closing, else computed from its done stories), in sprint order, zeros included; the last
    /// `window` of them.
    public var history: [(sprint: String, points: Fraction)] {
        let past = sprints.filter { $0.state == .ended || $0.state == .closed }.map { ($0.name, $0.done) }
        return Array(past.suffix(window))
    }

    /// The mean of the history; nil without history.
    public var meanVelocity: Fraction? {
        let history = self.history
        guard !history.isEmpty else { return nil }
        var sum = Fraction(0)
        for item in history { sum = sum.adding(item.points) ?? sum }
        return sum.divided(by: Fraction(history.count))
    }

    /// Where a velocity came from.
    public enum VelocitySource: String, Sendable {
        /// The mean of the history.
        case history
        /// No history yet: the capacity of the last declared sprint.
        case declaredCapacity
    }

    /// The points per sprint beyond the declared ones: the mean of the history, else the last
    /// declared sprint's capacity; nil when there is neither.
    public var velocity: (value: Fraction, source: VelocitySource)? {
        if let mean = meanVelocity { return (mean, .history) }
        if let capacity = sprints.last(where: { $0.isDeclared && $0.sprint.capacity != nil })?.sprint.capacity {
            return (capacity.fraction, .declaredCapacity)
        }
        return nil
    }

    /// The history as people read it: `history: 11, 0, 6 (last 3 sprints, window 6)`.
    public var historyLine: String {
        let history = self.history
        guard !history.isEmpty else { return "history: none yet (no sprint has ended)" }
        return "history: " + history.map { formatPoints($0.points) }.joined(separator: ", ")
            + " (last \(Plural.count(history.count, "sprint", "sprints")), window \(window))"
    }

    /// The sprints a plan or a forecast may fill from today, in order: the current sprint first,
    /// then the later known sprints that are planned or active. Sprints on the cadence follow
    /// (`cadenceSprint(at:)`).
    public var openSprints: [SprintStatus] {
        guard currentIsKnown, let first = sprints.firstIndex(where: { $0.name == current.name }) else { return [] }
        return sprints[first...].filter(\.isOpen)
    }

    /// The `k`th sprint on the cadence after the known ones, counting from the first that ends
    /// today or later (undated cadences: from the first).
    public func cadenceSprint(at k: Int) -> Sprint {
        let (name, start, end) = namer.sprint(at: cadenceStart + k)
        return Sprint(name: name, capacity: sprints.last?.sprint.capacity, start: start, end: end)
    }

    /// Where the unfinished stories of `closing` go with `--carry-over next`: the first other
    /// sprint that is planned or active, else a new one on the cadence (to be declared).
    public func carryOverTarget(closing: String) -> (sprint: Sprint, isDeclared: Bool) {
        if let open = sprints.first(where: { $0.isOpen && $0.name != closing }) {
            return (open.sprint, open.isDeclared)
        }
        return (cadenceSprint(at: 0), false)
    }

    /// Why nothing may be planned into `name`, or nil when it may be: an ended or closed sprint.
    public func refusal(planning name: String) -> String? {
        guard let status = status(of: name) else { return nil }
        switch status.state {
        case .planned, .active: return nil
        case .ended:
            return "\(name) has ended" + (status.sprint.end.map { " (\($0))" } ?? "")
                + "; nothing is planned into an ended sprint (the current sprint is \(current.name))"
        case .closed:
            return "\(name) is closed; nothing is planned into a closed sprint (the current sprint is \(current.name))"
        }
    }

    /// The overdue note, said once by plan, forecast, review and the screen; nil when nothing is overdue.
    public var overdueNote: String? {
        guard !overdue.isEmpty else { return nil }
        let names = overdueSprints.map { "\"\($0)\"" }
        let close = overdueSprints.map { "prio close-sprint \"\($0)\" --carry-over next" }.joined(separator: "; ")
        return "\(Plural.count(overdue.count, "story", "stories")) (\(Plural.points(overduePoints))) not done in "
            + (names.count == 1 ? "the ended sprint " : "the ended sprints ") + names.joined(separator: ", ")
            + ": overdue, forecast from the current sprint on; close " + (names.count == 1 ? "it" : "them")
            + " with " + close
    }
}
