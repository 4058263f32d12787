import PrioEngine

extension BacklogFile {
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

    /// Loads a file whose `depends` may name stories it does not hold (the import base).
    static func loadUnresolved(_ path: String) throws -> BacklogFile {
        try parse(try readSource(path, .read), path: path, resolveDependencies: false)
    }

    /// A path beside the file that does not exist yet (`freeSibling(_:exists:)` asking the file system).
    public func freeSibling(_ tag: String) -> String {
        freeSibling(tag, exists: fileExists)
    }

    /// True when the file on disk is no longer what was loaded (compared in chunks, so a
    /// large file is not read into memory twice).
    public func changedOnDisk() -> Bool {
        basedOnOtherVersion || !loaded.withBytes { fileContentEquals(path, $0) }
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
