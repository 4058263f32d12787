import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A backlog file on disk: loaded once, saved atomically, never clobbering changes made by others.
public struct BacklogFile: Sendable {
    /// The path as the user gave it.
    public let path: String
    /// The backlog as read, with its warnings.
    public let parsed: ParsedBacklog
    /// The bytes as read (or last saved), to tell whether the file changed on disk since.
    public private(set) var loadedBytes: [UInt8]

    /// Loads and parses a file. Throws `PrioError` when it cannot be read and
    /// `BacklogErrors` when it is malformed.
    public static func load(_ path: String) throws -> BacklogFile {
        let bytes = try readFile(path)
        let parsed = try BacklogParser.parse(bytes, path: path)
        return BacklogFile(path: path, parsed: parsed, loadedBytes: bytes)
    }

    /// The backlog.
    public var backlog: Backlog { parsed.backlog }

    /// True when the file on disk is no longer what was loaded (compared in chunks, so a
    /// large file is not read into memory twice).
    public func changedOnDisk() -> Bool {
        !fileContentEquals(path, loadedBytes)
    }

    /// Writes a backlog back atomically; refuses when the file changed on disk since it was loaded.
    /// Returns false when there was nothing to write (the bytes are unchanged).
    @discardableResult
    public mutating func save(_ backlog: Backlog) throws(PrioError) -> Bool {
        let bytes = BacklogWriter.write(backlog)
        if bytes == loadedBytes {
            if changedOnDisk() {
                throw PrioError("\(path) changed on disk since prio read it; nothing was written (run the command again)")
            }
            return false
        }
        try atomicWrite(bytes, to: path) { () throws(PrioError) in
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
        try atomicWrite(bytes, to: path)
        loadedBytes = bytes
    }
}

/// True when the file at `path` holds exactly `expected`.
func fileContentEquals(_ path: String, _ expected: [UInt8]) -> Bool {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    var offset = 0
    while true {
        let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            return false
        }
        if count == 0 { return offset == expected.count }
        guard offset + count <= expected.count else { return false }
        let same = chunk.withUnsafeBytes { a in
            expected.withUnsafeBytes { b in memcmp(a.baseAddress!, b.baseAddress! + offset, count) == 0 }
        }
        if !same { return false }
        offset += count
    }
}

/// Reads a whole file.
public func readFile(_ path: String) throws(PrioError) -> [UInt8] {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw PrioError("\(path): \(systemError())") }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw PrioError("\(path): \(systemError())") }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw PrioError("\(path): is a directory") }
    // Read straight into the array; grow when the file turns out longer than stat said.
    var capacity = max(Int(info.st_size), 0) + 1
    var bytes: [UInt8] = []
    var failure: Int32 = 0
    while true {
        let start = bytes.count
        bytes.reserveCapacity(capacity)
        var got = 0
        bytes.append(contentsOf: repeatElement(0, count: capacity - start))
        bytes.withUnsafeMutableBytes { raw in
            while start + got < capacity {
                let count = read(fd, raw.baseAddress! + start + got, capacity - start - got)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if count == 0 { break }
                got += count
            }
        }
        bytes.removeLast(capacity - start - got)
        if failure != 0 {
            errno = failure
            throw PrioError("\(path): \(systemError())")
        }
        if bytes.count < capacity { return bytes }
        capacity *= 2
    }
}

/// The permission bits of a file, or nil.
public func filePermissions(_ path: String) -> UInt16? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return UInt16(info.st_mode & 0o7777)
}

/// True when something exists at a path (a dangling symlink counts).
public func fileExists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
}

/// Writes a file atomically: a temporary file in the same directory, fsync, rename.
///
/// Keeps the mode of an existing file, writes through a symlink to its target, and runs
/// `check` just before the rename (to refuse when the target changed). With `exclusive`
/// the write fails when the target already exists.
public func atomicWrite(_ bytes: [UInt8], to path: String, exclusive: Bool = false, permissions: UInt16? = nil,
                        check: () throws(PrioError) -> Void = {}) throws(PrioError) {
    let target = resolveSymlinks(path)
    let directory = (target as NSString).deletingLastPathComponent
    let base = (target as NSString).lastPathComponent
    var mode: mode_t = 0o666
    var info = stat()
    let exists = stat(target, &info) == 0
    if exists {
        if exclusive { throw PrioError("\(path) already exists; prio never overwrites it") }
        mode = info.st_mode & 0o7777
    } else if let permissions {
        mode = mode_t(permissions)
    } else {
        let mask = umask(0)
        umask(mask)
        mode = 0o666 & ~mask
    }
    var template = Array(((directory.isEmpty ? "." : directory) + "/." + base + ".prio-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { throw PrioError("cannot write in \(directory.isEmpty ? "." : directory): \(systemError())") }
    let tempPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    var done = false
    defer {
        if !done { unlink(tempPath) }
    }
    var offset = 0
    let writeError: String? = bytes.withUnsafeBytes { raw in
        while offset < raw.count {
            let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return systemError()
            }
            offset += written
        }
        return nil
    }
    if let writeError {
        close(fd)
        throw PrioError("cannot write \(path): \(writeError)")
    }
    if exists, getuid() == 0 { _ = fchown(fd, info.st_uid, info.st_gid) }
    guard fchmod(fd, mode) == 0, fsync(fd) == 0 else {
        let message = systemError()
        close(fd)
        throw PrioError("cannot write \(path): \(message)")
    }
    close(fd)
    // The check and the rename happen under an exclusive lock on the directory: otherwise two prio
    // processes can both pass the check before either renames, and the second rename silently
    // drops the first one's change (their fsyncs often end together, so this is not rare).
    let lockFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if lockFD >= 0 {
        while flock(lockFD, LOCK_EX) != 0 && errno == EINTR {}
    }
    defer {
        if lockFD >= 0 {
            flock(lockFD, LOCK_UN)
            close(lockFD)
        }
    }
    try check()
    if exclusive {
        // link() fails when the target exists, so a file made meanwhile is never replaced.
        guard link(tempPath, target) == 0 else {
            throw PrioError(errno == EEXIST ? "\(path) already exists; prio never overwrites it" : "cannot create \(path): \(systemError())")
        }
        unlink(tempPath)
    } else {
        guard rename(tempPath, target) == 0 else { throw PrioError("cannot write \(path): \(systemError())") }
    }
    done = true
    let dirFD = open(directory.isEmpty ? "." : directory, O_RDONLY | O_DIRECTORY)
    if dirFD >= 0 {
        fsync(dirFD)
        close(dirFD)
    }
}

/// The final target of a path through any symlinks (the path itself when it is none).
func resolveSymlinks(_ path: String) -> String {
    var current = path
    for _ in 0..<40 {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(current, &buffer, buffer.count - 1)
        guard count > 0 else { return current }
        let destination = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if destination.hasPrefix("/") {
            current = destination
        } else {
            current = ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(destination)
        }
    }
    return current
}

func systemError() -> String {
    String(cString: strerror(errno))
}
