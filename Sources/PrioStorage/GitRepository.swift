import PrioEngine
import Foundation

/// git, run as a subprocess: prio reads repositories and changes nothing in them except the
/// configuration `prio git-setup` writes.
public struct GitRepository: Sendable {
    /// The working tree's top folder.
    public let root: String

    /// What a git command printed and how it ended.
    public struct Run: Sendable {
        public var status: Int32
        public var stdout: [UInt8]
        public var stderr: String
        public var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    /// Runs `git ARGUMENTS` in `directory`, with `input` on stdin; nil when git cannot be started.
    public static func run(_ arguments: [String], in directory: String, input: [UInt8]? = nil) -> Run? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var environment = ProcessInfo.processInfo.environment
        environment["GIT_TERMINAL_PROMPT"] = "0"
        environment["LC_ALL"] = "C"
        process.environment = environment
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input == nil ? FileHandle.nullDevice : inPipe
        do {
            try process.run()
        } catch {
            return nil
        }
        // Read both pipes while writing the input, so that none fills up and blocks git.
        let group = DispatchGroup()
        nonisolated(unsafe) var stdout = Data()
        nonisolated(unsafe) var stderr = Data()
        group.enter()
        DispatchQueue.global().async {
            stdout = out.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        group.enter()
        DispatchQueue.global().async {
            stderr = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        if let input {
            try? inPipe.fileHandleForWriting.write(contentsOf: Data(input))
            try? inPipe.fileHandleForWriting.close()
        }
        group.wait()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: Array(stdout), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The repository holding `path` (a file or a folder), or nil outside one (or without git).
    public static func containing(_ path: String) -> GitRepository? {
        var directory = PathName.directory(of: path)
        if directory.isEmpty { directory = "." }
        if fileKind(path) == .directory { directory = path }
        guard let run = run(["rev-parse", "--show-toplevel"], in: directory), run.status == 0 else { return nil }
        let root = run.text.trimmingCharacters(in: .whitespacesAndNewlines)
        return root.isEmpty ? nil : GitRepository(root: root)
    }

    /// Runs git at the top of the working tree.
    public func git(_ arguments: String..., input: [UInt8]? = nil) -> Run? {
        GitRepository.run(arguments, in: root, input: input)
    }

    /// `path` relative to the top of the working tree (as .gitattributes and `git show` name it).
    public func relative(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
        let top = URL(fileURLWithPath: root).standardizedFileURL.resolvingSymlinksInPath().path
        if absolute.hasPrefix(top + "/") { return String(absolute.dropFirst(top.count + 1)) }
        return PathName.lastComponent(of: path)
    }
}
