import Foundation
import PrioEngine
import PrioStorage
import PropertyBased
import Testing

/// The engine's rules behind issue 8, with worked examples.
@Suite("Trust rules in the engine")
struct TrustEngineTests {
    @Test("Path names without Foundation: dirname and basename as POSIX says", arguments: [
        ("b", ".", "b"), ("z", ".", "z"), ("ab", ".", "ab"), ("-", ".", "-"), (".", ".", "."), ("..", ".", ".."),
        ("/", "/", "/"), ("/b", "/", "b"), ("a/b", "a", "b"), ("a/b/", "a", "b"), ("a//b", "a", "b"),
        ("/x/y/z.md", "/x/y", "z.md"), ("", ".", ""), ("é/ü", "é", "ü"),
    ])
    func pathNames(_ path: String, _ directory: String, _ name: String) {
        #expect(PathName.directory(of: path) == directory)
        #expect(PathName.lastComponent(of: path) == name)
    }

    @Test("Stems, extensions and byte-bounded prefixes")
    func stems() {
        #expect(PathName.stem(of: "b.md") == "b")
        #expect(PathName.stem(of: ".b") == ".b")
        #expect(PathName.stem(of: "b") == "b")
        #expect(PathName.pathExtension(of: "b.tar.gz") == "gz")
        #expect(PathName.pathExtension(of: ".b") == "")
        #expect(PathName.prefix(of: "日本語", bytes: 7) == "日本")
        #expect(PathName.sibling(of: "dir/b.md", named: "c.md") == "dir/c.md")
        #expect(PathName.sibling(of: "b.md", named: "c.md") == "c.md")
        #expect(PathName.sibling(of: "dir/b.md", named: "/abs.md") == "/abs.md")
    }

    @Test("Output text keeps tabs, LF and CR LF; every other control character becomes a placeholder")
    func outputSanitising() {
        #expect(TerminalSafe.output("a\tb\nc\r\nd") == "a\tb\nc\r\nd")
        #expect(TerminalSafe.output("x\u{1B}]52;c;AA\u{07}y") == "x␛]52;c;AA␇y")
        #expect(TerminalSafe.output("lone\rcr") == "lone␍cr")
        #expect(TerminalSafe.output("c1\u{9B}31m") == "c1\u{FFFD}31m")
        #expect(TerminalSafe.output("bidi\u{202E}x") == "bidi\u{FFFD}x")
        #expect(TerminalSafe.output("日本語 🎁 é") == "日本語 🎁 é")
        #expect(TerminalSafe.sanitize("a\tb\n") == "a␉b␊")
    }

    @Test("JSON strings escape C1 and bidi controls instead of dropping them")
    func jsonEscapes() {
        #expect(JSON.string("a\u{9B}b\u{202E}c") == "\"a\\u009bb\\u202ec\"")
    }

