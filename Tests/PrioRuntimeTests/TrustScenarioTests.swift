import Foundation
import PrioApp
import PrioEngine
import PrioStorage
import Testing

/// The screen's side of issue 8: recovery that loses nothing, kept recovery files, save-as and
/// export refusals that say why.
@Suite("Trust on the screen")
struct TrustScenarioTests {
    func headings(_ text: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.split(separator: " ")[1]) }
    }

    func recoveryFiles(_ file: TempBacklog) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: file.directory.path).filter { $0.contains("prio-recovery") }.sorted()
    }

    @Test("Restoring a recovery file onto a backlog that changed since goes through the conflict choice; both versions survive")
    func restoreOntoChangedFile() throws {
        let file = try TempBacklog()
        let session = try file.session()
        session.send(.character("J"))  // S-2 above S-1, unsaved
        _ = try #require(try session.writeRecovery()?.get())
        // Meanwhile another writer changes the file.
        let theirs = fixture.replacing("- value: 13", with: "- value: 20")
        try theirs.write(toFile: file.path, atomically: true, encoding: .utf8)

        let next = try file.session()
        #expect(next.screen.contains("were recovered: r restore"))
        next.send(.character("r"))
        #expect(next.screen.contains("restored; the file changed since: w offers reload, overwrite or a copy"))
        next.send(.character("w"))
        #expect(file.text == theirs, "the save must not overwrite the outside change")
        #expect(next.screen.contains("changed on disk: r reload"))
        next.send(.character("o"))  // overwrite, keeping theirs aside
        #expect(headings(file.text) == ["S-2", "S-1", "S-3", "S-4", "S-5"])
        let kept = try String(contentsOfFile: file.directory.appendingPathComponent("backlog.theirs.md").path, encoding: .utf8)
        #expect(kept == theirs)
        #expect(try recoveryFiles(file).isEmpty, "the restored work is saved, so its recovery file goes")
    }

    @Test("Restoring onto the unchanged file saves directly")
    func restoreOntoSameFile() throws {
        let file = try TempBacklog()
        let session = try file.session()
        session.send(.character("J"))
        _ = try #require(try session.writeRecovery()?.get())
        let next = try file.session()
        next.send(.character("r"), .character("w"))
        #expect(headings(file.text) == ["S-2", "S-1", "S-3", "S-4", "S-5"])
        #expect(try recoveryFiles(file).isEmpty)
    }

    @Test("A kept recovery file survives the next save and the next signal; a second one gets a new name")
    func keptRecovery() throws {
        let file = try TempBacklog()
        let first = try file.session()
        first.send(.character("J"))
        let path = try #require(try first.writeRecovery()?.get())
        let kept = try Data(contentsOf: URL(fileURLWithPath: path))

        let second = try file.session()
        second.send(.character("k"))
        #expect(second.screen.contains("for later"))
        second.send(.character("G"), .character("K"), .character("w"))
        #expect(try recoveryFiles(file) == [".backlog.md.prio-recovery"], "a save must not delete a kept recovery file")
        second.send(.character("g"), .character("J"))
        let another = try #require(try second.writeRecovery()?.get())
        #expect(another.hasSuffix("/.backlog.md.prio-recovery-2"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == kept, "a signal must not replace a kept recovery file")

        // Both are offered, oldest first; discarding one offers the next.
        let third = try file.session()
        #expect(third.screen.contains("were recovered"))
        third.send(.character("d"))
        #expect(third.screen.contains("were recovered"))
        third.send(.character("d"))
        #expect(try recoveryFiles(file).isEmpty)
    }

    @Test("With a backlog name too long for a recovery name beside it, the recovery goes to a shortened name and is found again")
    func longNameRecovery() throws {
        let name = String(repeating: "r", count: 240) + ".md"
        let file = try TempBacklog(fixture, name: name)
        let session = try file.session()
        session.send(.character("J"))
        let path = try #require(try session.writeRecovery()?.get())
        #expect(PathName.lastComponent(of: path).utf8.count <= 255)
        let next = try file.session()
        #expect(next.screen.contains("were recovered"))
    }

    @Test("When no place takes a recovery file, the session says so instead of nothing")
    func recoveryFailure() throws {
        let file = try TempBacklog()
        let session = try file.session()
        session.send(.character("J"))
        // A read-only folder (root ignores modes, so replace the folder with one that is gone).
        try FileManager.default.removeItem(at: file.directory)
        let result = try #require(session.writeRecovery())
        guard case .failure(let error) = result else {
            Issue.record("expected a failure, got \(result)")
            return
        }
        #expect(!error.message.isEmpty)
    }

    @Test("Save as onto an existing name says why and keeps the prompt")
    func saveAsExisting() throws {
        let file = try TempBacklog()
        try "other".write(toFile: file.directory.appendingPathComponent("taken.md").path, atomically: true, encoding: .utf8)
        let session = try file.session()
        session.send(.character("J"))
        let theirs = fixture.replacing("- value: 13", with: "- value: 20")
        try theirs.write(toFile: file.path, atomically: true, encoding: .utf8)
        session.send(.character("w"), .character("a"))
        session.send(Array(repeating: Key.backspace, count: 40))
        session.type("taken.md\n")
        let screen = session.screen
        #expect(screen.contains("Save a copy as: taken.md"))
        #expect(screen.contains("taken.md already exists"))
        #expect(try String(contentsOfFile: file.directory.appendingPathComponent("taken.md").path, encoding: .utf8) == "other")
    }

    @Test("The export dialog refuses the backlog itself and asks before replacing another file")
    func exportDialog() throws {
        let file = try TempBacklog()
        let session = try file.session()
        let before = file.text
        session.send(.character("x"), .down, .down, .down)
        session.send(Array(repeating: Key.backspace, count: 40))
        session.type("backlog.md\n")
        #expect(session.screen.contains("is the backlog itself"))
        #expect(file.text == before)

        let other = file.directory.appendingPathComponent("old.md").path
        try "old".write(toFile: other, atomically: true, encoding: .utf8)
        session.send(Array(repeating: Key.backspace, count: 40))
        session.type("old.md\n")
        #expect(session.screen.contains("old.md exists: y replace it"))
        session.send(.character("n"))
        #expect(try String(contentsOfFile: other, encoding: .utf8) == "old")
        session.send(.enter, .character("y"))
        #expect(try String(contentsOfFile: other, encoding: .utf8).hasPrefix("# "))
    }
}
