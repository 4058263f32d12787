#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Line-level Markdown syntax that the backlog format recognises, on UTF-8 bytes.

/// A line's bytes: a slice of the file's buffer, indexed by file offsets. Unsafe slices keep
/// the hot loops free of reference counting (which two parsing threads would contend on).
typealias LineBytes = Slice<UnsafeBufferPointer<UInt8>>

/// Skips up to three leading spaces, as Markdown allows before a heading or fence.
@inline(__always) func indentEnd(_ line: LineBytes) -> Int {
    var i = unsafe line.startIndex
    while unsafe i < line.endIndex && i - line.startIndex < 3 && line[i] == UInt8(ascii: " ") { i += 1 }
    return i
}

/// True for `## ...`: a level-2 ATX heading, which starts a story.
func isStoryHeading(_ line: LineBytes) -> Bool {
    let i = unsafe indentEnd(line)
    guard unsafe line.endIndex - i >= 2, unsafe line[i] == UInt8(ascii: "#"), unsafe line[i + 1] == UInt8(ascii: "#") else { return false }
    if unsafe line.endIndex == i + 2 { return true }
    let next = unsafe line[i + 2]
    return next == UInt8(ascii: " ") || next == UInt8(ascii: "\t")
}

/// The high bit of each byte of `word` that equals `byte` (the zero-byte trick on
/// `word ^ byte×8`); the lowest flagged byte is exact, a higher one may be a false flag after
/// a true one. Zero when no byte equals `byte`.
@inline(__always)
func bytesEqual(to byte: UInt8, in word: UInt64) -> UInt64 {
    let ones: UInt64 = 0x0101_0101_0101_0101
    let x = word ^ (ones &* UInt64(byte))
    return (x &- ones) & ~x & 0x8080_8080_8080_8080
}

/// The offset of the first line feed in `from..<end` of `base`, or nil. Eight bytes at a time
/// in a register (lines are short: a call to `memchr` per line costs more than the search).
@inline(__always)
func nextLineFeed(_ base: UnsafePointer<UInt8>, from: Int, to end: Int) -> Int? {
    var i = from
    while i + 8 <= end {
        let word = unsafe UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
        let flagged = bytesEqual(to: 0x0A, in: word)
        if flagged != 0 { return i + flagged.trailingZeroBitCount / 8 }
        i += 8
    }
    while i < end {
        if unsafe base[i] == 0x0A { return i }
        i += 1
    }
    return nil
}

/// What a pass over part of a file (starting at a line start) finds before it is parsed:
/// its line breaks, and a bound on the story headings in it.
struct LineCount: Sendable {
    /// How many line breaks (`\n`) the range holds.
    var lineBreaks = 0
    /// At least as many as the story headings that start in the range: its first line, and
    /// the lines that start with `##` but not `###`, or with a space (a heading may be
    /// indented by up to three); at most one per four bytes (a story heading with an ID takes more).
    var storyBound = 0

