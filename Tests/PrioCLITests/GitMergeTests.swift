import Foundation
import Testing

/// A git repository in a sandbox with the prio driver installed by `prio git-setup`, the built
/// prio first on PATH.
final class GitSandbox {
    let box: Sandbox
    let environment: [String: String]

    init(backlog: String, setUp: Bool = true) throws {
        box = try Sandbox()
        let prio = try #require(PrioRunner.executable)
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = prio.deletingLastPathComponent().path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        environment["GIT_AUTHOR_NAME"] = "Ada"
        environment["GIT_AUTHOR_EMAIL"] = "ada@example.com"
        environment["GIT_COMMITTER_NAME"] = "Ada"
        environment["GIT_COMMITTER_EMAIL"] = "ada@example.com"
        environment["GIT_CONFIG_NOSYSTEM"] = "1"
        environment["HOME"] = box.url.path
        self.environment = environment
        try git("init", "-q", "-b", "main")
        try box.write("b.md", backlog)
        if setUp {
            let setup = try box.run("git-setup", "b.md", environment: environment)
            #expect(setup.status == 0, "\(setup)")
        }
        try git("add", ".")
        try git("commit", "-q", "-m", "base")
    }

    /// Runs git; returns its exit status and output.
    @discardableResult
    func git(_ arguments: String...) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = box.url
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    func write(_ text: String) throws { try box.write("b.md", text) }
    var text: String { (try? box.text("b.md")) ?? "" }

    /// Branches `ours` and `theirs` from the base commit, one change each, then merges theirs into ours.
    func merge(ours: String, theirs: String) throws -> (status: Int32, output: String) {
        try git("checkout", "-q", "-b", "theirs")
        try write(theirs)
        try git("commit", "-q", "-am", "theirs")
        try git("checkout", "-q", "main")
        try write(ours)
        try git("commit", "-q", "-am", "ours")
        return try git("merge", "-q", "--no-edit", "theirs")
    }
}

@Suite("prio merge in real git repositories")
struct GitMergeTests {
    static let base = """
        # Team

        - strategy: wsjf
        - sprint: Sprint 1 | capacity 20

        ## S-1 Checkout
        - value: 8
        - points: 5

        Guest checkout without an account.
        Pay with a card.

        ## S-2 Search
        - value: 5
        - points: 3

        ## S-3 Wishlist
        - value: 2
        - points: 2

        ## S-4 Reviews
        - value: 3
        - points: 8

        """

    func replacing(in text: String = GitMergeTests.base, _ pairs: [(String, String)]) -> String {
        pairs.reduce(text) { $0.replacing($1.0, with: $1.1) }
    }

