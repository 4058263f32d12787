/// A backlog file on disk: loaded once, saved atomically, never clobbering changes made by others.
public struct BacklogFile: Sendable {
    /// The path as the user gave it.
    public let path: String
    /// The backlog as read, with its warnings.
    public private(set) var parsed: ParsedBacklog
    /// The bytes as read (or last saved), to tell whether the file changed on disk since.
    public private(set) var loadedBytes: [UInt8]
    /// True when the backlog being edited was based on a version of the file other than the one
    /// on disk (restored from a recovery file made before the file changed): every save then
    /// counts as a conflict, so that neither version is lost.
    public private(set) var basedOnOtherVersion = false
    /// How saves wait for another prio writing in the same directory.
    public var lockWait = LockWait()

    /// Loads and parses a file. Throws `PrioError` when it cannot be read and
    /// `BacklogErrors` when it is malformed.
    public static func load(_ path: String) throws -> BacklogFile {
        let bytes = try readFile(path)
        let parsed = try BacklogParser.parse(bytes, path: path)
        return BacklogFile(path: path, parsed: parsed, loadedBytes: bytes)
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
        parsed.backlog = Backlog(header: BacklogHeader(), stories: [], source: [])
        return backlog
    }

    /// True when the file on disk is no longer what was loaded (compared in chunks, so a
    /// large file is not read into memory twice).
    public func changedOnDisk() -> Bool {
        basedOnOtherVersion || !fileContentEquals(path, loadedBytes)
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
        if bytes == loadedBytes && !basedOnOtherVersion {
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
        loadedBytes = bytes
        return true
    }

    /// Writes a backlog even when the file changed on disk (the caller has kept the other version).
    public mutating func overwrite(with backlog: Backlog) throws(PrioError) {
        let bytes = BacklogWriter.write(backlog)
        try atomicWrite(bytes, to: path, wait: lockWait)
        loadedBytes = bytes
        basedOnOtherVersion = false
    }
}
