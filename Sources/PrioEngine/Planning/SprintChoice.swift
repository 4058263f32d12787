import Foundation

/// The sprint a planning session plans and its capacity: the one rule for `prio plan` and the
/// screen's `P` (and its `[` / `]`).
public struct SprintChoice: Sendable, Equatable {
    /// Where the capacity came from.
    public enum CapacitySource: String, Sendable, Equatable {
        /// Given on the command line or typed on the screen.
        case given
        /// The sprint's declared capacity.
        case declared
        /// The team's velocity (the last three sprints with done stories).
        case velocity
    }

    /// The sprint: declared, or a new one after the last on the cadence.
    public var sprint: Sprint
    /// True when the header declares it.
    public var isDeclared: Bool
    /// The capacity to plan to, or nil when nothing gives one.
    public var capacity: DecimalNumber?
    public var capacitySource: CapacitySource?

    /// Why no capacity could be found, for a message.
    public static let noCapacity = "no capacity: give one (prio plan --capacity N, or c on the screen); "
        + "no sprint capacity is declared and no past sprint gives a velocity"
}

extension Planner {
    /// `text` when it is a date written YYYY-MM-DD (for `$PRIO_TODAY`, which plans as of another day).
    public static func validDate(_ text: String?) -> String? {
        guard let text, text.utf8.count == 10 else { return nil }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let month = Int(parts[1]), let day = Int(parts[2]), let year = Int(parts[0]),
              Sprint.isRealDate(year: year, month: month, day: day) else { return nil }
        return text
    }

    /// Today as YYYY-MM-DD in local time, or `$PRIO_TODAY` when it holds a valid date (plan and
    /// export as of another day): the one rule for the CLI and the screen.
    public static func today(environment: [String: String], now: Date = Date()) -> String {
        if let given = validDate(environment["PRIO_TODAY"]) { return given }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: now)
    }

    /// Chooses the sprint to plan: `named` when given; else the declared sprint whose dates hold
    /// `today` (YYYY-MM-DD); else the first declared sprint not yet finished (its end is today or
    /// later, or, without dates, it has a story not done or none at all); else a new sprint after
    /// the last one, numbered and dated on the cadence ("Sprint 1" when there is none). The
    /// capacity: `capacity` when given, else the sprint's declared one, else the velocity.
    public static func chooseSprint(_ backlog: Backlog, today: String, named: String? = nil,
                                    capacity: DecimalNumber? = nil) -> SprintChoice {
        let declared = backlog.header.sprints
        let sprint: Sprint
        if let named {
            sprint = declared.first { $0.name == named } ?? Sprint(name: named)
        } else if let current = declared.first(where: { s in
            guard let start = s.start, let end = s.end else { return false }
            return start <= today && today <= end
        }) {
            sprint = current
        } else if let next = knownSprints(backlog).first(where: { !isFinished($0, backlog, today: today) }) {
            sprint = next
        } else {
            sprint = nextNewSprint(backlog, today: today)
        }
        var choice = SprintChoice(sprint: sprint, isDeclared: declared.contains { $0.name == sprint.name },
                                  capacity: nil, capacitySource: nil)
        if let capacity {
            choice.capacity = capacity
            choice.capacitySource = .given
        } else if let declaredCapacity = declared.first(where: { $0.name == sprint.name })?.capacity {
            choice.capacity = declaredCapacity
            choice.capacitySource = .declared
        } else if let velocity = velocity(backlog), let value = DecimalNumber(Exporter.jsonNumber(velocity)) {
            choice.capacity = value
            choice.capacitySource = .velocity
        }
        return choice
    }

    /// Every sprint known, in order: declared ones, then names only stories use.
    static func knownSprints(_ backlog: Backlog) -> [Sprint] {
        var byName: [String: Sprint] = [:]
        for sprint in backlog.header.sprints where byName[sprint.name] == nil { byName[sprint.name] = sprint }
        return sprintOrder(backlog).map { byName[$0] ?? Sprint(name: $0) }
    }

    /// The sprints `[` and `]` step through: every sprint known, then the next new one.
    public static func plannableSprints(_ backlog: Backlog, today: String) -> [String] {
        var names = sprintOrder(backlog)
        let new = nextNewSprint(backlog, today: today).name
        if !names.contains(new) { names.append(new) }
        return names
    }

    /// True when a declared sprint is over: it ended before today, or (without dates) all of its
    /// stories are done and it has some.
    static func isFinished(_ sprint: Sprint, _ backlog: Backlog, today: String) -> Bool {
        if let end = sprint.end { return end < today }
        let workflow = backlog.workflow
        var any = false
        for story in backlog.stories where story.value(of: .sprint) == sprint.name {
            if !workflow.isDone(story) { return false }
            any = true
        }
        return any
    }

    /// The sprint after the last one known, following its name and cadence; dated sprints move
    /// on until one that ends today or later.
    static func nextNewSprint(_ backlog: Backlog, today: String) -> Sprint {
        let declared = backlog.header.sprints
        var used = Set<String>()
        for story in backlog.stories { if let s = story.value(of: .sprint) { used.insert(s) } }
        let order = sprintOrder(header: backlog.header, used: used)
        var byName: [String: Sprint] = [:]
        for sprint in declared where byName[sprint.name] == nil { byName[sprint.name] = sprint }
        let last = order.last.map { byName[$0] ?? Sprint(name: $0) }
        let previous = order.count >= 2 ? byName[order[order.count - 2]] : nil
        let namer = SprintNamer(after: last, previous: previous)
        var k = 0
        while true {
            let (name, start, end) = namer.sprint(at: k)
            if end == nil || (end ?? "") >= today || k >= 10_000 { return Sprint(name: name, start: start, end: end) }
            k += 1
        }
    }
}
