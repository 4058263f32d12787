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

// SIGKILL at random moments of `prio set` and `prio export -o` on a 20,000-story backlog.
//
// What is asserted after every kill:
// - the target is byte for byte either the version before the command or the version a completed
//   command writes (both are known in advance: each was parsed once with PrioEngine and has exactly
//   20,000 stories, or for export was read with `CSV.parse` and has 20,001 records);
// - an export target that did not exist before either still does not exist or is complete;
// - a kill leaves at most one new temporary file (`.big.md.prio-XXXXXX`), only when the process died
//   between creating it and the rename, and its bytes are a prefix of the version being written;
//   a process that was not killed leaves none.
// Temporary files: a writer holds a lock on its `.NAME.prio-XXXXXX` while it writes; after a kill the
// file stays until the next successful save, which removes every leftover whose lock it can take (a
// live writer's it cannot). So the test asserts that complete runs leave no temporary file at all,
// and that the final save removes what the kills left.
//
// The kills must prove something: at least a tenth of them must land while a temporary file exists
// (the write in progress), and at least a third while the process runs.
//
// Kill moments are spread over the whole run: the run time T and the save window (from the temporary
// file appearing to the rename) are measured first with complete runs (and again every 50 kills, as
// the machine's load changes); 60% of the kills are uniform over [0, 1.15 T] (start-up, reading,
// writing, after exit) and 40% uniform over the save window widened by a quarter on each side.
//
// Size: by default 30 kills per command on 2,000 stories (about a minute with the debug binary);
// with PRIO_LONG_TESTS=1 (as .ci/run sets) 200 kills per command on 20,000 stories.
// Knobs (environment): PRIO_KILL_TEST_ITERATIONS (kills per command),
// PRIO_RELIABILITY_TEST_BINARY (a prio to test instead of the one built with the tests, e.g. a release
// build: a debug prio reads 20,000 stories in about 2 s, a release one in about 0.1 s),
// PRIO_KILL_TEST_SEED (replays a run's kill schedule; the seed is printed).

@Suite("Kill during save", .serialized)
struct KillDuringSaveTests {
    static var storyCount: Int { longTests ? 20_000 : 2_000 }
    static var iterations: Int {
        ProcessInfo.processInfo.environment["PRIO_KILL_TEST_ITERATIONS"].flatMap { Int($0) } ?? (longTests ? 200 : 30)
    }

    /// True once enough kills landed mid-run and mid-write to prove something.
    static func isMeaningful(_ counts: KillCounts) -> Bool {
        counts.kills >= iterations && counts.duringWrite >= max(1, iterations / 10) && counts.midProcess >= iterations / 3
    }

    /// How many kills a test may go on to, past `iterations`, while too few have landed
    /// mid-write: on a loaded machine the kill can come late to a save that got faster. Every
    /// extra kill is checked like the others.
    static var maximumKills: Int { iterations * 3 }

