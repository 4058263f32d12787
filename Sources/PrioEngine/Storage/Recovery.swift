#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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

    static let marker = "<!-- prio-recovery base="

    /// The recovery file's name for the backlog: `.NAME.prio-recovery`, with the name shortened
    /// (and a hash of it added) when the whole would pass NAME_MAX.
    var baseName: String {
        let name = PathName.lastComponent(of: backlogPath)
        let plain = "." + name + ".prio-recovery"
        if plain.utf8.count + 4 <= PathName.maximumNameLength { return plain }
        let hash = fingerprint(Array(name.utf8)).split(separator: "-").last.map(String.init) ?? "0"
        return "." + PathName.prefix(of: name, bytes: 180) + "~" + hash + ".prio-recovery"
    }

    /// The name in the fallback folder: the backlog's absolute path hashed, so two backlogs of
    /// the same name in different folders do not meet.
    func fallbackName(absolute: String) -> String {
        let hash = fingerprint(Array(absolute.utf8)).split(separator: "-").last.map(String.init) ?? "0"
        return PathName.prefix(of: PathName.lastComponent(of: backlogPath), bytes: 180) + "~" + hash + ".prio-recovery"
    }

    /// The candidate paths, in the order they are used: `.NAME.prio-recovery`, then `-2`, `-3`, ...
    func candidates(in directory: String, name: String) -> [String] {
        (1...50).map { PathName.join(directory, $0 == 1 ? name : name + "-\($0)") }
    }

    /// Every place a recovery file of this backlog may be.
    func allCandidates() -> [String] {
        var paths = candidates(in: PathName.directory(of: backlogPath), name: baseName)
        if let fallbackDirectory, let absolute = absolutePath(backlogPath) {
            paths += candidates(in: fallbackDirectory, name: fallbackName(absolute: absolute))
        }
        return paths
    }

    /// The recovery files on disk, oldest first.
    public func find() -> [Found] {
        allCandidates().compactMap { path in
            guard fileKind(path) == .regular, let modified = modificationTime(path) else { return nil }
            return Found(path: path, modified: modified)
        }.sorted { ($0.modified, $0.path) < ($1.modified, $1.path) }
    }

    /// Writes unsaved work next to the backlog (or in the fallback folder when that fails), never
    /// over an existing recovery file. Returns the path written; throws with every reason when
    /// no place could take it.
    public func write(_ backlog: Backlog, base: [UInt8]) throws(PrioError) -> String {
        let bytes = contents(backlog, base: base)
        // Private like the backlog: never more open than owner read/write.
        let mode = (filePermissions(backlogPath) ?? 0o600) & 0o600
        var reasons: [String] = []
        var places = [candidates(in: PathName.directory(of: backlogPath), name: baseName)]
        if let fallbackDirectory, let absolute = absolutePath(backlogPath) {
            makeDirectories(fallbackDirectory)
            places.append(candidates(in: fallbackDirectory, name: fallbackName(absolute: absolute)))
        }
        for paths in places {
            for path in paths where !fileExists(path) {
                do {
                    try atomicWrite(bytes, to: path, exclusive: true, permissions: mode)
                    return path
                } catch {
                    if fileExists(path) { continue }  // made meanwhile by another prio: the next name
                    reasons.append(error.message)
                    break
                }
            }
        }
        throw PrioError(reasons.isEmpty ? "no free name for a recovery file" : reasons.joined(separator: "; "))
    }

    /// A recovery file's bytes: the marker with the fingerprint of the version the work is based
    /// on, then the backlog.
    public func contents(_ backlog: Backlog, base: [UInt8]) -> [UInt8] {
        Array((RecoveryStore.marker + fingerprint(base) + " -->\n").utf8) + BacklogWriter.write(backlog)
    }

    /// The first free recovery file name beside the backlog, for a crash to write without
    /// choosing (nil when every name is taken).
    public func freePath() -> String? {
        candidates(in: PathName.directory(of: backlogPath), name: baseName).first { !fileExists($0) }
    }

    /// Reads a recovery file back.
    public static func read(_ path: String) throws(PrioError) -> Contents {
        let bytes = try readFile(path)
        let marker = Array(RecoveryStore.marker.utf8)
        guard bytes.starts(with: marker), let end = bytes.firstIndex(of: 0x0A) else { return Contents(bytes: bytes, base: nil) }
        var base = String(decoding: bytes[marker.count..<end], as: UTF8.self)
        if base.hasSuffix(" -->") { base.removeLast(4) }
        return Contents(bytes: Array(bytes[(end + 1)...]), base: base)
    }
}

/// An absolute form of a path (the current directory in front of a relative one), or nil.
func absolutePath(_ path: String) -> String? {
    if path.hasPrefix("/") { return path }
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    guard getcwd(&buffer, buffer.count) != nil else { return nil }
    let cwd = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    return PathName.join(cwd, path)
}

/// `mkdir -p` with mode 0700 for the folders it makes.
func makeDirectories(_ path: String) {
    var current = path.hasPrefix("/") ? "" : "."
    for part in path.split(separator: "/") {
        current += "/" + part
        mkdir(current, 0o700)
    }
}
