#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import PrioEngine

/// Paths inside a working tree that prio may write or name to git, checked the way git itself
/// treats a repository from a stranger: no symbolic link below the top is followed.
public enum RepositoryPath {
    /// `path` relative to `root` (git's `--show-toplevel`), found without following any
    /// symbolic link below `root`: the shortest leading part of `path` that is `root` (links
    /// above the top, such as /tmp on some systems, are fine), then the rest as written. Every
    /// component of the rest must be a real directory, and the last a regular file or nothing;
    /// otherwise (or outside `root`) a message says why.
    public static func relative(_ path: String, root: String, currentDirectory: String? = nil) throws(PrioError) -> String {
        let absolute = path.hasPrefix("/") ? path : PathName.join(currentDirectory ?? workingDirectory(), path)
        var components: [String] = []
        for part in absolute.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(String(part))
            }
        }
        guard let top = realPath(root) else { throw PrioError("\(root): the repository's top folder cannot be read") }
        for k in 0...components.count where realPath("/" + components[0..<k].joined(separator: "/")) == top {
            let rest = Array(components[k...])
            guard !rest.isEmpty else { throw PrioError("\(path) is the repository's top folder, not a file in it") }
            try checkComponents(rest, root: top, shown: path)
            return rest.joined(separator: "/")
        }
        throw PrioError("\(path) is not inside the repository at \(root)")
    }

    /// Throws unless `root/relative` can be written without following a symbolic link: each
    /// folder below `root` is a real folder, the file a regular file or absent.
    public static func checkWritable(_ relative: String, root: String) throws(PrioError) {
        let parts = relative.split(separator: "/").map(String.init)
        try checkComponents(parts, root: root, shown: relative)
    }

    static func checkComponents(_ parts: [String], root: String, shown: String) throws(PrioError) {
        var current = root
        for (n, part) in parts.enumerated() {
            current = PathName.join(current, part)
            let last = n == parts.count - 1
            var info = stat()
            guard lstat(current, &info) == 0 else {
                if errno == ENOENT && last { return }
                throw PrioError("\(shown): \(current) cannot be examined (\(String(cString: strerror(errno))))")
            }
            let named = parts[0...n].joined(separator: "/")
            switch info.st_mode & S_IFMT {
            case S_IFLNK:
                throw PrioError("\(named) is a symbolic link; prio does not write or name a file through a link "
                                + "in a repository (git stores the link, not the file it points to)")
            case S_IFDIR where !last: continue
            case S_IFREG where last: return
            default:
                throw PrioError("\(named) is not a \(last ? "regular file" : "folder"); prio leaves it alone")
            }
        }
    }

    /// Reads `root/relative` without following a link (nil when absent).
    static func readBytes(_ relative: String, root: String) throws(PrioError) -> [UInt8]? {
        try checkWritable(relative, root: root)
        let path = PathName.join(root, relative)
        let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw PrioError("\(relative) cannot be read (\(String(cString: strerror(errno))))")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            throw PrioError("\(relative) is not a regular file; prio leaves it alone")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw PrioError("\(relative) cannot be read (\(String(cString: strerror(errno))))") }
            if count == 0 { return bytes }
            bytes += chunk[0..<count]
            if bytes.count > 16 << 20 { throw PrioError("\(relative) is over 16 MiB; prio leaves it alone") }
        }
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path.isEmpty ? "/" : path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    static func workingDirectory() -> String {
        guard let cwd = getcwd(nil, 0) else { return "." }
        defer { free(cwd) }
        return String(cString: cwd)
    }
}
