/// Recovery files: unsaved work written when the screen is ended by a signal, offered at the next start.
///
/// A recovery file is a backlog file whose first line records the version of the backlog it was
/// based on (`<!-- prio-recovery base=SIZE-HASH -->`), so that restoring it onto a file that
/// changed since goes through the conflict choice and loses nothing. prio never overwrites a
/// recovery file: a second one gets a new name (`.b.md.prio-recovery-2`), and one the user kept
/// stays until the user discards it or saves what was restored from it.
public struct RecoveryStore: Sendable {
    /// The backlog's path, as the user gave it.
    public let backlogPath: String
    /// Where recovery files go when the backlog's folder cannot take one (full, read-only, a name
    /// too long): a private folder of the user's, such as `~/.local/state/prio/recovery`.
    public let fallbackDirectory: String?

    /// A store for the backlog at `backlogPath`.
    public init(backlogPath: String, fallbackDirectory: String? = nil) {
        self.backlogPath = backlogPath
        self.fallbackDirectory = fallbackDirectory
    }

    /// A recovery file found on disk.
    public struct Found: Sendable, Equatable {
        /// Its path.
        public var path: String
        /// When it was written (seconds since 1970).
        public var modified: Int

        /// A recovery file at `path`, written at `modified`.
        public init(path: String, modified: Int) {
            self.path = path
            self.modified = modified
        }
    }

    /// A recovery file read back.
    public struct Contents: Sendable {
        /// The backlog bytes, without the first line that records the base.
        public var bytes: [UInt8]
        /// The fingerprint of the backlog version it was based on (nil for a file without one).
        public var base: String?

        /// Contents as read.
        public init(bytes: [UInt8], base: String?) {
            self.bytes = bytes
            self.base = base
        }
    }

    package static let marker = "<!-- prio-recovery base="

    /// The recovery file's name for the backlog: `.NAME.prio-recovery`, with the name shortened
    /// (and a hash of it added) when the whole would pass NAME_MAX.
    package var baseName: String {
        let name = PathName.lastComponent(of: backlogPath)
        let plain = "." + name + ".prio-recovery"
        if plain.utf8.count + 4 <= PathName.maximumNameLength { return plain }
        let hash = fingerprint(Array(name.utf8)).split(separator: "-").last.map(String.init) ?? "0"
        return "." + PathName.prefix(of: name, bytes: 180) + "~" + hash + ".prio-recovery"
    }

    /// The name in the fallback folder: the backlog's absolute path hashed, so two backlogs of
    /// the same name in different folders do not meet.
    package func fallbackName(absolute: String) -> String {
        let hash = fingerprint(Array(absolute.utf8)).split(separator: "-").last.map(String.init) ?? "0"
        return PathName.prefix(of: PathName.lastComponent(of: backlogPath), bytes: 180) + "~" + hash + ".prio-recovery"
    }

    /// The candidate paths, in the order they are used: `.NAME.prio-recovery`, then `-2`, `-3`, ...
    package func candidates(in directory: String, name: String) -> [String] {
        (1...50).map { PathName.join(directory, $0 == 1 ? name : name + "-\($0)") }
    }

    /// A recovery file's bytes: the marker with the fingerprint of the version the work is based
    /// on, then the backlog.
    public func contents(_ backlog: Backlog, base: [UInt8]) -> [UInt8] {
        Array((RecoveryStore.marker + fingerprint(base) + " -->\n").utf8) + BacklogWriter.write(backlog)
    }
}
