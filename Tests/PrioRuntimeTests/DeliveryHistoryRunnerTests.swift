import Foundation
import PrioApp
import PrioEngine
import PrioStorage
import PrioRuntime
import Testing

/// The real runner reads the backlog's delivery history from git for the planning pane.
@Suite("The runner reads the git history for the planning pane")
struct DeliveryHistoryRunnerTests {
    /// Runs git in `directory` with fixed dates; fails the test when git fails.
    func git(_ arguments: [String], in directory: URL, day: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-c", "user.name=Ada", "-c", "user.email=ada@example.com"] + arguments
        process.currentDirectoryURL = directory
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_AUTHOR_DATE"] = "\(day)T12:00:00+0000"
        environment["GIT_COMMITTER_DATE"] = "\(day)T12:00:00+0000"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["HOME"] = directory.path
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "git \(arguments)")
    }

    @Test("readDeliveryHistory answers with the days stories became done, through PRIO_TODAY; outside git, a failure")
    func readsHistory() throws {
        let backlog = try TempBacklog("# T\n\n## S-1 One\n\n## S-2 Two\n")
        try git(["init", "-q", "-b", "main"], in: backlog.directory, day: "2026-11-01")
        try git(["add", "backlog.md"], in: backlog.directory, day: "2026-11-01")
        try git(["commit", "-q", "-m", "base"], in: backlog.directory, day: "2026-11-01")
        try Data("# T\n\n## S-1 One\n- status: done\n\n## S-2 Two\n\n## S-3 Three\n".utf8).write(to: URL(fileURLWithPath: backlog.path))
        try git(["commit", "-q", "-am", "one done, one added"], in: backlog.directory, day: "2026-11-03")
        var runner = FileRunner(environment: ["PRIO_TODAY": "2026-11-05"])
        guard case .deliveryHistory(.success(let history))? = runner.perform(.readDeliveryHistory(path: backlog.path)) else {
            Issue.record("no history")
            return
        }
        #expect(history.start == Day("2026-11-01"))
        #expect(history.done == [0, 0, 1, 0, 0])
        #expect(history.added == [0, 0, 1, 0, 0])
        let outside = try TempBacklog()
        var plain = FileRunner(environment: [:])
        guard case .deliveryHistory(.failure)? = plain.perform(.readDeliveryHistory(path: outside.path)) else {
            Issue.record("a backlog outside git has a history")
            return
        }
    }
}
