import ArgumentParser
#if canImport(Glibc)
import CMalloc
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PrioEngine
import PrioStorage

/// The backlog path: the argument, else $PRIO_FILE, else ./backlog.md.
func backlogPath(_ argument: String?) -> String {
    if let argument, !argument.isEmpty { return argument }
    if let env = environmentVariable("PRIO_FILE"), !env.isEmpty { return env }
    return "backlog.md"
}

/// Writes a line to standard error (plain write(2): it never traps when the terminal is gone),
/// made safe for the terminal.
func printError(_ text: String) {
    _ = writeAll(STDERR_FILENO, TerminalSafe.output(text + "\n"))
}

/// Writes one line to stderr: control characters in it (a line break in a file name, a
/// sprint name, an argument) show as placeholders, so that user text cannot forge a line.
func printLine(_ text: String) {
    printError(TerminalSafe.sanitize(text))
}

/// Writes all of a string to a file descriptor; returns errno of a failed write, or nil.
func writeAll(_ fd: Int32, _ text: String) -> Int32? {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written < 0 && errno == EINTR { continue }
        guard written > 0 else { return written < 0 ? errno : EIO }
        bytes = bytes.dropFirst(written)
    }
    return nil
}

/// Prints an error of one or more lines, each made safe as one line (a line break inside
/// one, from user text, shows as a placeholder), and returns the exit code to throw.
func fail(lines: [String]) -> ExitCode {
    printError("prio: error: " + lines.map { TerminalSafe.sanitize($0) }.joined(separator: "\n"))
    return ExitCode(1)
}

/// Prints an error the way prio does (one line: user text in it cannot break it) and
/// returns the exit code to throw.
func fail(_ message: String) -> ExitCode {
    fail(lines: [message])
}

/// Runs a body, turning prio's errors into messages on stderr and exit code 1.
func reportingErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let errors as BacklogErrors {
        printError(errors.rendered())
        throw ExitCode(1)
    } catch let error as PrioError {
        throw fail(lines: error.lines)
    } catch let error as FieldProblem {
        throw fail(error.message)
    } catch let error as UnknownStory {
        throw fail(error.description)
    }
}

/// The index of the story `id` names; an unknown ID stops the command with the closest one
/// the backlog holds (the engine's one lookup, `Backlog.requireStory`).
@discardableResult
func requireStory(_ backlog: Backlog, _ id: StoryID) throws -> Int {
    do {
        return try backlog.requireStory(id)
    } catch {
        throw fail(error.description)
    }
}

/// Loads a backlog for a command; a missing or malformed file stops the command. A command
/// that will not change the file says `readOnly`: a big file is then mapped, not read.
func loadBacklog(_ path: String, readOnly: Bool = false) throws -> BacklogFile {
    try reportingErrors {
        guard fileExists(path) else {
            throw PrioError("\(path) does not exist (create it with 'prio init \(path)', or name a file)")
        }
        var file = try readOnly ? BacklogFile.loadForReading(path) : BacklogFile.load(path)
        file.lockWait = cliLockWait()
        return file
    }
}

/// How the commands wait for another process's lock: a message after a moment, then up to
/// $PRIO_LOCK_TIMEOUT seconds (30 by default).
func cliLockWait() -> LockWait {
    let timeout = LockWait.timeout(fromEnvironment: environmentVariable("PRIO_LOCK_TIMEOUT"))
    return LockWait(timeout: timeout) { message in printError("prio: " + message) }
}

/// Saves a changed backlog after checking that its dependencies still resolve.
func saveBacklog(_ loaded: BacklogFile, _ backlog: Backlog) throws {
    var file = loaded
    try reportingErrors {
        let problems = backlog.dependencyProblems()
        if !problems.isEmpty {
            throw PrioError(lines: problems.enumerated().map { $0.offset == 0 ? $0.element : "prio: error: " + $0.element } + ["nothing was written"])
        }
        try file.save(backlog)
    }
}

/// Parses a story ID argument.
func storyID(_ text: String) throws -> StoryID {
    guard let id = StoryID(text.trimmingASCIIWhitespace()) else {
        throw fail("'\(text)' is not a story ID (like S-12)")
    }
    return id
}

/// The strategy named on the command line, else the backlog's default, else manual.
func chooseStrategy(_ name: String?, _ backlog: Backlog) throws -> any Strategy {
    let chosen = name ?? backlog.header.strategy ?? "manual"
    let catalogue = backlog.strategies
    guard let strategy = catalogue.strategy(named: chosen) else {
        let hint = Suggestion.closest(to: chosen, among: catalogue.names).map { " (did you mean '\($0)'?)" } ?? ""
        throw fail("unknown strategy '\(chosen)'\(hint) (known: \(catalogue.names.joined(separator: ", ")))")
    }
    return strategy
}

/// The width to fit tables in: the terminal's, else $COLUMNS, else 120.
func outputWidth() -> Int {
    var size = winsize()
    if isatty(STDOUT_FILENO) != 0, ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 {
        return Int(size.ws_col)
    }
    if let columns = environmentVariable("COLUMNS").flatMap(Int.init), columns > 0 { return columns }
    return 120
}

