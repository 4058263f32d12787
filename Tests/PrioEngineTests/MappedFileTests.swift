import Foundation
@testable import PrioEngine
@testable import PrioStorage
import Testing

/// Read-only commands map a big backlog file under a read lease instead of reading it; the
/// bytes must stay what was loaded whatever another program does to the file meanwhile.
@Suite("Mapped files")
struct MappedFileTests {
    /// A generated backlog of `count` stories written to a new temporary directory.
    private func bigFile(_ count: Int = 5_000) throws -> (path: String, bytes: [UInt8]) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prio-map-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("backlog.md").path
        let bytes = BacklogGenerator.markdown(count: count)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return (path, bytes)
    }

    /// Runs a shell command in another process and waits for it.
    private func shell(_ command: String) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test("a big file loaded for reading is mapped, and parses and writes as when read")
    func mappedLikeRead() throws {
        let (path, bytes) = try bigFile()
        #expect(bytes.count >= mappingSize)
        let mapped = try BacklogFile.loadForReading(path)
        let read = try BacklogFile.load(path)
        #expect(mapped.backlog.source.isMapped)
        #expect(!read.backlog.source.isMapped)
        #expect(mapped.backlog.stories.count == 5_000)
        #expect(mapped.backlog.stories == read.backlog.stories)
        #expect(BacklogWriter.write(mapped.backlog) == bytes)
        #expect(mapped.loadedBytes == bytes)
        let changed = mapped.changedOnDisk()
        #expect(!changed)
    }

    @Test("a small file, and any file for a command that writes, is read into memory")
    func smallFilesAreRead() throws {
        let (path, _) = try bigFile(10)
        #expect(try !BacklogFile.loadForReading(path).backlog.source.isMapped)
        let (big, _) = try bigFile()
        #expect(try !BacklogFile.load(big).backlog.source.isMapped)
    }

    @Test("another program truncating the mapped file waits for a private copy; prio keeps every byte")
    func truncatedByAnotherProgram() throws {
        let (path, bytes) = try bigFile()
        let file = try BacklogFile.loadForReading(path)
        #expect(file.backlog.source.isMapped)
        let lastTitle = file.backlog.stories[4_999].title
        // The shell opens the file to truncate it (O_TRUNC): the open waits while the lease
        // breaks. Without the copy, reading the stories after this would end prio with SIGBUS.
        #expect(try shell(": > '\(path)'") == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)).isEmpty)
        #expect(file.backlog.stories[4_999].title == lastTitle)
        #expect(BacklogWriter.write(file.backlog) == bytes)
        let changed = file.changedOnDisk()
        #expect(changed)
    }

    @Test("another program writing over the mapped file in place does not change what prio loaded")
    func overwrittenInPlace() throws {
        let (path, bytes) = try bigFile()
        let file = try BacklogFile.loadForReading(path)
        // `dd conv=notrunc` writes into the same file without truncating it.
        #expect(try shell("printf 'XXXXXXXXXXXXXXXX' | dd of='\(path)' conv=notrunc bs=1 seek=100 2>/dev/null") == 0)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path))[100] == UInt8(ascii: "X"))
        #expect(BacklogWriter.write(file.backlog) == bytes)
        #expect(file.loadedBytes == bytes)
    }

    @Test("a file someone holds open for writing is read, not mapped")
    func openForWritingIsRead() throws {
        let (path, bytes) = try bigFile()
        let writer = open(path, O_WRONLY)
        #expect(writer >= 0)
        defer { close(writer) }
        let file = try BacklogFile.loadForReading(path)
        #expect(!file.backlog.source.isMapped)
        #expect(BacklogWriter.write(file.backlog) == bytes)
    }

    @Test("a lease broken by hand turns every mapping into a copy at the same address")
    func copyInPlace() throws {
        let (path, bytes) = try bigFile()
        let file = try BacklogFile.loadForReading(path)
        let before = file.backlog.source.withBytes { $0.baseAddress }
        #expect(MappedFile.copyAllForTesting() >= 1)
        #expect(file.backlog.source.withBytes { $0.baseAddress } == before)
        #expect(BacklogWriter.write(file.backlog) == bytes)
        // The lease is gone: the file can be opened for writing at once.
        #expect(try shell("truncate -s 0 '\(path)'") == 0)
        #expect(file.backlog.stories.count == 5_000)
    }

    @Test("mappings are let go with their backlog: far more loads than there are slots")
    func slotsAreReused() throws {
        let (path, _) = try bigFile(4_000)
        for _ in 0..<40 {
            let file = try BacklogFile.loadForReading(path)
            #expect(file.backlog.source.isMapped)
        }
    }

    @Test("saving a backlog loaded by mapping works, and the old mapping keeps its bytes")
    func saveFromMapping() throws {
        let (path, bytes) = try bigFile()
        var file = try BacklogFile.loadForReading(path)
        var backlog = file.takeBacklog()
        backlog.move(from: 0, to: 3)
        #expect(try file.save(backlog))
        let saved = try BacklogFile.load(path)
        #expect(saved.backlog.stories.map(\.id) == backlog.stories.map(\.id))
        let original = try BacklogFile.parse(bytes, path: path).backlog.stories.map(\.id)
        #expect(saved.backlog.stories.map(\.id) != original)
        #expect(saved.loadedBytes.count == bytes.count)
        #expect(BacklogWriter.write(saved.backlog) == file.loadedBytes)
    }
}
