/// How `atomicWrite` waits for the directory lock another prio holds.
public struct LockWait: Sendable {
    /// How long to wait in all before giving up.
    public var timeout: Duration
    /// Told once, after a short wait, that prio is waiting (the CLI prints it; nil: say nothing).
    public var notify: (@Sendable (String) -> Void)?

    /// The longest wait `$PRIO_LOCK_TIMEOUT` may ask for: a day.
    public static let longestTimeout = 86_400.0

    /// The timeout `$PRIO_LOCK_TIMEOUT` asks for: seconds, clamped to 0 ... a day (`inf`,
    /// `1e300` and `99999999999999999` wait a day); 30 when unset or not a number.
    public static func timeout(fromEnvironment text: String?) -> Duration {
        guard let text, let seconds = Double(text.trimmingASCIIWhitespace()), !seconds.isNaN else { return .seconds(30) }
        let clamped = min(max(0, seconds), longestTimeout)
        return .milliseconds(Int((clamped * 1000).rounded()))
    }

    /// Waits up to `timeout` (30 seconds by default), telling `notify` after a quarter of a second.
    public init(timeout: Duration = .seconds(30), notify: (@Sendable (String) -> Void)? = nil) {
        self.timeout = timeout
        self.notify = notify
    }
}
