import Foundation
@testable import PrioApp
import PrioEngine
import Testing

/// The update function as a pure function: keys in, effects out as values, answers in; and the
/// layout shared by drawing and the mouse.
@Suite("The loop")
struct LoopTests {
    /// A session made without running its start effects: every effect is seen as a value.
    func bare(_ text: String = fixture, width: Int = 80, height: Int = 24) throws -> Session {
        Session(file: try BacklogFile.parse(Array(text.utf8), path: "/project/backlog.md"), width: width, height: height)
    }

    @Test("Start asks for the clock and the recovery files, and nothing else")
    func start() throws {
        let session = try bare()
        let effects = session.start()
        #expect(effects.count == 2)
        guard case .readClock = effects[0], case .findRecoveries(let store) = effects[1] else {
            Issue.record("unexpected start effects \(effects)")
            return
        }
        #expect(store.backlogPath == "/project/backlog.md")
        #expect(session.update(.clock(Clock(today: "2026-12-02", utcOffset: 0))).isEmpty)
        #expect(session.state.clock.today == "2026-12-02")
    }

    @Test("w asks to save the backlog as edited; the answer marks it saved, or opens the conflict choice")
    func save() throws {
        let session = try bare()
        #expect(session.update(.key(.character("J"))).isEmpty)
        let effects = session.update(.key(.character("w")))
        guard effects.count == 1, case .save(let file, let backlog) = effects[0] else {
            Issue.record("expected one save, got \(effects)")
            return
        }
        #expect(file.path == "/project/backlog.md")
        #expect(backlog.stories.map(\.id.description) == ["S-2", "S-1", "S-3", "S-4", "S-5"])
        #expect(session.isDirty, "nothing is saved until the runner says so")

        let saved = try BacklogFile.parse(BacklogWriter.write(backlog), path: file.path)
        #expect(session.update(.saved(.saved(saved))).isEmpty)
        #expect(!session.isDirty)
        #expect(session.render().lines.last?.contains("saved /project/backlog.md") == true)

        _ = session.update(.key(.character("K")))
        _ = session.update(.key(.character("w")))
        #expect(session.update(.saved(.changedOnDisk)).isEmpty)
        #expect(session.render().lines.last?.contains("changed on disk: r reload") == true)
        let reload = session.update(.key(.character("r")))
        guard reload.count == 1, case .reloadKeepingMine = reload[0] else {
            Issue.record("expected reloadKeepingMine, got \(reload)")
            return
        }
    }

    @Test("s in the quit prompt saves, then quits only once the save succeeded")
    func quitAfterSave() throws {
        let session = try bare()
        _ = session.update(.key(.character("J")))
        #expect(session.update(.key(.character("q"))).isEmpty)
        guard case .save(let file, let backlog)? = session.update(.key(.character("s"))).first else {
            Issue.record("expected a save")
            return
        }
        // A failed save keeps the session, and says why.
        #expect(session.update(.saved(.failed(PrioError("disk full")))).isEmpty)
        #expect(session.render().lines.last?.contains("not saved: disk full") == true)
        // The next successful save does not quit: only the prompt's save does.
        _ = session.update(.key(.character("w")))
        let saved = try BacklogFile.parse(BacklogWriter.write(backlog), path: file.path)
        #expect(session.update(.saved(.saved(saved))).isEmpty)

        _ = session.update(.key(.character("K")))
        _ = session.update(.key(.character("q")))
        _ = session.update(.key(.character("s")))
        let effects = session.update(.saved(.saved(saved)))
        guard effects.count == 1, case .quit(let status, let farewell) = effects[0] else {
            Issue.record("expected quit, got \(effects)")
            return
        }
        #expect(status == 0 && farewell == nil)
    }

    @Test("A signal: a clean session quits with 128 + the signal; unsaved work goes to a recovery file first")
    func terminate() throws {
        let clean = try bare()
        guard case .quit(143, nil)? = clean.update(.terminate(signal: 15)).first else {
            Issue.record("a clean session quits at once")
            return
        }
        let dirty = try bare()
        _ = dirty.update(.key(.character("J")))
        let effects = dirty.update(.terminate(signal: 1))
        guard effects.count == 1, case .writeRecovery(_, let backlog, let base) = effects[0] else {
            Issue.record("expected writeRecovery, got \(effects)")
            return
        }
        #expect(backlog.stories.first?.id.description == "S-2")
        #expect(base == Array(fixture.utf8))
        guard case .quit(129, let farewell?)? = dirty.update(.recoveryWritten(.success("/project/.backlog.md.prio-recovery"))).first else {
            Issue.record("expected quit with a farewell")
            return
        }
        #expect(farewell == "prio: unsaved changes were kept in /project/.backlog.md.prio-recovery; open the backlog again to restore them")
    }

