import Foundation
import PrioApp
import PrioEngine
import Testing

/// Key sequences checked against state, screen and the saved file.
@Suite("Scenarios")
struct ScenarioTests {
    func headings(_ text: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.split(separator: " ")[1]) }
    }

    @Test("J moves the story down, w saves only that change, q quits")
    func reorderAndSave() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("J"))
        #expect(session.isDirty)
        #expect(session.screen.contains("[+]"))
        session.send(.character("w"))
        #expect(!session.isDirty)
        #expect(headings(file.text) == ["S-2", "S-1", "S-3", "S-4", "S-5"])
        // Only the two blocks changed places.
        let blocks = fixture.components(separatedBy: "\n## ")
        let expected = [blocks[0], blocks[2], blocks[1]] + blocks[3...]
        #expect(file.text == expected.joined(separator: "\n## "))
        #expect(session.send(.character("q")) == .quit)
    }

    @Test("The cursor stays on its story through J, K, strategy switches and undo")
    func cursorFollowsStory() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("j"), .character("j"))  // S-3
        session.send(.character("J"))
        #expect(session.state.selectedStory?.id.description == "S-3")
        session.send(.character("s"), .character("s"))  // moscow → wsjf
        #expect(session.state.selectedStory?.id.description == "S-3")
        session.send(.character("s"), .character("s"), .character("s"))  // back to manual
        #expect(session.state.selectedStory?.id.description == "S-3")
        session.send(.character("u"))
        #expect(session.state.selectedStory?.id.description == "S-3")
        #expect(!session.isDirty)
        #expect(session.state.backlog.stories.map(\.id.description) == ["S-1", "S-2", "S-3", "S-4", "S-5"])
    }

    @Test("A story hidden by a ranking or a filter gets the cursor back when it shows again")
    func hiddenStoryKeepsCursor() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("j"), .character("j"), .character("j"))  // S-4, done
        session.send(.character("s"), .character("s"))  // WSJF leaves done stories out
        #expect(session.state.selectedStory?.id.description != "S-4")
        session.send(.character("s"), .character("s"), .character("s"))  // manual again
        #expect(session.state.selectedStory?.id.description == "S-4")
        session.send(.character("f"), .character(" "), .escape)  // status: todo
        #expect(session.state.selectedStory?.id.description != "S-4")
        session.send(.character("F"))
        #expect(session.state.selectedStory?.id.description == "S-4")
    }

    @Test("Undo and redo every kind of change, without limit")
    func undoRedo() throws {
        let file = try TestBacklog()
        let session = try file.session()
        let original = session.state.backlog.stories
        session.send(.character("J"), .character("T"), .character("B"))
        session.send(.character("m"))
        session.type("3")
        session.send(.enter)
        session.send(.character("e"), .tab, .tab)  // moscow
        session.send(.control("u"))
        session.type("could")
        session.send(.enter)
        session.send(.character("a"))
        session.type("A new story")
        session.send(.enter)
        session.send(.character("d"), .character("y"))
        session.send(.character("s"), .character("s"), .character("s"), .character("A"))
        let changed = session.state.backlog.stories
        #expect(changed != original)
        for _ in 0..<8 { session.send(.character("u")) }
        #expect(session.state.backlog.stories == original)
        #expect(!session.isDirty)
        for _ in 0..<8 { session.send(.control("r")) }
        #expect(session.state.backlog.stories == changed)
    }

    @Test("Moving in a computed ranking is refused with a hint; A applies the ranking")
    func rankingRules() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("s"), .character("s"))  // WSJF
        session.send(.character("J"))
        #expect(session.screen.contains("stories move in the manual order"))
        #expect(!session.isDirty)
        session.send(.character("A"))
        // WSJF: S-1 (24/5 = 4.8), S-3 (5/1 = 5) ... S-3 first, then S-1, S-2; S-4 done keeps its place; S-5 unscored.
        #expect(session.state.backlog.stories.map(\.id.description) == ["S-3", "S-1", "S-2", "S-4", "S-5"])
        session.send(.character("w"))
        #expect(headings(file.text) == ["S-3", "S-1", "S-2", "S-4", "S-5"])
    }

    @Test("Editing fields: a bad number is refused in place; a good one changes one line")
    func editFields() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("e"))
        session.send(Array(repeating: .tab, count: 8))  // points
        session.send(.control("u"))
        session.type("five")
        session.send(.enter)
        #expect(session.screen.contains("points must be a number like 5 or 0.5, got 'five'"))
        session.send(.control("u"))
        session.type("8")
        session.send(.enter)
        session.send(.character("w"))
        #expect(file.text == fixture.replacing("- points: 5\n- tags: checkout", with: "- points: 8\n- tags: checkout"))
    }

    @Test("The status line's totals follow edits and undo, and stay through reorders")
    func totals() throws {
        let file = try TestBacklog()
        let session = try file.session()
        #expect(session.screen.contains("5 stories · 4 open · 19 pts"))
        session.send(.character("J"))
        #expect(session.screen.contains("5 stories · 4 open · 19 pts"))
        session.send(.character("e"))  // the cursor stayed on S-1 (5 points)
        session.send(Array(repeating: .tab, count: 8))
        session.send(.control("u"))
        session.type("8")
        session.send(.enter, .escape)  // Esc clears the "edited" message
        #expect(session.screen.contains("5 stories · 4 open · 22 pts"))
        session.send(.character("u"), .escape)
        #expect(session.screen.contains("5 stories · 4 open · 19 pts"))
        session.send(.character("s"), .character("s"), .escape)
        #expect(session.screen.contains("4 stories · 4 open · 11 pts"))
    }

    @Test("Adding a story continues the IDs and lands after the cursor")
    func addStory() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("a"))
        session.send(.enter)
        #expect(session.screen.contains("a story needs a title"))
        session.type("Express shipping")
        session.send(.tab, .tab)
        session.type("must")
        session.send(.enter)
        #expect(session.state.selectedStory?.id.description == "S-6")
        session.send(.character("w"))
        #expect(headings(file.text) == ["S-1", "S-6", "S-2", "S-3", "S-4", "S-5"])
        #expect(file.text.contains("## S-6 Express shipping\n- moscow: must\n\n## S-2"))
    }

    @Test("Deleting a story others depend on drops the dependency too, undoably")
    func deleteWithDependents() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("d"))
        #expect(session.screen.contains("drops it from the depends of S-3"))
        session.send(.character("y"))
        session.send(.character("w"))
        #expect(!file.text.contains("## S-1 "))
        #expect(!file.text.contains("depends"))
        session.send(.character("u"), .character("w"))
        #expect(file.text == fixture)
    }

    @Test("Quit with unsaved changes asks; d discards, s saves")
    func quitPrompt() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("J"))
        #expect(session.send(.character("q")) == nil)
        #expect(session.screen.contains("unsaved changes"))
        #expect(session.send(.escape) == nil)
        #expect(session.send(.control("c")) == nil)
        #expect(session.send(.character("s")) == .quit)
        #expect(headings(file.text) == ["S-2", "S-1", "S-3", "S-4", "S-5"])
    }

    @Test("Saving over a file changed on disk offers reload, overwrite or save-as; nothing is lost")
    func conflict() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("J"))
        let theirs = fixture.replacing("- value: 13", with: "- value: 20")
        file.writeBehindTheBack(theirs)
        session.send(.character("w"))
        #expect(session.screen.contains("changed on disk"))
        #expect(file.text == theirs)
        session.send(.character("o"))
        #expect(headings(file.text) == ["S-2", "S-1", "S-3", "S-4", "S-5"])
        #expect(file.sibling("backlog.theirs.md") == theirs)
    }

    @Test("Reload after a conflict keeps our version beside the file")
    func conflictReload() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("J"))
        let theirs = fixture.replacing("- value: 13", with: "- value: 20")
        file.writeBehindTheBack(theirs)
        session.send(.character("w"), .character("r"))
        #expect(file.text == theirs)
        #expect(session.state.backlog.stories.first?.value(of: .value) == "20")
        let mine = try #require(file.sibling("backlog.mine.md"))
        #expect(headings(mine) == ["S-2", "S-1", "S-3", "S-4", "S-5"])
    }


    @Test("External editing: the block goes out, the edited block comes back; bad text can be edited again")
    func externalEdit() throws {
        let file = try TestBacklog()
        let session = try file.session()
        let effects = session.effects(of: .character("E"))
        guard effects.count == 1, case .editExternally(let text, let suffix) = effects[0] else {
            Issue.record("expected one external edit request, got \(effects)")
            return
        }
        #expect(suffix == ".md")
        #expect(text.hasPrefix("## S-1 Guest checkout\n- status: ready\n"))
        session.dispatch(.edited("## S-1 Guest checkout\n- value: 99\n\nnot closed\n```\n"))
        #expect(session.screen.contains("S-1 does not parse"))
        // e hands the same text to the editor again; this time the editor fixes the value.
        file.runner.editor = { _ in text.replacing("- value: 13", with: "- value: 21") }
        session.send(.character("e"))
        guard case .editExternally(let again, _)? = file.runner.performed.last else {
            Issue.record("expected a second external edit request")
            return
        }
        #expect(again.contains("not closed"))
        session.send(.character("w"))
        #expect(file.text == fixture.replacing("- value: 13", with: "- value: 21"))
    }

    @Test("Export writes the same output as prio export")
    func export() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("x"))
        session.send(.tab, .tab)
        session.send(.control("u"))
        session.type("nope")
        session.send(.enter)
        #expect(session.screen.contains("one of manual, moscow"))
        session.send(.control("u"))
        session.type("wsjf")
        session.send(.enter)
        let exported = try #require(file.sibling("backlog-top.md"))
        #expect(exported.contains("| 1 | S-3 | Gift wrapping 🎁 option | 1 | could | 5.00 | low value 3, not urgent 1, little risk reduction 1, small 1 pt |"))
    }

    @Test("The export dialog's format is a choice: ←/→ and Space cycle it, the file name follows unless typed")
    func exportFormatChoice() throws {
        let file = try TestBacklog()
        let session = try file.session()
        // A field's value as the dialog shows it: the text after its label, up to the box's edge.
        func field(_ label: String) -> String? {
            for line in session.screen.split(separator: "\n") {
                guard let range = line.range(of: "│ ›\(label) ") ?? line.range(of: "│  \(label) ") else { continue }
                var value = String(line[range.upperBound...])
                if value.hasSuffix("│") { value.removeLast() }
                value = value.trimmingCharacters(in: .whitespaces)
                if value.hasSuffix("▏") { value.removeLast() }
                if value.hasPrefix("‹ ") && value.hasSuffix(" ›") { value = String(value.dropFirst(2).dropLast(2)) }
                return value
            }
            return nil
        }
        func formatRow() -> String? {
            session.screen.split(separator: "\n").first { $0.contains("format") }.map(String.init)
        }
        session.send(.character("x"))
        #expect(field("format") == "markdown")
        #expect(field("file") == "backlog-top.md")
        #expect(formatRow()?.contains("›format                    ‹ markdown ›") == true, "\(session.screen)")
        #expect(session.screen.contains("←/→ or Space change"))

        // csv → markdown → json → text → report → csv, forwards with → and Space, backwards with ←;
        // typing is ignored.
        session.send(.right)
        #expect(field("format") == "json")
        #expect(field("file") == "backlog-top.json")
        session.type(" ")
        #expect(field("format") == "text")
        #expect(field("file") == "backlog-top.txt")
        session.type(" ")
        #expect(field("format") == "report")
        #expect(field("file") == "backlog-report.html")
        session.type(" ")
        #expect(field("format") == "csv")
        #expect(field("file") == "backlog-top.csv")
        session.send(.left, .left, .left)
        #expect(field("format") == "json")
        session.type("markdown")
        session.send(.backspace, .control("u"))
        #expect(field("format") == "json")
        #expect(formatRow()?.contains("‹ json ›") == true)

        // A name the user typed stays when the format changes.
        session.send(.down, .down, .down)
        session.send(.control("u"))
        session.type("for-board.txt")
        session.send(.up, .up, .up)
        session.send(.right, .right, .right)
        #expect(field("format") == "csv")
        #expect(field("file") == "for-board.txt")

        // Enter writes exactly what the engine's export gives for these options (prio export calls it too).
        session.send(.enter)
        #expect(session.screen.contains("exported 4 stories (manual, csv) to for-board.txt"))
        let written = try #require(file.sibling("for-board.txt"))
        let backlog = try BacklogParser.parse(fixture, path: file.path).backlog
        let ranking = Ranking(backlog, strategy: ManualStrategy())
        #expect(written == Exporter.export(ranking, format: .csv, top: 10, date: "unused", sourceName: "backlog.md"))
        #expect(written.hasPrefix("rank,id,title,score,explanation,status,moscow,value,"))
    }

    @Test("The export dialog offers the report: the page of prio report for the dialog's strategy and top N")
    func exportReport() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("x"))
        // markdown, then back past csv to report.
        session.send(.left, .left)
        session.send(.enter)
        #expect(session.screen.contains("wrote the report (top 4, manual) to backlog-report.html"), "\(session.screen)")
        let page = try #require(file.sibling("backlog-report.html"))
        #expect(page.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(page.contains("<title>Webshop: backlog report</title>"))
        #expect(page.contains("<h2 id=\"top-h\">Top 10</h2>"))
        #expect(!page.contains("<script"))
    }

    @Test("The export dialog's columns field takes the names prio export --columns takes, and refuses the same")
    func exportColumns() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("s"), .character("s"))  // WSJF on the screen: the dialog's strategy
        session.send(.character("x"), .left)  // csv
        session.send(.down, .down, .down, .down)
        session.type("id,titel\n")
        #expect(session.screen.contains("✗ unknown column 'titel' (did you mean 'title'?)"), "\(session.screen)")
        #expect(file.sibling("backlog-top.csv") == nil)
        session.send(.control("u"))
        session.type("id, SP ,why,forecast\n")
        let written = try #require(file.sibling("backlog-top.csv"))
        // WSJF: S-1 (13 + 8 + 3) / 5 = 4.8, S-2 8 / 3 = 2.67, S-3 5 / 1 = 5; S-5 unscored. No velocity
        // (no done story in a sprint, no sprint declared), so the forecast column is empty.
        #expect(written == """
            id,points,why,forecast\r
            S-3,1,(3 + 1 + 1) / 1,\r
            S-1,5,(13 + 8 + 3) / 5,\r
            S-2,3,(5 + 2 + 1) / 3,\r
            S-5,2,"unscored: no time-criticality, no risk-reduction",\r

            """)
    }

    @Test("Mouse: a click selects a row, the wheel scrolls")
    func mouse() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.click(row: 4, column: 10))
        #expect(session.state.selectedStory?.id.description == "S-3")
        session.send(.wheelDown)
        _ = session.render()
    }

    @Test("n and N jump between search matches")
    func searchNext() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("/"))
        session.type("s-")
        session.send(.enter)
        #expect(session.state.selectedStory?.id.description == "S-1")
        session.send(.character("n"))
        #expect(session.state.selectedStory?.id.description == "S-2")
        session.send(.character("N"), .character("N"))
        #expect(session.state.selectedStory?.id.description == "S-5")
    }
}

@Suite("Planning")
struct PlanningScreenTests {
    let planningFixture = fixture.replacing("- strategy: wsjf\n", with: "- strategy: wsjf\n- sprint: Sprint 1 | capacity 6\n")

    @Test("P plans the next sprint: f fills to capacity, Space adds and removes, u undoes, w commits")
    func planAndCommit() throws {
        let file = try TestBacklog(planningFixture)
        let session = try file.session(width: 100, height: 24)
        session.send(.character("s"), .character("s"), .character("P"))  // WSJF, planning
        #expect(session.screen.contains("Sprint 1 · capacity 6 pts"))
        session.send(.character("f"))
        // WSJF order: S-3 (5.00, 1 pt; needs S-1), S-1 (4.80, 5 pts), S-2 (2.67, 3 pts): S-1 then S-3 fill 6.
        let planned = session.state.backlog.stories.filter { $0.value(of: .sprint) == "Sprint 1" }.map(\.id.description)
        #expect(planned == ["S-1", "S-3"])
        #expect(session.screen.contains("██████████████████ 6/6 pts"))
        session.send(.character("u"))
        #expect(session.state.backlog.stories.allSatisfy { $0.value(of: .sprint) == nil })
        session.send(.control("r"))
        // The cursor stayed on S-1 through the re-sort; S-3 is just above it in the WSJF order.
        #expect(session.state.selectedStory?.id.description == "S-1")
        session.send(.character("k"), .character(" "))
        #expect(session.state.backlog.stories.filter { $0.value(of: .sprint) == "Sprint 1" }.map(\.id.description) == ["S-1"])
        session.send(.character("w"))
        #expect(file.text.contains("## S-1 Guest checkout\n- status: ready\n- moscow: must\n- value: 13\n- time-criticality: 8\n- risk-reduction: 3\n- points: 5\n- tags: checkout, mobile\n- sprint: Sprint 1\n"))
        session.send(.escape)
        #expect(session.send(.character("q")) == .quit)
    }

    @Test("The planning screen shows the gauge, the sprint and the cut line with reasons")
    func planningScreen() throws {
        let file = try TestBacklog(planningFixture)
        let session = try file.session(width: 100, height: 20)
        session.send(.character("s"), .character("s"), .character("P"), .character("c"))
        session.type("4")
        session.send(.enter)
        session.send(.character("f"))
        assertSnapshot(session.screen, named: "planning-100x20")
    }
}

@Suite("Resizing and files")
struct ResizeTests {
    @Test("Shrinking and growing the terminal shows the whole list again")
    func shrinkAndGrow() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("G"))
        session.send(.resize(width: 20, height: 6))
        _ = session.render()
        session.send(.resize(width: 80, height: 24))
        let screen = session.screen
        #expect(screen.contains("S-1 Guest checkout"))
        #expect(screen.contains("› 5 S-5 Wishlist"))
    }

    @Test("The unsaved marker survives a narrow header")
    func narrowMarker() throws {
        let file = try TestBacklog()
        let session = try file.session(width: 30, height: 8)
        session.send(.character("J"))
        #expect(session.render().lines[0].contains("[+]"))
    }

}
