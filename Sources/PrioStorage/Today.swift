import Foundation
import PrioEngine

extension Planner {
    /// Today as YYYY-MM-DD in local time, or `$PRIO_TODAY` when it holds a valid date (plan and
    /// export as of another day): the one rule for the CLI and the screen.
    public static func today(environment: [String: String], now: Date = Date()) -> String {
        if let given = validDate(environment["PRIO_TODAY"]) { return given }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        return formatter.string(from: now)
    }
}
