/// File-name arithmetic on plain POSIX paths, byte for byte, with no Foundation.
///
/// Foundation's `NSString` path methods trap on some short names (a one-character file name
/// crashed `deletingLastPathComponent`); these functions never trap and never touch the disk.
public enum PathName {
    /// The directory part of a path, as `dirname(1)` says it: `a/b` → `a`, `b` → `.`,
    /// `/b` → `/`, `a/b/` → `a`, `/` → `/`, `` → `.`.
    public static func directory(of path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1 && bytes.last == slash { bytes.removeLast() }
        guard let cut = bytes.lastIndex(of: slash) else { return "." }
        var end = cut
        while end > 0 && bytes[end - 1] == slash { end -= 1 }
        if end == 0 { return "/" }
        return String(decoding: bytes[..<end], as: UTF8.self)
    }

    /// The last component of a path, as `basename(1)` says it: `a/b` → `b`, `a/b/` → `b`,
    /// `/` → `/`, `` → ``.
    public static func lastComponent(of path: String) -> String {
        var bytes = Array(path.utf8)
        while bytes.count > 1 && bytes.last == slash { bytes.removeLast() }
        if bytes == [slash] { return "/" }
        guard let cut = bytes.lastIndex(of: slash) else { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes[(cut + 1)...], as: UTF8.self)
    }

    /// `name` inside `directory` (`name` itself when it is absolute or `directory` is `.`).
    public static func join(_ directory: String, _ name: String) -> String {
        if name.hasPrefix("/") || directory.isEmpty || directory == "." { return name }
        return directory.hasSuffix("/") ? directory + name : directory + "/" + name
    }

    /// A path named relative to the folder of `base` (an absolute `name` stays as it is).
    public static func sibling(of base: String, named name: String) -> String {
        join(directory(of: base), name)
    }

    /// The name without its last extension: `b.md` → `b`, `.b` → `.b`, `b` → `b`.
    public static func stem(of name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return name }
        return String(name[..<dot])
    }

    /// The last extension without its dot, or "" (`b.md` → `md`, `.b` → ``).
    public static func pathExtension(of name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return String(name[name.index(after: dot)...])
    }

    /// The longest prefix of `name` of at most `limit` UTF-8 bytes that ends on a character boundary.
    public static func prefix(of name: String, bytes limit: Int) -> String {
        var count = 0
        var out = ""
        for character in name {
            count += character.utf8.count
            if count > limit { break }
            out.append(character)
        }
        return out
    }

    /// The most bytes one file name may have here (NAME_MAX on Linux).
    public static let maximumNameLength = 255

    private static let slash = UInt8(ascii: "/")
}
