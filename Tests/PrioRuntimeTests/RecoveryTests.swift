import Foundation
import PrioApp
import PrioEngine
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
