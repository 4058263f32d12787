import Foundation
import Testing
import PrioEngine
import PrioStorage
#if canImport(Glibc)
import Glibc
#endif

/// Runs a bash line with `$PRIO` set to the prio under test, in a directory; its status and stderr.
func shell(_ line: String, in directory: URL) throws -> (status: Int32, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/bash")
    process.arguments = ["-c", line]
    process.currentDirectoryURL = directory
    var environment = ProcessInfo.processInfo.environment
    environment["PRIO"] = try #require(PrioRunner.executable?.path)
    process.environment = environment
    let errors = Pipe()
    process.standardError = errors
    process.standardOutput = FileHandle.nullDevice
    try process.run()
    let data = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Each reproduction of the adversarial review (issue 8), run against the real binary.
@Suite("Trust: data loss, crashes, malformed writes, injection, silent failures")
struct TrustTests {
    // MARK: Data loss

    @Test("Export onto the backlog itself is refused, by any path to it", arguments: [
        "b.md", "./b.md", "link.md", "hard.md", "sub/../b.md",
    ])
    func exportOntoBacklog(_ target: String) throws {
        let box = try Sandbox()
        let before = try box.initSample("b.md")
        try FileManager.default.createDirectory(at: box.file("sub"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: box.path("link.md"), withDestinationPath: "b.md")
        #expect(link(box.path("b.md"), box.path("hard.md")) == 0)
        let result = try box.run("export", "b.md", "--format", "csv", "-o", target)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("is the backlog itself; an export never replaces it"), "\(result)")
        #expect(try box.read("b.md") == before)
    }

    @Test("Export onto a FIFO, a device or a directory is refused and replaces nothing")
    func exportOntoSpecialFiles() throws {
        let box = try Sandbox()
        try box.initSample("b.md")
        #expect(mkfifo(box.path("fifo"), 0o644) == 0)
        for (target, words) in [("fifo", "is a FIFO"), ("/dev/null", "is a character device"), (".", "is a directory")] {
            let result = try box.run("export", "b.md", "--format", "csv", "-o", target)
            #expect(result.status == 1, "\(target): \(result)")
            #expect(result.stderr.contains(words), "\(target): \(result)")
        }
        var info = stat()
        #expect(lstat(box.path("fifo"), &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "the FIFO is still a FIFO")
        #expect(lstat("/dev/null", &info) == 0 && (info.st_mode & S_IFMT) == S_IFCHR)
    }

    // MARK: Crashes

    @Test("One- and two-character file names, '-' and trailing slashes never crash", arguments: ["b", "z", "ab", "-"])
    func shortNames(_ name: String) throws {
        let box = try Sandbox()
        let created = try box.run("init", "--", name)
        #expect(created.status == 0 && !created.crashed, "\(created)")
        let added = try box.run("add", name, "--title", "One", "value=3", "points=2")
        #expect(added.status == 0 && !added.crashed, "\(added)")
        let set = try box.run("set", name, "S-1", "value=5")
        #expect(set.status == 0 && !set.crashed, "\(set)")
        #expect(try box.text(name).contains("- value: 5"))
        for output in ["a", "q", "xy"] {
            let exported = try box.run("export", name, "--format", "csv", "-o", output)
            #expect(exported.status == 0 && !exported.crashed, "\(exported)")
            #expect(try box.text(output).hasPrefix("rank,id,title"))
        }
        let dash = try box.run("export", name, "--format", "csv", "-o", "-")
        #expect(dash.status == 0 && dash.stdout.hasPrefix("rank,id,title"), "\(dash)")
        for odd in [".", "..", "a/", "nowhere/"] {
            let result = try box.run("export", name, "--format", "csv", "-o", odd)
            #expect(result.status == 1 && !result.crashed, "\(odd): \(result)")
        }
        let slash = try box.run("init", "c/")
        #expect(slash.status == 1 && !slash.crashed, "\(slash)")
    }

    @Test("generate --count beyond a million is refused with a clear error")
    func generateBound() throws {
        let box = try Sandbox()
        let result = try box.run("generate", "--count", "1000000000", "g.md")
        #expect(result.status != 0 && !result.crashed, "\(result)")
        #expect(result.stderr.contains("--count must be at most 1000000"))
        #expect(!box.exists("g.md"))
    }

    // MARK: Malformed writes

    @Test("Line breaks and '|' in values are refused by every writer; the file is unchanged", arguments: [
        ["plan", "b.md", "--capacity", "5", "--sprint", "Sprint\n## S-99 Injected", "--apply"],
        ["plan", "b.md", "--capacity", "5", "--sprint", "A | capacity 1", "--apply"],
        ["set", "b.md", "S-1", "sprint=A | B"],
        ["set", "b.md", "S-1", "title=One\n## S-99 Injected"],
        ["set", "b.md", "S-1", "team=x\r- value: 99"],
        ["add", "b.md", "--title", "New\n## S-98 Injected"],
        ["init", "n.md", "--name", "Name\n## S-1 Injected"],
    ])
    func oneLineValues(_ arguments: [String]) throws {
        let box = try Sandbox()
        let before = try box.initSample("b.md")
        let result = try box.run(arguments: arguments)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("must be one line") || result.stderr.contains("cannot hold '|'"), "\(result)")
        #expect(try box.read("b.md") == before)
        #expect(!box.exists("n.md"))
    }

    @Test("An import joins a multi-line title cell into one line; a heading inside it never becomes a story")
    func importLineBreak() throws {
        let box = try Sandbox()
        try box.initSample("b.md")
        try box.write("in.csv", "Summary,Story Points\n\"Two\n## S-99 Injected\",3\n")
        let result = try box.run("import", "b.md", "--from", "csv", "in.csv")
        #expect(result.status == 0, "\(result)")
        let text = try box.text("b.md")
        #expect(text.contains("## S-37 Two ## S-99 Injected\n"))
        #expect(!text.contains("\n## S-99"))
    }

    static let conflicted = """
        # Shop

        ## S-1 Checkout
        <<<<<<< HEAD
        - value: 8
        =======
        - value: 13
        >>>>>>> feature

        ## S-2 Search
        - value: 5

        """

    @Test("A file with git conflict markers is refused by every command, at the marker", arguments: [
        ["check", "b.md"], ["set", "b.md", "S-2", "value=1"], ["rm", "b.md", "S-2"], ["move", "b.md", "S-2", "--top"],
        ["rank", "b.md", "--apply"], ["rank", "b.md"], ["export", "b.md", "--format", "json"], ["plan", "b.md", "--capacity", "5"],
    ])
    func conflictMarkers(_ arguments: [String]) throws {
        let box = try Sandbox()
        try box.write("b.md", Self.conflicted)
        let result = try box.run(arguments: arguments)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.hasPrefix("b.md:4:1: error: unresolved merge conflict"), "\(result)")
        #expect(result.stderr.contains("delete the three marker lines"))
        #expect(try box.text("b.md") == Self.conflicted)
    }

    @Test("A change that closes a dependency cycle is refused, naming it; check locates a hand-written one")
    func cycles() throws {
        let box = try Sandbox()
        try box.write("b.md", "# B\n\n## S-1 A\n- points: 1\n\n## S-2 B\n- depends: S-1\n\n## S-3 C\n- depends: S-2\n")
        let before = try box.read("b.md")
        let set = try box.run("set", "b.md", "S-1", "depends=S-3")
        #expect(set.status == 1, "\(set)")
        #expect(set.stderr == "prio: error: S-1 would close a dependency cycle: S-1 → S-3 → S-2 → S-1\nnothing was written\n", "\(set)")
        #expect(try box.read("b.md") == before)
        let add = try box.run("add", "b.md", "--title", "D", "depends=S-4")
        #expect(add.status == 1 && add.stderr.contains("cannot depend on itself"), "\(add)")
        try box.write("in.csv", "Issue key,Summary,Depends\nS-7,X,S-8\nS-8,Y,S-7\n")
        let imported = try box.run("import", "b.md", "--from", "csv", "in.csv")
        #expect(imported.status == 1 && imported.stderr.contains("in.csv:2:7: error: the import would close a dependency cycle"), "\(imported)")
        #expect(try box.read("b.md") == before)

        try box.write("c.md", "# B\n\n## S-1 A\n- value: 1\n- depends: S-2\n\n## S-2 B\n- depends: S-1\n")
        let check = try box.run("check", "c.md")
        #expect(check.status == 1, "\(check)")
        #expect(check.stderr.contains("c.md:5:1: error: dependency cycle: S-1 → S-2 → S-1"), "\(check)")
    }

    @Test("A file with CR-only line endings reads every story, and add writes CR lines")
    func crOnly() throws {
        let box = try Sandbox()
        let text = "# B\r\r## S-1 A\r- value: 3\r\r## S-2 B\r- value: 5\r"
        try box.write("b.md", text)
        let check = try box.run("check", "b.md")
        #expect(check.stdout.contains("2 stories"), "\(check)")
        let add = try box.run("add", "b.md", "--title", "C")
        #expect(add.stdout == "S-3\n", "\(add)")
        #expect(try box.text("b.md") == text + "\r## S-3 C\r")
        #expect(!(try box.read("b.md")).contains(0x0A))
    }

    @Test("A read-only backlog is never replaced; a writable one keeps its mode", arguments: [
        ["set", "b.md", "S-1", "value=8"], ["add", "b.md", "--title", "New"], ["rm", "b.md", "S-2", "--force"],
        ["move", "b.md", "S-3", "--top"], ["rank", "b.md", "--strategy", "wsjf", "--apply"],
    ])
    func readOnly(_ arguments: [String]) throws {
        let box = try Sandbox()
        let before = try box.initSample("b.md")
        #expect(chmod(box.path("b.md"), 0o444) == 0)
        let result = try box.run(arguments: arguments)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("b.md is read-only (mode 444); nothing was written"), "\(result)")
        #expect(try box.read("b.md") == before)
        #expect(chmod(box.path("b.md"), 0o640) == 0)
        let again = try box.run(arguments: arguments)
        #expect(again.status == 0, "\(again)")
        #expect(filePermissions(box.path("b.md")) == 0o640)
    }

    @Test("A FIFO or a device as the backlog is refused at once, never read")
    func nonRegularBacklog() throws {
        let box = try Sandbox()
        #expect(mkfifo(box.path("fifo.md"), 0o644) == 0)
        let clock = ContinuousClock()
        let start = clock.now
        for (path, words) in [("fifo.md", "is a FIFO"), ("/dev/zero", "is a character device")] {
            let result = try box.run("check", path)
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.contains(words) && result.stderr.contains("prio reads only regular files"), "\(result)")
        }
        #expect(clock.now - start < .seconds(20), "refusing must not wait for a writer")
    }

    // MARK: Injection

    static let hostile = "# Shop \u{1B}]0;pwned\u{07}\n\n- sprint: Sprint \u{1B}[31mRed | capacity 10\n\n## S-1 Title \u{1B}]52;c;cGF5bG9hZA==\u{07}end\n- points: 3\n- sprint: Sprint \u{1B}[31mRed\n- value: 5\n\nA description with \u{9B}31m C1 and \u{1B}[2J escapes.\n\n## S-2 =HYPERLINK(\"http://x\")\n- value: -3\n- team: @admin\n- points: 2\n"

    @Test("No output carries a control character but tab and line breaks", arguments: [
        ["export", "b.md", "--format", "markdown"], ["export", "b.md", "--format", "csv"], ["export", "b.md", "--format", "json"],
        ["rank", "b.md"], ["rank", "b.md", "--format", "json"], ["plan", "b.md", "--capacity", "10"],
        ["plan", "b.md", "--capacity", "10", "--format", "markdown"], ["plan", "b.md", "--capacity", "10", "--format", "json"],
        ["forecast", "b.md", "--velocity", "5"], ["check", "b.md"],
    ])
    func noControlCharacters(_ arguments: [String]) throws {
        let box = try Sandbox()
        try box.write("b.md", Self.hostile)
        let result = try box.run(arguments: arguments)
        #expect(result.status == 0, "\(result)")
        for (name, data) in [("stdout", result.stdoutData), ("stderr", result.stderrData)] {
            let text = String(decoding: data, as: UTF8.self)
            let bad = text.unicodeScalars.filter { s in
                (s.value < 0x20 && s != "\t" && s != "\n" && s != "\r") || (0x7F...0x9F).contains(s.value)
            }
            #expect(bad.isEmpty, "\(arguments) \(name) carries \(bad.map { String($0.value, radix: 16) })")
            #expect(!text.contains("\r") || text.contains("\r\n"), "a lone CR in \(name)")
        }
        // The backlog itself is the user's data: untouched, escapes and all.
        #expect(try box.text("b.md") == Self.hostile)
    }

    @Test("Messages naming a file show its control characters as placeholders")
    func messagesSanitised() throws {
        let box = try Sandbox()
        try box.initSample("b.md")
        let name = "out\u{1B}]0;x\u{07}.csv"
        let result = try box.run("export", "b.md", "--format", "csv", "-o", name)
        #expect(result.status == 0, "\(result)")
        #expect(!result.stderr.contains("\u{1B}") && result.stderr.contains("␛"), "\(result)")
    }

    @Test("CSV cells that would run as formulas get a leading quote; numbers stay; --raw keeps them; import reads them back")
    func csvInjection() throws {
        let box = try Sandbox()
        try box.write("b.md", Self.hostile)
        let csv = try box.run("export", "b.md", "--format", "csv", "--all")
        let rows = try parseCSV(csv.stdout)
        let header = try #require(rows.first)
        let titleColumn = try #require(header.firstIndex(of: "title"))
        let valueColumn = try #require(header.firstIndex(of: "value"))
        let teamColumn = try #require(header.firstIndex(of: "team"))
        let second = try #require(rows.first { $0.count > 1 && $0[1] == "S-2" })
        #expect(second[titleColumn] == "'=HYPERLINK(\"http://x\")")
        #expect(second[valueColumn] == "-3")
        #expect(second[teamColumn] == "'@admin")
        let raw = try box.run("export", "b.md", "--format", "csv", "--all", "--raw")
        let rawSecond = try #require(try parseCSV(raw.stdout).first { $0.count > 1 && $0[1] == "S-2" })
        #expect(rawSecond[titleColumn] == "=HYPERLINK(\"http://x\")")
        #expect(rawSecond[teamColumn] == "@admin")

        // Round trip: an export imported into a new backlog gives the same titles and values.
        try box.run("init", "new.md")
        try box.write("out.csv", csv.stdout)
        let imported = try box.run("import", "new.md", "--from", "csv", "out.csv")
        #expect(imported.status == 0, "\(imported)")
        let text = try box.text("new.md")
        #expect(text.contains("## S-2 =HYPERLINK(\"http://x\")"))
        #expect(text.contains("- value: -3"))
        #expect(text.contains("- team: @admin"))
    }

    // MARK: Silent failures

    @Test("Output to a full disk is an error with a non-zero status; a closed pipe ends with 141")
    func failedWrites() throws {
        let box = try Sandbox()
        try box.run("generate", "--count", "3000", "big.md")
        let full = try shell("\"$PRIO\" export big.md --format csv > /dev/full", in: box.url)
        #expect(full.status == 1, "\(full)")
        #expect(full.stderr.contains("cannot write to standard output: No space left on device"), "\(full)")
        let pipe = try shell("\"$PRIO\" export big.md --format csv | head -c 100 > /dev/null; exit ${PIPESTATUS[0]}", in: box.url)
        #expect(pipe.status == 141, "\(pipe)")
        #expect(pipe.stderr.isEmpty, "\(pipe)")
    }

    @Test("A held directory lock: set waits with a message, then gives up; nothing is written")
    func heldLock() throws {
        let box = try Sandbox()
        let before = try box.initSample("b.md")
        let fd = open(box.url.path, O_RDONLY | O_DIRECTORY)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        let result = try box.run("set", "b.md", "S-1", "value=8", environment: ["PRIO_LOCK_TIMEOUT": "1"])
        flock(fd, LOCK_UN)
        close(fd)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("prio: waiting for another process writing in"), "\(result)")
        #expect(result.stderr.contains("has held the lock on"), "\(result)")
        #expect(try box.read("b.md") == before)
        #expect(try box.listing().filter { $0.contains(".prio-") }.isEmpty, "the failed save left its temporary file")
        let again = try box.run("set", "b.md", "S-1", "value=8")
        #expect(again.status == 0, "\(again)")
    }

    @Test("A save removes dead writers' temporary files and leaves a live writer's")
    func staleTemporaryFiles() throws {
        let box = try Sandbox()
        try box.initSample("b.md")
        try box.write(".b.md.prio-AbC123", "partial")
        try box.write(".b.md.prio-live99", "partial")
        try box.write(".b.md.prio-recovery", "not a temporary file")
        try box.write(".other.md.prio-XyZ789", "another file's")
        let live = open(box.path(".b.md.prio-live99"), O_RDONLY)
        #expect(live >= 0 && flock(live, LOCK_EX) == 0)
        defer { close(live) }
        let result = try box.run("set", "b.md", "S-1", "value=8")
        #expect(result.status == 0, "\(result)")
        #expect(try box.listing().filter { $0.hasPrefix(".") } == [".b.md.prio-live99", ".b.md.prio-recovery", ".other.md.prio-XyZ789"])
    }

    @Test("Very long file names save and export (temporary names are shortened)")
    func longNames() throws {
        let box = try Sandbox()
        let name = String(repeating: "n", count: 246) + ".md"
        #expect(try box.run("init", name).status == 0)
        let set = try box.run("add", name, "--title", "One")
        #expect(set.status == 0, "\(set)")
        let export = try box.run("export", name, "--format", "csv", "-o", String(repeating: "e", count: 250) + ".csv")
        #expect(export.status == 0, "\(export)")
    }
}

/// A small CSV reader for the tests (RFC 4180: quotes, doubled quotes, CRLF).
func parseCSV(_ text: String) throws -> [[String]] {
    var rows: [[String]] = []
    var row: [String] = []
    var cell = ""
    var quoted = false
    var chars = Array(text.unicodeScalars)[...]
    while let c = chars.popFirst() {
        if quoted {
            if c == "\"" {
                if chars.first == "\"" { cell.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
            } else {
                cell.unicodeScalars.append(c)
            }
        } else if c == "\"" {
            quoted = true
        } else if c == "," {
            row.append(cell)
            cell = ""
        } else if c == "\r" && chars.first == "\n" {
            continue
        } else if c == "\n" {
            row.append(cell)
            rows.append(row)
            row = []
            cell = ""
        } else {
            cell.unicodeScalars.append(c)
        }
    }
    if !cell.isEmpty || !row.isEmpty { row.append(cell); rows.append(row) }
    return rows
}
