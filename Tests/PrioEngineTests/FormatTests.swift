import PrioEngine
import PrioStorage
import Testing

@Suite("File format")
struct FormatTests {
    @Test("A canonical file round-trips byte for byte")
    func canonicalRoundTrip() throws {
        let backlog = try load(canonicalFixture)
        #expect(written(backlog) == canonicalFixture)
        #expect(ids(backlog) == ["S-12", "S-13", "S-14"])
        #expect(backlog.header.name == "Webshop")
        #expect(backlog.header.strategy == "wsjf")
    }

    @Test("The bundled sample round-trips and has at least 30 stories")
    func sampleRoundTrip() throws {
        let bytes = SampleBacklog.bytes
        let backlog = try BacklogParser.parse(bytes, path: "sample").backlog
        #expect(BacklogWriter.write(backlog) == bytes)
        #expect(backlog.stories.count >= 30)
        #expect(backlog.stories.filter(backlog.workflow.isDone).count >= 3)
        #expect(backlog.stories.contains { !$0.values.depends.isEmpty })
    }

    @Test("Fields, description and heading are read")
    func fieldsAndDescription() throws {
        let backlog = try load(canonicalFixture)
        let story = backlog.stories[0]
        #expect(story.id == StoryID(prefix: "S", number: 12))
        #expect(story.title == "Guest checkout")
        #expect(story.status == .ready)
        #expect(story.values.moscow == .must)
        #expect(story.values[number: .value] == DecimalNumber(13))
        #expect(story.values.tags == ["checkout", "mobile"])
        #expect(story.description == """
            As a first-time shopper I want to check out without an account
            so that I can buy in under a minute.

            ### Acceptance criteria
            - Email is the only required field
            """)
        // The fenced "## " line is description, not a story.
        #expect(backlog.stories[2].description.contains("## not a story"))
        #expect(backlog.stories[2].values.depends == [StoryID(prefix: "S", number: 12)])
    }

    @Test("Changing one field changes exactly one line")
    func oneFieldOneLine() throws {
        var backlog = try load(canonicalFixture)
        try backlog.update(at: 0) { (s: inout Story) throws(FieldProblem) in try s.setField("value", "21") }
        #expect(changedLines(canonicalFixture, written(backlog)) == ["- value: 13 -> - value: 21"])
    }

    @Test("Adding a field inserts one line in canonical order; removing deletes one line")
    func addAndRemoveField() throws {
        var backlog = try load(canonicalFixture)
        try backlog.update(at: 1) { (s: inout Story) throws(FieldProblem) in try s.setField("Story Points", "3") }
        try backlog.update(at: 1) { (s: inout Story) throws(FieldProblem) in try s.setField("status", "Ready") }
        let text = written(backlog)
        #expect(text.contains("## S-13 Wishlist\n- status: ready\n- moscow: could\n- value: 3\n- points: 3\n\n## S-14"))
        try backlog.update(at: 1) { (s: inout Story) throws(FieldProblem) in try s.setField("status", "") }
        #expect(written(backlog).contains("## S-13 Wishlist\n- moscow: could\n- value: 3\n- points: 3\n\n"))
    }

    @Test("Moving a story moves only its block")
    func moveBlock() throws {
        var backlog = try load(canonicalFixture)
        try backlog.move(StoryID(prefix: "S", number: 14), to: .top)
        let text = written(backlog)
        let blocks = canonicalFixture.components(separatedBy: "\n\n## ")
        #expect(ids(try load(text)) == ["S-14", "S-12", "S-13"])
        // Same blocks, other order: sorting the blocks gives the same multiset.
        let newBlocks = text.components(separatedBy: "\n\n## ")
        #expect(newBlocks.count == blocks.count)
        #expect(Set(newBlocks.dropFirst().map { $0.trimmingCharacters(in: .newlines) })
            == Set(blocks.dropFirst().map { $0.trimmingCharacters(in: .newlines) }))
        // Moving it back gives the original bytes.
        try backlog.move(StoryID(prefix: "S", number: 14), to: .bottom)
        #expect(written(backlog) == canonicalFixture)
    }

    @Test("A non-canonical file loads and round-trips; only changed stories are rewritten")
    func nonCanonical() throws {
        let text = "\u{FEFF}# Shop\r\n* strategy :  moscow\r\n\r\n\r\n##   S-1    First  \r\n*   Value:   5\r\n+ MoSCoW: M\r\n\r\nBody one\r\n\r\n\r\n## S-2 Second\r\n- Business_Value: 8\r\n- story points: 2\r\nno blank line before this body"
        var backlog = try load(text)
        #expect(written(backlog) == text)
        #expect(backlog.stories[0].title == "First")
        #expect(backlog.stories[0].values.moscow == .must)
        #expect(backlog.stories[1].values[number: .value] == DecimalNumber(8))
        #expect(backlog.stories[1].points == DecimalNumber(2))
        #expect(backlog.lineEnding == [0x0D, 0x0A])
        // Change the second story: the first keeps its odd spacing; the new line uses CRLF.
        try backlog.update(at: 1) { (s: inout Story) throws(FieldProblem) in try s.setField("moscow", "S") }
        let expected = "\u{FEFF}# Shop\r\n* strategy :  moscow\r\n\r\n\r\n##   S-1    First  \r\n*   Value:   5\r\n+ MoSCoW: M\r\n\r\nBody one\r\n\r\n\r\n## S-2 Second\r\n- moscow: should\r\n- Business_Value: 8\r\n- story points: 2\r\nno blank line before this body"
        #expect(written(backlog) == expected)
    }

    @Test("A last story without a final newline can be moved up safely")
    func noFinalNewlineMove() throws {
        let text = "# B\n\n## S-1 One\n- value: 1\n\n## S-2 Two\n- value: 2"
        var backlog = try load(text)
        #expect(written(backlog) == text)
        try backlog.move(StoryID(prefix: "S", number: 2), to: .top)
        let out = written(backlog)
        #expect(out == "# B\n\n## S-2 Two\n- value: 2\n\n## S-1 One\n- value: 1\n")
        #expect(ids(try load(out)) == ["S-2", "S-1"])
    }

    @Test("New stories are written canonically and continue the prefix")
    func newStory() throws {
        var backlog = try load(canonicalFixture)
        #expect(backlog.nextID() == StoryID(prefix: "S", number: 15))
        var story = Story(id: backlog.nextID(), title: "Gift wrapping 🎁")
        try story.setField("points", "2")
        try story.setField("moscow", "Won't have")
        story.setDescription("Line one\n## Looks like a heading\n```\nopen fence")
        try backlog.append(story)
        let text = written(backlog)
        #expect(text.hasSuffix("""
            ```

            ## S-15 Gift wrapping 🎁
            - moscow: wont
            - points: 2

            Line one
            \\## Looks like a heading
            ```
            open fence
            ```

            """))
        let reread = try load(text)
        #expect(reread.stories.count == 4)
        #expect(reread.stories[3].description == "Line one\n\\## Looks like a heading\n```\nopen fence\n```")
    }

    @Test("An empty backlog from init, then a first story")
    func initThenAdd() throws {
        var backlog = Backlog(name: "Team Rocket", strategy: "manual")
        let initial = written(backlog)
        #expect(initial == "# Team Rocket\n\n- strategy: manual\n- prefix: S\n")
        var reread = try load(initial)
        try reread.append(Story(id: reread.nextID(), title: "First story"))
        #expect(written(reread) == "# Team Rocket\n\n- strategy: manual\n- prefix: S\n\n## S-1 First story\n")
        try backlog.header.setSetting("strategy", "rice")
        #expect(written(backlog) == "# Team Rocket\n\n- strategy: rice\n- prefix: S\n")
    }

    @Test("Zero-padded IDs keep their padding; new IDs continue it")
    func paddedIDs() throws {
        let text = "# B\n\n## US-007 Seven\n- depends: US-8\n\n## US-008 Eight\n"
        var backlog = try load(text)
        #expect(written(backlog) == text)
        #expect(backlog.stories[0].dependencies == [StoryID(prefix: "US", number: 8)])
        #expect(backlog.nextID().description == "US-009")
        try backlog.append(Story(id: backlog.nextID(), title: "Nine"))
        #expect(written(backlog).hasSuffix("## US-009 Nine\n"))
        #expect(errors("## S-007 A\n\n## S-7 B\n") == ["b.md:3:4: error: duplicate ID S-7 (first used on line 1)"])
    }

    @Test("Long ID numbers are accepted up to 18 digits")
    func longIDs() throws {
        var backlog = try load("## S-999999999 Big\n")
        #expect(backlog.nextID().description == "S-1000000000")
        try backlog.append(Story(id: backlog.nextID(), title: "Bigger"))
        #expect(ids(try load(written(backlog))) == ["S-999999999", "S-1000000000"])
    }

    @Test("Blank lines before the first story survive a save in a file without header")
    func blankLinesBeforeFirstStory() throws {
        let text = "\n\n## S-1 A\n"
        var backlog = try load(text)
        try backlog.update(at: 0) { (s: inout Story) throws(FieldProblem) in try s.setField("points", "1") }
        #expect(written(backlog) == "\n\n## S-1 A\n- points: 1\n")
    }

    @Test("MoSCoW spellings", arguments: [
        ("must", MoSCoW.must), ("M", .must), ("Must have", .must), ("SHOULD", .should), ("s", .should),
        ("could have", .could), ("C", .could), ("wont", .wont), ("won't", .wont), ("Won't have", .wont),
        ("W", .wont), ("won’t", .wont),
    ])
    func moscowSpellings(text: String, expected: MoSCoW) {
        #expect(MoSCoW(parsing: text) == expected)
    }

    @Test("Numbers are exact decimals")
    func decimals() {
        #expect(DecimalNumber("0.5")?.description == "0.5")
        #expect(DecimalNumber("13")?.description == "13")
        #expect(DecimalNumber("-2.50")?.description == "-2.5")
        #expect(DecimalNumber("1e308") == nil)
        #expect(DecimalNumber("NaN") == nil)
        #expect(DecimalNumber("inf") == nil)
        #expect(DecimalNumber("5.") == nil)
        #expect(DecimalNumber(".5") == nil)
        #expect(DecimalNumber("-0")?.isZero == true)
        let a = DecimalNumber("0.1")!.fraction.adding(DecimalNumber("0.2")!.fraction)!
        #expect(a == DecimalNumber("0.3")!.fraction)
    }

    @Test("Display width counts CJK and emoji as two columns")
    func displayWidth() {
        #expect(DisplayWidth.of("abc") == 3)
        #expect(DisplayWidth.of("日本語") == 6)
        #expect(DisplayWidth.of("🎁") == 2)
        #expect(DisplayWidth.of("e\u{301}") == 1)
        #expect(DisplayWidth.truncate("日本語のテキスト", to: 7) == "日本語…")
        #expect(DisplayWidth.pad("日本", to: 6) == "日本  ")
    }

    @Test("Control characters are shown as placeholders")
    func sanitize() {
        #expect(TerminalSafe.sanitize("a\u{1B}[2Jb") == "a␛[2Jb")
        #expect(TerminalSafe.sanitize("x\u{1B}]52;c;SGVsbG8=\u{07}y") == "x␛]52;c;SGVsbG8=␇y")
        #expect(TerminalSafe.sanitize("\u{9B}31m\u{202E}abc") == "\u{FFFD}31m\u{FFFD}abc")
    }
}