    func headings(_ text: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.split(separator: " ")[1]) }
    }

    @Test("git-setup writes .gitattributes and the driver, idempotently; --check says so")
    func setup() throws {
        let repo = try GitSandbox(backlog: Self.base)
        #expect(try repo.box.text(".gitattributes") == "/b.md merge=prio diff=prio\n")
        let again = try repo.box.run("git-setup", "b.md", environment: repo.environment)
        #expect(again.stdout.contains(".gitattributes already sends b.md to the prio driver"))
        #expect(try repo.box.text(".gitattributes") == "/b.md merge=prio diff=prio\n")
        #expect(try repo.git("config", "--get", "merge.prio.driver").output == "prio merge -- %O %A %B %P\n")
        let check = try repo.box.run("git-setup", "b.md", "--check", environment: repo.environment)
        #expect(check.status == 0, "\(check)")
        let outside = try Sandbox()
        try outside.write("b.md", Self.base)
        let notRepo = try outside.run("git-setup", "b.md", environment: ["GIT_CEILING_DIRECTORIES": outside.url.deletingLastPathComponent().path])
        #expect(notRepo.status == 1)
        #expect(notRepo.stderr.contains("is not in a git repository"))
    }

    @Test("Different fields of one story, and different stories, merge cleanly")
    func differentFields() throws {
        let repo = try GitSandbox(backlog: Self.base)
        let result = try repo.merge(ours: replacing([("- value: 8\n- points: 5", "- value: 13\n- points: 5")]),
                                    theirs: replacing([("- value: 8\n- points: 5", "- value: 8\n- points: 3"),
                                                       ("## S-3 Wishlist", "## S-3 Wish list")]))
        #expect(result.status == 0, "\(result.output)")
        #expect(repo.text == replacing([("- value: 8\n- points: 5", "- value: 13\n- points: 3"), ("## S-3 Wishlist", "## S-3 Wish list")]))
    }

    @Test("The same field changed differently is a conflict around that line only")
    func sameField() throws {
        let repo = try GitSandbox(backlog: Self.base)
        let result = try repo.merge(ours: replacing([("- value: 5\n", "- value: 6\n"), ("- value: 2\n", "- value: 4\n")]),
                                    theirs: replacing([("- value: 5\n", "- value: 7\n")]))
        #expect(result.status != 0)
        #expect(repo.text.contains("## S-2 Search\n<<<<<<< ours\n- value: 6\n=======\n- value: 7\n>>>>>>> theirs\n- points: 3\n"), "\(repo.text)")
        #expect(repo.text.contains("## S-3 Wishlist\n- value: 4\n"))
        let check = try repo.box.run("check", "b.md", environment: repo.environment)
        #expect(check.status == 1)
        #expect(check.stderr.contains("b.md:14:1: error: unresolved merge conflict"), "\(check.stderr)")
    }

    @Test("A reorder on one side and an edit on the other both land")
    func reorderAgainstEdit() throws {
        let repo = try GitSandbox(backlog: Self.base)
        let moved = try #require(try? movedToTop("S-4", Self.base))
        let result = try repo.merge(ours: moved, theirs: replacing([("- value: 3\n", "- value: 9\n")]))
        #expect(result.status == 0, "\(result.output)")
        #expect(headings(repo.text) == ["S-4", "S-1", "S-2", "S-3"])
        #expect(repo.text.contains("## S-4 Reviews\n- value: 9\n"))
    }

    @Test("Reorders on both sides: each side's moves apply; a story moved differently keeps our place")
    func reorderAgainstReorder() throws {
        let repo = try GitSandbox(backlog: Self.base)
        let ours = try movedToTop("S-3", Self.base)  // S-3 S-1 S-2 S-4
        let theirs = try movedToTop("S-4", Self.base)  // S-4 S-1 S-2 S-3
        let result = try repo.merge(ours: ours, theirs: theirs)
        #expect(result.status == 0, "\(result.output)")
        #expect(headings(repo.text) == ["S-4", "S-3", "S-1", "S-2"])
        let both = try GitSandbox(backlog: Self.base)
        let conflicting = try both.merge(ours: try movedToTop("S-2", Self.base), theirs: try movedToBottom("S-2", Self.base))
        #expect(conflicting.status == 0)
        #expect(headings(both.text) == ["S-2", "S-1", "S-3", "S-4"])
        #expect(conflicting.output.contains("S-2 was moved on both sides; it keeps our position"), "\(conflicting.output)")
    }

    @Test("Stories added on both sides with the same next ID are both kept; theirs is renumbered, with its references")
    func addAgainstAdd() throws {
        let repo = try GitSandbox(backlog: Self.base)
        let ours = Self.base + "## S-5 Ours new\n- points: 1\n"
        let theirs = Self.base + "## S-5 Theirs new\n- points: 2\n\n## S-6 Theirs next\n- depends: S-5\n"
        let result = try repo.merge(ours: ours, theirs: theirs)
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("S-5 was added on both sides; theirs (Theirs new) is now S-7"), "\(result.output)")
        #expect(headings(repo.text) == ["S-1", "S-2", "S-3", "S-4", "S-5", "S-7", "S-6"])
        #expect(repo.text.contains("## S-6 Theirs next\n- depends: S-7\n"))
        let check = try repo.box.run("check", "b.md", environment: repo.environment)
        #expect(check.status == 0, "\(check)")
    }

    @Test("Removed on one side and untouched on the other goes; removed against edited is a conflict, never lost")
    func removeAgainstEdit() throws {
        let repo = try GitSandbox(backlog: Self.base)
        let withoutS3 = Self.base.replacing("## S-3 Wishlist\n- value: 2\n- points: 2\n\n", with: "")
        let clean = try repo.merge(ours: withoutS3, theirs: replacing([("- value: 3\n", "- value: 4\n")]))
        #expect(clean.status == 0, "\(clean.output)")
        #expect(headings(repo.text) == ["S-1", "S-2", "S-4"])

        let conflict = try GitSandbox(backlog: Self.base)
        let result = try conflict.merge(ours: withoutS3, theirs: replacing([("- value: 2\n", "- value: 20\n")]))
        #expect(result.status != 0)
        #expect(conflict.text.contains("<<<<<<< ours (removed S-3)\n=======\n## S-3 Wishlist\n- value: 20\n- points: 2\n>>>>>>> theirs\n"),
                "\(conflict.text)")
    }

    @Test("Sprints added on both sides merge by name; descriptions merge line by line")
    func headerAndDescriptions() throws {
        let base = Self.base.replacing("Pay with a card.\n", with: "Pay with a card.\nShip to one address.\n")
        let repo = try GitSandbox(backlog: base)
        let ours = replacing(in: base, [("- sprint: Sprint 1 | capacity 20\n", "- sprint: Sprint 1 | capacity 20\n- sprint: Sprint 2 | capacity 18\n"),
                              ("Guest checkout without an account.", "Guest checkout without any account.")])
        let theirs = replacing(in: base, [("- sprint: Sprint 1 | capacity 20\n", "- sprint: Sprint 1 | capacity 22\n- sprint: Sprint 3\n"),
                                          ("Ship to one address.", "Ship to several addresses.")])
        let result = try repo.merge(ours: ours, theirs: theirs)
        #expect(result.status == 0, "\(result.output)")
        #expect(repo.text.contains("- sprint: Sprint 1 | capacity 22\n- sprint: Sprint 2 | capacity 18\n- sprint: Sprint 3\n"), "\(repo.text)")
        #expect(repo.text.contains("Guest checkout without any account.\nPay with a card.\nShip to several addresses.\n"))
        // Changes to neighbouring lines conflict, as git merge-file says, inside the description only.
        let adjacent = try GitSandbox(backlog: base)
        let result2 = try adjacent.merge(ours: base.replacing("Pay with a card.", with: "Pay by card."),
                                         theirs: base.replacing("Ship to one address.", with: "Ship anywhere."))
        #expect(result2.status != 0)
        #expect(adjacent.text.contains("<<<<<<< ours\nPay by card.\nShip to one address.\n=======\nPay with a card.\nShip anywhere.\n>>>>>>> theirs\n"),
                "\(adjacent.text)")
    }

    @Test("Untouched stories stay byte-identical to ours, odd spacing included")
    func untouchedBytes() throws {
        let odd = Self.base.replacing("## S-2 Search\n- value: 5\n", with: "## S-2   Search  \n-   value:5\n")
        let repo = try GitSandbox(backlog: odd)
        let result = try repo.merge(ours: odd.replacing("- value: 2\n", with: "- value: 3\n"),
                                    theirs: odd.replacing("- value: 8\n", with: "- value: 9\n"))
        #expect(result.status == 0, "\(result.output)")
        #expect(repo.text == odd.replacing("- value: 2\n", with: "- value: 3\n").replacing("- value: 8\n", with: "- value: 9\n"))
    }

    @Test("A rebase and a cherry-pick go through the driver too")
    func rebaseAndCherryPick() throws {
        let repo = try GitSandbox(backlog: Self.base)
        try repo.git("checkout", "-q", "-b", "feature")
        try repo.write(replacing([("- value: 5\n", "- value: 50\n")]))
        try repo.git("commit", "-q", "-am", "feature")
        try repo.git("checkout", "-q", "main")
        try repo.write(replacing([("- points: 3\n", "- points: 13\n")]))
        try repo.git("commit", "-q", "-am", "main")
        try repo.git("checkout", "-q", "feature")
        let rebase = try repo.git("rebase", "-q", "main")
        #expect(rebase.status == 0, "\(rebase.output)")
        #expect(repo.text.contains("## S-2 Search\n- value: 50\n- points: 13\n"))
        try repo.git("checkout", "-q", "-b", "pick", "main~1")
        let pick = try repo.git("cherry-pick", "feature")
        #expect(pick.status == 0, "\(pick.output)")
        #expect(repo.text.contains("## S-2 Search\n- value: 50\n- points: 3\n"))
    }

    @Test("A criss-cross merge (two merge bases) resolves through the driver")
    func crissCross() throws {
        let repo = try GitSandbox(backlog: Self.base)
        try repo.git("checkout", "-q", "-b", "a")
        try repo.write(replacing([("- value: 8\n", "- value: 9\n")]))
        try repo.git("commit", "-q", "-am", "a1")
        try repo.git("checkout", "-q", "main")
        try repo.git("checkout", "-q", "-b", "b")
        try repo.write(replacing([("- value: 2\n", "- value: 3\n")]))
        try repo.git("commit", "-q", "-am", "b1")
        // Each branch merges the other's first commit: two merge bases from now on.
        try repo.git("merge", "-q", "--no-edit", "a")
        try repo.git("checkout", "-q", "a")
        try repo.git("merge", "-q", "--no-edit", "b~1")
        try repo.write(repo.text.replacing("- points: 8\n", with: "- points: 5\n"))
        try repo.git("commit", "-q", "-am", "a2")
        try repo.git("checkout", "-q", "b")
        try repo.write(repo.text.replacing("- points: 2\n", with: "- points: 1\n"))
        try repo.git("commit", "-q", "-am", "b2")
        let result = try repo.git("merge", "-q", "--no-edit", "a")
        #expect(result.status == 0, "\(result.output)")
        #expect(repo.text == replacing([("- value: 8\n", "- value: 9\n"), ("- value: 2\n- points: 2", "- value: 3\n- points: 1"),
                                        ("- points: 8\n", "- points: 5\n")]))
    }

    /// The backlog with a story moved to the top / bottom, as `prio move` would write it.
    func movedToTop(_ id: String, _ text: String) throws -> String { try moved(id, text, top: true) }
    func movedToBottom(_ id: String, _ text: String) throws -> String { try moved(id, text, top: false) }
    func moved(_ id: String, _ text: String, top: Bool) throws -> String {
        let box = try Sandbox()
        try box.write("m.md", text)
        let result = try box.run("move", "m.md", id, top ? "--top" : "--bottom")
        #expect(result.status == 0, "\(result)")
        return try box.text("m.md")
    }
}

