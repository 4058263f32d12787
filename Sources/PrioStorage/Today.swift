#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PrioEngine

extension Planner {
    /// Today as YYYY-MM-DD in local time, or `$PRIO_TODAY` when it holds a valid date (plan and
    /// export as of another day): the one rule for the CLI and the screen. `now`: seconds since
    /// 1970 (the clock's, unless a test says otherwise).
    public static func today(environment: [String: String], now: Int? = nil) -> String {
        if let given = validDate(environment["PRIO_TODAY"]) { return given }
        var seconds = time_t(now ?? currentTime())
        var parts = tm()
        guard localtime_r(&seconds, &parts) != nil else { return Day(ordinal: Int(seconds) / 86_400).description }
        return Day(year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday)).description
    }

    /// The clock: seconds since 1970.
    public static func currentTime() -> Int {
        Int(time(nil))
    }

    /// Local time's offset from UTC in seconds at `seconds` since 1970 (east positive; 0 when
    /// the time zone cannot be read).
    public static func utcOffset(at seconds: Int) -> Int {
        var clock = time_t(seconds)
        var parts = tm()
        guard localtime_r(&clock, &parts) != nil else { return 0 }
        return Int(parts.tm_gmtoff)
    }
}
