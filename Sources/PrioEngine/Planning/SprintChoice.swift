/// The sprint a planning session plans and its capacity: the one rule for `prio plan` and the
/// screen's `P` (and its `[` / `]`).
public struct SprintChoice: Sendable, Equatable {
    /// Where the capacity came from.
    public enum CapacitySource: String, Sendable, Equatable {
        /// Given on the command line or typed on the screen.
        case given
        /// The sprint's declared capacity.
        case declared
        /// The team's velocity (the mean of the history, else the last declared capacity).
        case velocity
    }

    /// The sprint: declared, or a new one after the last on the cadence.
    public var sprint: Sprint
    /// True when the header declares it.
    public var isDeclared: Bool
    /// The capacity to plan to, or nil when nothing gives one.
    public var capacity: DecimalNumber?
    public var capacitySource: CapacitySource?
    /// Why nothing may be planned into the sprint (it ended or is closed), when so.
    public var problem: String?

    /// Where the capacity came from, as people read it: `given`, `declared`, or `the velocity;
    /// history: 8, 3, 6 (last 3 sprints, window 6)`.
    public func capacityFrom(_ timeline: SprintTimeline) -> String? {
        switch capacitySource {
        case .given?: "given"
        case .declared?: "declared"
        case .velocity?:
            timeline.velocity?.source == .declaredCapacity ? "no history yet: the last declared capacity"
                : "the velocity; " + timeline.historyLine
        case nil: nil
        }
    }

    /// Why no capacity could be found, for a message.
    public static let noCapacity = "no capacity: give one (prio plan --capacity N, or c on the screen); "
        + "no sprint capacity is declared and no past sprint gives a velocity"
}

extension Planner {
    /// `text` when it is a date written YYYY-MM-DD (for `$PRIO_TODAY`, which plans as of another day).
    public static func validDate(_ text: String?) -> String? {
        guard let text, Day(text) != nil else { return nil }
        return text
    }

    /// Chooses the sprint to plan: `named` when given; else the timeline's current sprint (the
    /// active one, else the next planned one, else the sprint on the cadence holding today). The
    /// capacity: `capacity` when given, else the sprint's declared one, else the velocity (the
    /// mean of the history, else the last declared capacity). An ended or closed sprint gets a
    /// `problem`: nothing is planned into it.
    public static func chooseSprint(_ backlog: Backlog, today: String, named: String? = nil,
                                    capacity: DecimalNumber? = nil, timeline: SprintTimeline? = nil) -> SprintChoice {
        let timeline = timeline ?? SprintTimeline(backlog, today: today)
        let sprint: Sprint
        let isDeclared: Bool
        if let named {
            if let known = timeline.status(of: named), known.isDeclared {
                sprint = known.sprint
                isDeclared = true
            } else if named == timeline.current.name {
                sprint = timeline.current
                isDeclared = false
            } else {
                sprint = Sprint(name: named)
                isDeclared = false
            }
        } else {
            sprint = timeline.current
            isDeclared = timeline.currentStatus?.isDeclared ?? false
        }
        var choice = SprintChoice(sprint: sprint, isDeclared: isDeclared, capacity: nil, capacitySource: nil)
        choice.problem = timeline.refusal(planning: sprint.name)
        if let capacity {
            choice.capacity = capacity
            choice.capacitySource = .given
        } else if isDeclared, let declaredCapacity = sprint.capacity {
            choice.capacity = declaredCapacity
            choice.capacitySource = .declared
        } else if let velocity = timeline.velocity, let value = DecimalNumber(rounding: velocity.value, decimals: 2) {
            choice.capacity = value
            choice.capacitySource = .velocity
        }
        return choice
    }

    /// The sprints `[` and `]` step through: the current one and the later ones still open,
    /// then the next new one on the cadence.
    public static func plannableSprints(_ backlog: Backlog, today: String) -> [String] {
        let timeline = SprintTimeline(backlog, today: today)
        var names = timeline.openSprints.map(\.name)
        if names.isEmpty { names.append(timeline.current.name) }
        for k in 0..<2 where !names.contains(timeline.cadenceSprint(at: k).name) {
            names.append(timeline.cadenceSprint(at: k).name)
            break
        }
        return names
    }
}