    /// The kills prove something only when enough of them land mid-run and mid-write.
    static func expectMeaningful(_ counts: KillCounts, _ what: String) {
        #expect(counts.kills >= iterations)
        #expect(counts.duringWrite >= max(1, iterations / 10),
                "\(what): only \(counts.duringWrite) of \(counts.kills) kills landed during the write (\(counts))")
        #expect(counts.midProcess >= iterations / 3,
                "\(what): only \(counts.midProcess) of \(counts.kills) kills landed while prio ran (\(counts))")
    }

    @Test("SIGKILL during prio set leaves the old or the new file, byte for byte, and at most one temporary file")
    func killDuringSet() throws {
        let prio = try #require(reliabilityTestBinary(), "the prio executable was not found")
        let sandbox = try Sandbox()
        let directory = sandbox.url.path
        let big = sandbox.path("big.md")
        let clock = ContinuousClock()
        let testStart = clock.now

        #expect(try SpawnedProcess.run(prio, ["generate", "--count", "\(Self.storyCount)", big]) == .exited(0))
        let original = try #require(fileBytes(big))
        let parsedOriginal = try BacklogParser.parse(original, path: big).backlog
        try #require(parsedOriginal.stories.count == Self.storyCount)

        // One story, two values: every save changes the file, and there are only two versions after the
        // first save. Each version is parsed once here (20,000 stories); after a kill the file must be
        // byte-identical to one of them, so it parses too.
        let id = Self.storyCount > 12_345 ? "S-12345" : "S-1234"
        let index = try #require(parsedOriginal.index(of: StoryID(id)!))
        let values = ["34", "55"]
        var versions: [String: [UInt8]] = [:]
        for value in values {
            var changed = parsedOriginal
            try changed.update(at: index) { (story: inout Story) throws(FieldProblem) in try story.setField("value", value) }
            let bytes = BacklogWriter.write(changed)
            let reparsed = try BacklogParser.parse(bytes, path: big).backlog
            #expect(reparsed.stories.count == Self.storyCount)
            #expect(reparsed.stories[index].value(of: "value") == value)
            #expect(bytes.count == original.count - (parsedOriginal.stories[index].value(of: "value")!.utf8.count - 2))
            versions[value] = bytes
        }
        try #require(parsedOriginal.stories[index].value(of: "value").map { !values.contains($0) } == true)
        var current = original
        var currentValue = parsedOriginal.stories[index].value(of: "value")!
        var keptTemp: String?

        // Complete runs: the CLI writes exactly the versions computed above; they time the run.
        func measure() throws -> KillTiming {
            var runs: [Calibration] = []
            for round in 0..<4 {
                let value = currentValue == values[0] ? values[1] : values[0]
                let run = try calibrate(prio, ["set", big, id, "value=\(value)"],
                                        watch: round == 3 ? (directory, "big.md", big) : nil)
                #expect(run.end == .exited(0), "a complete prio set failed: \(run.end)")
                #expect(sameBytes(fileBytes(big), versions[value]), "a complete prio set did not write the expected bytes")
                current = versions[value]!
                currentValue = value
                runs.append(run)
            }
            #expect(prioTempFiles(in: directory, for: "big.md").isEmpty, "a complete save left a temporary file, or did not remove a dead one's")
            return KillTiming(plain: Array(runs.prefix(3)), watched: runs[3])
        }
        var timing = try measure()
        print("KillDuringSaveTests set: \(prio); \(timing.summary)")

        var random = KillSchedule()
        print("KillDuringSaveTests set: PRIO_KILL_TEST_SEED=\(random.state)")
        var counts = KillCounts()
        for iteration in 0..<Self.maximumKills {
            if iteration >= Self.iterations && Self.isMeaningful(counts) { break }
            if iteration > 0 && iteration % 50 == 0 { timing = try measure() }
            let value = currentValue == values[0] ? values[1] : values[0]
            let new = versions[value]!
            let tempsBefore = prioTempFiles(in: directory, for: "big.md")
            let (process, delay) = try timing.startAndKill(prio, ["set", big, id, "value=\(value)"], watching: directory,
                                                           prefix: ".big.md.prio-", &random)
            let end = process.wait()
            counts.kills += 1

            let after = fileBytes(big)
            let leftovers = prioTempFiles(in: directory, for: "big.md").subtracting(tempsBefore)
            #expect(leftovers.count <= 1, "one kill left \(leftovers.count) temporary files")
            switch end {
            case .signaled(SIGKILL):
                counts.midProcess += 1
                if !leftovers.isEmpty { counts.duringWrite += 1 }
                if sameBytes(after, new) { counts.afterReplace += 1 }
            case .exited(0):
                counts.afterExit += 1
                #expect(leftovers.isEmpty, "prio set finished but left a temporary file")
                #expect(sameBytes(after, new), "prio set finished but did not write the new version")
            default:
                Issue.record("prio set ended with \(end) (after \(delay.milliseconds) ms)")
            }
            if sameBytes(after, current) {
                // The old version: untouched.
            } else if sameBytes(after, new) {
                current = new
                currentValue = value
            } else {
                Issue.record("""
                    after a kill at \(delay.milliseconds) ms (\(end)) big.md is neither the old nor the new version: \
                    \(after?.count ?? -1) bytes, old \(current.count), new \(new.count)
                    """)
                break
            }
            for name in leftovers {
                // A leftover is a partial copy of the version being written, never anything else.
                let temp = directory + "/" + name
                if let bytes = fileBytes(temp) {
                    #expect(hasBytePrefix(new, bytes), "a leftover temporary file is not a prefix of the new version")
                }
                if keptTemp == nil {
                    keptTemp = name
                } else {
                    try? FileManager.default.removeItem(atPath: temp)
                }
            }
        }
        print("KillDuringSaveTests set: \(counts)")
        Self.expectMeaningful(counts, "set")

        // One more normal save succeeds and removes every temporary file the kills left.
        let tempsBefore = prioTempFiles(in: directory, for: "big.md")
        let value = currentValue == values[0] ? values[1] : values[0]
        let final = try sandbox.run("set", "big.md", id, "value=\(value)")
        #expect(final.status == 0, "\(final)")
        #expect(sameBytes(fileBytes(big), versions[value]))
        #expect(prioTempFiles(in: directory, for: "big.md").isEmpty, "a successful save left temporary files of dead writers")
        let reparsed = try BacklogParser.parse(try #require(fileBytes(big)), path: big).backlog
        #expect(reparsed.stories.count == Self.storyCount)
        print("KillDuringSaveTests set: the final save removed \(tempsBefore.count) leftover temporary file(s); took \(clock.now - testStart)")
    }

    @Test("SIGKILL during prio export -o leaves no file, the old file, or a complete one")
    func killDuringExport() throws {
        let prio = try #require(reliabilityTestBinary(), "the prio executable was not found")
        let sandbox = try Sandbox()
        let directory = sandbox.url.path
        let big = sandbox.path("big.md")
        let out = sandbox.path("out.csv")
        let clock = ContinuousClock()
        let testStart = clock.now
        #expect(try SpawnedProcess.run(prio, ["generate", "--count", "\(Self.storyCount)", big]) == .exited(0))

        // Two complete exports that differ (two rankings of the same stories); --all keeps done stories,
        // so each has a header and 20,000 rows. Each is read once with CSV.parse.
        let strategies = ["wsjf", "rice"]
        func arguments(_ strategy: String) -> [String] {
            ["export", big, "--format", "csv", "--all", "--strategy", strategy, "-o", out]
        }
        var complete: [String: [UInt8]] = [:]
        for strategy in strategies {
            try? FileManager.default.removeItem(atPath: out)
            #expect(try SpawnedProcess.run(prio, arguments(strategy)) == .exited(0))
            let bytes = try #require(fileBytes(out))
            let records = try CSV.parse(bytes, path: out)
            #expect(records.count == Self.storyCount + 1, "\(strategy): \(records.count) records")
            #expect(records.first?.first?.text == "rank")
            #expect(Set(records.dropFirst().map { $0[1].text }).count == Self.storyCount)
            complete[strategy] = bytes
        }
        try #require(!sameBytes(complete["wsjf"], complete["rice"]), "the two exports should differ")

        func measure() throws -> KillTiming {
            var runs: [Calibration] = []
            for (round, strategy) in (strategies + strategies).enumerated() {
                let run = try calibrate(prio, arguments(strategy), watch: round == 3 ? (directory, "out.csv", out) : nil)
                #expect(run.end == .exited(0))
                #expect(sameBytes(fileBytes(out), complete[strategy]))
                runs.append(run)
            }
            return KillTiming(plain: Array(runs.prefix(3)), watched: runs[3])
        }
        var timing = try measure()
        print("KillDuringSaveTests export: \(prio); \(timing.summary)")

        var random = KillSchedule()
        print("KillDuringSaveTests export: PRIO_KILL_TEST_SEED=\(random.state)")
        var counts = KillCounts()
        var absentChecks = 0
        var keptTemp: String?
        for iteration in 0..<Self.maximumKills {
            if iteration >= Self.iterations && Self.isMeaningful(counts) { break }
            if iteration > 0 && iteration % 50 == 0 { timing = try measure() }
            let strategy = strategies[iteration % 2]
            // Every fifth kill starts without an output file: it must stay absent or become complete.
            if iteration % 5 == 0 { try? FileManager.default.removeItem(atPath: out) }
            let before = fileBytes(out)
            if before == nil { absentChecks += 1 }
            let tempsBefore = prioTempFiles(in: directory, for: "out.csv")
            let (process, delay) = try timing.startAndKill(prio, arguments(strategy), watching: directory,
                                                           prefix: ".out.csv.prio-", &random)
            let end = process.wait()
            counts.kills += 1

            let after = fileBytes(out)
            let leftovers = prioTempFiles(in: directory, for: "out.csv").subtracting(tempsBefore)
            #expect(leftovers.count <= 1, "one kill left \(leftovers.count) temporary files")
            switch end {
            case .signaled(SIGKILL):
                counts.midProcess += 1
                if !leftovers.isEmpty { counts.duringWrite += 1 }
                if !sameBytes(after, before) && sameBytes(after, complete[strategy]) { counts.afterReplace += 1 }
            case .exited(0):
                counts.afterExit += 1
                #expect(leftovers.isEmpty, "prio export finished but left a temporary file")
                #expect(sameBytes(after, complete[strategy]), "prio export finished but did not write the complete file")
            default:
                Issue.record("prio export ended with \(end) (after \(delay.milliseconds) ms)")
            }
            if let after {
                // Whenever out.csv exists it is one of the two complete exports (each 20,001 CSV records).
                if !sameBytes(after, before) && !sameBytes(after, complete[strategy]) {
                    let valid = (try? CSV.parse(after, path: out)).map { "\($0.count) records" } ?? "not valid CSV"
                    Issue.record("after a kill at \(delay.milliseconds) ms (\(end)) out.csv is \(after.count) bytes, \(valid)")
                    break
                }
            } else {
                #expect(before == nil, "out.csv disappeared after a kill")
            }
            for name in leftovers {
                let temp = directory + "/" + name
                if let bytes = fileBytes(temp) {
                    #expect(hasBytePrefix(complete[strategy]!, bytes), "a leftover temporary file is not a prefix of the export")
                }
                if keptTemp == nil {
                    keptTemp = name
                } else {
                    try? FileManager.default.removeItem(atPath: temp)
                }
            }
        }
        print("KillDuringSaveTests export: \(counts); \(absentChecks) kills started without out.csv")
        Self.expectMeaningful(counts, "export")

        let tempsBefore = prioTempFiles(in: directory, for: "out.csv")
        let final = try sandbox.run("export", "big.md", "--format", "csv", "--all", "--strategy", "rice", "-o", "out.csv")
        #expect(final.status == 0, "\(final)")
        #expect(sameBytes(fileBytes(out), complete["rice"]))
        #expect(prioTempFiles(in: directory, for: "out.csv").isEmpty, "a successful export left temporary files of dead writers")
        print("KillDuringSaveTests export: the final export removed \(tempsBefore.count) leftover temporary file(s); took \(clock.now - testStart)")
    }
}
