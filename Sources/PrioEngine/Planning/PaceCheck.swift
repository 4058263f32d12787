/// Whether the team's pace is stable over a window: an XmR chart of the weekly throughput.
/// The natural process limits are the mean ± 2.66 × the average moving range (the lower one
/// not below 0); a recent week outside them means the pace has changed, and a forecast drawn
/// from the whole window says so.
public struct PaceCheck: Sendable {
    /// One week's throughput: its last day and what was done in it.
    public struct Week: Sendable, Hashable {
        public var end: Day
        public var done: Double
    }

    /// The complete weeks of the window, oldest first, the last ending on the window's last day.
    public let weeks: [Week]
    public let mean: Double
    /// The mean of the absolute differences between consecutive weeks.
    public let averageMovingRange: Double
    public let lower: Double
    public let upper: Double
    /// The recent weeks (of the last `recentWeeks`) outside the limits.
    public let outside: [Week]
    public let unit: DeliveryHistory.Unit

    /// The fewest complete weeks the chart needs.
    public static let minimumWeeks = 4
    /// How many of the last weeks are checked against the limits.
    public static let recentWeeks = 2

    /// The chart of a window; nil when it has fewer than `minimumWeeks` complete weeks.
    public init?(_ window: DeliveryHistory) {
        let count = window.days / 7
        guard count >= PaceCheck.minimumWeeks else { return nil }
        let offset = window.days - count * 7
        weeks = (0..<count).map { w in
            let from = offset + w * 7
            return Week(end: Day(ordinal: window.start.ordinal + from + 6), done: window.done[from..<(from + 7)].reduce(0, +))
        }
        let values = weeks.map(\.done)
        mean = values.reduce(0, +) / Double(count)
        averageMovingRange = zip(values.dropFirst(), values).map { abs($0 - $1) }.reduce(0, +) / Double(count - 1)
        upper = mean + 2.66 * averageMovingRange
        lower = max(0, mean - 2.66 * averageMovingRange)
        let (low, high) = (lower, upper)
        outside = weeks.suffix(PaceCheck.recentWeeks).filter { $0.done > high + 1e-9 || $0.done < low - 1e-9 }
        unit = window.unit
    }

    /// The warning every answer carries when a recent week is outside the limits; nil otherwise.
    public var warning: String? {
        guard let latest = outside.last else { return nil }
        let unitName = unit == .stories ? "stories" : "points"
        let side = latest.done > upper ? "above" : "below"
        return "the team's pace has changed: \(formatFixed(latest.done, decimals: unit == .stories ? 0 : 1)) \(unitName) in the week to \(latest.end) is "
            + "\(side) the natural process limits of the window (\(formatFixed(lower, decimals: 1)) to "
            + "\(formatFixed(upper, decimals: 1)) a week, XmR); the window's history may not be a good guide"
    }
}
