#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PrioEngine

extension RecoveryStore {
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
