import Foundation
import PrioEngine
import PrioStorage
import Testing

// Hostile input: every file below is generated here (nothing big is committed). Each one must give
// either a correct load whose write-back is byte-identical, or errors located as `path:line:col`;
// never a crash or a hang. Every case is timed with ContinuousClock and must finish in under 10 s
// (a hang cannot be interrupted in-process, but a slow path shows up as a failed bound).

/// Seeded bytes for the corpus (SplitMix64, as the generator uses; the engine's own is internal).
private struct Seeded {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func bytes(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count + 8)
        while out.count < count {
            var word = next()
            for _ in 0..<8 {
                out.append(UInt8(truncatingIfNeeded: word))
                word >>= 8
            }
        }
        return Array(out.prefix(count))
    }
}

/// What happened to one hostile input.
private enum Outcome {
    case loaded(ParsedBacklog)
    case rejected([Diagnostic])
}

/// The time bound for one hostile case: a hang detector, not a speed target (those live in the
/// benchmarks). Debug builds on a loaded two-core machine run the million-story case in 6-20 s.
private let bound: Duration = .seconds(45)

/// Runs `body`, records how long it took, and expects it under the bound.
@discardableResult
private func timed<T>(_ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation, _ body: () throws -> T) rethrows -> T {
    let clock = ContinuousClock()
    let start = clock.now
    let result = try body()
    let elapsed = clock.now - start
    print("hostile input \(name): \(elapsed)")
    #expect(elapsed < bound, "\(name) took \(elapsed)", sourceLocation: sourceLocation)
    return result
}

/// The line count of a byte buffer (a last line without a newline counts).
private func lineCount(_ bytes: [UInt8]) -> Int {
    bytes.reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
}

/// Checks that a diagnostic is located: `path:line:col: error: message`, line and column in range.
private func expectLocated(_ diagnostic: Diagnostic, path: String, lines: Int, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    let text = diagnostic.description
    #expect(text.hasPrefix("\(path):\(diagnostic.location.line):\(diagnostic.location.column): error: "),
            "not located: \(text.prefix(300))", sourceLocation: sourceLocation)
    #expect(diagnostic.location.path == path, sourceLocation: sourceLocation)
    #expect(diagnostic.location.line >= 1 && diagnostic.location.line <= lines,
            "line out of range (\(lines) lines): \(text.prefix(300))", sourceLocation: sourceLocation)
    #expect(diagnostic.location.column >= 1, "column out of range: \(text.prefix(300))", sourceLocation: sourceLocation)
    #expect(!diagnostic.message.isEmpty, sourceLocation: sourceLocation)
}

/// Parses hostile bytes: a load must write back byte for byte; a rejection must be located errors.
@discardableResult
private func loadOrLocatedErrors(_ bytes: [UInt8], path: String, name: String,
                                 sourceLocation: Testing.SourceLocation = #_sourceLocation) -> Outcome {
    timed(name, sourceLocation: sourceLocation) {
        do {
            let parsed = try BacklogParser.parse(bytes, path: path)
            let back = BacklogWriter.write(parsed.backlog)
            #expect(back == bytes, "\(name): loaded but did not write back byte for byte (\(bytes.count) -> \(back.count) bytes)",
                    sourceLocation: sourceLocation)
            for warning in parsed.warnings {
                #expect(warning.location.path == path && warning.location.line >= 1 && warning.location.column >= 1,
                        sourceLocation: sourceLocation)
            }
            return .loaded(parsed)
        } catch let error as BacklogErrors {
            #expect(!error.errors.isEmpty, "\(name): rejected without an error", sourceLocation: sourceLocation)
            let lines = lineCount(bytes)
            for diagnostic in error.errors.prefix(200) {
                expectLocated(diagnostic, path: path, lines: lines, sourceLocation: sourceLocation)
            }
            // Rendering must not blow up either (it is what the CLI prints).
            #expect(!error.rendered().isEmpty, sourceLocation: sourceLocation)
            return .rejected(error.errors)
        } catch {
            Issue.record("\(name): unexpected error \(error)", sourceLocation: sourceLocation)
            return .rejected([])
        }
    }
}

