import Foundation
import PrioApp
import PrioEngine
import PrioStorage
import PrioRuntime
import Testing

/// Recovery files through the real runner: written on a signal, offered at the next start.
@Suite("Recovery files")
struct RecoveryTests {
    func headings(_ text: String) -> [String] {
        text.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { String($0.split(separator: " ")[1]) }
    }

    @Test("A recovery file is written on request and offered at the next start")
    func recovery() throws {
        let file = try TempBacklog()
        let session = try file.session()
        #expect(session.writeRecovery() == nil)
        session.send(.character("J"))
        let path = try #require(try session.writeRecovery()?.get())
        #expect(path.hasSuffix("/.backlog.md.prio-recovery"))
        let next = try file.session()
        #expect(next.screen.contains("were recovered: r restore"))
        next.send(.character("r"))
        #expect(next.isDirty)
        next.send(.character("w"))
        #expect(headings(file.text) == ["S-2", "S-1", "S-3", "S-4", "S-5"])
        let again = try file.session()
        #expect(!again.screen.contains("recovered"))
    }
    @Test("The recovery file is private: never more open than owner read and write")
    func recoveryMode() throws {
        let file = try TempBacklog()
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        let session = try file.session()
        session.send(.character("J"))
        let path = try #require(try session.writeRecovery()?.get())
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }
}

@Suite("The runner and git")
struct RunnerGitTests {
    @Test("readHistory outside a repository says so; inside one it gives prio log's text")
    func history() throws {
        let file = try TempBacklog()
        var runner = FileRunner(environment: [:])
        let id = try #require(StoryID("S-1"))
        guard case .history(_, .failure(let error))? = runner.perform(.readHistory(path: file.path, id: id, strategy: "wsjf")) else {
            Issue.record("expected a failure outside git")
            return
        }
        #expect(error.message.contains("not in a git repository"))
        let environment = ["GIT_AUTHOR_NAME": "Ada", "GIT_AUTHOR_EMAIL": "a@b", "GIT_COMMITTER_NAME": "Ada", "GIT_COMMITTER_EMAIL": "a@b"]
        for arguments in [["init", "-q"], ["add", "."], ["-c", "user.name=Ada", "-c", "user.email=a@b", "commit", "-q", "-m", "first"]] {
            let run = try #require(GitRepository.run(arguments, in: file.directory.path))
            #expect(run.status == 0, "\(arguments): \(run.stderr) \(environment.count)")
        }
        guard case .history(_, .success(let text))? = runner.perform(.readHistory(path: file.path, id: id, strategy: "wsjf")) else {
            Issue.record("expected a history")
            return
        }
        #expect(text.contains("first"))
        #expect(text.contains("added: (none) → Guest checkout"))
    }

    @Test("readScope outside a repository gives nil; inside one the file's points at each sprint's end, as prio report reads them")
    func scope() throws {
        let text = """
            # Team

            ## S-1 First
            - points: 3

            ## S-2 Second
            - points: 5

            """
        let file = try TempBacklog(text)
        var runner = FileRunner(environment: [:])
        // One sprint ended before the file was committed (no version then), one ends long after.
        let sprints = [Sprint(name: "Old", start: "1999-12-20", end: "2000-01-01"), Sprint(name: "Late", start: "2099-12-20", end: "2099-12-31")]
        guard case .scopeRead(nil, confirmed: true)? = runner.perform(.readScope(path: file.path, sprints: sprints, confirmed: true)) else {
            Issue.record("expected no scope outside git")
            return
        }
        for arguments in [["init", "-q"], ["add", "."], ["-c", "user.name=Ada", "-c", "user.email=a@b", "commit", "-q", "-m", "first"]] {
            let run = try #require(GitRepository.run(arguments, in: file.directory.path))
            #expect(run.status == 0, "\(arguments): \(run.stderr)")
        }
        guard case .scopeRead(let scope, confirmed: false)? = runner.perform(.readScope(path: file.path, sprints: sprints, confirmed: false)) else {
            Issue.record("expected a scope answer")
            return
        }
        #expect(scope == ["Late": Fraction(8)])
    }
}
