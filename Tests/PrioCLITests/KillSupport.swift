import Foundation
import PrioEngine
import PrioStorage
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// What the kill suites share: spawning prio, timing a kill into a save, checking what is left.

/// A prio process started with posix_spawn and reaped only by `wait()`. Until then a finished child
/// stays a zombie, so a SIGKILL sent after it finished can never reach a reused process ID.
struct SpawnedProcess {
    let pid: pid_t
    let started: ContinuousClock.Instant

    /// How a process ended.
    enum End: Equatable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)

        var description: String {
            switch self {
            case .exited(let code): "exit status \(code)"
            case .signaled(let signal): "killed by signal \(signal)"
            }
        }
    }

    /// Starts `executable` with stdin and stdout on /dev/null, stderr on /dev/null or into a file,
    /// and only PATH in the environment.
    static func start(_ executable: String, _ arguments: [String], stderr: String? = nil) throws -> SpawnedProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        if let stderr {
            posix_spawn_file_actions_addopen(&actions, 2, stderr, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        } else {
            posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        }
        let strings: [String] = [executable] + arguments
        let environment: [String] = ["PATH=/usr/local/bin:/usr/bin:/bin"]
        let argv: [UnsafeMutablePointer<CChar>?] = strings.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var pid: pid_t = 0
        let started = ContinuousClock.now
        let rc = posix_spawn(&pid, executable, &actions, nil, argv, envp)
        guard rc == 0 else { throw PrioError("posix_spawn \(executable): \(String(cString: strerror(rc)))") }
        return SpawnedProcess(pid: pid, started: started)
    }

    /// Sends a signal (harmless when the process already finished: it is a zombie until `wait`).
    func signal(_ number: Int32 = SIGKILL) {
        _ = kill(pid, number)
    }

    /// Waits for the process and reaps it.
    func wait() -> End {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return .exited(-1) }
        }
        return status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signaled(status & 0x7F)
    }

    /// Runs a process to its end.
    static func run(_ executable: String, _ arguments: [String]) throws -> End {
        try start(executable, arguments).wait()
    }
}

/// The prio to test: $PRIO_RELIABILITY_TEST_BINARY; else a release build of this package when it is newer
/// than every source file (the save code is the same, and it reads 20,000 stories about 15 times
/// faster than a debug build); else the prio built next to the tests.
func reliabilityTestBinary() -> String? {
    if let path = ProcessInfo.processInfo.environment["PRIO_RELIABILITY_TEST_BINARY"], !path.isEmpty { return path }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let release = root.appendingPathComponent(".build/release/prio").path
    func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
    if FileManager.default.isExecutableFile(atPath: release), let built = modified(release) {
        let sources = root.appendingPathComponent("Sources")
        var newest = modified(root.appendingPathComponent("Package.swift").path) ?? .distantFuture
        for case let file as String in FileManager.default.enumerator(atPath: sources.path) ?? NSEnumerator() {
            if let date = modified(sources.appendingPathComponent(file).path), date > newest { newest = date }
        }
        if newest <= built { return release }
    }
    return PrioRunner.executable?.path
}

/// The bytes of a file, or nil when it does not exist (copied with memcpy: element-wise conversions
/// of 6 MB are slow in a debug build).
func fileBytes(_ path: String) -> [UInt8]? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return [UInt8](unsafeUninitializedCapacity: data.count) { buffer, count in
        count = data.copyBytes(to: buffer)
    }
}

/// Byte equality with memcmp (Array's == compares element by element in a debug build: slow for 6 MB).
func sameBytes(_ a: [UInt8]?, _ b: [UInt8]?) -> Bool {
    guard let a, let b else { return a == nil && b == nil }
    guard a.count == b.count else { return false }
    if a.isEmpty { return true }
    return a.withUnsafeBytes { x in b.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, a.count) == 0 } }
}

