import PrioEngine
import PrioStorage
import Testing

@Suite("Located errors")
struct ErrorTests {
    @Test("Every error in a file is reported with line and column")
    func everyError() {
        let text = """
            # Shop

            - strategy: wsjf

            ## S-1 One
            - value: lots
            - moscow: maybe
            - confidence: 150%

            ## S-1 Again
            - points: 3
            - depends: S-9, S-1

            ## Oops no id
            - points: 1

            ## S-3 Digits
            - value: 1234567890123456789012345678901
            - value: 2

            """
        #expect(errors(text) == [
            "b.md:6:10: error: value must be a number like 5 or 0.5, got 'lots'",
            "b.md:7:11: error: unknown MoSCoW value 'maybe' (use must, should, could or wont)",
            "b.md:8:15: error: confidence must be between 0% and 100%, got '150%'",
            "b.md:10:4: error: duplicate ID S-1 (first used on line 5)",
            "b.md:12:12: error: S-1 depends on S-9, which is not in the backlog",
            "b.md:12:17: error: S-1 depends on itself",
            "b.md:14:4: error: 'Oops' is not a story ID: a heading starts with an ID like S-12",
            "b.md:18:10: error: value '1234567890123456789012345678901' has too many digits (at most 30)",
            "b.md:19:3: error: field 'value' appears twice in S-3",
        ])
    }

    @Test("Invalid UTF-8 is located on its line")
    func invalidUTF8() {
        var bytes = Array("# Shop\n\n## S-1 Caf".utf8)
        bytes += [0xC3, 0x28]
        bytes += Array("\n- value: 1\n\n## S-2 ok \u{00E9}".utf8) + [0xFF] + Array("\n".utf8)
        do {
            _ = try BacklogParser.parse(bytes, path: "x.md")
            Issue.record("expected an error")
        } catch {
            #expect(error.errors.map(\.description) == [
                "x.md:3:11: error: invalid UTF-8 (the file must be UTF-8 text)",
                "x.md:6:12: error: invalid UTF-8 (the file must be UTF-8 text)",
            ])
        }
    }

    @Test("Columns count characters, not bytes")
    func unicodeColumns() {
        #expect(errors("## S-1 Café\n- impact: héhé\n") == [
            "b.md:2:11: error: impact must be a number like 5 or 0.5, got 'héhé'",
        ])
        #expect(errors("## S-1 x\n- tags: é\n- depends: é\n") == [
            "b.md:3:12: error: 'é' is not a story ID (like S-12)",
        ])
        // IDs after a character of two bytes are placed by characters too; spaces and a
        // stray carriage return around an item are no part of it.
        #expect(errors("## S-1 x\n- depends: S-2, é, S-9,\rS-1 \n\n## S-2 y\n") == [
            "b.md:2:17: error: 'é' is not a story ID (like S-12)",
            "b.md:2:20: error: S-1 depends on S-9, which is not in the backlog",
            "b.md:2:25: error: S-1 depends on itself",
        ])
    }

    @Test("Header errors: unknown strategy, bad prefix; unclosed fence")
    func headerErrors() {
        #expect(errors("# B\n- strategy: magic\n- prefix: 9x\n\n## S-1 A\n\n```\n## S-2 B\n") == [
            "b.md:2:13: error: unknown strategy 'magic' (known: manual, moscow, wsjf, value-effort, rice)",
            "b.md:3:11: error: prefix '9x' must start with a letter and hold only letters, digits or _",
            "b.md:7:1: error: code block opened here is never closed (close it with ```)",
        ])
    }

    @Test("Unknown keys and settings are warnings, unless declared")
    func warnings() throws {
        let parsed = try BacklogParser.parse("# B\n- colour: red\n\n## S-1 A\n- customer: ACME\n- team: blue\n", path: "b.md")
        #expect(parsed.warnings.map(\.description) == [
            "b.md:2:3: warning: unknown setting 'colour' (kept)",
            "b.md:5:3: warning: unknown field 'customer' (kept; declare it with '- fields: customer' in the header to silence this)",
            "b.md:6:3: warning: unknown field 'team' (kept; declare it with '- fields: team' in the header to silence this)",
        ])
        let declared = try BacklogParser.parse("# B\n- fields: customer, Team\n\n## S-1 A\n- customer: ACME\n- team: blue\n", path: "b.md")
        #expect(declared.warnings.isEmpty)
        #expect(declared.backlog.stories[0].value(of: "customer") == "ACME")
    }

    @Test("Errors and warnings are rendered together in file order")
    func renderedWithWarnings() {
        do {
            _ = try BacklogParser.parse("## S-1 A\n- colour: red\n- value: x\n", path: "b.md")
            Issue.record("expected errors")
        } catch {
            #expect(error.rendered() == """
                b.md:2:3: warning: unknown field 'colour' (kept; declare it with '- fields: colour' in the header to silence this)
                b.md:3:10: error: value must be a number like 5 or 0.5, got 'x'
                """)
        }
    }

    @Test("Hostile numbers give located errors, not crashes", arguments: ["1e308", "NaN", "inf", "-", "1.2.3", "0x10", "١٢"])
    func hostileNumbers(text: String) {
        let found = errors("## S-1 A\n- points: \(text)\n")
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("b.md:2:11: error: points") == true)
    }

    @Test("Setting a bad value through the API throws and changes nothing")
    func setterRefuses() throws {
        var story = Story(id: StoryID(prefix: "S", number: 1), title: "A")
        try story.setField("points", "3")
        #expect(throws: FieldProblem.self) { try story.setField("points", "three") }
        #expect(story.points == DecimalNumber(3))
        #expect(story.value(of: .points) == "3")
        #expect(throws: FieldProblem.self) { try story.setField("id", "S-9") }
    }
}
