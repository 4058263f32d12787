import Foundation
import Testing

@Suite("Backlog files on disk")
struct FileHandlingTests {
    @Test("set through a symlink writes the target; the symlink stays a symlink")
    func symlink() throws {
        let box = try Sandbox()
        try FileManager.default.createDirectory(at: box.file("real"), withIntermediateDirectories: true)
        let before = linesKeepingEnds(String(decoding: try box.initSample("real/backlog.md"), as: UTF8.self))
        try FileManager.default.createSymbolicLink(atPath: box.path("link.md"), withDestinationPath: "real/backlog.md")

        let result = try box.run("set", "link.md", "S-10", "value=8")
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr == "")

        #expect(try isSymlink(box.path("link.md")))
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: box.path("link.md")) == "real/backlog.md")
        #expect(try !isSymlink(box.path("real/backlog.md")))
        var expected = before
        expected[try #require(lineIndex(before, story: "S-10", startingWith: "- value: "))] = "- value: 8\n"
        #expect(linesKeepingEnds(try box.text("real/backlog.md")) == expected)
        #expect(try box.listing() == ["link.md", "real"])
        #expect(try box.listing("real") == ["backlog.md"])

        // Through $PRIO_FILE and a chain of relative links in another directory too.
        try FileManager.default.createDirectory(at: box.file("links"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: box.path("links/inner.md"), withDestinationPath: "../link.md")
        let chained = try box.run("set", "S-10", "value=13", environment: ["PRIO_FILE": "links/inner.md"])
        #expect(chained.status == 0, "\(chained)")
        expected[try #require(lineIndex(before, story: "S-10", startingWith: "- value: "))] = "- value: 13\n"
        #expect(linesKeepingEnds(try box.text("real/backlog.md")) == expected)
        #expect(try isSymlink(box.path("links/inner.md")))
        #expect(try isSymlink(box.path("link.md")))
        #expect(try box.listing("links") == ["inner.md"])
        #expect(try box.listing("real") == ["backlog.md"])
    }

    @Test("a save keeps file mode 0600", arguments: [
        ["set", "S-10", "value=8"], ["add", "--title", "New"], ["move", "S-10", "--top"], ["rm", "S-14"],
        ["rank", "--apply"], ["import", "--from", "json", "in.json"],
    ])
    func keepsMode(arguments: [String]) throws {
        let box = try Sandbox()
        let before = try box.initSample()
        try box.write("in.json", #"[{"title": "Imported"}]"#)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: box.path("backlog.md"))
        let result = try box.run(arguments: arguments)
        #expect(result.status == 0, "\(result)")
        #expect(try box.read("backlog.md") != before, "the command should have changed the file")
        #expect(try permissions(box.path("backlog.md")) == 0o600)
        // No temporary file is left behind.
        #expect(try box.listing() == ["backlog.md", "in.json"])
    }

    @Test("a save through a symlink keeps the target's mode 0600")
    func symlinkKeepsMode() throws {
        let box = try Sandbox()
        try FileManager.default.createDirectory(at: box.file("real"), withIntermediateDirectories: true)
        try box.initSample("real/backlog.md")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: box.path("real/backlog.md"))
        try FileManager.default.createSymbolicLink(atPath: box.path("backlog.md"), withDestinationPath: "real/backlog.md")
        let result = try box.run("add", "--title", "Through the link")
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout == "S-37\n")
        #expect(try isSymlink(box.path("backlog.md")))
        #expect(try permissions(box.path("real/backlog.md")) == 0o600)
        #expect(try box.text("real/backlog.md").hasSuffix("\n## S-37 Through the link\n"))
        #expect(try box.listing("real") == ["backlog.md"])
    }

    @Test("an unchanged backlog is not rewritten")
    func noChangeNoWrite() throws {
        let box = try Sandbox()
        let before = try box.initSample()
        let inodeBefore = try #require(try inode(box.path("backlog.md")))
        // S-10 already has value 5, and moving the first story to the top changes nothing.
        #expect(try box.run("set", "S-10", "value=5").status == 0)
        #expect(try box.run("move", "S-1", "--top").status == 0)
        #expect(try box.run("rank", "--strategy", "manual", "--apply").status == 0)
        #expect(try box.read("backlog.md") == before)
        #expect(try inode(box.path("backlog.md")) == inodeBefore, "an atomic rewrite would have replaced the inode")
    }

    @Test("a CRLF file with a byte order mark keeps both through set, add and move")
    func crlfAndBOM() throws {
        let box = try Sandbox()
        let original = "\u{FEFF}# X\r\n\r\n- strategy: wsjf\r\n\r\n## S-1 A\r\n- value: 1\r\n- reach: 10\r\n- points: 2\r\n\r\n"
            + "Desc line\r\nmore\r\n\r\n## S-2 B\r\n- value: 2\r\n"
        try box.write("c.md", original)
        #expect(try box.run("set", "c.md", "S-1", "value=3", "reach=").status == 0)
        let add = try box.run("add", "c.md", "--title", "C", "--description", "x\ny", "value=1")
        #expect(add.stdout == "S-3\n")
        let move = try box.run("move", "c.md", "S-2", "--top")
        #expect(move.status == 0, "\(move)")
        let expected = "\u{FEFF}# X\r\n\r\n- strategy: wsjf\r\n\r\n"
            + "## S-2 B\r\n- value: 2\r\n\r\n"
            + "## S-1 A\r\n- value: 3\r\n- points: 2\r\n\r\nDesc line\r\nmore\r\n\r\n"
            + "## S-3 C\r\n- value: 1\r\n\r\nx\r\ny\r\n"
        // Compared as bytes: String equality would accept canonically equivalent text.
        #expect(try box.read("c.md") == Data(expected.utf8))
        let check = try box.run("check", "c.md")
        #expect(check.stdout == "c.md: ok: 3 stories (3 not done), 0 warnings\n")
    }
}
