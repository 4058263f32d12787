import Foundation
import PrioEngine
import PrioStorage
import Testing

@Suite("Saving")
struct StorageTests {
    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("prio-storage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test("A save refuses when the file changed on disk since it was read, and writes nothing")
    func refusesConcurrentChange() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("backlog.md").path
        try Data(canonicalFixture.utf8).write(to: URL(fileURLWithPath: path))
        var file = try BacklogFile.load(path)
        // Someone else edits the file meanwhile.
        let theirs = canonicalFixture.replacing("- value: 13", with: "- value: 20")
        try Data(theirs.utf8).write(to: URL(fileURLWithPath: path))
        var backlog = file.backlog
        try backlog.update(at: 1) { (s: inout Story) throws(FieldProblem) in try s.setField("points", "8") }
        #expect(throws: PrioError.self) { try file.save(backlog) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == theirs)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["backlog.md"])
    }

    @Test("A save is atomic, keeps the mode, leaves no temporary file, and skips unchanged content")
    func atomicSave() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("backlog.md").path
        try Data(canonicalFixture.utf8).write(to: URL(fileURLWithPath: path))
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: path)
        var file = try BacklogFile.load(path)
        #expect(try file.save(file.backlog) == false)
        var backlog = file.backlog
        try backlog.move(StoryID(prefix: "S", number: 14), to: .top)
        #expect(try file.save(backlog) == true)
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["backlog.md"])
        #expect(ids(try BacklogFile.load(path).backlog) == ["S-14", "S-12", "S-13"])
    }

    @Test("A file's backlog can be taken out of it: the file still saves it, and refuses after a change on disk")
    func takeBacklog() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("backlog.md").path
        try Data(canonicalFixture.utf8).write(to: URL(fileURLWithPath: path))
        var file = try BacklogFile.load(path)
        var backlog = file.takeBacklog()
        #expect(file.backlog.stories.isEmpty)
        #expect(ids(backlog) == ["S-12", "S-13", "S-14"])
        #expect(try file.save(backlog) == false)
        try backlog.move(StoryID(prefix: "S", number: 14), to: .top)
        #expect(try file.save(backlog) == true)
        #expect(ids(try BacklogFile.load(path).backlog) == ["S-14", "S-12", "S-13"])
        try Data(canonicalFixture.utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: PrioError.self) { try file.save(backlog) }
    }

    @Test("Exclusive writes never replace an existing file")
    func exclusive() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("new.md").path
        try atomicWrite(Array("one\n".utf8), to: path, exclusive: true)
        #expect(throws: PrioError.self) { try atomicWrite(Array("two\n".utf8), to: path, exclusive: true) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "one\n")
    }
}
