#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PrioEngine

/// The most bytes prio reads from one file (backlogs, imports, recovery files).
public let maximumFileSize = 512 << 20

/// What stands at a path, without following a final symlink's target into trouble.
public enum FileKind: Sendable, Equatable {
    /// Nothing (a dangling symlink counts as nothing to read, but as something to write through).
    case missing
    case regular
    case directory
    /// A FIFO, a device node, a socket.
    case special(String)
}

/// What stands at `path` once symlinks are followed.
public func fileKind(_ path: String) -> FileKind {
    var info = stat()
    guard stat(path, &info) == 0 else { return .missing }
    return kind(of: info.st_mode)
}

func kind(of mode: mode_t) -> FileKind {
    switch mode & S_IFMT {
    case S_IFREG: return .regular
    case S_IFDIR: return .directory
    case S_IFIFO: return .special("a FIFO")
    case S_IFCHR: return .special("a character device")
    case S_IFBLK: return .special("a block device")
    case S_IFSOCK: return .special("a socket")
    default: return .special("not a regular file")
    }
}

/// True when two paths name the same file (after symlinks; hard links count).
public func sameFile(_ a: String, _ b: String) -> Bool {
    var x = stat()
    var y = stat()
    guard stat(a, &x) == 0, stat(b, &y) == 0 else { return false }
    return x.st_dev == y.st_dev && x.st_ino == y.st_ino
}

/// Reads a whole regular file of at most `maximumFileSize` bytes.
///
/// A FIFO, a device or a socket is refused before anything is read (a FIFO is opened without
/// blocking), and a file that grows past the limit while being read is refused too.
public func readFile(_ path: String, limit: Int = maximumFileSize) throws(PrioError) -> [UInt8] {
    let (fd, size) = try openForReading(path, limit: limit)
    defer { close(fd) }
    return try readOpenFile(fd, path: path, size: size, limit: limit)
}

/// Reads standard input to its end (a pipe, a terminal, a file), at most `limit` bytes.
public func readStandardInput(limit: Int = maximumFileSize) throws(PrioError) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
        let count = chunk.withUnsafeMutableBytes { read(STDIN_FILENO, $0.baseAddress, $0.count) }
        if count < 0 {
            if errno == EINTR { continue }
            throw PrioError("standard input: \(systemError())")
        }
        if count == 0 { return bytes }
        bytes.append(contentsOf: chunk[0..<count])
        if bytes.count > limit { throw tooLarge("standard input", size: bytes.count, limit: limit) }
    }
}

/// How a file's bytes are held once read.
enum SourceReading: Sendable {
    /// Read into memory: for commands that change the file or run long (the screen).
    case read
    /// A big file mapped under a read lease where the system allows it (for commands that only
    /// read): no copy, and no fresh memory for it; read into memory otherwise.
    case mapIfBig
}

/// Files at least this big are mapped by `SourceReading.mapIfBig` (a smaller one reads about as fast).
let mappingSize = 1 << 20

/// Reads (or maps, see `SourceReading`) a whole regular file of at most `limit` bytes, with
/// `readFile`'s rules, into the box a backlog and its stories share.
func readSource(_ path: String, limit: Int = maximumFileSize, _ reading: SourceReading) throws(PrioError) -> SourceText {
    let (fd, size) = try openForReading(path, limit: limit)
    if reading == .mapIfBig, size >= mappingSize, let mapping = MappedFile(fd: fd, limit: limit) {
        return SourceText(unsafe: mapping.bytes, owner: mapping)
    }
    defer { close(fd) }
    return SourceText(try readOpenFile(fd, path: path, size: size, limit: limit))
}

/// Opens a regular file for reading (blocking reads), refusing anything else and a file over
/// `limit`; returns the descriptor and the size `fstat` gives.
private func openForReading(_ path: String, limit: Int) throws(PrioError) -> (Int32, Int) {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { throw PrioError("\(path): \(systemError())") }
    do throws(PrioError) {
        let size = try checkOpenFile(fd, path: path, limit: limit)
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        return (fd, size)
    } catch {
        close(fd)
        throw error
    }
}

private func checkOpenFile(_ fd: Int32, path: String, limit: Int) throws(PrioError) -> Int {
    var info = stat()
    guard fstat(fd, &info) == 0 else { throw PrioError("\(path): \(systemError())") }
    switch kind(of: info.st_mode) {
    case .regular: break
    case .directory: throw PrioError("\(path): is a directory")
    case .special(let what): throw PrioError("\(path): is \(what), not a regular file; prio reads only regular files")
    case .missing: throw PrioError("\(path): does not exist")
    }
    if Int(info.st_size) > limit { throw tooLarge(path, size: Int(info.st_size), limit: limit) }
    return max(Int(info.st_size), 0)
}

