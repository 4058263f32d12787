import Foundation
import PrioStorage
import Testing

/// The one way prio starts another program (git, the editor), on real processes.
@Suite("ChildProcess: programs run with posix_spawn")
struct ChildProcessTests {
    let environment = ["PATH": "/usr/bin:/bin"]

    @Test("A child that writes 3 MB to each stream before it reads 2 MB of input finishes, every byte accounted for")
    func noDeadlock() throws {
        let input = [UInt8]((0..<(2 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 7) })
        let script = "head -c 3000000 /dev/zero; head -c 3000000 /dev/zero >&2; cat"
        let output = try ChildProcess.capture(["sh", "-c", script], environment: environment, input: input)
        #expect(output.ending == .exited(0))
        #expect(output.stderr.count == 3_000_000)
        #expect(output.stdout.count == 3_000_000 + input.count)
        #expect(Array(output.stdout.suffix(input.count)) == input)
        #expect(output.stdout.prefix(3_000_000).allSatisfy { $0 == 0 })
    }

    @Test("Exit statuses and signals are reported: exit 7, killed by SIGTERM (shell status 143)")
    func endings() throws {
        let seven = try ChildProcess.capture(["sh", "-c", "exit 7"], environment: environment)
        #expect(seven.ending == .exited(7))
        #expect(seven.ending.shellStatus == 7)
        #expect(!seven.ending.succeeded)
        let killed = try ChildProcess.capture(["sh", "-c", "kill -TERM $$"], environment: environment)
        #expect(killed.ending == .killed(signal: SIGTERM))
        #expect(killed.ending.shellStatus == 128 + SIGTERM)
        let fine = try ChildProcess.capture(["true"], environment: environment)
        #expect(fine.ending.succeeded)
    }

    @Test("Arguments reach the program as they are: no shell expands them")
    func noShell() throws {
        let box = try TemporaryFolder()
        let hostile = "$(touch \(box.path)/pwned); `touch \(box.path)/pwned2` *  \"' -n"
        let output = try ChildProcess.capture(["printf", "%s|", hostile, "--", "-x"], environment: environment)
        #expect(String(decoding: output.stdout, as: UTF8.self) == hostile + "|--|-x|")
        #expect(!FileManager.default.fileExists(atPath: box.path + "/pwned"))
        #expect(!FileManager.default.fileExists(atPath: box.path + "/pwned2"))
    }

    @Test("The child gets exactly the environment given, and runs in the directory given")
    func environmentAndDirectory() throws {
        let env = try ChildProcess.capture(["/usr/bin/env"], environment: ["ONLY": "this one", "EMPTY": ""])
        #expect(Set(String(decoding: env.stdout, as: UTF8.self).split(separator: "\n")) == ["ONLY=this one", "EMPTY="])
        let box = try TemporaryFolder()
        let pwd = try ChildProcess.capture(["sh", "-c", "pwd -P"], environment: environment, directory: box.path)
        let real = try #require(realpath(box.path, nil))
        defer { free(real) }
        #expect(String(decoding: pwd.stdout, as: UTF8.self) == String(cString: real) + "\n")
    }

    @Test("No descriptor of prio's but 0, 1 and 2 reaches the child, even one opened without close-on-exec")
    func descriptorsClosed() throws {
        let box = try TemporaryFolder()
        let fd = open(box.path, O_RDONLY)
        #expect(fd > 2)
        defer { close(fd) }
        // The shell lists its own descriptors (a glob does not open one that stays).
        let output = try ChildProcess.capture(["sh", "-c", "cd /proc/$$/fd && echo *"], environment: environment)
        let listed = String(decoding: output.stdout, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" })
        #expect(!listed.contains(Substring(String(fd))), "\(listed)")
        #expect(listed.contains("0") && listed.contains("1") && listed.contains("2"), "\(listed)")
    }

    @Test("Standard input is empty without input; a child that reads none of a large input does not end prio (SIGPIPE)")
    func input() throws {
        let empty = try ChildProcess.capture(["cat"], environment: environment)
        #expect(empty.stdout.isEmpty)
        #expect(empty.ending == .exited(0))
        let ignored = try ChildProcess.capture(["true"], environment: environment, input: [UInt8](repeating: 65, count: 8 << 20))
        #expect(ignored.ending == .exited(0))
    }

    @Test("A program that cannot be started is an error with the system's reason")
    func missing() {
        #expect(throws: ChildProcess.Failure(code: ENOENT)) {
            try ChildProcess.capture(["prio-no-such-program-\(getpid())"], environment: environment)
        }
        #expect(throws: ChildProcess.Failure(code: ENOENT)) {
            try ChildProcess.capture(["true"], environment: environment, directory: "/no/such/folder/\(getpid())")
        }
    }

    @Test("In the foreground the child has prio's own standard input, output and error, and its ending is reported")
    func foreground() throws {
        let box = try TemporaryFolder()
        let report = box.path + "/streams"
        // The shell writes where its 0, 1 and 2 lead, to a file (not to the streams themselves).
        let script = """
            a=$(readlink /proc/$$/fd/0); b=$(readlink /proc/$$/fd/1); c=$(readlink /proc/$$/fd/2)
            printf '%s\\n' "$a" "$b" "$c" > "$1"; exit 3
            """
        let ending = try ChildProcess.runInForeground(["sh", "-c", script, "sh", report], environment: environment)
        #expect(ending == .exited(3))
        let mine = (0...2).map { n in (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(n)")) ?? "?" }
        let theirs = try String(contentsOfFile: report, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(theirs == mine)
    }
}

/// A fresh folder under the system's temporary folder, removed when the test's value goes.
final class TemporaryFolder {
    let path: String

    init() throws {
        var template = Array((NSTemporaryDirectory() + "prio-child-XXXXXX").utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard made != nil else { throw CocoaError(.fileWriteUnknown) }
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