private func utf8(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite("Hostile input")
struct HostileInputTests {

    // MARK: Bytes that are not a backlog

    @Test("Seeded binary garbage is rejected with located errors, never a crash")
    func binaryGarbage() {
        for seed in UInt64(1)...40 {
            var random = Seeded(seed)
            let size = 1 + Int(random.next() % 65_536)
            let bytes = random.bytes(size)
            loadOrLocatedErrors(bytes, path: "garbage-\(seed).md", name: "garbage seed \(seed) (\(size) B)")
        }
        // Garbage that is valid UTF-8: random ASCII including every control character, NUL included.
        for seed in UInt64(100)...120 {
            var random = Seeded(seed)
            let bytes = random.bytes(32_768).map { $0 & 0x7F }
            loadOrLocatedErrors(bytes, path: "ascii-\(seed).md", name: "ASCII garbage seed \(seed)")
        }
        // Markdown-shaped garbage: headings, fields and fences in random order.
        let pieces = ["## S-1 a\n", "## S-2\n", "- value: 3\n", "- value: x\n", "```\n", "~~~\n", "- depends: S-9\n",
                      "# Name\n", "- strategy: nope\n", "\n", "## \n", "- prefix: 9\n", "## S-1 again\n", "text\n",
                      "- fields: a, b\n", "- sprint: s1 2026-01-01 2026-01-14 10\n", "\r\n", "- status: done\n"]
        for seed in UInt64(200)...260 {
            var random = Seeded(seed)
            var text = ""
            for _ in 0..<(Int(random.next() % 400)) { text += pieces[Int(random.next() % UInt64(pieces.count))] }
            loadOrLocatedErrors(utf8(text), path: "shaped-\(seed).md", name: "shaped garbage seed \(seed)")
        }
    }

    @Test("Invalid UTF-8 is an error at the offending line and column", arguments: [
        ("lone continuation", [0x80] as [UInt8]),
        ("overlong slash", [0xC0, 0xAF]),
        ("surrogate", [0xED, 0xA0, 0x80]),
        ("above U+10FFFF", [0xF4, 0x90, 0x80, 0x80]),
        ("byte F5", [0xF5]),
        ("byte FF", [0xFF]),
        ("truncated at the end", [0xE2, 0x82]),
    ])
    func invalidUTF8(name: String, sequence: [UInt8]) throws {
        // Line 3, column 10: "## S-1 ab" is 9 scalars, the bad byte is the 10th.
        let bytes = utf8("# B\n\n## S-1 ab") + sequence + (name == "truncated at the end" ? [] : utf8("cd\n- value: 3\n"))
        let outcome = loadOrLocatedErrors(bytes, path: "bad.md", name: "invalid UTF-8 \(name)")
        guard case .rejected(let errors) = outcome else {
            Issue.record("invalid UTF-8 (\(name)) was accepted")
            return
        }
        #expect(errors.count == 1)
        #expect(errors[0].location.line == 3)
        #expect(errors[0].location.column == 10)
        #expect(errors[0].message.contains("UTF-8"))
    }

    // MARK: Encodings and line endings

    @Test("A UTF-8 byte order mark and CRLF line ends load, round-trip, and survive an edit")
    func bomAndCRLF() throws {
        let body = "# Shop\r\n\r\n- strategy: wsjf\r\n\r\n## S-1 Första\r\n- value: 3\r\n- points: 2\r\n\r\nText\r\n\r\n## S-2 Two\r\n- value: 1\r\n"
        for (name, bytes) in [("BOM", [0xEF, 0xBB, 0xBF] + utf8(body.replacing("\r\n", with: "\n"))),
                              ("CRLF", utf8(body)),
                              ("BOM+CRLF", [0xEF, 0xBB, 0xBF] + utf8(body))] {
            guard case .loaded(let parsed) = loadOrLocatedErrors(bytes, path: "enc.md", name: name) else {
                Issue.record("\(name) did not load")
                continue
            }
            #expect(parsed.backlog.stories.map(\.id.description) == ["S-1", "S-2"])
            #expect(parsed.backlog.stories[0].title == "Första", "\(name): the BOM or CR leaked into the data")
            #expect(parsed.backlog.header.name == "Shop")
            // An edit keeps the BOM and the file's line ending, and changes just that line.
            var backlog = parsed.backlog
            try backlog.update(at: 1) { (story: inout Story) throws(FieldProblem) in try story.setField("points", "5") }
            let edited = BacklogWriter.write(backlog)
            let crlf = name.contains("CRLF")
            #expect(Array(edited.prefix(3)) == [0xEF, 0xBB, 0xBF] || !name.contains("BOM"), "\(name): BOM lost")
            let expected = bytes + utf8(crlf ? "- points: 5\r\n" : "- points: 5\n")
            #expect(edited == expected, "\(name): edit changed more than one line")
            if crlf {
                // No bare LF anywhere.
                for (i, b) in edited.enumerated() where b == 0x0A { #expect(i > 0 && edited[i - 1] == 0x0D) }
            }
        }
    }

    @Test("NUL bytes inside a title and inside a field value are data, kept byte for byte")
    func nulBytes() {
        let bytes = utf8("# B\n\n## S-1 Ti\u{0}tle\n- note: a\u{0}b\n- value: 3\n\nDesc\u{0}ription\n")
        guard case .loaded(let parsed) = loadOrLocatedErrors(bytes, path: "nul.md", name: "NUL in title and value") else {
            Issue.record("NUL bytes were rejected")
            return
        }
        let story = parsed.backlog.stories[0]
        #expect(story.title == "Ti\u{0}tle")
        #expect(story.value(of: "note") == "a\u{0}b")
        #expect(story.description == "Desc\u{0}ription")
        // A NUL inside a number is an error at the right place, not a truncated number.
        let badNumber = utf8("## S-1 T\n- value: 1\u{0}3\n")
        guard case .rejected(let errors) = loadOrLocatedErrors(badNumber, path: "nul2.md", name: "NUL in a number") else {
            Issue.record("'1\\0 3' was accepted as a number")
            return
        }
        #expect(errors.first?.location.line == 2)
    }

    // MARK: Size

    @Test("A 10 MB single line, with and without a story heading prefix")
    func tenMegabyteLine() {
        let long = String(repeating: "abcdefghij", count: 1_000_000)
        // No heading: header text, no stories.
        let plain = utf8(long)
        if case .loaded(let parsed) = loadOrLocatedErrors(plain, path: "line.md", name: "10 MB header line") {
            #expect(parsed.backlog.stories.isEmpty)
        } else {
            Issue.record("a 10 MB text line was rejected")
        }
        // With a heading prefix: one story with a 10 MB title.
        let heading = utf8("## S-1 ") + plain + [0x0A]
        if case .loaded(let parsed) = loadOrLocatedErrors(heading, path: "title.md", name: "10 MB heading line") {
            #expect(parsed.backlog.stories.count == 1)
            #expect(parsed.backlog.stories.first?.title.utf8.count == 10_000_000)
        } else {
            Issue.record("a 10 MB title was rejected")
        }
        // A 10 MB line of junk after a heading (an unknown-ish line in the fields) and a bad ID.
        let badID = utf8("## 1-S ") + plain
        if case .rejected(let errors) = loadOrLocatedErrors(badID, path: "badid.md", name: "10 MB heading with a bad ID") {
            #expect(errors.first?.location.line == 1 && errors.first?.location.column == 4)
            #expect(errors.first!.message.utf8.count < 100_000, "the error message quotes megabytes of the line")
        } else {
            Issue.record("a heading without a valid ID was accepted")
        }
    }

    @Test("One million tiny stories parse and round-trip within a few seconds")
    func millionStories() {
        var text = "# Many\n\n"
        text.reserveCapacity(16_000_000)
        for n in 1...1_000_000 { text += "## S-\(n) t\n" }
        let bytes = utf8(text)
        let clock = ContinuousClock()
        let start = clock.now
        var parsed: ParsedBacklog?
        do {
            parsed = try BacklogParser.parse(bytes, path: "million.md")
        } catch {
            Issue.record("a million stories did not load: \(error.errors.prefix(3))")
        }
        let parseTime = clock.now - start
        let writeStart = clock.now
        let back = parsed.map { BacklogWriter.write($0.backlog) }
        let writeTime = clock.now - writeStart
        print("hostile input 1,000,000 stories (\(bytes.count) B): parse \(parseTime), write \(writeTime)")
        #expect(parseTime < bound, "parsing a million stories took \(parseTime)")
        #expect(writeTime < bound, "writing a million stories took \(writeTime)")
        #expect(parsed?.backlog.stories.count == 1_000_000)
        #expect(parsed?.backlog.stories.last?.id.description == "S-1000000")
        #expect(back == bytes, "a million stories did not write back byte for byte")
    }

    @Test("A 100,000-character field value and title")
    func hugeValueAndTitle() {
        let big = String(repeating: "é", count: 50_000) + String(repeating: "x", count: 50_000)
        let bytes = utf8("# B\n\n## S-1 \(big)\n- note: \(big)\n- value: 3\n\n\(big)\n")
        guard case .loaded(let parsed) = loadOrLocatedErrors(bytes, path: "huge.md", name: "100,000-character title and value") else {
            Issue.record("a long title or value was rejected")
            return
        }
        #expect(parsed.backlog.stories[0].title == big)
        #expect(parsed.backlog.stories[0].value(of: "note") == big)
        // A 100,000-digit number is an error pointing at the value, with a short message.
        let digits = String(repeating: "9", count: 100_000)
        let numberBytes = utf8("## S-1 T\n- value: \(digits)\n")
        if case .rejected(let errors) = loadOrLocatedErrors(numberBytes, path: "digits.md", name: "100,000-digit number") {
            #expect(errors.first?.location.line == 2)
            #expect((10...100_010).contains(errors.first?.location.column ?? 0))
            // Not asserted: the message quotes the whole value (about 100 KB on one line).
            print("hostile input 100,000-digit number: error message of \(errors.first!.message.utf8.count) bytes")
        } else {
            Issue.record("a 100,000-digit value was accepted")
        }
    }

    @Test("Ten thousand nested list levels (and block quotes) in a description")
    func deepNesting() {
        let list = String(repeating: "- ", count: 10_000) + "deep"
        let quote = String(repeating: ">", count: 10_000) + " deep"
        var indented = ""
        for level in 0..<10_000 { indented += String(repeating: " ", count: level % 64) + "- level \(level)\n" }
        let text = "# B\n\n## S-1 Nested\n- value: 3\n- points: 1\n\n\(list)\n\(quote)\n\n\(indented)"
        guard case .loaded(let parsed) = loadOrLocatedErrors(utf8(text), path: "deep.md", name: "10,000 nested levels") else {
            Issue.record("deep nesting was rejected")
            return
        }
        #expect(parsed.backlog.stories.count == 1)
        #expect(parsed.backlog.stories[0].description.hasPrefix(list))
        // The ranking and the exports walk the description too.
        let ranking = Ranking(parsed.backlog, strategy: StrategyRegistry.strategy(named: "wsjf")!, includeDone: true)
        for format in ExportFormat.allCases {
            let out = timed("export \(format) of 10,000 nested levels") {
                Exporter.export(ranking, format: format, top: nil, date: "2026-01-01", sourceName: "deep.md")
            }
            #expect(!out.isEmpty)
        }
    }

    // MARK: Semantics

    @Test("Duplicate IDs are errors at the second use, naming the first")
    func duplicateIDs() {
        let text = "# B\n\n## S-1 One\n\n## S-2 Two\n\n## S-1 Again\n\n## S-01 Padded\n"
        guard case .rejected(let errors) = loadOrLocatedErrors(utf8(text), path: "dup.md", name: "duplicate IDs") else {
            Issue.record("duplicate IDs were accepted")
            return
        }
        // S-01 and S-1 are the same ID (zero padding is kept for display only).
        #expect(errors.map(\.description) == [
            "dup.md:7:4: error: duplicate ID S-1 (first used on line 3)",
            "dup.md:9:4: error: duplicate ID S-01 (first used on line 3)",
        ])
        // Duplicates in a file big enough to be parsed in two halves.
        var big = "# B\n\n"
        for n in 1...40_000 { big += "## S-\(n) Story \(n) with a longer title to pass the split size\n- value: 1\n\n" }
        big += "## S-7 Late duplicate\n"
        if case .rejected(let errors) = loadOrLocatedErrors(utf8(big), path: "dup2.md", name: "duplicate across the split") {
            #expect(errors.count == 1)
            #expect(errors.first?.location.line == 3 + 40_000 * 3)
        } else {
            Issue.record("a duplicate in a large file was accepted")
        }
    }

    @Test("Odd numbers load exactly or give a located error", arguments: ["1e308", "NaN", "nan", "-0", "inf", "-inf", "Infinity", "+5",
                                                                          "0x10", "1_000", "١٢", "5.", ".5", "1.2.3", "99999999999999999999999999999999"])
    func oddNumbers(_ number: String) throws {
        let text = "# B\n\n- strategy: wsjf\n\n## S-1 Odd\n- value: \(number)\n- time-criticality: 1\n- risk-reduction: 1\n- points: 1\n"
        switch loadOrLocatedErrors(utf8(text), path: "num.md", name: "number \(number)") {
        case .loaded(let parsed):
            let story = parsed.backlog.stories[0]
            #expect(story.value(of: "value") == number, "the value was changed while loading")
            let parsedNumber = story.number(.value)
            #expect(parsedNumber != nil, "\(number) loaded but is not a number")
            // Whatever loads must rank and export without trapping.
            for name in StrategyRegistry.names {
                let ranking = Ranking(parsed.backlog, strategy: StrategyRegistry.strategy(named: name)!, includeDone: true)
                for format in ExportFormat.allCases {
                    _ = Exporter.export(ranking, format: format, top: nil, date: "2026-01-01", sourceName: "num.md")
                }
            }
            // No exponent, NaN or infinity ever loads.
            #expect(!["1e308", "NaN", "nan", "inf", "-inf", "Infinity", "0x10", "1_000"].contains(number),
                    "\(number) was accepted as a number")
        case .rejected(let errors):
            #expect(errors.count == 1)
            #expect(errors.first?.location.line == 6)
            // Column 10 is the value's first character; the error may point further into it.
            let column = errors.first?.location.column ?? 0
            #expect(column >= 10 && column <= 10 + number.unicodeScalars.count, "the error does not point into the value: \(String(describing: errors.first))")
        }
    }

    // MARK: Imports

    @Test("A CSV import whose IDs collide with the backlog or each other adds nothing and locates each collision")
    func csvIDCollision() throws {
        let original = try BacklogParser.parse("# B\n\n- prefix: S\n\n## S-1 One\n\n## S-2 Two\n", path: "b.md").backlog
        var backlog = original
        let csv = "ID,Title,Value\r\nS-3,New,3\r\nS-1,Collides with the backlog,1\r\nS-3,Collides with row 2,2\r\n,Gets a fresh ID,1\r\n"
        do {
            let ids = try timed("CSV ID collision") {
                try Importer.importStories(utf8(csv), format: .csv, path: "in.csv", into: &backlog)
            }
            Issue.record("the import was accepted: \(ids)")
        } catch let error as BacklogErrors {
            #expect(error.errors.map(\.description) == [
                "in.csv:3:1: error: ID S-1 is already used in the backlog",
                "in.csv:4:1: error: ID S-3 is already used in line 2 of in.csv",
            ])
        }
        #expect(BacklogWriter.write(backlog) == BacklogWriter.write(original), "a failed import changed the backlog")
        #expect(backlog.stories.count == 2)
        // Without the collisions, the fresh row skips past every explicit ID.
        let fine = "ID,Title\r\nS-3,New\r\n,Fresh\r\n"
        let ids = try Importer.importStories(utf8(fine), format: .csv, path: "in.csv", into: &backlog)
        #expect(ids.map(\.description) == ["S-3", "S-4"])
    }

    @Test("Hostile CSV and JSON imports give located errors", arguments: [
        ("binary", Importer.Format.csv), ("binary", .json), ("unclosed quote", .csv), ("quote in field", .csv),
        ("nested arrays", .json), ("nested objects", .json), ("nested in a story", .json), ("unclosed", .json),
        ("control char", .json), ("lone surrogate", .json),
    ])
    func hostileImports(_ kind: String, _ format: Importer.Format) {
        let bytes: [UInt8]
        switch kind {
        case "binary": var random = Seeded(9); bytes = random.bytes(50_000)
        case "unclosed quote": bytes = utf8("Title,Value\r\n\"never closed,3\r\nx,1\r\n")
        case "quote in field": bytes = utf8("Title,Value\r\nab\"c,3\r\n")
        case "nested arrays": bytes = utf8(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000))
        case "nested objects": bytes = utf8(String(repeating: "{\"a\":", count: 10_000) + "1" + String(repeating: "}", count: 10_000))
        case "nested in a story":
            bytes = utf8("[{\"title\": \"x\", \"value\": " + String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "}]")
        case "unclosed": bytes = utf8(String(repeating: "[{\"title\": \"a\"},", count: 10_000))
        case "control char": bytes = utf8("[{\"title\": \"a\u{1B}b\"}]")
        default: bytes = utf8("[{\"title\": \"\\ud800\"}]")
        }
        var backlog = Backlog(name: "B")
        let path = "in.\(format.rawValue)"
        let lines = lineCount(bytes)
        let outcome: Result<[StoryID], BacklogErrors> = timed("import \(kind) \(format)") {
            do throws(BacklogErrors) {
                return .success(try Importer.importStories(bytes, format: format, path: path, into: &backlog))
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let ids):
            // Only a lone surrogate escape may load (as U+FFFD); the rest are malformed.
            #expect(kind == "lone surrogate", "\(kind) was imported: \(ids)")
            #expect(backlog.stories.first?.title == "\u{FFFD}")
        case .failure(let errors):
            #expect(!errors.errors.isEmpty)
            for diagnostic in errors.errors { expectLocated(diagnostic, path: path, lines: lines) }
            #expect(backlog.stories.isEmpty, "a failed import added stories")
            if kind.hasPrefix("nested") {
                #expect(errors.errors.first?.message.contains("nested deeper") == true, "\(errors)")
            }
        }
    }

    // MARK: Terminal safety

    @Test("TerminalSafe.sanitize turns escapes, controls and bidi overrides into placeholders")
    func sanitize() {
        let hostile = "a\u{1B}[31mred\u{9B}2Jb\u{1B}]52;c;ZXZpbA==\u{07}c\u{0}\u{8}\u{7F}\u{85}\u{90}\u{9D}\u{9F}d\u{202E}evil\u{2066}e\u{200F}\u{061C}\tf\ng\rh"
        let safe = TerminalSafe.sanitize(hostile)
        for scalar in safe.unicodeScalars {
            let v = scalar.value
            #expect(!(v < 0x20 || (0x7F...0x9F).contains(v) || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v)
                      || v == 0x200E || v == 0x200F || v == 0x061C), "U+\(String(v, radix: 16)) left in \(safe)")
        }
        // Placeholders, one per removed scalar, and the visible text intact.
        #expect(safe.unicodeScalars.count == hostile.unicodeScalars.count)
        #expect(safe.contains("\u{241B}[31mred"), "ESC should show as ␛")
        #expect(safe.contains("\u{FFFD}2Jb"), "CSI (U+009B) should show as �")
        #expect(safe.contains("\u{241B}]52;c;ZXZpbA==\u{2407}c"), "OSC 52 should be defused: \(safe)")
        #expect(safe.contains("\u{2400}\u{2408}\u{2421}"))
        #expect(safe.contains("d\u{FFFD}evil\u{FFFD}e"), "bidi overrides should show as �")
        #expect(safe.contains("\u{2409}f\u{240A}g\u{240D}h"))
        // Ordinary text, CJK and emoji are untouched.
        let plain = "Guest checkout 日本語 🎁 — ok"
        #expect(TerminalSafe.sanitize(plain) == plain)
    }

    @Test("Diagnostics about a hostile file are one terminal-safe line each (prio check prints them as they are)")
    func terminalSafeDiagnostics() {
        // Values, IDs, keys and settings that errors and warnings quote back.
        let text = """
            # B

            - strategy: \u{1B}]52;c;ZXZpbA==\u{07}
            - pre\u{1B}[2Jfix: S

            ## S-1 T
            - value: \u{1B}]0;pwned\u{07}1
            - points: 1\r2
            - tëst\u{9B}31m: x
            - depends: S-1\u{202E}9

            ## 1-\u{1B}[2J\u{2066} title
            """
        do {
            _ = try BacklogParser.parse(text, path: "evil\u{1B}[31m.md")
            Issue.record("the hostile file loaded")
        } catch {
            let diagnostics = error.errors + error.warnings
            #expect(diagnostics.count >= 5)
            let rendered = error.rendered()
            #expect(rendered.split(separator: "\n", omittingEmptySubsequences: false).count == diagnostics.count,
                    "a diagnostic spans more than one line (or a CR rewrites it on a terminal)")
            for diagnostic in diagnostics {
                let line = diagnostic.description
                let unsafe = line.unicodeScalars.filter {
                    $0.value < 0x20 || (0x7F...0x9F).contains($0.value) || (0x202A...0x202E).contains($0.value)
                        || (0x2066...0x2069).contains($0.value) || $0.value == 0x200E || $0.value == 0x200F || $0.value == 0x061C
                }
                #expect(unsafe.isEmpty,
                        "raw control characters reach the terminal in: \(line.debugDescription) (\(unsafe.map { "U+" + String($0.value, radix: 16) }))")
            }
        }
    }

    @Test("Exports never break their format; CSV and Markdown show control characters as placeholders, JSON escapes them")
    func hostileExports() throws {
        // (A title is one line: a stray CR in a heading reads as a space, so line breaks come from the
        // description and from markdownCell directly.)
        #expect(Exporter.markdownCell("a\nb|c\r\nd\re\\") == "a<br>b\\|c<br>d<br>e\\\\")
        let title = "a|b \"q\" \\ \u{1B}]52;c;ZXZpbA==\u{07} \u{9B}31m \u{202E}rtl\u{2066} end, \u{7F}"
        let description = "line 1 | pipe\nline 2 \"quoted\", comma\n\u{1B}[2J\r\nlast"
        let text = "# Hostile | name\n\n- strategy: wsjf\n\n## S-1 \(title)\n- value: 3\n- time-criticality: 1\n- risk-reduction: 1\n- points: 1\n- note: x|y \"z\", \u{1B}[0m\n\n\(description)\n\n## S-2 Plain\n- value: 1\n- points: 1\n"
        let parsed = try BacklogParser.parse(text, path: "h.md")
        let story = parsed.backlog.stories[0]
        #expect(story.title == title, "the loaded title differs")
        let ranking = Ranking(parsed.backlog, strategy: StrategyRegistry.strategy(named: "wsjf")!, includeDone: true)

        // CSV: quoted, and reads back to the same cells, with control characters as placeholders
        // (nothing prio writes may drive a terminal: `cat out.csv` is common).
        let csv = Exporter.export(ranking, format: .csv, top: nil, date: "2026-01-01", sourceName: "h.md")
        let records = try CSV.parse(Array(csv.utf8), path: "out.csv")
        #expect(records.count == 3)
        let header = records[0].map(\.text)
        #expect(records.allSatisfy { $0.count == header.count }, "a row has the wrong number of cells")
        let row = records.first { $0[1].text == "S-1" }!.map(\.text)
        #expect(row[header.firstIndex(of: "title")!] == TerminalSafe.output(title))
        #expect(row[header.firstIndex(of: "description")!] == TerminalSafe.output(story.description))
        #expect(row[header.firstIndex(of: "note")!] == "x|y \"z\", \u{241B}[0m")

        // JSON: every control character escaped, and the strings read back exactly.
        let json = Exporter.export(ranking, format: .json, top: nil, date: "2026-01-01", sourceName: "h.md")
        for scalar in json.unicodeScalars where scalar != "\n" {
            #expect(!(scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)), "raw U+\(String(scalar.value, radix: 16)) in JSON")
        }
        let document = try JSON.parse(Array(json.utf8), path: "out.json")
        guard case .array(let items) = document.value, case .object(let members) = items.first(where: {
            if case .object(let m) = $0.value { return m.contains { $0.key == "id" && $0.value.value == .string("S-1") } }
            return false
        })?.value else {
            Issue.record("the JSON export is not an array of objects")
            return
        }
        #expect(members.first { $0.key == "title" }?.value.value == .string(title))
        #expect(members.first { $0.key == "description" }?.value.value == .string(story.description))
        let foundation = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]
        #expect(foundation?.first { ($0["id"] as? String) == "S-1" }?["title"] as? String == title)

        // Markdown: one table row per story, six cells (no MoSCoW and no sprint here, so those columns
        // are left out), `|` escaped, line breaks as <br>.
        let markdown = Exporter.export(ranking, format: .markdown, top: nil, date: "2026-01-01", sourceName: "h`.md")
        let lines = markdown.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(!markdown.unicodeScalars.contains("\r"), "a raw CR in the Markdown export")
        #expect(lines.contains("| Rank | ID | Title | Points | Score | Why |"))
        let rows = lines.filter { $0.hasPrefix("| ") && !$0.hasPrefix("| Rank") }
        #expect(rows.count == 2)
        for row in rows {
            var cells: [String] = []
            var current = ""
            var escaped = false
            for character in row.dropFirst().dropLast() {
                if escaped {
                    current.append(character)
                    escaped = false
                } else if character == "\\" {
                    escaped = true
                } else if character == "|" {
                    cells.append(current)
                    current = ""
                } else {
                    current.append(character)
                }
            }
            cells.append(current)
            #expect(cells.count == 6, "the row has \(cells.count) cells: \(row)")
            if cells.count == 6, cells[1].trimmingCharacters(in: .whitespaces) == "S-1" {
                let cell = String(cells[2].dropFirst().dropLast())
                #expect(cell == TerminalSafe.output(title), "the title cell does not read back: \(cell)")
            }
        }
        #expect(lines.first?.hasPrefix("# Hostile \\| name: top 2 by ") == true, "\(lines.first ?? "")")
    }
}