/// Reads an open file whose size `fstat` gave as `size`.
private func readOpenFile(_ fd: Int32, path: String, size: Int, limit: Int) throws(PrioError) -> [UInt8] {
    // Read straight into the array (no zero-filling first); grow when the file turns out
    // longer than stat said.
    var capacity = min(size, limit) + 1
    var bytes: [UInt8] = []
    var failure: Int32 = 0
    while true {
        let start = bytes.count
        let previous = bytes
        bytes = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
            count = 0
            guard let base = buffer.baseAddress else { return }
            previous.withUnsafeBufferPointer { old in
                if let from = old.baseAddress { base.initialize(from: from, count: start) }
            }
            let got = preadFully(fd, base + start, capacity - start, start, &failure)
            count = start + got
        }
        if failure != 0 {
            errno = failure
            throw PrioError("\(path): \(systemError())")
        }
        if bytes.count > limit { throw tooLarge(path, size: bytes.count, limit: limit) }
        if bytes.count < capacity { return bytes }
        capacity = min(capacity * 2, limit + 1)
    }
}

/// Reads with pread until `count` bytes are read or the file ends; returns how many were read.
private func preadFully(_ fd: Int32, _ target: UnsafeMutablePointer<UInt8>, _ count: Int, _ offset: Int,
                        _ failure: inout Int32) -> Int {
    var got = 0
    while got < count {
        let read = pread(fd, target + got, count - got, off_t(offset + got))
        if read < 0 {
            if errno == EINTR { continue }
            failure = errno
            break
        }
        if read == 0 { break }
        got += read
    }
    return got
}

private func tooLarge(_ path: String, size: Int, limit: Int) -> PrioError {
    PrioError("\(path): too large (\(size >> 20) MiB or more; prio reads files of at most \(limit >> 20) MiB)")
}

/// True when the file at `path` holds exactly `expected` (compared in chunks, so a large file
/// is not read into memory twice).
func fileContentEquals(_ path: String, _ expected: UnsafeBufferPointer<UInt8>) -> Bool {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var info = stat()
    guard fstat(fd, &info) == 0, kind(of: info.st_mode) == .regular, Int(info.st_size) == expected.count else { return false }
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
            guard let x = a.baseAddress, let y = expected.baseAddress else { return false }
            return memcmp(x, y + offset, count) == 0
        }
        if !same { return false }
        offset += count
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

/// Removes a file; true when it is gone.
@discardableResult
public func removeFile(_ path: String) -> Bool {
    unlink(path) == 0 || errno == ENOENT
}

/// The modification time of a file as seconds since 1970, or nil.
public func modificationTime(_ path: String) -> Int? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return Int(info.st_mtim.tv_sec)
}

/// Writes a file atomically: a temporary file in the same directory, fsync, rename.
///
/// Keeps the mode of an existing file, writes through a symlink to its target, and runs
/// `check` just before the rename (to refuse when the target changed). With `exclusive`
/// the write fails when the target already exists. Refuses a read-only target and anything
/// that is not a regular file (a FIFO, a device, a directory). Temporary files left by prio
/// processes that were killed are removed; those of live processes are left alone.
public func atomicWrite(_ bytes: [UInt8], to path: String, exclusive: Bool = false, permissions: UInt16? = nil,
                        wait: LockWait = LockWait(),
                        check: () throws(PrioError) -> Void = {}) throws(PrioError) {
    let target = resolveSymlinks(path)
    let directory = PathName.directory(of: target)
    let base = PathName.lastComponent(of: target)
    if base == "." || base == ".." || base == "/" || base.isEmpty || target.hasSuffix("/") {
        throw PrioError("\(path): is a directory")
    }
    var mode: mode_t = 0o666
    var info = stat()
    let exists = stat(target, &info) == 0
    if exists {
        if exclusive { throw PrioError("\(path) already exists; prio never overwrites it") }
        switch kind(of: info.st_mode) {
        case .regular: break
        case .directory: throw PrioError("\(path): is a directory")
        case .special(let what): throw PrioError("\(path) is \(what); prio writes only to regular files or new paths")
        case .missing: break
        }
        mode = info.st_mode & 0o7777
        if mode & 0o222 == 0 || access(target, W_OK) != 0 {
            throw PrioError("\(path) is read-only (mode \(String(mode, radix: 8))); nothing was written "
                            + "(make it writable, e.g. 'chmod u+w \(path)', to save)")
        }
    } else if let permissions {
        mode = mode_t(permissions)
    } else {
        let mask = umask(0)
        umask(mask)
        mode = 0o666 & ~mask
    }
    let temp = try TemporaryFile(directory: directory, base: base)
    var done = false
    defer {
        if !done { unlink(temp.path) }
        close(temp.fd)
    }
    var offset = 0
    let writeError: String? = bytes.withUnsafeBytes { raw in
        guard let start = raw.baseAddress else { return nil }
        while offset < raw.count {
            let written = write(temp.fd, start + offset, raw.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                return systemError()
            }
            offset += written
        }
        return nil
    }
    if let writeError { throw PrioError("cannot write \(path): \(writeError)") }
    if exists, getuid() == 0 { _ = fchown(temp.fd, info.st_uid, info.st_gid) }
    guard fchmod(temp.fd, mode) == 0, fsync(temp.fd) == 0 else {
        throw PrioError("cannot write \(path): \(systemError())")
    }
    // The check and the rename happen under an exclusive lock on the directory: otherwise two prio
    // processes can both pass the check before either renames, and the second rename silently
    // drops the first one's change (their fsyncs often end together, so this is not rare).
    let lock = try DirectoryLock(directory, wait: wait)
    defer { lock.release() }
    try check()
    if exclusive {
        // link() fails when the target exists, so a file made meanwhile is never replaced.
        guard link(temp.path, target) == 0 else {
            throw PrioError(errno == EEXIST ? "\(path) already exists; prio never overwrites it" : "cannot create \(path): \(systemError())")
        }
        unlink(temp.path)
    } else {
        guard rename(temp.path, target) == 0 else { throw PrioError("cannot write \(path): \(systemError())") }
    }
    done = true
    let dirFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if dirFD >= 0 {
        fsync(dirFD)
        close(dirFD)
    }
    removeStaleTemporaryFiles(in: directory, for: base)
}