@Suite("prio diff and prio log in real git repositories")
struct GitHistoryTests {
    @Test("diff: HEAD against the file, and two revisions, as table and JSON")
    func diff() throws {
        let repo = try GitSandbox(backlog: GitMergeTests.base)
        try repo.write(GitMergeTests.base.replacing("- value: 2\n", with: "- value: 30\n").replacing("## S-2 Search", with: "## S-2 Site search")
                       + "## S-5 Reports\n- value: 1\n")
        let table = try repo.box.run("diff", "b.md", "--strategy", "wsjf", environment: repo.environment)
        #expect(table.status == 0, "\(table)")
        #expect(table.stdout.contains("Added:\n  + S-5 Reports\n"))
        #expect(table.stdout.contains("  S-2 Site search\n    title: Search → Site search\n"))
        #expect(table.stdout.contains("  S-3 Wishlist\n    value: 2 → 30\n"))
        // git diff's hunk headers name the story (diff.prio.xfuncname).
        let gitDiff = try repo.git("diff", "-U0", "b.md")
        #expect(gitDiff.output.contains("@@ ## S-3 Wishlist") || gitDiff.output.contains("@@ ## S-2 Search"), "\(gitDiff.output)")
        try repo.git("commit", "-q", "-am", "second")
        let json = try repo.box.run("diff", "b.md", "HEAD~1", "HEAD", "--format", "json", environment: repo.environment)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(object["added"] as? [String] == ["S-5"])
        #expect(object["removed"] as? [String] == [])
        let changed = try #require(object["changed"] as? [[String: Any]])
        #expect(changed.map { $0["id"] as? String } == ["S-2", "S-3"])
        #expect(((changed[1]["changes"] as? [[String: Any]])?.first)?["to"] as? String == "30")
        let outside = try Sandbox()
        try outside.write("b.md", GitMergeTests.base)
        let none = try outside.run("diff", "b.md", environment: ["GIT_CEILING_DIRECTORIES": outside.url.deletingLastPathComponent().path])
        #expect(none.status == 1 && none.stderr.contains("is not in a git repository"))
    }

