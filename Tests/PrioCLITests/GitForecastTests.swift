import Foundation
import Testing

/// A git repository in a sandbox whose backlog `b.md` is committed on given days
/// (GIT_AUTHOR_DATE / GIT_COMMITTER_DATE), to forecast from.
final class DatedRepository {
    let box: Sandbox
    let environment: [String: String]
    /// The stories' statuses, written as `b.md` on each commit.
    var statuses: [String]
    var points: [Int]

    init(stories: Int, points: [Int]? = nil) throws {
        box = try Sandbox()
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_AUTHOR_NAME"] = "Ada"
        environment["GIT_AUTHOR_EMAIL"] = "ada@example.com"
        environment["GIT_COMMITTER_NAME"] = "Ada"
        environment["GIT_COMMITTER_EMAIL"] = "ada@example.com"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["HOME"] = box.url.path
        environment["PRIO_TODAY"] = "2026-12-09"
        self.environment = environment
        statuses = Array(repeating: "todo", count: stories)
        self.points = points ?? Array(repeating: 1, count: stories)
        try git(["init", "-q", "-b", "main"])
    }

    /// The backlog: stories S-1... in file order with their statuses and points.
    var text: String {
        var out = "# Team\n\n- prefix: S\n\n"
        for (i, status) in statuses.enumerated() {
            out += "## S-\(i + 1) Story \(i + 1)\n- status: \(status)\n- points: \(points[i])\n\n"
        }
        return out
    }

    /// Writes the backlog and commits it on `day` (YYYY-MM-DD).
    func commit(on day: String) throws {
        try box.write("b.md", text)
        try git(["add", "b.md"])
        try git(["commit", "-q", "-m", "on \(day)"], dated: day)
    }

    /// Commits on each of `days` days from `start`, calling `change(dayIndex)` before each.
    func commitDaily(from start: String, days: Int, _ change: (Int) -> Void) throws {
        let first = try #require(DatedRepository.ordinal(start))
        for k in 0..<days {
            change(k)
            try commit(on: DatedRepository.date(first + k))
        }
    }

    /// Days since 1970-01-01 of `YYYY-MM-DD` (UTC), and back.
    static func ordinal(_ text: String) -> Int? {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.date(from: text).map { Int($0.timeIntervalSince1970 / 86_400) }
    }

    static func date(_ ordinal: Int) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(ordinal) * 86_400))
    }

    @discardableResult
    func git(_ arguments: [String], dated day: String? = nil) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = box.url
        var environment = self.environment
        if let day {
            environment["GIT_AUTHOR_DATE"] = "\(day)T12:00:00+0000"
            environment["GIT_COMMITTER_DATE"] = "\(day)T12:00:00+0000"
        }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: data, as: UTF8.self)
        #expect(process.terminationStatus == 0, "git \(arguments): \(output)")
        return output
    }

    func prio(_ arguments: String...) throws -> RunResult {
        try box.run(arguments: arguments, environment: environment)
    }
}

@Suite("prio forecast --from-git in real git repositories")
struct GitForecastTests {
    /// 40 stories; a baseline on 2026-11-09, then one story done a day through 2026-12-09.
    static func steady() throws -> DatedRepository {
        let repo = try DatedRepository(stories: 40)
        try repo.commit(on: "2026-11-09")
        try repo.commitDaily(from: "2026-11-10", days: 30) { repo.statuses[$0] = "done" }
        return repo
    }