/// A temporary file beside the target, `.NAME.prio-XXXXXX`, locked (flock) for as long as this
/// process has it open, so that another prio can tell a live writer's file from a dead one's.
struct TemporaryFile {
    let fd: Int32
    let path: String

    /// The name's start for a target: the target's name cut so the whole fits in NAME_MAX.
    static func prefix(for base: String) -> String {
        "." + PathName.prefix(of: base, bytes: PathName.maximumNameLength - 13) + ".prio-"
    }

    init(directory: String, base: String) throws(PrioError) {
        for _ in 0..<8 {
            var template = Array(PathName.join(directory, TemporaryFile.prefix(for: base) + "XXXXXX").utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { buffer in
                buffer.baseAddress.map { mkstemp($0) } ?? -1
            }
            guard fd >= 0 else { throw PrioError("cannot write in \(directory): \(systemError())") }
            let path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // Between mkostemp and flock another prio may take this for a dead process's file and
            // remove it; then it is no longer at its path, and we make another.
            var mine = stat()
            var there = stat()
            if flock(fd, LOCK_EX | LOCK_NB) == 0, fstat(fd, &mine) == 0, lstat(path, &there) == 0,
               mine.st_ino == there.st_ino, mine.st_dev == there.st_dev {
                self.fd = fd
                self.path = path
                return
            }
            close(fd)
        }
        throw PrioError("cannot write in \(directory): temporary files keep disappearing")
    }
}

/// Removes the temporary files of writes to `base` whose prio process is gone: a live writer
/// holds a lock on its file, so a file whose lock can be taken belongs to no one.
func removeStaleTemporaryFiles(in directory: String, for base: String) {
    let prefix = TemporaryFile.prefix(for: base)
    guard let dir = opendir(directory) else { return }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
        if name.hasPrefix(prefix) && name.utf8.count == prefix.utf8.count + 6 { names.append(name) }
    }
    for name in names {
        let path = PathName.join(directory, name)
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK)
        guard fd >= 0 else { continue }
        defer { close(fd) }
        var held = stat()
        var there = stat()
        guard flock(fd, LOCK_EX | LOCK_NB) == 0, fstat(fd, &held) == 0, kind(of: held.st_mode) == .regular,
              lstat(path, &there) == 0, held.st_ino == there.st_ino, held.st_dev == there.st_dev else { continue }
        unlink(path)
    }
}

/// An exclusive flock on a directory, waited for with a message and a time limit.
struct DirectoryLock {
    let fd: Int32

    init(_ directory: String, wait: LockWait) throws(PrioError) {
        fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        // A directory that cannot be opened for reading cannot be locked; the rename still is atomic.
        guard fd >= 0 else { return }
        let clock = ContinuousClock()
        let start = clock.now
        var told = false
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { return }
            let waited = clock.now - start
            if waited >= wait.timeout {
                close(fd)
                throw PrioError("another process has held the lock on \(directory) for \(wait.timeout.components.seconds) s "
                                + "(another prio saving?); nothing was written")
            }
            if !told && waited >= .milliseconds(250) {
                told = true
                wait.notify?("waiting for another process writing in \(directory) (lock held)...")
            }
            usleep(20_000)
        }
    }

    func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
    }
}

/// The final target of a path through any symlinks (the path itself when it is none).
func resolveSymlinks(_ path: String) -> String {
    var current = path
    var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
    for _ in 0..<40 {
        let count = readlink(current, &buffer, buffer.count - 1)
        guard count > 0 else { return current }
        let destination = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        current = destination.hasPrefix("/") ? destination : PathName.sibling(of: current, named: destination)
    }
    return current
}


func systemError() -> String {
    String(cString: strerror(errno))
}
