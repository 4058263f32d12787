import Foundation
import Testing

/// `prio git-setup` on repositories from a stranger: links, odd names, other people's bytes
/// and drivers (issue 24, items 1, 11 and 12).
@Suite("prio git-setup on hostile repositories")
struct GitSetupTests {
    /// What git itself says the merge attribute of `path` is.
    func mergeAttribute(_ repo: GitSandbox, _ path: String) throws -> String {
        let run = try repo.git("check-attr", "merge", "--", path)
        return run.output.components(separatedBy: "merge: ").last?.trimmingCharacters(in: .newlines) ?? ""
    }

    @Test("A .gitattributes that links outside the repository is refused; nothing outside changes")
    func attributesLinkOutside() throws {
        let repo = try GitSandbox(backlog: GitMergeTests.base, setUp: false)
        let outside = try Sandbox()
        let bashrc = Data("export PS1='$ '\n".utf8)
        try outside.write("bashrc", bashrc)
        try FileManager.default.createSymbolicLink(atPath: repo.box.path(".gitattributes"), withDestinationPath: outside.path("bashrc"))
        let run = try repo.box.run("git-setup", "b.md", environment: repo.environment)
        #expect(run.status == 1)
        #expect(run.stderr.contains(".gitattributes is a symbolic link"), "\(run)")
        #expect(try outside.read("bashrc") == bashrc)
        #expect(try repo.git("config", "--get", "merge.prio.driver").status != 0)
        // A dangling link would create a file wherever it points.
        try FileManager.default.removeItem(atPath: repo.box.path(".gitattributes"))
        try FileManager.default.createSymbolicLink(atPath: repo.box.path(".gitattributes"), withDestinationPath: outside.path("new"))
        #expect(try repo.box.run("git-setup", "b.md", environment: repo.environment).status == 1)
        #expect(!outside.exists("new"))
    }

    @Test("A backlog that is a link (with a shell command for a name), or lies through a linked folder, is refused")
    func backlogLink() throws {
        let repo = try GitSandbox(backlog: GitMergeTests.base, setUp: false)
        let evil = ";touch${IFS}PWNED;#.md"
        try repo.box.write(evil, GitMergeTests.base)
        try FileManager.default.createSymbolicLink(atPath: repo.box.path("backlog.md"), withDestinationPath: evil)
        let run = try repo.box.run("git-setup", "backlog.md", environment: repo.environment)
        #expect(run.status == 1)
        #expect(run.stderr.contains("backlog.md is a symbolic link"), "\(run)")
        #expect(!repo.box.exists(".gitattributes"))
        let outside = try Sandbox()
        try outside.write("b.md", GitMergeTests.base)
        try FileManager.default.createSymbolicLink(atPath: repo.box.path("elsewhere"), withDestinationPath: outside.url.path)
        let linkedOut = try repo.box.run("git-setup", "elsewhere/b.md", environment: repo.environment)
        #expect(linkedOut.status == 1 && linkedOut.stderr.contains("is not in a git repository"), "\(linkedOut)")
        try repo.box.write("sub/b.md", GitMergeTests.base)
        try FileManager.default.createSymbolicLink(atPath: repo.box.path("alias"), withDestinationPath: "sub")
        let linkedFolder = try repo.box.run("git-setup", "alias/b.md", environment: repo.environment)
        #expect(linkedFolder.status == 1)
        #expect(linkedFolder.stderr.contains("alias is a symbolic link"), "\(linkedFolder)")
        let dotdot = try repo.box.run("git-setup", "../" + repo.box.url.lastPathComponent + "/../x.md", environment: repo.environment)
        #expect(dotdot.status == 1)
        #expect(dotdot.stderr.contains("is not in") || dotdot.stderr.contains("not inside"), "\(dotdot)")
        #expect(!repo.box.exists(".gitattributes"))
        #expect(!repo.box.exists("PWNED") && !outside.exists("PWNED"))
    }

