#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The last termination signal received and not yet handled (0 when none). A signal handler
/// may only do async-signal-safe work, so it just stores the number here; the main loop polls it.
private let pendingSignal = Atomic<Int32>(0)

/// SIGTERM, SIGHUP and SIGINT while the screen is up: each one only sets a flag, and the main
/// loop then writes the recovery file, leaves curses and exits with 128 + the signal.
///
/// Installed before `newterm`, so that ncurses keeps its hands off these signals (it only
/// installs its own handlers where it finds the default). SIGWINCH is left to ncurses, which
/// turns it into KEY_RESIZE.
struct TerminationSignals {
    /// The signals handled, each with the action it had before.
    private var previous: [(signal: Int32, action: sigaction)] = []

    /// The signals that end the screen.
    static let handled: [Int32] = [SIGTERM, SIGHUP, SIGINT]

    /// Installs the flag-setting handler for every handled signal.
    init() {
        // A parent may start prio with signals blocked (a thread pool's mask is inherited across
        // fork and exec); then SIGTERM would never arrive and SIGWINCH never become KEY_RESIZE.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        for number in Self.handled + [SIGWINCH] { sigaddset(&unblock, number) }
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
        for number in Self.handled {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { number in
                pendingSignal.store(number, ordering: .sequentiallyConsistent)
            }
            sigemptyset(&action.sa_mask)
            // No SA_RESTART: a signal should cut a blocking read short.
            action.sa_flags = 0
            var old = sigaction()
            if sigaction(number, &action, &old) == 0 {
                previous.append((number, old))
            }
        }
    }

    /// Puts the handlers back as they were.
    func restore() {
        for (number, action) in previous {
            var action = action
            sigaction(number, &action, nil)
        }
    }

    /// The signal received since the last call, if any (and clears it).
    func take() -> Int32? {
        let number = pendingSignal.exchange(0, ordering: .sequentiallyConsistent)
        return number == 0 ? nil : number
    }
}
