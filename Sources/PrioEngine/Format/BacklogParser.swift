import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A backlog read from a file, with the warnings found in it.
public struct ParsedBacklog: Sendable {
    /// The backlog.
    public var backlog: Backlog
    /// Findings that do not stop prio, such as unknown keys.
    public var warnings: [Diagnostic]
}

/// Reads the Markdown backlog format (see docs/FORMAT.md) from bytes.
///
/// The parser keeps the byte range of every heading, field line and description, so that
/// writing an unchanged backlog gives back the same bytes.
public enum BacklogParser {
    /// Settings the header understands.
    public static let knownSettings: Set<String> = Set([
        "strategy", "prefix", "fields", "sprint", "statuses", "formula", "vision", "goal",
        "stakeholder", "stakeholder-aggregate", "stakeholder-spread", "velocity-window",
    ]).union(GroomingSettings.keys)

    /// Parses a whole file; throws every error found, each located by line and column.
    public static func parse(_ bytes: [UInt8], path: String) throws(BacklogErrors) -> ParsedBacklog {
        try parse(bytes, path: path, resolveDependencies: true)
    }

    /// Parses bytes; without `resolveDependencies`, a `depends` on a story that is not in these
    /// bytes is no error (a single story block, checked against its backlog by the caller).
    package static func parse(_ bytes: [UInt8], path: String, resolveDependencies: Bool) throws(BacklogErrors) -> ParsedBacklog {
        try parse(SourceText(bytes), path: path, resolveDependencies: resolveDependencies)
    }

    /// Parses a file's bytes as read (`readSource`); the backlog keeps them. Story text of at
    /// least `parallelFrom` bytes is parsed in two halves on two threads.
    static func parse(_ source: SourceText, path: String, resolveDependencies: Bool = true,
                      parallelFrom: Int = twoThreadBytes) throws(BacklogErrors) -> ParsedBacklog {
        // A file with old Mac line endings (CR alone, no LF anywhere) is read with each CR as a
        // line end and written back with CRs, byte for byte.
        let crOnly = unsafe source.withBytes(unsafe isCROnly)
        let input = crOnly ? SourceText(source.bytes.map { $0 == 0x0D ? 0x0A : $0 }) : source
        let result = unsafe input.withBytes { buffer -> Result<ParsedBacklog, BacklogErrors> in
            // One look at every byte: UTF-8, and whether a line starts with `<` (conflict
            // markers are looked for only then). Markers are reported first.
            let check = unsafe checkTextInParallel(buffer)
            let conflicts = unsafe check.lineStartsWithLess ? conflictMarkers(buffer) : []
            if !conflicts.isEmpty {
                return .failure(BacklogErrors(errors: conflicts.map { line in
                    Diagnostic(.error, at: SourceLocation(path: path, line: line, column: 1),
                               "unresolved merge conflict (git's <<<<<<< marker): keep the lines you want between <<<<<<<, "
                               + "======= and >>>>>>>, delete the three marker lines, then run 'prio check'")
                }))
            }
            var parser = unsafe Parser(bytes: buffer, source: input, path: path)
            parser.resolveDependencies = resolveDependencies
            parser.parallelFrom = parallelFrom
            return parser.run(invalidUTF8: check.invalidUTF8)
        }
        switch result {
        case .success(var parsed):
            parsed.backlog.crLineEndings = crOnly
            return parsed
        case .failure(let errors): throw errors
        }
    }

    /// True when the bytes hold a CR and no LF.
    static func isCROnly(_ buffer: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = buffer.baseAddress, !buffer.isEmpty else { return false }
        return unsafe memchr(base, 0x0A, buffer.count) == nil && memchr(base, 0x0D, buffer.count) != nil
    }

    /// The lines of git conflict markers: each `<<<<<<<` line that a `=======` line and then a
    /// `>>>>>>>` line follow (all at the start of a line), 1-based.
    /// True when seven `marker` bytes start at `i`, then a space, a line break or the end.
    @Sendable static func isMarker(_ bytes: UnsafeBufferPointer<UInt8>, _ marker: UInt8, _ i: Int) -> Bool {
        guard i + 7 <= bytes.count else { return false }
        for k in i..<(i + 7) where unsafe bytes[k] != marker { return false }
        let next = unsafe i + 7 < bytes.count ? bytes[i + 7] : 0x0A
        return next == 0x20 || next == 0x0A || next == 0x0D || next == 0x09
    }

    static func conflictMarkers(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
        func starts(_ marker: UInt8, at i: Int) -> Bool { unsafe isMarker(bytes, marker, i) }
        // Cheap first look (memchr for '<', rare in backlogs): does any line start with <<<<<<<?
        var found = false
        if let base = bytes.baseAddress {
            var i = 0
            while i < bytes.count, let hit = unsafe memchr(base + i, Int32(UInt8(ascii: "<")), bytes.count - i) {
                let at = unsafe base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                if unsafe (at == 0 || bytes[at - 1] == 0x0A) && isMarker(bytes, UInt8(ascii: "<"), at) {
                    found = true
                    break
                }
                i = at + 1
            }
        }
        guard found else { return [] }
        var lines: [Int] = []
        var line = 1
        var open: Int?
        var sawMiddle = false
        var i = 0
        while i < bytes.count {
            if starts(UInt8(ascii: "<"), at: i) {
                open = line
                sawMiddle = false
            } else if open != nil && starts(UInt8(ascii: "="), at: i) {
                sawMiddle = true
            } else if let start = open, sawMiddle, starts(UInt8(ascii: ">"), at: i) {
                lines.append(start)
                open = nil
            }
            guard let end = unsafe bytes[i...].firstIndex(of: 0x0A) else { break }
            i = end + 1
            line += 1
        }
        return lines
    }

    /// Parses a string (for tests and imports).
    public static func parse(_ text: String, path: String = "<text>") throws(BacklogErrors) -> ParsedBacklog {
        try parse(Array(text.utf8), path: path)
    }
}

extension BacklogParser {
    /// The warning for a story's `sprint` that names no sprint the header declares, with the
    /// closest declared name (among equally close ones, the latest: `Sprint 9` is more likely
    /// meant for `Sprint 4` than for `Sprint 1`).
    public static func undeclaredSprintMessage(_ name: String, declared: [String]) -> String {
        let list = declared.joined(separator: ", ")
        if let guess = Suggestion.closest(to: name, among: declared.reversed()) {
            return "sprint '\(name)' is not declared in the header (did you mean '\(guess)'? declared: \(list))"
        }
        return "sprint '\(name)' is not declared in the header (declared: \(list); "
            + "declare it with '- sprint: \(name) | capacity N | START .. END')"
    }
}