/// Splits positional arguments into the optional file and the rest: the file comes first
/// when there are more positionals than the command needs.
func splitFile(_ positionals: [String], required: Int) -> (file: String?, rest: [String]) {
    if positionals.count > required { return (positionals[0], Array(positionals.dropFirst())) }
    return (nil, positionals)
}

/// Today's date as YYYY-MM-DD in local time, or $PRIO_TODAY (plan and export as of another day).
func today() -> String {
    Planner.today(environment: processEnvironment())
}

/// Writes text to stdout without an extra newline, made safe for the terminal; a failed write
/// (a full disk, a closed pipe) ends the command with a non-zero status.
func output(_ text: String) throws {
    guard let failure = writeAll(STDOUT_FILENO, TerminalSafe.output(text)) else { return }
    // A reader that went away (`prio rank | head`): end quietly, as a process killed by SIGPIPE would.
    if failure == EPIPE { throw ExitCode(128 + SIGPIPE) }
    throw fail("cannot write to standard output: \(String(cString: strerror(failure)))")
}

/// Values kept until the process exits, so that freeing them does not delay the exit.
nonisolated(unsafe) private var keptUntilExit: [Any] = []

/// Keeps a large value (a loaded backlog, a ranking) alive until the process exits: a command
/// that has written its output ends without freeing 100,000 stories one by one, which the
/// system does at once when the process exits. Call it last, after every edit.
/// (`prio rank` at 100k: 60 to 170 ms of CPU less, measured against a build without it.)
func keepUntilExit(_ value: Any) {
    keptUntilExit.append(value)
}

/// Lets glibc's `malloc` serve blocks of up to 32 MiB from its heap and keep up to 64 MiB
/// of what is freed there, instead of mapping fresh memory for each big array and unmapping
/// it when it is freed: a later array reuses pages already touched. Fresh pages are what a
/// command pays for most after a pause (on a VM each costs about 3 µs); `rank` at 100k then
/// touches 17 % fewer pages, for a higher peak in commands that free big arrays on the way
/// (import 161 → 186 MB) (docs/BENCHMARKS.md, fifth round). Other C libraries keep their own policy.
func keepFreedMemory() {
    #if canImport(Glibc)
    _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
    _ = mallopt(M_TRIM_THRESHOLD, 64 << 20)
    #endif
}

/// `--window N`: how many past sprints the velocity is the mean of, for every command that
/// reads the velocity (`plan`, `forecast`, `sprints`).
struct VelocityWindow: ParsableArguments {
    @Option(help: "The number of past sprints the velocity is the mean of (default: the header's velocity-window, else 6).")
    var window: Int?

    func validate() throws {
        if let window, window < 1 || window > 1_000 { throw ValidationError("--window must be from 1 to 1000") }
    }
}

/// The backlog file every command that reads one takes as its positional argument.
struct BacklogFileArgument: ParsableArguments {
    @Argument(help: "The backlog file (default: ./backlog.md or $PRIO_FILE).")
    var file: String?

    /// The path: the argument, else $PRIO_FILE, else ./backlog.md.
    var path: String { backlogPath(file) }
}

/// `--format table|json`: the output of a command that prints a table or its JSON.
struct TableOrJSON: ParsableArguments {
    @Option(help: "table or json.")
    var format: RankFormat = .table
}

/// `--format text|json`: the output of a command that prints text or its JSON.
struct TextOrJSON: ParsableArguments {
    @Option(help: "text or json.")
    var format: MatrixFormat = .text
}

/// `--strategy` / `-s`: the ranking a command reads, by name.
struct StrategyOption: ParsableArguments {
    @Option(name: .shortAndLong, help: "The strategy to rank by: manual, moscow, wsjf, value-effort, rice or a formula of the backlog (default: the backlog's strategy setting).")
    var strategy: String?
}

/// What `--top N` means to one command: its help (which names its default) and the counts it takes.
protocol TopMeaning {
    /// The option's help line.
    static var help: String { get }
    /// The counts the command takes.
    static var counts: ClosedRange<Int> { get }
}

extension TopMeaning {
    static var counts: ClosedRange<Int> { 0...Int.max }
}

/// `--top N`: how many stories of the ranking a command reads, from the top. One shape and one
/// check for every command; `Meaning` says what N counts there (`top` is nil without the
/// option: each command then takes its own default).
struct TopStories<Meaning: TopMeaning>: ParsableArguments {
    @Option(help: ArgumentHelp(Meaning.help, valueName: "n"))
    var top: Int?

    func validate() throws {
        guard let top, !Meaning.counts.contains(top) else { return }
        let counts = Meaning.counts
        throw ValidationError(counts.upperBound == Int.max ? "--top must be \(counts.lowerBound) or more"
                                                            : "--top must be from \(counts.lowerBound) to \(counts.upperBound)")
    }
}
