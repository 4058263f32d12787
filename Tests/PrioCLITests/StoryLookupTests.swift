import Foundation
import Testing

/// Every command that names a story refuses an ID the backlog does not hold, with the closest
/// one it does hold, and changes nothing.
@Suite("Commands that name a story")
struct StoryLookupTests {
    @Test("an unknown ID is refused with a did-you-mean, exit 1 and the file untouched", arguments: [
        ["pin", "S-300", "1"],
        ["unpin", "S-300"],
        ["accept", "S-300"],
        ["accept", "S-300", "--force"],
        ["reject", "S-300", "--reason", "wrong"],
        ["why", "S-300"],
        ["move", "S-300", "--top"],
        ["move", "S-10", "--before", "S-300"],
        ["move", "S-10", "--after", "S-300"],
        ["set", "S-300", "value=1"],
        ["rm", "S-300"],
        ["rm", "S-300", "--force"],
        ["vote", "S-300", "--as", "alice", "value=3"],
    ])
    func unknownID(arguments: [String]) throws {
        let box = try Sandbox()
        let before = try box.initSample()
        // The sample declares alice, so that vote gets as far as the story.
        let text = String(decoding: before, as: UTF8.self)
        #expect(text.contains("- stakeholder: alice"))
        let result = try box.run(arguments: arguments)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == "prio: error: no story with ID S-300 (did you mean S-30?)\n", "\(result)")
        #expect(result.stdout == "")
        #expect(try box.text("backlog.md") == text)
    }

    @Test("an ID close to none gets no guess; pin S-999 no longer exits 0")
    func noGuess() throws {
        let box = try Sandbox()
        let before = try box.initSample()
        let result = try box.run("pin", "S-999", "1")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == "prio: error: no story with ID S-999\n")
        #expect(try box.read("backlog.md") == before)
        // Among equally close IDs, the nearest number: S-19 (not S-9 or S-29) for S-99 ... with S-29 gone.
        #expect(try box.run("rm", "S-29").status == 0)
        #expect(try box.run("set", "S-99", "value=1").stderr == "prio: error: no story with ID S-99 (did you mean S-19?)\n")
    }

    @Test("log refuses an ID the file never held, with the closest one it holds")
    func log() throws {
        let repo = try GitSandbox(backlog: GitMergeTests.base)
        let result = try repo.box.run("log", "b.md", "S-31", environment: repo.environment)
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr == "prio: error: no story with ID S-31 (did you mean S-3?)\n", "\(result)")
        #expect(try repo.box.run("log", "b.md", "S-3", environment: repo.environment).status == 0)
    }

    static let review = """
        # Team

        - sprint: Sprint 4 | capacity 20 | 2026-11-30 .. 2026-12-11
        - sprint: Sprint 5 | capacity 20 | 2026-12-14 .. 2026-12-25

        ## S-1 Guest checkout
        - status: in-progress
        - sprint: Sprint 4
        - points: 5

        ## S-2 Search
        - points: 3

        ## S-3 Wishlist
        - sprint: Sprint 5
        - points: 8

        """

    @Test("accept refuses a story in no sprint, or not in --sprint, unless --force")
    func acceptOutOfSprint() throws {
        let box = try Sandbox()
        try box.write("b.md", Self.review)
        let none = try box.run("accept", "b.md", "S-2")
        #expect(none.status == 1)
        #expect(none.stderr == "prio: error: S-2 is in no sprint: a story is accepted at its sprint's review (accept it anyway with --force)\n")
        let other = try box.run("accept", "b.md", "S-3", "--sprint", "Sprint 4")
        #expect(other.status == 1)
        #expect(other.stderr == "prio: error: S-3 is in Sprint 5, not in Sprint 4 (accept it anyway with --force)\n")
        #expect(try box.text("b.md") == Self.review)

        let inSprint = try box.run("accept", "b.md", "S-1", "--sprint", "Sprint 4")
        #expect(inSprint.status == 0, "\(inSprint)")
        #expect(inSprint.stderr == "accepted S-1: done\n")
        let forced = try box.run("accept", "b.md", "S-2", "--force")
        #expect(forced.status == 0, "\(forced)")
        let text = try box.text("b.md")
        #expect(text.contains("## S-1 Guest checkout\n- status: done\n"))
        #expect(text.contains("## S-2 Search\n- status: done\n- points: 3\n"), "\(text)")
    }
}
