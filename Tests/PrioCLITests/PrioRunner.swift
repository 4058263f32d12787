import Foundation
import Testing

/// What one run of `prio` produced.
struct RunResult: CustomStringConvertible {
    /// The exit code, or the signal number when the process was killed by one (see `crashed`).
    var status: Int32
    /// True when the process ended by a signal (a crash) rather than by exiting.
    var crashed: Bool
    var stdoutData: Data
    var stderrData: Data

    var stdout: String { String(decoding: stdoutData, as: UTF8.self) }
    var stderr: String { String(decoding: stderrData, as: UTF8.self) }

    /// Everything about the run, for failure messages.
    var description: String {
        (crashed ? "killed by signal \(status)" : "exit status \(status)") + "\n--- stdout ---\n\(stdout)\n--- stderr ---\n\(stderr)\n--------------"
    }
}

enum PrioRunnerError: Error, CustomStringConvertible {
    case executableNotFound([String])
    case timedOut([String])

    var description: String {
        switch self {
        case .executableNotFound(let searched):
            "the built 'prio' executable was not found; looked in: \(searched.joined(separator: ", "))"
        case .timedOut(let arguments):
            "prio \(arguments.joined(separator: " ")) did not finish in time and was terminated"
        }
    }
}

/// Finds the `prio` executable built next to the test bundle and runs it.
enum PrioRunner {
    /// How long one run may take before it is killed (a hang must not stall the suite).
    static let timeout: TimeInterval = 60

    /// The directories searched for `prio`, most likely first.
    static let searchDirectories: [URL] = {
        var starts: [URL] = []
        // On Linux the test runner is .build/<triple>/debug/<Package>PackageTests.xctest (an executable);
        // on macOS it is a bundle in that directory. Either way `prio` sits in the same directory.
        starts.append(Bundle.main.bundleURL)
        if let executable = Bundle.main.executableURL { starts.append(executable.deletingLastPathComponent()) }
        if let first = CommandLine.arguments.first, !first.isEmpty {
            let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            let argument = URL(fileURLWithPath: first, relativeTo: cwd).standardizedFileURL
            starts.append(argument.deletingLastPathComponent())
            starts.append(argument.resolvingSymlinksInPath().deletingLastPathComponent())
        }
        var seen: Set<String> = []
        var directories: [URL] = []
        for start in starts {
            // The directory itself, then one level up (for a bundle or a nested layout).
            for candidate in [start, start.deletingLastPathComponent()] {
                let standardized = candidate.standardizedFileURL
                if seen.insert(standardized.path).inserted { directories.append(standardized) }
            }
        }
        return directories
    }()

    /// The `prio` executable, or nil when it cannot be found.
    static let executable: URL? = {
        for directory in searchDirectories {
            let candidate = directory.appendingPathComponent("prio")
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        return nil
    }()

    /// The day every run is made on unless told otherwise: the sample's anchor (a Wednesday in
    /// its active sprint), so `prio init --sample` writes the bundled bytes.
    static let today = "2026-12-09"

    /// Runs `prio` with arguments in a working directory.
    ///
    /// The environment holds only PATH, PRIO_TODAY (`today`) and TZ when the test process has
    /// one, so that dates agree, plus `environment`; PRIO_FILE is therefore set only when a test
    /// passes it. Standard input is `stdin`, or empty.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:],
                    stdin: Data? = nil) throws -> RunResult {
        guard let executable else {
            throw PrioRunnerError.executableNotFound(searchDirectories.map(\.path))
        }
        // Output goes to files, not pipes, so that a large stdout cannot block on a full stderr pipe.
        let scratch = FileManager.default.temporaryDirectory
            .appendingPathComponent("prio-cli-io-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        let inURL = scratch.appendingPathComponent("stdin")
        try Data().write(to: outURL)
        try Data().write(to: errURL)
        try (stdin ?? Data()).write(to: inURL)

        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        let inHandle = try FileHandle(forReadingFrom: inURL)
        defer {
            try? outHandle.close()
            try? errHandle.close()
            try? inHandle.close()
        }

        let parent = ProcessInfo.processInfo.environment
        // A fixed day, so that sprint states and the sample's dates do not depend on when the
        // tests run (a test that needs the clock passes PRIO_TODAY="" or another day).
        var env: [String: String] = ["PATH": parent["PATH"] ?? "/usr/local/bin:/usr/bin:/bin", "PRIO_TODAY": today]
        if let tz = parent["TZ"] { env["TZ"] = tz }
        for (key, value) in environment { env[key] = value }

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = env
        process.standardInput = inHandle
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning {
            if Date() > deadline {
                process.terminate()
                process.waitUntilExit()
                throw PrioRunnerError.timedOut(arguments)
            }
            usleep(1_000)
        }
        process.waitUntilExit()
        return RunResult(status: process.terminationStatus,
                         crashed: process.terminationReason == .uncaughtSignal,
                         stdoutData: try Data(contentsOf: outURL),
                         stderrData: try Data(contentsOf: errURL))
    }
}

/// A temporary working directory for one test, removed when the test is done with it.
final class Sandbox {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("prio-cli-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// The URL of a file in the sandbox.
    func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// The path of a file in the sandbox.
    func path(_ name: String) -> String { file(name).path }

    /// Runs prio in the sandbox.
    @discardableResult
    func run(_ arguments: String..., environment: [String: String] = [:], stdin: Data? = nil) throws -> RunResult {
        try PrioRunner.run(arguments, in: url, environment: environment, stdin: stdin)
    }

    /// Runs prio in the sandbox with an argument array.
    @discardableResult
    func run(arguments: [String], environment: [String: String] = [:], stdin: Data? = nil) throws -> RunResult {
        try PrioRunner.run(arguments, in: url, environment: environment, stdin: stdin)
    }

    func write(_ name: String, _ text: String) throws {
        try write(name, Data(text.utf8))
    }

    func write(_ name: String, _ data: Data) throws {
        let target = file(name)
        try FileManager.default.createDirectory(at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: target)
    }

    func read(_ name: String) throws -> Data {
        try Data(contentsOf: file(name))
    }

    func text(_ name: String) throws -> String {
        String(decoding: try read(name), as: UTF8.self)
    }

    func exists(_ name: String) -> Bool {
        FileManager.default.fileExists(atPath: path(name))
    }

    /// The names in the sandbox directory (or a subdirectory), sorted, hidden files included.
    func listing(_ subdirectory: String = "") throws -> [String] {
        let directory = subdirectory.isEmpty ? url : file(subdirectory)
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
    }

    /// Writes the bundled sample with `prio init --sample` and returns its bytes.
    @discardableResult
    func initSample(_ name: String = "backlog.md", sourceLocation: SourceLocation = #_sourceLocation) throws -> Data {
        let result = try run("init", "--sample", name)
        try #require(result.status == 0, "prio init --sample failed: \(result)", sourceLocation: sourceLocation)
        return try read(name)
    }
}
