/// A backlog file as loaded: its path, the backlog and the bytes it was read from. Reading and
/// saving it (atomically, never clobbering changes made by others) is PrioStorage's.
public struct BacklogFile: Sendable {
    /// The path as the user gave it.
    public let path: String
    /// The backlog as read, with its warnings.
    public private(set) var parsed: ParsedBacklog
    /// The bytes as read (or last saved), to tell whether the file changed on disk since.
    public var loadedBytes: [UInt8] { loaded.bytes }
    package var loaded: SourceText
    /// True when the backlog being edited was based on a version of the file other than the one
    /// on disk (restored from a recovery file made before the file changed): every save then
    /// counts as a conflict, so that neither version is lost.
    public package(set) var basedOnOtherVersion = false
    /// How saves wait for another prio writing in the same directory.
    public var lockWait = LockWait()

    /// A file's bytes as read from `path` by someone else (the screen's runner, a test): parsed,
    /// and remembered as the version on disk. Throws `BacklogErrors` when they are malformed.
    public static func parse(_ bytes: [UInt8], path: String) throws -> BacklogFile {
        try parse(SourceText(bytes), path: path)
    }

    package static func parse(_ source: SourceText, path: String, resolveDependencies: Bool = true) throws -> BacklogFile {
        let parsed = try BacklogParser.parse(source, path: path, resolveDependencies: resolveDependencies)
        return BacklogFile(path: path, parsed: parsed, loaded: source)
    }

    /// A path beside the file that does not exist yet, for keeping a version aside:
    /// `backlog.mine.md`, `backlog.mine-2.md`, ... (`tag` is `mine`, `theirs`, `copy`);
    /// `exists` tells which names are taken (the file system, unless a test says otherwise).
    public func freeSibling(_ tag: String, exists: (String) -> Bool) -> String {
        let name = PathName.lastComponent(of: path)
        let ext = PathName.pathExtension(of: name)
        let base = PathName.prefix(of: PathName.stem(of: name), bytes: 200)
        let suffix = ext.isEmpty ? "md" : PathName.prefix(of: ext, bytes: 20)
        var n = 1
        while true {
            let candidate = n == 1 ? "\(base).\(tag).\(suffix)" : "\(base).\(tag)-\(n).\(suffix)"
            let sibling = PathName.sibling(of: path, named: candidate)
            if !exists(sibling) { return sibling }
            n += 1
        }
    }

    /// The backlog (empty after `takeBacklog`).
    public var backlog: Backlog { parsed.backlog }

    /// Moves the backlog out of the file and returns it; `backlog` is empty afterwards (the
    /// file keeps its path, its bytes as loaded and its warnings, all that saving needs).
    ///
    /// A caller that edits the backlog should take it rather than copy it: while the file
    /// holds the same stories, the first edit copies the whole story array (copy-on-write),
    /// which at 100,000 stories is tens of milliseconds on the first key.
    public mutating func takeBacklog() -> Backlog {
        let backlog = parsed.backlog
        parsed.backlog = Backlog(header: BacklogHeader(), stories: [], source: .empty)
        return backlog
    }

    /// Marks the backlog being edited as based on another version than the file on disk.
    public mutating func markBasedOnOtherVersion() {
        basedOnOtherVersion = true
    }
}
