/// `prio git-setup`: the merge driver in git's configuration and the backlog in .gitattributes.
/// One rule for the command, its `--check`, and the note `prio check` gives.
public enum GitSetup {
    /// The driver command git runs (`%O` base, `%A` ours, written in place, `%B` theirs, `%P` path).
    public static let driver = "prio merge %O %A %B %P"
    /// The driver's name in git's messages.
    public static let driverName = "prio: merge backlogs story by story"
    /// Hunk headers of `git diff` name the story (`@@ ... @@ ## S-12 Guest checkout`).
    public static let functionName = "^## .*$"

    /// A .gitattributes pattern for a path (spaces matched by `[ ]`, as patterns cannot quote).
    public static func pattern(_ relativePath: String) -> String {
        "/" + relativePath.replacingOccurrences(of: " ", with: "[ ]")
    }

    /// True when .gitattributes at the top of `repository` sends `relativePath` to the driver.
    public static func hasAttributes(_ repository: GitRepository, for relativePath: String) -> Bool {
        let path = PathName.join(repository.root, ".gitattributes")
        guard let bytes = try? readFile(path) else { return false }
        let wanted = pattern(relativePath)
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").contains { line in
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            return parts.first.map { String($0) == wanted || String($0) == relativePath } == true && parts.contains("merge=prio")
        }
    }

    /// True when git's configuration (the repository's or the global one) has the driver.
    public static func hasDriver(_ repository: GitRepository) -> Bool {
        guard let run = repository.git("config", "--get", "merge.prio.driver") else { return false }
        return run.status == 0 && !run.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    /// Sets the driver up for `relativePath`; returns what it did, one line each. Idempotent.
    public static func install(_ repository: GitRepository, for relativePath: String, global: Bool) throws(PrioError) -> [String] {
        var done: [String] = []
        let attributesPath = PathName.join(repository.root, ".gitattributes")
        if hasAttributes(repository, for: relativePath) {
            done.append(".gitattributes already sends \(relativePath) to the prio driver")
        } else {
            var text = (try? readFile(attributesPath)).map { String(decoding: $0, as: UTF8.self) } ?? ""
            let existed = fileExists(attributesPath)
            if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
            text += "\(pattern(relativePath)) merge=prio diff=prio\n"
            try atomicWrite(Array(text.utf8), to: attributesPath)
            done.append("\(existed ? "added to" : "created") .gitattributes: \(pattern(relativePath)) merge=prio diff=prio")
        }
        let scope = global ? "--global" : "--local"
        for (key, value) in [("merge.prio.name", driverName), ("merge.prio.driver", driver), ("diff.prio.xfuncname", functionName)] {
            guard let run = repository.git("config", scope, key, value), run.status == 0 else {
                throw PrioError("git config \(scope) \(key) failed; nothing more was changed")
            }
            done.append("git config \(scope) \(key) \"\(value)\"")
        }
        return done
    }
}
