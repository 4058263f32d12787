import PrioEngine
import PrioStorage
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
            if let value = environment[name], !value.trimmingASCIIWhitespace().isEmpty { return value }
        }
        return "vi"
    }

    /// Writes `text` to a new temporary file named with `suffix`, runs the editor on it and
    /// waits; returns the edited text, or nil when the file could not be made or read or the
    /// editor failed (exited non-zero or was killed). The file is deleted either way.
    ///
    /// The caller has left curses (`def_prog_mode(); endwin()`), so the editor owns the terminal.
    static func edit(_ text: String, suffix: String,
                     environment: [String: String] = processEnvironment()) -> String? {
        guard let path = makeTemporaryFile(containing: text, suffix: suffix) else { return nil }
        defer { unlink(path) }
        // "$0" would be the shell's name; the file is "$1", quoted, so any path is safe, while
        // the editor variable is left to the shell to split into a command and its arguments.
        let arguments = ["/bin/sh", "-c", command(environment) + " \"$1\"", "sh", path]
        guard (try? ChildProcess.runInForeground(arguments, environment: environment))?.succeeded == true,
              let bytes = try? readFile(path) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Creates `$TMPDIR/prio-XXXXXX<suffix>` (mode 0600) holding `text`; returns its path.
    static func makeTemporaryFile(containing text: String, suffix: String) -> String? {
        // Only harmless characters from the suffix: it only serves the editor's file type detection.
        let safeSuffix = String(suffix.unicodeScalars.filter {
            $0.isASCII && ($0.properties.isAlphabetic || $0.properties.numericType != nil || "._-".unicodeScalars.contains($0))
        }.prefix(32).map(Character.init))
        var directory = environmentVariable("TMPDIR") ?? ""
        if directory.isEmpty { directory = "/tmp" }
        if !directory.hasSuffix("/") { directory += "/" }
        var template = Array((directory + "prio-XXXXXX" + safeSuffix).utf8CString)
        let fd = template.withUnsafeMutableBufferPointer {
            guard let base = $0.baseAddress else { return Int32(-1) }
            return mkstemps(base, Int32(safeSuffix.utf8.count))
        }
        guard fd >= 0 else { return nil }
        let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let bytes = Array(text.utf8)
        var written = 0
        var ok = true
        while written < bytes.count {
            let count = bytes[written...].withUnsafeBytes { buffer in
                buffer.baseAddress.map { write(fd, $0, buffer.count) } ?? -1
            }
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
}
