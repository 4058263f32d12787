import PrioEngine
/// `prio git-setup`: the merge driver in git's configuration and the backlog in .gitattributes.
/// One rule for the command, its `--check`, and the note `prio check` gives.
///
/// The repository may come from a stranger: nothing is written through a symbolic link
/// (`RepositoryPath`), the pattern is quoted and escaped so that git matches exactly the one
/// file, every other byte of .gitattributes stays, and a driver prio did not write is replaced
/// only when asked (`force`).
public enum GitSetup {
    /// The driver command git runs (`%O` base, `%A` ours, written in place, `%B` theirs, `%P`
    /// path); `--` so that a file named `-x.md` is not read as an option.
    public static let driver = "prio merge -- %O %A %B %P"
    /// Driver lines earlier versions of `git-setup` wrote: repaired without asking.
    public static let olderDrivers = ["prio merge %O %A %B %P"]
    /// The driver's name in git's messages.
    public static let driverName = "prio: merge backlogs story by story"
    /// Hunk headers of `git diff` name the story (`@@ ... @@ ## S-12 Guest checkout`).
    public static let functionName = "^## .*$"
    /// The attributes on the backlog's line.
    static let attributes = " merge=prio diff=prio"

    /// The .gitattributes pattern that matches exactly `relativePath` from the top: glob
    /// characters (`* ? [ ] \`) escaped, and the whole pattern C-quoted when it holds a space,
    /// a quote or a control character (git splits unquoted patterns at white space).
    public static func pattern(_ relativePath: String) -> String {
        var escaped = "/"
        for scalar in relativePath.unicodeScalars {
            if "*?[]\\".unicodeScalars.contains(scalar) { escaped += "\\" }
            escaped.unicodeScalars.append(scalar)
        }
        let needsQuotes = relativePath.unicodeScalars.contains { $0.value <= 0x20 || $0 == "\"" || $0.value == 0x7F }
        guard needsQuotes else { return escaped }
        return "\"" + cEscaped(escaped, quote: "\"") + "\""
    }

    /// The patterns earlier versions wrote (spaces as `[ ]`, nothing escaped): their lines are
    /// replaced by the exact one.
    static func olderPatterns(_ relativePath: String) -> [String] {
        ["/" + relativePath.replacingScalar(" ", with: "[ ]"), "/" + relativePath]
            .filter { $0 != pattern(relativePath) }
    }

    /// True when git sends `relativePath` to the prio driver (`git check-attr`, so every
    /// .gitattributes and git's own reading of them count).
    public static func hasAttributes(_ repository: GitRepository, for relativePath: String) -> Bool {
        guard let run = repository.git("check-attr", "-z", "merge", "--", relativePath), run.status == 0 else { return false }
        let fields = run.stdout.split(separator: 0, omittingEmptySubsequences: false)
        return fields.count >= 3 && Array(fields[2]) == Array("prio".utf8)
    }

    /// The driver line git's configuration holds (the repository's, the global one or both), or nil.
    static func configuredDriver(_ repository: GitRepository, scope: String? = nil) -> String? {
        let arguments = (scope.map { [$0] } ?? []) + ["--get", "merge.prio.driver"]
        guard let run = GitRepository.run(["config"] + arguments, in: repository.root), run.status == 0 else { return nil }
        let value = run.line
        return value.isEmpty ? nil : value
    }

    /// True when git's configuration has a driver, and not one of the older lines (which
    /// mistake a file named `-x.md` for an option).
    public static func hasDriver(_ repository: GitRepository) -> Bool {
        guard let value = configuredDriver(repository) else { return false }
        return !olderDrivers.contains(value)
    }

    /// Sets the driver up for the backlog at `path`; returns what it did, one line each.
    /// Idempotent. Refuses (before changing anything) a path through a symbolic link or outside
    /// the repository, a .gitattributes that is a link, and a driver it did not write unless `force`.
    public static func install(_ repository: GitRepository, path: String, global: Bool, force: Bool = false) throws(PrioError) -> [String] {
        let relativePath = try RepositoryPath.relative(path, root: repository.root)
        try RepositoryPath.checkWritable(".gitattributes", root: repository.root)
        let scope = global ? "--global" : "--local"
        let current = configuredDriver(repository, scope: scope)
        if let current, current != driver, !olderDrivers.contains(current), !force {
            throw PrioError("merge.prio.driver is already '\(current)' in \(global ? "your global" : "this repository's") "
                            + "git configuration, which prio git-setup did not write; nothing was changed "
                            + "('prio git-setup --force' replaces it with '\(driver)')")
        }
        var done: [String] = []
        if hasAttributes(repository, for: relativePath) {
            done.append(".gitattributes already sends \(relativePath) to the prio driver")
        } else {
            let existing = try RepositoryPath.readBytes(".gitattributes", root: repository.root)
            let (bytes, change) = attributesFile(existing, for: relativePath)
            if let change {
                try atomicWrite(bytes, to: PathName.join(repository.root, ".gitattributes"))
                done.append(change)
            }
            if !hasAttributes(repository, for: relativePath) {
                throw PrioError(".gitattributes has '\(pattern(relativePath))\(attributes)', but git still does not send "
                                + "\(relativePath) to prio: a .gitattributes nearer the file, or .git/info/attributes, sets merge for it")
            }
        }
        let values = [("merge.prio.name", driverName), ("merge.prio.driver", driver), ("diff.prio.xfuncname", functionName)]
        for (key, value) in values {
            guard let run = repository.git("config", scope, key, value), run.status == 0 else {
                throw PrioError("git config \(scope) \(key) failed; nothing more was changed")
            }
            if key == "merge.prio.driver", let current, current != driver {
                done.append("replaced merge.prio.driver '\(current)'")
            }
            done.append("git config \(scope) \(key) \"\(value)\"")
        }
        return done
    }