    @Test("Names with spaces, glob characters, backslashes, quotes and a leading dash match exactly that file, once")
    func exactPatterns() throws {
        let names = ["my backlog.md", "b[1].md", "back\\slash.md", "x*y.md", "q?.md", "-dash.md", "say \"hi\".md", "tab\there.md"]
        let decoys = ["my  backlog.md", "b1.md", "backslash.md", "xzy.md", "qx.md", "dash.md", "say hi.md", "tab here.md"]
        let repo = try GitSandbox(backlog: GitMergeTests.base, setUp: false)
        for name in names + decoys { try repo.box.write(name, GitMergeTests.base) }
        for name in names {
            let run = try repo.box.run("git-setup", "--", name, environment: repo.environment)
            #expect(run.status == 0, "\(name): \(run)")
        }
        let written = try repo.box.read(".gitattributes")
        #expect(String(decoding: written, as: UTF8.self).split(separator: "\n").count == names.count)
        for name in names { #expect(try mergeAttribute(repo, name) == "prio", "\(name)") }
        for name in decoys { #expect(try mergeAttribute(repo, name) == "unspecified", "\(name)") }
        // Idempotent: every byte stays; --check agrees with git.
        for name in names {
            let again = try repo.box.run("git-setup", "--", name, environment: repo.environment)
            #expect(again.stdout.contains("already sends"), "\(name): \(again)")
            let check = try repo.box.run("git-setup", "--check", "--", name, environment: repo.environment)
            #expect(check.status == 0, "\(name): \(check)")
        }
        #expect(try repo.box.read(".gitattributes") == written)
        let warnings = try repo.git("status", "--short")
        #expect(!warnings.output.contains("is not a valid attribute name"), "\(warnings.output)")
        let decoyCheck = try repo.box.run("git-setup", "--check", "b1.md", environment: repo.environment)
        #expect(decoyCheck.status == 1)
    }

    @Test("Every other byte of .gitattributes stays: Latin-1, CRLF lines, a missing last line break")
    func keepsBytes() throws {
        let repo = try GitSandbox(backlog: GitMergeTests.base, setUp: false)
        let crlf: [UInt8] = Array("*.bin binary\r\n# caf".utf8) + [0xE9] + Array("\r\n".utf8)
        try repo.box.write(".gitattributes", Data(crlf))
        #expect(try repo.box.run("git-setup", "b.md", environment: repo.environment).status == 0)
        #expect(try Array(repo.box.read(".gitattributes")) == crlf + Array("/b.md merge=prio diff=prio\r\n".utf8))
        let noEnd: [UInt8] = Array("*.txt text # ".utf8) + [0xFF, 0xFE]
        try repo.box.write(".gitattributes", Data(noEnd))
        #expect(try repo.box.run("git-setup", "b.md", environment: repo.environment).status == 0)
        #expect(try Array(repo.box.read(".gitattributes")) == noEnd + Array("\n/b.md merge=prio diff=prio\n".utf8))
    }

    @Test("A driver prio did not write is kept unless --force; an older prio line is repaired, with its pattern")
    func drivers() throws {
        let repo = try GitSandbox(backlog: GitMergeTests.base, setUp: false)
        let custom = "/opt/prio/bin/prio merge %O %A %B %P"
        try repo.git("config", "merge.prio.driver", custom)
        let refused = try repo.box.run("git-setup", "b.md", environment: repo.environment)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("did not write") && refused.stderr.contains("--force"), "\(refused)")
        #expect(try repo.git("config", "--get", "merge.prio.driver").output == custom + "\n")
        #expect(!repo.box.exists(".gitattributes"))
        let forced = try repo.box.run("git-setup", "b.md", "--force", environment: repo.environment)
        #expect(forced.status == 0, "\(forced)")
        #expect(try repo.git("config", "--get", "merge.prio.driver").output == "prio merge -- %O %A %B %P\n")

        let old = try GitSandbox(backlog: GitMergeTests.base, setUp: false)
        try old.box.write("my backlog.md", GitMergeTests.base)
        try old.git("config", "merge.prio.driver", "prio merge %O %A %B %P")
        try old.box.write(".gitattributes", "*.png binary\n/my[ ]backlog.md merge=prio diff=prio\n*.md text\n")
        let check = try old.box.run("git-setup", "--check", "my backlog.md", environment: old.environment)
        #expect(check.status == 1)
        #expect(check.stderr == "prio: to set it up, run: prio git-setup 'my backlog.md'\n", "\(check)")
        let repaired = try old.box.run("git-setup", "my backlog.md", environment: old.environment)
        #expect(repaired.status == 0, "\(repaired)")
        #expect(try old.box.text(".gitattributes") == "*.png binary\n\"/my backlog.md\" merge=prio diff=prio\n*.md text\n")
        #expect(try old.git("config", "--get", "merge.prio.driver").output == "prio merge -- %O %A %B %P\n")
        #expect(try mergeAttribute(old, "my backlog.md") == "prio")
    }

    @Test("prio check's note quotes the file so that it can be pasted")
    func checkNoteQuotes() throws {
        let repo = try GitSandbox(backlog: GitMergeTests.base, setUp: false)
        try repo.box.write("my backlog.md", GitMergeTests.base)
        let check = try repo.box.run("check", "my backlog.md", environment: repo.environment)
        #expect(check.status == 0)
        #expect(check.stderr.hasSuffix("run: prio git-setup 'my backlog.md'\n"), "\(check)")
    }

    @Test("A backlog named -dash.md merges through the driver: the '--' keeps it from being read as options")
    func dashName() throws {
        let repo = try GitSandbox(backlog: GitMergeTests.base, setUp: false)
        let name = "-dash.md"
        try repo.box.write(name, GitMergeTests.base)
        #expect(try repo.box.run("git-setup", "--", name, environment: repo.environment).status == 0)
        try repo.git("add", ".")
        try repo.git("commit", "-q", "-m", "base")
        try repo.git("checkout", "-q", "-b", "theirs")
        try repo.box.write(name, GitMergeTests.base.replacing("- value: 5\n", with: "- value: 6\n") + "\n## S-5 Theirs\n- value: 1\n")
        try repo.git("commit", "-q", "-am", "theirs")
        try repo.git("checkout", "-q", "main")
        try repo.box.write(name, GitMergeTests.base.replacing("- value: 8\n", with: "- value: 13\n"))
        try repo.git("commit", "-q", "-am", "ours")
        let merge = try repo.git("merge", "-q", "--no-edit", "theirs")
        #expect(merge.status == 0, "\(merge.output)")
        let text = try repo.box.text(name)
        #expect(text.contains("- value: 13\n") && text.contains("- value: 6\n") && text.contains("## S-5 Theirs"), "\(text)")
    }

    @Test("prio diff: nothing from the user reaches git's option parser; a range is refused with a message")
    func diffRevisions() throws {
        let repo = try GitSandbox(backlog: GitMergeTests.base)
        try repo.write(GitMergeTests.base + "\n## S-5 Reports\n- value: 1\n")
        try repo.git("commit", "-q", "-am", "second")
        let outside = try Sandbox()
        let injected = try repo.box.run("diff", "b.md", "--", "--output=" + outside.path("x"), environment: repo.environment)
        #expect(injected.status == 1)
        #expect(injected.stderr.contains("does not name a commit"), "\(injected)")
        #expect(try outside.listing().isEmpty)
        let range = try repo.box.run("diff", "b.md", "HEAD~1..HEAD", environment: repo.environment)
        #expect(range.status == 1)
        #expect(range.stderr.contains("is a range"), "\(range)")
        let dash = try repo.box.run("diff", "b.md", "--", "-p", "HEAD", environment: repo.environment)
        #expect(dash.status == 1 && dash.stderr.contains("'-p' does not name a commit"), "\(dash)")
        let fine = try repo.box.run("diff", "b.md", "HEAD~1", "HEAD", environment: repo.environment)
        #expect(fine.status == 0 && fine.stdout.contains("+ S-5 Reports"), "\(fine)")
        let missing = try repo.box.run("diff", "b.md", "HEAD~5", environment: repo.environment)
        #expect(missing.status == 1 && missing.stderr.contains("'HEAD~5' does not name a commit"), "\(missing)")
    }
}
