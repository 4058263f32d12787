import PrioApp
import PrioEngine
import Testing

/// Whole screens, compared as text, for the main states at 80×24 and at a narrow width.
@Suite("Screens")
struct ScreenTests {
    @Test("The list at 80×24 opens in manual order with the cursor on the first story")
    func list80() throws {
        let file = try TestBacklog()
        assertSnapshot(try file.session().screen, named: "list-80x24")
    }

    @Test("The list at 40×12")
    func listNarrow() throws {
        let file = try TestBacklog()
        assertSnapshot(try file.session(width: 40, height: 12).screen, named: "list-40x12")
    }

    @Test("A wide screen shows the detail pane beside the list")
    func detailPane() throws {
        let file = try TestBacklog()
        let session = try file.session(width: 120, height: 24)
        session.send(.character("s"), .character("s"))
        assertSnapshot(session.screen, named: "wsjf-detail-120x24")
    }

    @Test("Enter opens the detail on a narrow screen")
    func detailNarrow() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.enter)
        assertSnapshot(session.screen, named: "detail-80x24")
    }

    @Test("The export dialog: the format is a choice shown as ‹ csv ›, the file name follows it")
    func exportDialog() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("x"), .left)
        assertSnapshot(session.screen, named: "export-dialog-80x24")
    }

    @Test("The help overlay")
    func help() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("?"))
        assertSnapshot(session.screen, named: "help-80x24")
    }

    @Test("The edit form, with a bad number refused in place")
    func editForm() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("e"))
        // Down to points (title, status, moscow, value, time-criticality, risk-reduction, size, effort, points).
        session.send(Array(repeating: .tab, count: 8))
        session.send(.control("u"))
        session.type("lots")
        session.send(.enter)
        assertSnapshot(session.screen, named: "edit-form-80x24")
    }

    @Test("The edit form's status field lists the workflow, the header's when it declares one")
    func statusHint() throws {
        /// The line under the focused status field.
        func hintLine(_ screen: String) -> String? {
            let lines = screen.split(separator: "\n").map(String.init)
            guard let row = lines.firstIndex(where: { $0.contains("›status") }), row + 1 < lines.count else { return nil }
            return lines[row + 1]
        }
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("e"), .tab)  // status
        #expect(hintLine(session.screen)?.contains("│      one of: todo, ready, in-progress, done (the last is done)") == true)
        session.send(.escape)

        let declared = try TestBacklog(fixture.replacing("- strategy: wsjf\n", with: "- strategy: wsjf\n- statuses: todo, doing, review, shipped\n"))
        let other = try declared.session()
        other.send(.character("a"), .tab)
        #expect(hintLine(other.screen)?.contains("│      one of: todo, in-progress, review, shipped (the last is done)") == true)
        // Only the focused field shows its hint.
        other.send(.tab)
        #expect(!other.screen.contains("one of:"))
    }

    @Test("The quit prompt")
    func quitPrompt() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("J"), .character("q"))
        assertSnapshot(session.screen, named: "quit-prompt-80x24")
    }

    @Test("Search moves the cursor as you type")
    func search() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("/"))
        session.type("gift")
        assertSnapshot(session.screen, named: "search-80x24")
    }

    @Test("The filter menu and a filtered list")
    func filter() throws {
        let file = try TestBacklog()
        let session = try file.session()
        session.send(.character("f"))
        // status: todo, ready, in-progress, done, then moscow: must...
        session.send(.character("j"), .character("j"), .character("j"), .character("j"), .character(" "))
        assertSnapshot(session.screen, named: "filter-menu-80x24")
        session.send(.escape)
        assertSnapshot(session.screen, named: "filtered-80x24")
    }

    @Test("Narrow screens: detail, edit form, quit prompt and search at 40 columns")
    func narrowStates() throws {
        let file = try TestBacklog()
        let session = try file.session(width: 40, height: 16)
        session.send(.character("j"), .enter)
        assertSnapshot(session.screen, named: "detail-40x16")
        session.send(.escape, .character("e"))
        assertSnapshot(session.screen, named: "edit-form-40x16")
        session.send(.escape, .character("J"), .character("q"))
        assertSnapshot(session.screen, named: "quit-prompt-40x16")
        session.send(.escape, .character("/"))
        session.type("wish")
        assertSnapshot(session.screen, named: "search-40x16")
    }

    @Test("A 20×6 terminal shows what fits")
    func tiny() throws {
        let file = try TestBacklog()
        let session = try file.session(width: 20, height: 6)
        assertSnapshot(session.screen, named: "tiny-20x6")
        session.send(.character("?"))
        assertSnapshot(session.screen, named: "tiny-help-20x6")
        for size in [(0, 0), (1, 1), (5, 2), (20, 3), (3, 20)] {
            session.send(.resize(width: size.0, height: size.1))
            _ = session.render()
        }
    }

    @Test("Control characters in a title are shown as placeholders")
    func hostileTitle() throws {
        let file = try TestBacklog("## S-1 Evil \u{1B}]2;pwned\u{07} \u{1B}[2J title\n- points: 1\n")
        let screen = try file.session(width: 60, height: 6).screen
        #expect(!screen.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" })
        #expect(screen.contains("␛]2;pwned␇ ␛[2J"))
    }
}
