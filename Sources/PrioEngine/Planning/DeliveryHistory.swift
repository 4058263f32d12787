/// What a backlog's history shows was done, added and removed, per calendar day: the evidence
/// the forecasts from git draw from. Plain values (read from git by `DeliveryHistory.read`, or
/// made by hand in tests).
public struct DeliveryHistory: Sendable, Hashable {
    /// What is counted: stories, or their points.
    public enum Unit: String, Sendable, CaseIterable {
        case stories, points
    }

    /// What is counted.
    public var unit: Unit
    /// The day of the first entry of the series.
    public var start: Day
    /// Per day from `start`: the work that became done that day (a story done, reopened and done
    /// again counts once, on the day it last became done).
    public var done: [Double]
    /// Per day from `start`: the work added to the backlog that day.
    public var added: [Double]
    /// Per day from `start`: the work taken out of the backlog that day before it was done.
    public var removed: [Double]

    /// A series; `added` and `removed` default to none, and are cut or padded to `done`'s length.
    public init(unit: Unit = .stories, start: Day, done: [Double], added: [Double] = [], removed: [Double] = []) {
        self.unit = unit
        self.start = start
        self.done = done
        func fitted(_ values: [Double]) -> [Double] {
            Array(values.prefix(done.count)) + Array(repeating: 0, count: max(0, done.count - values.count))
        }
        self.added = fitted(added)
        self.removed = fitted(removed)
    }

    /// The number of days in the series.
    public var days: Int { done.count }

    /// The last day of the series (the day before `start` when it is empty).
    public var end: Day { Day(ordinal: start.ordinal + days - 1) }

    /// The net growth of the backlog per day: added minus removed.
    public var growth: [Double] { zip(added, removed).map { $0 - $1 } }

    /// The days from `from` through `through`, clipped to the series.
    public func slice(from: Day, through: Day) -> DeliveryHistory {
        let low = max(0, from.ordinal - start.ordinal), high = min(days, through.ordinal - start.ordinal + 1)
        guard low < high else { return DeliveryHistory(unit: unit, start: Day(ordinal: max(from.ordinal, start.ordinal)), done: []) }
        return DeliveryHistory(unit: unit, start: Day(ordinal: start.ordinal + low), done: Array(done[low..<high]),
                               added: Array(added[low..<high]), removed: Array(removed[low..<high]))
    }

    /// The last `days` days of the series that end on `through` (fewer when the history starts later).
    public func window(days count: Int, through: Day) -> DeliveryHistory {
        slice(from: Day(ordinal: through.ordinal - max(1, count) + 1), through: through)
    }

    /// The days with at least one completion.
    public var daysWithCompletions: Int { done.count { $0 > 0 } }

    /// The total done over the days from `from` through `through`.
    public func doneTotal(from: Day, through: Day) -> Double {
        slice(from: from, through: through).done.reduce(0, +)
    }
}
