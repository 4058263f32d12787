/// A backlog file on disk: loaded once, saved atomically, never clobbering changes made by others.
public struct BacklogFile: Sendable {
    /// The path as the user gave it.
    public let path: String
    /// The backlog as read, with its warnings.
    public private(set) var parsed: ParsedBacklog
    /// The bytes as read (or last saved), to tell whether the file changed on disk since.
    public var loadedBytes: [UInt8] { loaded.bytes }
    private var loaded: SourceText
    /// True when the backlog being edited was based on a version of the file other than the one
    /// on disk (restored from a recovery file made before the file changed): every save then
    /// counts as a conflict, so that neither version is lost.
    public private(set) var basedOnOtherVersion = false
    /// How saves wait for another prio writing in the same directory.
    public var lockWait = LockWait()

    /// Loads and parses a file. Throws `PrioError` when it cannot be read and
    /// `BacklogErrors` when it is malformed.
    public static func load(_ path: String) throws -> BacklogFile {
        try parse(try readSource(path, .read), path: path)
    }

    /// Loads and parses a file for a command that only reads it (ranks, compares, exports): a
    /// big file is mapped rather than read where the system allows (see `MappedFile`); saving
    /// from it still works as from `load`. Throws as `load` does.
    public static func loadForReading(_ path: String) throws -> BacklogFile {
        try parse(try readSource(path, .mapIfBig), path: path)
    }

    /// A file's bytes as read from `path` by someone else (the screen's runner, a test): parsed,
    /// and remembered as the version on disk. Throws `BacklogErrors` when they are malformed.
    public static func parse(_ bytes: [UInt8], path: String) throws -> BacklogFile {
        try parse(SourceText(bytes), path: path)
    }

    static func parse(_ source: SourceText, path: String, resolveDependencies: Bool = true) throws -> BacklogFile {
        let parsed = try BacklogParser.parse(source, path: path, resolveDependencies: resolveDependencies)
        return BacklogFile(path: path, parsed: parsed, loaded: source)
    }

    /// Loads a file whose `depends` may name stories it does not hold (the import base).
    static func loadUnresolved(_ path: String) throws -> BacklogFile {
        try parse(try readSource(path, .read), path: path, resolveDependencies: false)
    }

    /// A path beside the file that does not exist yet, for keeping a version aside:
    /// `backlog.mine.md`, `backlog.mine-2.md`, ... (`tag` is `mine`, `theirs`, `copy`);
    /// `exists` tells which names are taken (the file system, unless a test says otherwise).
    public func freeSibling(_ tag: String, exists: (String) -> Bool = fileExists) -> String {
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

    /// True when the file on disk is no longer what was loaded (compared in chunks, so a
    /// large file is not read into memory twice).
    public func changedOnDisk() -> Bool {
        basedOnOtherVersion || !loaded.withBytes { fileContentEquals(path, $0) }
    }

    /// Marks the backlog being edited as based on another version than the file on disk.
    public mutating func markBasedOnOtherVersion() {
        basedOnOtherVersion = true
    }

    /// Writes a backlog back atomically; refuses when the file changed on disk since it was loaded.
    /// Returns false when there was nothing to write (the bytes are unchanged).
    @discardableResult
    public mutating func save(_ backlog: Backlog) throws(PrioError) -> Bool {
        let bytes = BacklogWriter.write(backlog)
        if loaded.equals(bytes) && !basedOnOtherVersion {
            if changedOnDisk() {
                throw PrioError("\(path) changed on disk since prio read it; nothing was written (run the command again)")
            }
            return false
        }
        try atomicWrite(bytes, to: path, wait: lockWait) { () throws(PrioError) in
            if changedOnDisk() {
                throw PrioError("\(path) changed on disk since prio read it; nothing was written")
            }
        }
        loaded = SourceText(bytes)
        return true
    }

    /// Writes a backlog even when the file changed on disk (the caller has kept the other version).
    public mutating func overwrite(with backlog: Backlog) throws(PrioError) {
        let bytes = BacklogWriter.write(backlog)
        try atomicWrite(bytes, to: path, wait: lockWait)
        loaded = SourceText(bytes)
        basedOnOtherVersion = false
    }

    /// The file changed on disk: writes `backlog` (ours) to a new file beside it, then reads the
    /// file again. Returns the file as read and where ours went; when the reload fails after
    /// ours was kept, the error says where ours is.
    public func reloadKeepingMine(_ backlog: Backlog) throws(PrioError) -> (file: BacklogFile, keptAs: String) {
        let mine = freeSibling("mine")
        try atomicWrite(BacklogWriter.write(backlog), to: mine, exclusive: true, permissions: filePermissions(path))
        do {
            var reloaded = try BacklogFile.load(path)
            reloaded.lockWait = lockWait
            return (reloaded, mine)
        } catch let error as BacklogErrors {
            let reason = error.errors.first?.description ?? "\(error)"
            throw PrioError("\(reason); your version is in \(mine)")
        } catch let error as PrioError {
            throw PrioError("\(error.message); your version is in \(mine)")
        } catch {
            throw PrioError("\(error); your version is in \(mine)")
        }
    }

    /// The file changed on disk: keeps the version on disk in a new file beside it, then writes
    /// `backlog` over the file. Returns the file as saved and where theirs went.
    public mutating func overwriteKeepingTheirs(_ backlog: Backlog) throws(PrioError) -> String {
        let theirs = freeSibling("theirs")
        try atomicWrite(try readFile(path), to: theirs, exclusive: true, permissions: filePermissions(path))
        try overwrite(with: backlog)
        return theirs
    }

    /// Save as: writes `backlog` to `target` (resolved beside the file), never over an existing
    /// file and never over the backlog itself; `shownAs` names it in errors.
    public func writeCopy(_ backlog: Backlog, to target: String, shownAs: String) throws(PrioError) {
        if sameFile(target, path) {
            throw PrioError("\(shownAs) is the backlog itself; name another file (or o to overwrite it)")
        }
        if fileExists(target) {
            throw PrioError("\(shownAs) already exists; save as never replaces a file, so name another")
        }
        try atomicWrite(BacklogWriter.write(backlog), to: target, exclusive: true, permissions: filePermissions(path),
                        wait: lockWait)
    }
}
