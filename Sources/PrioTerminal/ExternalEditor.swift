import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs the user's editor on a temporary file, the way `git commit` does.
enum ExternalEditor {
    /// The editor command: $VISUAL, else $EDITOR, else `vi`. It may hold arguments
    /// (`code --wait`), so it goes through the shell.
    static func command(_ environment: [String: String]) -> String {
        for name in ["VISUAL", "EDITOR"] {
            if let value = environment[name], !value.trimmingCharacters(in: .whitespaces).isEmpty { return value }
        }
        return "vi"
    }

    /// Writes `text` to a new temporary file named with `suffix`, runs the editor on it and
    /// waits; returns the edited text, or nil when the file could not be made or read or the
    /// editor failed (exited non-zero or was killed). The file is deleted either way.
    ///
    /// The caller has left curses (`def_prog_mode(); endwin()`), so the editor owns the terminal.
    static func edit(_ text: String, suffix: String,
                     environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        guard let path = makeTemporaryFile(containing: text, suffix: suffix) else { return nil }
        defer { unlink(path) }
        // "$0" would be the shell's name; the file is "$1", quoted, so any path is safe, while
        // the editor variable is left to the shell to split into a command and its arguments.
        let arguments = ["/bin/sh", "-c", command(environment) + " \"$1\"", "sh", path]
        guard run(arguments, environment: environment) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// Creates `$TMPDIR/prio-XXXXXX<suffix>` (mode 0600) holding `text`; returns its path.
    static func makeTemporaryFile(containing text: String, suffix: String) -> String? {
        // Only harmless characters from the suffix: it only serves the editor's file type detection.
        let safeSuffix = String(suffix.unicodeScalars.filter {
            $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "._-".unicodeScalars.contains($0))
        }.prefix(32).map(Character.init))
        var directory = ProcessInfo.processInfo.environment["TMPDIR"] ?? ""
        if directory.isEmpty { directory = "/tmp" }
        if !directory.hasSuffix("/") { directory += "/" }
        var template = Array((directory + "prio-XXXXXX" + safeSuffix).utf8CString)
        let fd = template.withUnsafeMutableBufferPointer {
            mkstemps($0.baseAddress!, Int32(safeSuffix.utf8.count))
        }
        guard fd >= 0 else { return nil }
        let path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        let bytes = Array(text.utf8)
        var written = 0
        var ok = true
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                ok = false
                break
            }
            written += count
        }
        if close(fd) != 0 { ok = false }
        if !ok {
            unlink(path)
            return nil
        }
        return path
    }

    /// Runs a program in the foreground and waits for it; true when it exited with status 0.
    ///
    /// Like system(3): while the child runs, prio ignores SIGINT and SIGQUIT (Ctrl-C in the
    /// editor must not end prio), and the child starts with those and the other signals prio
    /// handles at their defaults and nothing blocked.
    static func run(_ arguments: [String], environment: [String: String]) -> Bool {
        var ignore = sigaction()
        ignore.__sigaction_handler.sa_handler = SIG_IGN
        sigemptyset(&ignore.sa_mask)
        var oldInterrupt = sigaction()
        var oldQuit = sigaction()
        sigaction(SIGINT, &ignore, &oldInterrupt)
        sigaction(SIGQUIT, &ignore, &oldQuit)
        defer {
            sigaction(SIGINT, &oldInterrupt, nil)
            sigaction(SIGQUIT, &oldQuit, nil)
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for number in [SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGPIPE] { sigaddset(&defaults, number) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var noneBlocked = sigset_t()
        sigemptyset(&noneBlocked)
        posix_spawnattr_setsigmask(&attributes, &noneBlocked)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid = pid_t()
        let spawned = argv.withUnsafeBufferPointer { argvBuffer in
            envp.withUnsafeBufferPointer { envpBuffer in
                posix_spawn(&pid, arguments[0], nil, &attributes, argvBuffer.baseAddress!, envpBuffer.baseAddress!)
            }
        }
        guard spawned == 0 else { return false }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { return false }
        }
        // WIFEXITED(status) && WEXITSTATUS(status) == 0 (the macros are not imported).
        return (status & 0x7F) == 0 && ((status >> 8) & 0xFF) == 0
    }
}