    /// Counts `range` of `bytes`, sixteen bytes at a time (15 MB in about a millisecond).
    init(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        guard let base = bytes.baseAddress, !range.isEmpty else { return }
        var starts = 1
        var breaks = 0
        // A line break at `j` starts a line at `j + 1`, counted when that is in the range.
        var j = range.lowerBound
        let blocksEnd = min(range.upperBound - 1, bytes.count - 3 - 16)
        let newline = SIMD16<UInt8>(repeating: 0x0A), hash = SIMD16<UInt8>(repeating: 0x23)
        let space = SIMD16<UInt8>(repeating: 0x20), zero = SIMD16<UInt8>(repeating: 0)
        while j + 16 <= blocksEnd {
            // Each lane adds at most one per block: up to 255 blocks, then the lanes are summed.
            var startLanes = zero, breakLanes = zero
            var blocks = 0
            while blocks < 255 && j + 16 <= blocksEnd {
                let here = unsafe UnsafeRawPointer(base + j).loadUnaligned(as: SIMD16<UInt8>.self)
                let next = unsafe UnsafeRawPointer(base + j + 1).loadUnaligned(as: SIMD16<UInt8>.self)
                let after = unsafe UnsafeRawPointer(base + j + 2).loadUnaligned(as: SIMD16<UInt8>.self)
                let third = unsafe UnsafeRawPointer(base + j + 3).loadUnaligned(as: SIMD16<UInt8>.self)
                let isBreak = here .== newline
                let heading = (next .== hash) .& (after .== hash) .& (third .!= hash)
                breakLanes &+= zero.replacing(with: 1, where: isBreak)
                startLanes &+= zero.replacing(with: 1, where: isBreak .& (heading .| (next .== space)))
                j += 16
                blocks += 1
            }
            for lane in 0..<16 {
                starts += Int(startLanes[lane])
                breaks += Int(breakLanes[lane])
            }
        }
        while j < range.upperBound {
            if unsafe base[j] == 0x0A {
                breaks += 1
                if j + 1 < range.upperBound {
                    let next = unsafe base[j + 1]
                    let heading = unsafe next == 0x23 && j + 2 < bytes.count && base[j + 2] == 0x23
                        && (j + 3 == bytes.count || base[j + 3] != 0x23)
                    if next == 0x20 || heading { starts += 1 }
                }
            }
            j += 1
        }
        lineBreaks = breaks
        storyBound = min(starts, range.count / 4 + 1)
    }
}

/// The text after `# ` when the line is a level-1 heading.
func levelOneHeading(_ line: LineBytes) -> Range<Int>? {
    let i = unsafe indentEnd(line)
    guard unsafe i < line.endIndex, unsafe line[i] == UInt8(ascii: "#") else { return nil }
    guard unsafe i + 1 == line.endIndex || line[i + 1] == UInt8(ascii: " ") || line[i + 1] == UInt8(ascii: "\t")
    else { return nil }
    return unsafe trimmedRange(line, from: min(i + 1, line.endIndex))
}

/// True when every byte is a space or a tab.
@inline(__always) func isBlank(_ line: LineBytes) -> Bool {
    unsafe line.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
}

/// The range of `line[from...]` without leading and trailing spaces and tabs.
func trimmedRange(_ line: LineBytes, from: Int) -> Range<Int> {
    var s = from
    var e = unsafe line.endIndex
    guard let p = unsafe line.base.baseAddress, s < e else { return s..<max(s, e) }
    // On the raw pointer: `s..<e` lies within the line, so no bounds check is needed per byte.
    while unsafe s < e && (p[s] == UInt8(ascii: " ") || p[s] == UInt8(ascii: "\t")) { s += 1 }
    while unsafe e > s && (p[e - 1] == UInt8(ascii: " ") || p[e - 1] == UInt8(ascii: "\t")) { e -= 1 }
    return s..<e
}

/// The key and value ranges of a `- key: value` line (bullet `-`, `*` or `+`), or nil.
///
/// The key starts with a letter and holds letters, digits, spaces, `-`, `_` or `'`.
func fieldLine(_ line: LineBytes) -> (key: Range<Int>, value: Range<Int>)? {
    // On the raw pointer, every index checked against `end` first: this runs for every line of a file.
    guard let p = unsafe line.base.baseAddress else { return nil }
    let end = unsafe line.endIndex
    var i = unsafe line.startIndex
    while unsafe i < end && i - line.startIndex < 3 && p[i] == UInt8(ascii: " ") { i += 1 }
    guard i < end else { return nil }
    let bullet = unsafe p[i]
    guard bullet == UInt8(ascii: "-") || bullet == UInt8(ascii: "*") || bullet == UInt8(ascii: "+") else { return nil }
    i += 1
    guard i < end, unsafe p[i] == UInt8(ascii: " ") || p[i] == UInt8(ascii: "\t") else { return nil }
    while unsafe i < end && (p[i] == UInt8(ascii: " ") || p[i] == UInt8(ascii: "\t")) { i += 1 }
    let keyStart = i
    guard i < end, unsafe isASCIILetter(p[i]) || p[i] >= 0x80 else { return nil }
    while i < end {
        let b = unsafe p[i]
        if b == UInt8(ascii: ":") { break }
        guard isASCIILetter(b) || isASCIIDigit(b) || b >= 0x80 || b == UInt8(ascii: " ") || b == UInt8(ascii: "-")
            || b == UInt8(ascii: "_") || b == UInt8(ascii: "'")
        else { return nil }
        i += 1
    }
    guard i < end else { return nil }
    var keyEnd = i
    while unsafe keyEnd > keyStart && p[keyEnd - 1] == UInt8(ascii: " ") { keyEnd -= 1 }
    // A URL such as `- https://x` is not a field.
    if unsafe i + 2 < end && p[i + 1] == UInt8(ascii: "/") && p[i + 2] == UInt8(ascii: "/") { return nil }
    return unsafe (keyStart..<keyEnd, trimmedRange(line, from: i + 1))
}