    /// .gitattributes with the backlog's line: a line an earlier version wrote for it is
    /// replaced in place, or the line is appended with the file's own line ending. Every other
    /// byte stays. The change to report, or nil when the line is there already.
    static func attributesFile(_ existing: [UInt8]?, for relativePath: String) -> (bytes: [UInt8], change: String?) {
        let line = Array((pattern(relativePath) + attributes).utf8)
        guard var bytes = existing else { return (line + [0x0A], "created .gitattributes: \(pattern(relativePath))\(attributes)") }
        // The file's line ending: the first one in it (LF when it has none).
        var ending: [UInt8] = [0x0A]
        if let newline = bytes.firstIndex(of: 0x0A), newline > 0, bytes[newline - 1] == 0x0D { ending = [0x0D, 0x0A] }
        let older = olderPatterns(relativePath).map { Array(($0 + attributes).utf8) }
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
            var content = bytes[start..<end]
            if content.last == 0x0D { content = content.dropLast() }
            let text = Array(content)
            if text == line { return (bytes, nil) }
            if older.contains(text) {
                bytes.replaceSubrange(content.startIndex..<content.endIndex, with: line)
                return (bytes, "replaced the line '\(String(decoding: text, as: UTF8.self))' in .gitattributes: "
                                + "\(pattern(relativePath))\(attributes)")
            }
            start = end + 1
        }
        if let last = bytes.last, last != 0x0A { bytes += ending }
        return (bytes + line + ending, "added to .gitattributes: \(pattern(relativePath))\(attributes)")
    }
}

extension GitSetup {
    /// The command line that sets up `file` (nil: the default backlog), quoted for a POSIX
    /// shell so that it can be pasted as it is: `prio git-setup 'my backlog.md'`.
    public static func command(for file: String?) -> String {
        "prio git-setup" + (file.map { ($0.hasPrefix("-") ? " -- " : " ") + shellQuoted($0) } ?? "")
    }

    /// One shell word: as it is when it has only safe characters, else in single quotes
    /// (`$'…'` with escapes when it holds control characters, which never appear raw).
    public static func shellQuoted(_ word: String) -> String {
        let safe = !word.isEmpty && word.unicodeScalars.allSatisfy {
            $0.value >= 0x80 || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
                || "._-/+=:,@%".unicodeScalars.contains($0)
        }
        if safe { return word }
        if word.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "$'" + cEscaped(word, quote: "'") + "'"
        }
        return "'" + word.replacingScalar("'", with: "'\\''") + "'"
    }
}

/// `text` with C's backslash escapes (`\\`, `\n`, `\t`, `\r`, octal for the other control
/// characters) and `quote` escaped: the one escaping of git's quoted patterns (`"..."`) and of
/// the shell's `$'...'` words.
func cEscaped(_ text: String, quote: Unicode.Scalar) -> String {
    var out = ""
    for scalar in text.unicodeScalars {
        switch scalar {
        case "\\": out += "\\\\"
        case quote: out += "\\" + String(Character(quote))
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\r": out += "\\r"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F {
                let octal = String(scalar.value, radix: 8)
                out += "\\" + String(repeating: "0", count: 3 - octal.count) + octal
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out
}

extension String {
    /// The text with every `scalar` replaced, scalar by scalar (a combining mark after a quote
    /// makes one character with it, and must not hide the quote).
    fileprivate func replacingScalar(_ scalar: Unicode.Scalar, with replacement: String) -> String {
        var result = String.UnicodeScalarView()
        for each in unicodeScalars {
            if each == scalar { result.append(contentsOf: replacement.unicodeScalars) } else { result.append(each) }
        }
        return String(result)
    }
}
