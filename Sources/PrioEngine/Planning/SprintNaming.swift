/// The sprints a forecast fills, in order: the timeline's current sprint and the later ones
/// still open (each with its declared capacity and what is already in it), then sprints on
/// the cadence.
struct FutureSprintNames: Sendable {
    /// A sprint of the timeline.
    struct Upcoming: Sendable {
        var sprint: Sprint
        /// Its declared capacity.
        var capacity: Fraction?
        /// The points already in it (done stories included; sums of story points, so whole in
        /// the units of the stories' points).
        var committed: Fraction
    }

    let upcoming: [Upcoming]
    let namer: SprintNamer
    let cadenceStart: Int

    init(timeline: SprintTimeline) {
        upcoming = timeline.openSprints.map { status in
            Upcoming(sprint: status.sprint, capacity: status.sprint.capacity?.fraction, committed: status.inSprint)
        }
        namer = timeline.namer
        cadenceStart = timeline.cadenceStart
    }

    /// The declared capacity of the `k`th sprint, when it is a sprint of the timeline that has one.
    func capacity(at k: Int) -> Fraction? {
        k < upcoming.count ? upcoming[k].capacity : nil
    }

    /// The points already in the `k`th sprint.
    func committed(at k: Int) -> Fraction {
        k < upcoming.count ? upcoming[k].committed : Fraction(0)
    }

    /// The `k`th sprint (from 0): name, start and end.
    func sprint(at k: Int) -> (String, String?, String?) {
        if k < upcoming.count { return (upcoming[k].sprint.name, upcoming[k].sprint.start, upcoming[k].sprint.end) }
        return namer.sprint(at: cadenceStart + k - upcoming.count)
    }
}

/// Names and dates for future sprints, continuing the last declared sprint.
struct SprintNamer: Sendable {
    var prefix = "Sprint "
    var number = 0
    var start: Day?
    var length = 14
    var cadence = 14

    init(after last: Sprint?, previous: Sprint? = nil) {
        if let last {
            // "Sprint 14" continues as "Sprint 15"; other names get "Sprint 1", "Sprint 2"...
            let digits = last.name.reversed().prefix { $0.isNumber }
            // A number too big to count on (Int64.max would overflow) is part of the name.
            if let n = Int(String(digits.reversed())), !digits.isEmpty, n < 1_000_000_000_000 {
                number = n
                prefix = String(last.name.dropLast(digits.count))
            } else {
                prefix = "\(last.name) + "
            }
            if let s = last.start.flatMap(Day.init), let e = last.end.flatMap(Day.init) {
                length = s.days(to: e) + 1
                // The cadence: the gap between the last two starts, else the length in whole weeks.
                if let p = previous?.start.flatMap(Day.init), p.days(to: s) > 0 {
                    cadence = p.days(to: s)
                } else {
                    cadence = (length + 6) / 7 * 7
                }
                start = s.adding(days: cadence)
            }
        }
    }

    /// The sprint `step` sprints after the last known one (from 0): name, start and end. A date
    /// needs four digits for its year: past 9999-12-31 a sprint has no dates.
    func sprint(at step: Int) -> (String, String?, String?) {
        let name = "\(prefix)\(number + step + 1)"
        guard let first = start else { return (name, nil, nil) }
        let (offset, overflow) = cadence.multipliedReportingOverflow(by: step)
        guard !overflow, let current = first.adding(days: offset), let end = current.adding(days: length - 1) else {
            return (name, nil, nil)
        }
        return (name, current.description, end.description)
    }
}