    @Test("CSV formula cells are neutralised, numbers are not, and import undoes it", arguments: [
        ("=1+1", "'=1+1"), ("+cmd", "'+cmd"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
        ("-3", "-3"), ("+2.5", "+2.5"), ("40%", "40%"), ("-", "'-"), ("plain", "plain"), ("", ""), ("'=x", "''=x"), ("''=x", "'''=x"), ("'-3", "'-3"), ("'plain", "'plain"),
    ])
    func csvFormulas(_ cell: String, _ expected: String) {
        #expect(CSV.neutralised(cell) == expected)
        #expect(CSV.unneutralised(CSV.neutralised(cell)) == cell)
    }

    @Test("A CR-only file reads like its LF twin and writes back byte for byte")
    func crOnly() throws {
        let lf = "# B\n\n- prefix: S\n\n## S-1 A\n- value: 3\n\nText\n\n## S-2 B\n- value: 5\n"
        let cr = lf.replacing("\n", with: "\r")
        let a = try BacklogParser.parse(lf, path: "lf.md").backlog
        var b = try BacklogParser.parse(cr, path: "cr.md").backlog
        #expect(a.stories.map(\.id) == b.stories.map(\.id))
        #expect(b.stories.map(\.description) == ["Text", ""])
        #expect(BacklogWriter.write(b) == Array(cr.utf8))
        try b.update(at: 1) { (s: inout Story) throws(FieldProblem) in try s.setField("points", "2") }
        #expect(String(decoding: BacklogWriter.write(b), as: UTF8.self) == cr + "- points: 2\r")
    }

    @Test("Conflict markers are found only as git writes them: <<<<<<<, then =======, then >>>>>>>")
    func conflictMarkers() throws {
        let conflicted = "# B\n\n## S-1 A\n<<<<<<< HEAD\n- value: 1\n=======\n- value: 2\n>>>>>>> other\n"
        #expect(throws: BacklogErrors.self) { try BacklogParser.parse(conflicted, path: "b.md") }
        do {
            _ = try BacklogParser.parse(conflicted, path: "b.md")
        } catch {
            #expect(error.errors.map(\.description) == [
                "b.md:4:1: error: unresolved merge conflict (git's <<<<<<< marker): keep the lines you want between <<<<<<<, "
                    + "======= and >>>>>>>, delete the three marker lines, then run 'prio check'",
            ])
        }
        // A setext underline or a quote alone is Markdown, not a conflict.
        let markdown = "# B\n\n## S-1 A\n\nTitle\n=======\n\n>>>>>>> deeply quoted\n"
        #expect(try BacklogParser.parse(markdown, path: "b.md").backlog.stories.count == 1)
        #expect(try BacklogParser.parse("<<<<<<<<<< arrows\n", path: "b.md").backlog.stories.isEmpty)
    }

    @Test("A big file's conflict markers are found in either half, and one on the split's line too")
    func conflictMarkersInBigFile() throws {
        let lines = String(decoding: BacklogGenerator.markdown(count: 12_000), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let bytes = lines.reduce(0) { $0 + $1.utf8.count + 1 }
        #expect(bytes >= 1 << 21)
        // Lines near the start, the middle (on both sides of the byte midpoint) and the end.
        var midLine = 0, seen = 0
        while seen < bytes / 2 { seen += lines[midLine].utf8.count + 1; midLine += 1 }
        for at in [10, midLine - 1, midLine, midLine + 1, lines.count - 3] {
            var edited = lines
            edited.insert(contentsOf: ["<<<<<<< ours", "- value: 1", "=======", "- value: 2", ">>>>>>> theirs"], at: at)
            let text = edited.joined(separator: "\n")
            #expect(throws: BacklogErrors.self) { try BacklogParser.parse(text, path: "b.md") }
            do {
                _ = try BacklogParser.parse(text, path: "b.md")
            } catch {
                #expect(error.errors.map(\.location.line) == [at + 1], "marker at line \(at + 1)")
            }
        }
    }

    @Test("The one rule for depends: itself, missing, and cycles named from the story")
    func dependencyRule() throws {
        let backlog = try BacklogParser.parse(
            "# B\n\n## S-1 A\n\n## S-2 B\n- depends: S-1\n\n## S-3 C\n- depends: S-2\n", path: "b.md").backlog
        var s1 = backlog.stories[0]
        try s1.setField("depends", "S-3")
        #expect(backlog.dependencyProblem(of: s1) == "S-1 would close a dependency cycle: S-1 → S-3 → S-2 → S-1")
        try s1.setField("depends", "S-1")
        #expect(backlog.dependencyProblem(of: s1) == "S-1 cannot depend on itself")
        try s1.setField("depends", "S-9")
        #expect(backlog.dependencyProblem(of: s1) == "S-1 depends on S-9, which is not in the backlog")
        var s4 = Story(id: StoryID("S-4")!, title: "D")
        try s4.setField("depends", "S-3, S-1")
        #expect(backlog.dependencyProblem(of: s4) == nil)
        #expect(backlog.dependencyCycles().isEmpty)
    }

    @Test("Hand-written cycles are each found once and located at the depends line")
    func cycleDiagnostics() throws {
        let text = "# B\n\n## S-1 A\n- depends: S-2\n\n## S-2 B\n- depends: S-1\n\n## S-3 C\n- value: 1\n- depends: S-1\n"
        let backlog = try BacklogParser.parse(text, path: "b.md").backlog
        #expect(backlog.dependencyCycles().map(\.description) == ["dependency cycle: S-1 → S-2 → S-1"])
        let parsed = try BacklogParser.parse("# B\n\n## S-1 A\n- depends: S-2\n\n## S-2 B\n- depends: S-1\n", path: "c.md")
        #expect(parsed.backlog.cycleDiagnostics(path: "c.md").map(\.description)
                == ["c.md:4:1: error: dependency cycle: S-1 → S-2 → S-1 (a story cannot wait for itself; remove one of these depends)"])
    }

    @Test("Values with line breaks are refused by the one writer check; tabs become spaces")
    func oneLine() throws {
        #expect(throws: FieldProblem.self) { try Story.oneLine("a\nb", what: "x") }
        #expect(throws: FieldProblem.self) { try Story.oneLine("a\rb", what: "x") }
        #expect(throws: FieldProblem.self) { try Story.oneLine("a\u{2028}b", what: "x") }
        #expect(try Story.oneLine(" a\tb ", what: "x") == "a b")
        #expect(throws: FieldProblem.self) { try Sprint.checkName("A | capacity 3") }
        var story = Story(id: StoryID("S-1")!, title: "T")
        #expect(throws: FieldProblem.self) { try story.setField("sprint", "A | B") }
        #expect(throws: FieldProblem.self) { try story.setTitle("x\n## S-2 y") }
        #expect(story.title == "T")
    }

    @Test("Any title, field value and sprint name either is refused or reads back as written, one story only")
    func writerNeverInjects() async {
        let alphabet = Array("ab |#-:\n\r\t\u{2028}=<>`*S1".unicodeScalars)
        await propertyCheck(count: 300, input: Gen.int(in: 0...(Int.max - 1)).array(of: 1...4)) { seeds in
            var story = Story(id: StoryID("S-1")!, title: "T")
            var text = ""
            for seed in seeds { text.unicodeScalars.append(alphabet[seed % alphabet.count]) }
            let title = (try? story.setTitle(text)) != nil
            let field = (try? story.setField("team", text)) != nil
            let sprint = (try? story.setField("sprint", text)) != nil
            var backlog = Backlog(name: "B")
            try? backlog.append(story)
            let written = BacklogWriter.write(backlog)
            let reread = try? BacklogParser.parse(written, path: "b.md").backlog
            #expect(reread?.stories.count == 1, "\(text.debugDescription) made \(reread?.stories.count ?? -1) stories")
            if title { #expect(reread?.stories.first?.title == story.title) }
            if field { #expect(reread?.stories.first?.value(of: "team") == story.value(of: "team")) }
            if sprint { #expect(reread?.stories.first?.value(of: .sprint) == story.value(of: .sprint)) }
        }
    }

    @Test("Reading refuses FIFOs and devices at once and files over the size limit")
    func reading() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("prio-read-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let fifo = dir.appendingPathComponent("f").path
        #expect(mkfifo(fifo, 0o600) == 0)
        #expect(throws: PrioError("\(fifo): is a FIFO, not a regular file; prio reads only regular files")) { try readFile(fifo) }
        let big = dir.appendingPathComponent("big").path
        try Data(count: 2048).write(to: URL(fileURLWithPath: big))
        #expect(throws: PrioError.self) { try readFile(big, limit: 1024) }
        #expect(try readFile(big, limit: 2048).count == 2048)
    }
}