/// True when `prefix` is a prefix of `bytes`.
func hasBytePrefix(_ bytes: [UInt8], _ prefix: [UInt8]) -> Bool {
    guard prefix.count <= bytes.count else { return false }
    if prefix.isEmpty { return true }
    return bytes.withUnsafeBytes { x in prefix.withUnsafeBytes { y in memcmp(x.baseAddress!, y.baseAddress!, prefix.count) == 0 } }
}

/// The names of prio's temporary files for `base` in a directory (`.base.prio-XXXXXX`).
func prioTempFiles(in directory: String, for base: String) -> Set<String> {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return Set(names.filter { $0.hasPrefix(".\(base).prio-") })
}

/// Sleeps until an instant (nanosleep; late wake-ups only spread the kill moments further).
func sleep(until deadline: ContinuousClock.Instant) {
    let now = ContinuousClock.now
    guard deadline > now else { return }
    let (seconds, attoseconds) = (deadline - now).components
    var request = timespec(tv_sec: Int(seconds), tv_nsec: Int(attoseconds / 1_000_000_000))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}

/// A seeded generator, so that a failing kill schedule can be replayed with PRIO_KILL_TEST_SEED.
struct KillSchedule: RandomNumberGenerator {
    var state: UInt64

    init() {
        let given = ProcessInfo.processInfo.environment["PRIO_KILL_TEST_SEED"].flatMap { UInt64($0) }
        state = given ?? UInt64.random(in: 1...UInt64.max)
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One complete run, timed, with the moments its temporary file appeared and the target was replaced.
struct Calibration {
    var total: Duration
    var tempAppeared: Duration?
    var replaced: Duration?
    var end: SpawnedProcess.End
}

/// True when the directory holds a temporary file for `base` other than `known` ones (readdir only:
/// cheap enough to poll every millisecond).
func hasPrioTempFile(in directory: String, for base: String, except known: Set<String>) -> Bool {
    guard let dir = opendir(directory) else { return false }
    defer { closedir(dir) }
    let prefix = ".\(base).prio-"
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name.hasPrefix(prefix) && !known.contains(name) { return true }
    }
    return false
}

/// Runs a command to its end; with `watch`, polls the directory every millisecond to see when its
/// temporary file appears and when the target is replaced (a new inode).
func calibrate(_ executable: String, _ arguments: [String],
               watch: (directory: String, base: String, target: String)? = nil) throws -> Calibration {
    func inode() -> ino_t? {
        guard let watch else { return nil }
        var info = stat()
        return stat(watch.target, &info) == 0 ? info.st_ino : nil
    }
    let before = inode()
    let known = watch.map { prioTempFiles(in: $0.directory, for: $0.base) } ?? []
    let process = try SpawnedProcess.start(executable, arguments)
    var tempAppeared: Duration?
    var replaced: Duration?
    var status: Int32 = 0
    var end: SpawnedProcess.End?
    while end == nil {
        let elapsed = ContinuousClock.now - process.started
        if let watch {
            if tempAppeared == nil, hasPrioTempFile(in: watch.directory, for: watch.base, except: known) { tempAppeared = elapsed }
            if replaced == nil, let now = inode(), now != before { replaced = elapsed }
        }
        let reaped = waitpid(process.pid, &status, WNOHANG)
        if reaped == process.pid {
            end = status & 0x7F == 0 ? .exited((status >> 8) & 0xFF) : .signaled(status & 0x7F)
        } else if reaped < 0 && errno != EINTR {
            end = .exited(-1)
        } else {
            usleep(watch == nil ? 2_000 : 1_000)
        }
    }
    return Calibration(total: ContinuousClock.now - process.started, tempAppeared: tempAppeared, replaced: replaced, end: end!)
}

/// Kill moments: 60% over the whole run (and a bit after), 40% around the save window.
struct KillTiming {
    var total: Duration
    var windowStart: Duration
    var windowEnd: Duration