    @Test("Recovery files: one holding exactly the file is removed, the next is offered; d removes it and offers the next")
    func recoveryOffers() throws {
        let session = try bare()
        let same = RecoveryStore.Found(path: "/project/.backlog.md.prio-recovery", modified: 1_796_168_280)
        let other = RecoveryStore.Found(path: "/project/.backlog.md.prio-recovery-2", modified: 1_796_168_280)
        let third = RecoveryStore.Found(path: "/project/.backlog.md.prio-recovery-3", modified: 0)
        guard case .readRecovery(same)? = session.update(.recoveriesFound([same, other, third])).first else {
            Issue.record("expected the first to be read")
            return
        }
        let effects = session.update(.recoveryRead(same, .success(.init(bytes: Array(fixture.utf8), base: nil))))
        guard effects.count == 2, case .removeFile(same.path) = effects[0], case .readRecovery(other) = effects[1] else {
            Issue.record("expected remove then read the next, got \(effects)")
            return
        }
        let changed = fixture.replacing("- value: 13", with: "- value: 99")
        #expect(session.update(.recoveryRead(other, .success(.init(bytes: Array(changed.utf8), base: nil)))).isEmpty)
        #expect(session.render().lines.last?.hasPrefix(" Unsaved changes from 2026-12-01 23:38 were recovered: r restore · d discard") == true)
        let discard = session.update(.key(.character("d")))
        guard discard.count == 2, case .removeFile(other.path) = discard[0], case .readRecovery(third) = discard[1] else {
            Issue.record("expected remove then read the third, got \(discard)")
            return
        }
    }

    @Test("The export dialog asks to write the export as a value; an existing file is replaced only after y")
    func exportEffect() throws {
        let session = try bare()
        _ = session.update(.clock(Clock(today: "2026-12-02")))
        _ = session.update(.key(.character("x")))
        let effects = session.update(.key(.enter))
        guard effects.count == 1, case .writeExport(let job) = effects[0] else {
            Issue.record("expected writeExport, got \(effects)")
            return
        }
        let expected = Exporter.export(Ranking(session.state.backlog, strategy: ManualStrategy()), format: .markdown, top: 10,
                                       date: "2026-12-02", sourceName: "backlog.md", columns: nil)
        #expect(job == ExportJob(text: expected, path: "/project/backlog-top.md", shownAs: "backlog-top.md",
                                 backlogPath: "/project/backlog.md", replace: false,
                                 summary: "exported 4 stories (manual, markdown) to backlog-top.md"))
        #expect(session.update(.exported(job, .exists)).isEmpty)
        #expect(session.render().lines.last == " backlog-top.md exists: y replace it · n back to the form")
        guard case .writeExport(let again)? = session.update(.key(.character("y"))).first else {
            Issue.record("expected a second writeExport")
            return
        }
        #expect(again.replace)
        #expect(session.update(.exported(again, .written)).isEmpty)
        #expect(session.render().lines.last == " exported 4 stories (manual, markdown) to backlog-top.md")
    }

    @Test("One layout for drawing and clicks: at 90 columns a click in the planning pane leaves the cursor alone")
    func planningClick() throws {
        let session = try bare(width: 90, height: 20)
        _ = session.update(.key(.character("P")))
        let layout = session.state.layout
        let pane = try #require(layout.pane)
        let list = try #require(layout.list)
        #expect(list.width + 1 + pane.width == 90)
        #expect(pane.width == 36)
        // The divider is drawn where the layout says.
        let screen = session.render()
        #expect(screen[3, list.width].text == "│")
        _ = session.update(.key(.click(row: 4, column: pane.x + 3)))
        #expect(session.state.selectedStory?.id.description == "S-1", "a click in the pane moved the cursor")
        // P ranks the list by the backlog's strategy (WSJF), which it fills by: row 4 is S-2.
        _ = session.update(.key(.click(row: 4, column: 5)))
        #expect(session.state.selectedStory?.id.description == "S-2")
        // The column titles are no row.
        _ = session.update(.key(.click(row: 1, column: 5)))
        #expect(session.state.selectedStory?.id.description == "S-2")
    }

    @Test("Local times: the clock's offset, leap days, before 1970")
    func clockFormat() {
        #expect(Clock().format(1_796_168_280) == "2026-12-01 23:38")
        #expect(Clock(utcOffset: 3600).format(1_796_168_280) == "2026-12-02 00:38")
        #expect(Clock(utcOffset: -5 * 3600).format(1_709_208_300) == "2024-02-29 07:05")
        #expect(Clock().format(-60) == "1969-12-31 23:59")
    }
}

@Suite("Keys")
struct KeyTests {
    @Test("Every key describes itself (a key without its own name once recursed forever)")
    func descriptions() {
        let keys: [Key] = [.character("a"), .control("c"), .up, .down, .left, .right, .shiftUp, .shiftDown, .home, .end,
                           .pageUp, .pageDown, .enter, .escape, .tab, .backTab, .backspace, .delete,
                           .resize(width: 80, height: 24), .click(row: 1, column: 2), .wheelUp, .wheelDown]
        #expect(keys.map(\.description) == ["a", "Ctrl-C", "up", "down", "left", "right", "shift-up", "shift-down", "home", "end",
                                            "page-up", "page-down", "enter", "escape", "tab", "back-tab", "backspace", "delete",
                                            "resize(80x24)", "click(1,2)", "wheel-up", "wheel-down"])
    }
}