    @Test("--when at one story a day gives exact dates, in the JSON the issue specifies")
    func whenExact() throws {
        let repo = try Self.steady()
        let json = try repo.prio("forecast", "b.md", "--from-git", "--when", "--days", "30", "--format", "json")
        #expect(json.status == 0, "\(json)")
        #expect(json.stdout == """
            {
              "unit": "stories",
              "window": {"from": "2026-11-10", "to": "2026-12-09"},
              "days": 30,
              "trials": 10000,
              "seed": 29,
              "dates": {"50": "2026-12-19", "70": "2026-12-19", "85": "2026-12-19", "95": "2026-12-19"},
              "warning": null
            }

            """)
        let top = try repo.prio("forecast", "b.md", "--from-git", "--top", "4", "--days", "30")
        #expect(top.status == 0, "\(top)")
        #expect(top.stdout.contains("When will the first 4 open stories of the ranking be done? 4 stories left"))
        #expect(top.stdout.contains("Evidence: 2026-11-10 .. 2026-12-09 (30 days, 30 with completions, 30 stories done)"))
        #expect(top.stdout.contains("  85 %  2026-12-13\n"))
        // The default window starts with the history: the baseline day did nothing.
        let whole = try repo.prio("forecast", "b.md", "--from-git", "--format", "json")
        #expect(whole.stdout.contains("\"window\": {\"from\": \"2026-11-09\", \"to\": \"2026-12-09\"},\n  \"days\": 31,"))
    }

    @Test("--by DATE: the counts per level and the stories of the ranking reached at 85 %")
    func byDate() throws {
        let repo = try Self.steady()
        let json = try repo.prio("forecast", "b.md", "--from-git", "--by", "2026-12-14", "--days", "30", "--format", "json")
        #expect(json.status == 0, "\(json)")
        #expect(json.stdout == """
            {
              "date": "2026-12-14",
              "counts": {"50": 5, "70": 5, "85": 5, "95": 5},
              "stories": ["S-31", "S-32", "S-33", "S-34", "S-35"],
              "warning": null
            }

            """)
        let text = try repo.prio("forecast", "b.md", "--from-git", "--by", "2026-12-14", "--days", "30", "--growth", "2..2")
        #expect(text.stdout.contains("  85 %  5 stories or more\n"))
        #expect(text.stdout.contains("through its first 2 stories:\n  S-31  Story 31\n  S-32  Story 32\n"))
        let past = try repo.prio("forecast", "b.md", "--from-git", "--by", "2026-12-01")
        #expect(past.status == 1 && past.stderr.contains("2026-12-01 is not after today (2026-12-09)"))
    }

    @Test("a story reopened and done again counts once, on the day it last became done; stories added grow the scope")
    func reopenedAndAdded() throws {
        let repo = try DatedRepository(stories: 10)
        try repo.commit(on: "2026-11-01")
        repo.statuses[0] = "done"
        try repo.commit(on: "2026-11-02")
        repo.statuses[0] = "in-progress"
        try repo.commit(on: "2026-11-03")
        try repo.commitDaily(from: "2026-11-04", days: 6) { k in
            repo.statuses[k == 0 ? 0 : k] = "done"
            repo.statuses.append("todo")
            repo.points.append(2)
        }
        // S-1 .. S-6 done (S-1 once, on 2026-11-04), six stories of 2 points added.
        let window = try repo.prio("forecast", "b.md", "--from-git", "--days", "39")
        #expect(window.status == 0, "\(window)")
        #expect(window.stdout.contains("Evidence: 2026-11-01 .. 2026-12-09 (39 days, 6 with completions, 6 stories done)"), "\(window)")
        #expect(window.stdout.contains("10 stories left"), "\(window)")
        let points = try repo.prio("forecast", "b.md", "--from-git", "--unit", "points", "--days", "39")
        #expect(points.stdout.contains("6 with completions, 6 points done)"), "\(points)")
        #expect(points.stdout.contains("16 points left"), "\(points)")
        let grown = try repo.prio("forecast", "b.md", "--from-git", "--growth", "history", "--days", "39")
        #expect(grown.stdout.contains("Scope growth: as in the window (net 0.15 stories a day)"), "\(grown)")
    }

    @Test("fewer than 5 days with completions is refused, naming what is missing")
    func refusal() throws {
        let repo = try DatedRepository(stories: 10)
        try repo.commit(on: "2026-11-01")
        try repo.commitDaily(from: "2026-11-20", days: 3) { repo.statuses[$0] = "done" }
        let result = try repo.prio("forecast", "b.md", "--from-git")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("needs at least 5 days with completions in the window (2026-11-01 .. 2026-12-09, 39 days); it has 3, so 2 more are missing"), "\(result)")
        let uncommitted = try DatedRepository(stories: 3)
        try uncommitted.box.write("b.md", uncommitted.text)
        let none = try uncommitted.prio("forecast", "b.md", "--from-git", "--format", "json")
        #expect(none.status == 1 && none.stderr.contains("it has 0, so 5 more are missing"), "\(none)")
        let outside = try Sandbox()
        try outside.write("b.md", uncommitted.text)
        let notRepo = try outside.run("forecast", "b.md", "--from-git",
                                      environment: ["GIT_CEILING_DIRECTORIES": outside.url.deletingLastPathComponent().path])
        #expect(notRepo.status == 1 && notRepo.stderr.contains("is not in a git repository"), "\(notRepo)")
    }

    @Test("a step change in pace: every answer carries the XmR warning")
    func paceWarning() throws {
        let repo = try DatedRepository(stories: 200)
        try repo.commit(on: "2026-09-15")
        var next = 0
        try repo.commitDaily(from: "2026-09-16", days: 85) { k in
            for _ in 0..<(k < 57 ? 1 : 4) {
                repo.statuses[next] = "done"
                next += 1
            }
        }
        let text = try repo.prio("forecast", "b.md", "--from-git", "--days", "84")
        #expect(text.status == 0, "\(text)")
        #expect(text.stdout.contains("Warning: the team's pace has changed: 28 stories in the week to 2026-12-09 is above the natural process limits"), "\(text)")
        let json = try repo.prio("forecast", "b.md", "--from-git", "--by", "2027-01-01", "--days", "84", "--format", "json")
        #expect(json.stdout.contains("\"warning\": \"the team's pace has changed"), "\(json)")
        let steady = try Self.steady()
        #expect(try !steady.prio("forecast", "b.md", "--from-git", "--days", "28").stdout.contains("Warning"))
    }

    @Test("--backtest: per level how often the forecasts held, the verdict, and its JSON")
    func backtest() throws {
        let repo = try DatedRepository(stories: 120)
        try repo.commit(on: "2026-08-31")
        try repo.commitDaily(from: "2026-09-01", days: 100) { repo.statuses[$0] = "done" }
        let json = try repo.prio("forecast", "b.md", "--from-git", "--backtest", "--days", "14", "--horizons", "7,14", "--format", "json")
        #expect(json.status == 0, "\(json)")
        // 101 days of history: weeks ending on day 13, 20, ...; 12 fit a 7-day horizon, 11 a 14-day one.
        #expect(json.stdout == """
            {
              "windows": 23,
              "horizons": [7, 14],
              "held": {"50": 1.0, "70": 1.0, "85": 1.0, "95": 1.0}
            }

            """)
        let text = try repo.prio("forecast", "b.md", "--from-git", "--backtest", "--days", "14", "--horizons", "7,14", "--seed", "4")
        #expect(text.stdout.contains("85 % forecasts held in 100 % of 23 windows: well calibrated.\n"), "\(text)")
        let again = try repo.prio("forecast", "b.md", "--from-git", "--backtest", "--days", "14", "--horizons", "7,14", "--seed", "4")
        #expect(again.stdout == text.stdout)
    }

    @Test("options that do not go together are refused before anything is read")
    func misuse() throws {
        let repo = try Self.steady()
        for arguments in [["--when"], ["--from-git", "--confidence"], ["--from-git", "--backtest", "--top", "3"],
                          ["--from-git", "--growth", "2..1"], ["--from-git", "--unit", "hours"], ["--from-git", "--horizons", "0"],
                          ["--from-git", "--by", "2026-12-20", "--when"], ["--from-git", "--days", "0"]] {
            let result = try repo.box.run(arguments: ["forecast", "b.md"] + arguments, environment: repo.environment)
            #expect(result.status != 0 && result.stdout.isEmpty, "\(arguments): \(result)")
        }
        let goal = try repo.prio("forecast", "b.md", "--from-git", "--goal", "nothing serves this")
        #expect(goal.status == 0, "\(goal)")
        #expect(goal.stdout == "When will the 0 open stories serving the goal 'nothing serves this' be done? Nothing is left to do: every date is today (2026-12-09).\n")
    }
}
