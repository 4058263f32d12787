import PrioEngine

/// The import base on disk: `NAME.imported.md` beside the backlog `NAME.md` (see `ImportBase`),
/// read and saved through `BacklogFile` (atomic, never over a change made by someone else).
public struct ImportBaseFile: Sendable {
    /// Where the base lives.
    public let path: String
    /// The base as read (empty when the file does not exist yet).
    public let base: ImportBase
    private var file: BacklogFile?

    /// The base's path beside a backlog: `backlog.md` → `backlog.imported.md`.
    public static func path(besides backlogPath: String) -> String {
        let name = PathName.lastComponent(of: backlogPath)
        return PathName.sibling(of: backlogPath, named: PathName.stem(of: name) + ".imported.md")
    }

    /// Reads the base beside a backlog; no file is an empty base. Throws `PrioError` when it
    /// cannot be read and `BacklogErrors` when it is malformed.
    public static func load(besides backlogPath: String, lockWait: LockWait = LockWait()) throws -> ImportBaseFile {
        let path = path(besides: backlogPath)
        guard fileExists(path) else { return ImportBaseFile(path: path, base: ImportBase(), file: nil) }
        var file = try BacklogFile.loadUnresolved(path)
        file.lockWait = lockWait
        return ImportBaseFile(path: path, base: ImportBase(file.takeBacklog()), file: file)
    }

    /// Writes `base` atomically (a new file gets the backlog's permissions); returns false when
    /// the bytes are unchanged.
    @discardableResult
    public mutating func save(_ base: ImportBase, permissions: UInt16?, lockWait: LockWait = LockWait()) throws(PrioError) -> Bool {
        let backlog = base.backlog()
        if var file {
            let wrote = try file.save(backlog)
            self.file = file
            return wrote
        }
        try atomicWrite(BacklogWriter.write(backlog), to: path, exclusive: true, permissions: permissions, wait: lockWait)
        return true
    }
}