    @Test("log: the commits that changed the story or its rank, and what moved it")
    func log() throws {
        let repo = try GitSandbox(backlog: GitMergeTests.base)
        var text = GitMergeTests.base.replacing("- value: 2\n- points: 2", with: "- value: 20\n- points: 2")
        try repo.write(text)
        try repo.git("commit", "-q", "-am", "raise the wishlist")
        text = text.replacing("- value: 5\n- points: 3", with: "- value: 50\n- points: 3")
        try repo.write(text)
        try repo.git("commit", "-q", "-am", "raise search")
        try repo.write(text.replacing("## S-1 Checkout", with: "## S-1 Checkout v2"))
        try repo.git("commit", "-q", "-am", "rename checkout")
        let result = try repo.box.run("log", "b.md", "S-3", "--strategy", "value-effort", "--format", "json", environment: repo.environment)
        #expect(result.status == 0, "\(result)")
        let steps = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(steps.map { $0["subject"] as? String } == ["raise search", "raise the wishlist", "base"])
        #expect((steps[0]["changes"] as? [Any])?.isEmpty == true)
        #expect(steps[0]["moved_by"] as? [String] == ["S-2"])
        #expect((steps[0]["rank"] as? [String: Int]) == ["from": 1, "to": 2])
        #expect(((steps[1]["changes"] as? [[String: Any]])?.first)?["field"] as? String == "value")
        #expect(steps[1]["author"] as? String == "Ada")
        let table = try repo.box.run("log", "b.md", "S-3", "--strategy", "value-effort", environment: repo.environment)
        #expect(table.stdout.contains("rank by value-effort 1 → 2 (moved by S-2)"), "\(table.stdout)")
    }
}

@Suite("prio check and the merge driver")
struct CheckDriverNoteTests {
    @Test("In a repository without the driver, check adds one note on stderr; with it, none")
    func note() throws {
        let repo = try GitSandbox(backlog: GitMergeTests.base)
        var check = try repo.box.run("check", "b.md", environment: repo.environment)
        #expect(check.status == 0 && check.stderr.isEmpty, "\(check)")
        try repo.git("config", "--unset", "merge.prio.driver")
        check = try repo.box.run("check", "b.md", environment: repo.environment)
        #expect(check.status == 0)
        #expect(check.stderr == "prio: note: git merges b.md line by line here; to merge it story by story, run: prio git-setup b.md\n")
        #expect(check.stdout.hasPrefix("b.md: ok: 4 stories"))
    }
}