/// Follows fenced code blocks (``` and ~~~) line by line, so that headings inside them are text.
struct FenceTracker {
    private var marker: UInt8 = 0
    private var length = 0
    /// The line number where the open fence started, if one is open.
    private(set) var openedAt = 0

    /// True inside a fenced code block.
    var isOpen: Bool { length > 0 }

    /// The line that would close the open fence.
    var closingLine: String? {
        isOpen ? String(repeating: Character(Unicode.Scalar(marker)), count: length) : nil
    }

    /// Takes the next line; returns true when the line opened or closed a fence.
    @discardableResult
    mutating func feed(_ line: LineBytes, lineNumber: Int = 0) -> Bool {
        let i = unsafe indentEnd(line)
        guard unsafe i < line.endIndex else { return false }
        let c = unsafe line[i]
        guard c == UInt8(ascii: "`") || c == UInt8(ascii: "~") else { return false }
        var j = i
        while unsafe j < line.endIndex && line[j] == c { j += 1 }
        let run = j - i
        guard run >= 3 else { return false }
        if isOpen {
            guard c == marker, run >= length, unsafe isBlank(line[j...]) else { return false }
            length = 0
            marker = 0
            return true
        }
        // A backtick fence's info string may not contain backticks.
        if unsafe c == UInt8(ascii: "`") && line[j...].contains(UInt8(ascii: "`")) { return false }
        marker = c
        length = run
        openedAt = lineNumber
        return true
    }
}

// MARK: Field lines, shared by the parser and a story reading its fields from the file

/// The field name for a key's bytes; canonical lower-case keys take a fast path.
func fieldName(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> FieldName {
    if let key = unsafe knownFieldKey(bytes, range) { return .known(key) }
    return unsafe .custom(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self).trimmingASCIIWhitespace())
}

/// The canonical key for a key's bytes, or nil for a custom key (the rule of `fieldName`).
@inline(__always)
func knownFieldKey(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> FieldKey? {
    if let key = unsafe FieldKey.lookup(UnsafeBufferPointer(rebasing: bytes[range])) { return key }
    return unsafe FieldKey.canonical(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
}

/// A title or field value: one line, so a stray carriage return inside reads as a space.
func lineText(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    let text = unsafe String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    guard !range.isEmpty, let base = bytes.baseAddress, unsafe memchr(base + range.lowerBound, 0x0D, range.count) != nil else {
        return text
    }
    return singleLine(text)
}

/// Calls `body` with each field line in `range` (consecutive `- key: value` lines, as the parser
/// found them): the line with its line break, the key and the value; stops when `body` returns false.
@inline(__always)
func forEachFieldLine(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                      _ body: (_ line: Range<Int>, _ key: Range<Int>, _ value: Range<Int>) -> Bool) {
    guard let base = bytes.baseAddress else { return }
    var position = range.lowerBound
    let end = range.upperBound
    while position < end {
        let lineStart = position
        var lineEnd = end
        if let found = unsafe nextLineFeed(base, from: position, to: end) {
            lineEnd = found
            position = lineEnd + 1
            if unsafe lineEnd > lineStart && bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
        } else {
            position = end
        }
        guard let (key, value) = unsafe fieldLine(bytes[lineStart..<lineEnd]) else { continue }
        if !body(lineStart..<position, key, value) { return }
    }
}
