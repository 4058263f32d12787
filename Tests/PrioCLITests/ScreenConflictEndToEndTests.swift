import Foundation
import Testing

/// Two writers on one file: the screen never silently overwrites a change made on disk.
@Suite("Screen and another writer, end to end")
struct ScreenConflictEndToEndTests {
    @Test("another process changes the file while the screen has edits: w offers reload, overwrite or save-as; o keeps theirs aside")
    func overwriteKeepsTheirs() throws {
        let box = try Sandbox()
        let original = String(decoding: try box.initSample(), as: UTF8.self)
        let ids = BacklogText(original).ids
        let screen = try TmuxScreen(box, ["backlog.md"])
        defer { screen.kill() }
        try screen.wait(for: "Northwind Webshop")
        try screen.send("J")
        try screen.waitForHeader("marked [+]") { $0.contains("[+]") }

        // Meanwhile a teammate's script changes a field.
        let other = try box.run("set", "backlog.md", ids[5], "value=99")
        #expect(other.status == 0, "\(other)")
        let theirs = try box.text("backlog.md")

        try screen.send("w")
        try screen.wait(for: "the conflict prompt") { $0.contains("changed on disk") && $0.contains("o overwrite") }
        #expect(try box.text("backlog.md") == theirs, "nothing may be written before the user chooses")
        try screen.send("o")
        try screen.waitForHeader("without [+] after the save") { !$0.contains("[+]") }
        try screen.send("q")
        try screen.expectExit(0)

        #expect(BacklogText(try box.text("backlog.md")).ids.prefix(2) == [ids[1], ids[0]])
        #expect(try box.text("backlog.theirs.md") == theirs, "their version is kept beside the file")
    }

    @Test("r reloads their version and keeps ours beside the file")
    func reloadKeepsMine() throws {
        let box = try Sandbox()
        let original = String(decoding: try box.initSample(), as: UTF8.self)
        let ids = BacklogText(original).ids
        let screen = try TmuxScreen(box, ["backlog.md"])
        defer { screen.kill() }
        try screen.wait(for: "Northwind Webshop")
        try screen.send("J")
        try screen.waitForHeader("marked [+]") { $0.contains("[+]") }
        #expect(try box.run("set", "backlog.md", ids[5], "value=99").status == 0)
        let theirs = try box.text("backlog.md")

        try screen.send("w")
        try screen.wait(for: "the conflict prompt") { $0.contains("changed on disk") }
        try screen.send("r")
        try screen.wait(for: "the reload message") { $0.contains("reloaded") }
        try screen.send("q")
        try screen.expectExit(0)

        #expect(try box.text("backlog.md") == theirs)
        let mine = BacklogText(try box.text("backlog.mine.md"))
        #expect(mine.ids.prefix(2) == [ids[1], ids[0]], "our reorder is kept in backlog.mine.md")
    }
}