    /// `plain` runs time the command; a `watched` one finds where its save window lies, as a distance
    /// from the end of the run (polling slows the reading down more than the short tail).
    init(plain: [Calibration], watched: Calibration) {
        let totals = plain.map(\.total).sorted()
        total = totals[totals.count / 2]
        if let appeared = watched.tempAppeared, let replaced = watched.replaced {
            windowStart = max(total - (watched.total - appeared), .zero)
            windowEnd = max(total - (watched.total - replaced), windowStart)
        } else {
            // Too fast to observe: take the last fifth of the run.
            windowStart = total * 0.8
            windowEnd = total
        }
    }

    func delay(_ random: inout KillSchedule) -> Duration {
        let u = Double(random.next() >> 11) / Double(1 << 53)
        if random.next() % 10 < 6 {
            return total * (u * 1.15)
        }
        let width = max(windowEnd - windowStart, .milliseconds(4))
        let from = max(windowStart - width * 0.5, .zero)
        return from + width * (2 * u)
    }

    /// Starts a run and kills it: half the time at a moment drawn by `delay`, half the time right
    /// when its temporary file appears (inotify), plus a random part of the save window, so that a
    /// good share of the kills lands mid-write however short the window is. Returns the process
    /// (killed, not yet reaped) and how long after its start the kill was sent.
    func startAndKill(_ executable: String, _ arguments: [String], watching directory: String, prefix: String,
                      _ random: inout KillSchedule) throws -> (SpawnedProcess, Duration) {
        guard random.next() % 2 == 0 else {
            let delay = delay(&random)
            let process = try SpawnedProcess.start(executable, arguments)
            sleep(until: process.started + delay)
            process.signal(SIGKILL)
            return (process, delay)
        }
        let watch = inotify_init1(Int32(IN_CLOEXEC))
        defer { if watch >= 0 { close(watch) } }
        if watch >= 0 { _ = inotify_add_watch(watch, directory, UInt32(IN_CREATE)) }
        let process = try SpawnedProcess.start(executable, arguments)
        let deadline = process.started + total * 3 + .seconds(1)
        var buffer = [UInt8](repeating: 0, count: 4096)
        waiting: while watch >= 0 && ContinuousClock.now < deadline {
            var poller = pollfd(fd: watch, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 50) > 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { read(watch, $0.baseAddress, $0.count) }
            var offset = 0
            while count > 0 && offset + 16 <= count {
                let length = Int(buffer[offset + 12]) | Int(buffer[offset + 13]) << 8 | Int(buffer[offset + 14]) << 16
                let nameBytes = buffer[(offset + 16)..<min(count, offset + 16 + length)].prefix { $0 != 0 }
                if String(decoding: nameBytes, as: UTF8.self).hasPrefix(prefix) { break waiting }
                offset += 16 + length
            }
        }
        let u = Double(random.next() >> 11) / Double(1 << 53)
        let width = max(windowEnd - windowStart, .microseconds(200))
        let created = ContinuousClock.now
        sleep(until: created + width * u)
        process.signal(SIGKILL)
        return (process, ContinuousClock.now - process.started)
    }

    var summary: String {
        "run \(total.milliseconds) ms, save window \(windowStart.milliseconds)–\(windowEnd.milliseconds) ms"
    }
}

extension Duration {
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

/// Counts of where the kills landed.
struct KillCounts: CustomStringConvertible {
    var kills = 0
    /// The process was still running when SIGKILL arrived.
    var midProcess = 0
    /// ... and had created its temporary file but not renamed it (one temporary file left).
    var duringWrite = 0
    /// ... and had already replaced the target (killed while syncing the directory or exiting).
    var afterReplace = 0
    /// The process had finished (exit 0) before SIGKILL was sent.
    var afterExit = 0

    var description: String {
        "\(kills) kills: \(midProcess) mid-process (\(duringWrite) during the write, leaving a temporary file; \(afterReplace) after the rename), \(afterExit) after the process had finished"
    }
}

// One test at a time: in parallel they slow each other down more than they gain on two cores.
