/// Replaces line breaks and tabs with spaces and trims: titles and field values are one line.
extension Story {
    /// The one check for values written on one line of the file (titles, field values, sprint
    /// names, header settings): a line break in one would start a new line, even a new story,
    /// so it is refused; tabs become spaces and the ends are trimmed.
    public static func oneLine(_ text: String, what: String) throws(FieldProblem) -> String {
        if holdsLineBreak(text) {
            throw FieldProblem("\(what) must be one line; this one holds a line break")
        }
        return singleLine(text)
    }
}

/// True when `text` holds a line break: LF, CR, U+2028, U+2029 or U+0085 (NEL). Read as
/// UTF-8 bytes: an import checks a million values.
func holdsLineBreak(_ text: String) -> Bool {
    var text = text
    return text.withUTF8 { bytes in
        var i = 0
        let n = bytes.count
        while i < n {
            let b = unsafe bytes[i]
            if b == 0x0A || b == 0x0D { return true }
            // U+2028 and U+2029 are E2 80 A8/A9; U+0085 is C2 85 (lead bytes: no other scalar has these).
            if unsafe b == 0xE2 && i + 2 < n && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9) { return true }
            if unsafe b == 0xC2 && i + 1 < n && bytes[i + 1] == 0x85 { return true }
            i += 1
        }
        return false
    }
}

func singleLine(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else {
        return text.trimmingASCIIWhitespace()
    }
    var out = String.UnicodeScalarView()
    for s in text.unicodeScalars {
        out.append(s == "\n" || s == "\r" || s == "\t" ? " " : s)
    }
    return String(out).trimmingASCIIWhitespace()
}

/// True when a key is a letter followed by letters, digits, spaces, `-`, `_` or `'`.
func isValidKey(_ key: String) -> Bool {
    if let first = key.utf8.first, isASCIILetter(first), key.utf8.allSatisfy({
        isASCIILetter($0) || isASCIIDigit($0) || $0 == 0x20 || $0 == 0x2D || $0 == 0x5F || $0 == 0x27
    }) {
        return true
    }
    guard let first = key.unicodeScalars.first, first.properties.isAlphabetic else { return false }
    return key.unicodeScalars.allSatisfy {
        $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == " " || $0 == "-" || $0 == "_" || $0 == "'"
    }
}

/// Makes a description safe to store: `\n` line ends, no blank edges, no line that would
/// read as a story heading, and every code fence closed.
func sanitizeDescription(_ text: String) -> String {
    // Fast path: no carriage returns, headings or fences, and no blank first or last line.
    let utf8 = text.utf8
    if !utf8.contains(where: { $0 == 0x0D || $0 == 0x23 || $0 == 0x60 || $0 == 0x7E }),
       let first = utf8.first, let last = utf8.last,
       first != 0x0A, first != 0x20, first != 0x09, last != 0x0A, last != 0x20, last != 0x09 {
        return text
    }
    if text.isEmpty { return text }
    var lines = splitLines(text)
    while let first = lines.first, first.trimmingASCIIWhitespace().isEmpty { lines.removeFirst() }
    while let last = lines.last, last.trimmingASCIIWhitespace().isEmpty { lines.removeLast() }
    var fence = FenceTracker()
    for i in lines.indices {
        let wasInFence = fence.isOpen
        let heading = unsafe Array(lines[i].utf8).withUnsafeBufferPointer { line in
            unsafe fence.feed(line[...])
            return unsafe !wasInFence && !fence.isOpen && isStoryHeading(line[...])
        }
        if heading { lines[i] = "\\" + lines[i] }
    }
    if let closing = fence.closingLine { lines.append(closing) }
    return lines.joined(separator: "\n")
}

/// A byte range in the loaded file, in 8 bytes (files are at most 4 GiB).
struct SourceRange: Sendable, Hashable {
    let lower: UInt32
    let upper: UInt32

    /// The "no range" marker.
    static let none = SourceRange(lower: .max, upper: .max)
    var isNone: Bool { lower == .max }

    private init(lower: UInt32, upper: UInt32) {
        self.lower = lower
        self.upper = upper
    }

    init(_ range: Range<Int>) {
        lower = UInt32(truncatingIfNeeded: range.lowerBound)
        upper = UInt32(truncatingIfNeeded: range.upperBound)
    }

    var range: Range<Int> { Int(lower)..<Int(upper) }
    var isEmpty: Bool { lower == upper }
}

/// The description in a story's body bytes: without the blank lines before it, without the
/// last line break, with `\r\n` read as `\n`.
func decodeDescription(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
    var start = range.lowerBound
    var end = range.upperBound
    // Skip leading blank lines.
    var lineStart = start
    var i = start
    while i < end {
        let b = unsafe bytes[i]
        if b == 0x0A {
            start = i + 1
            lineStart = start
        } else if b != 0x20 && b != 0x09 && b != 0x0D {
            start = lineStart
            break
        }
        i += 1
    }
    if i >= end { return "" }
    // The last line break (LF or CR LF) is not part of the description; a lone CR at the very
    // end of the file is, and is handled with the other stray CRs below.
    if unsafe end > start && bytes[end - 1] == 0x0A {
        end -= 1
        if unsafe end > start && bytes[end - 1] == 0x0D { end -= 1 }
    }
    let text = unsafe String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    // A carriage return that is not part of the file's line ends (a lone CR, or CR CR LF) is a
    // line break in the model, as most editors show it; the text is then made safe to write back.
    return text.utf8.contains(0x0D) || text.utf8.last == 0x0A ? sanitizeDescription(text) : text
}

/// Splits text into lines at LF, CR LF and lone CR, on Unicode scalars (in a `String`,
/// CR LF is one character, so splitting on characters misses CR CR LF).
func splitLines(_ text: String) -> [String] {
    var lines: [String] = []
    var current = String.UnicodeScalarView()
    var previousCR = false
    for scalar in text.unicodeScalars {
        if scalar == "\n" {
            if !previousCR { lines.append(String(current)); current = String.UnicodeScalarView() }
            previousCR = false
        } else if scalar == "\r" {
            lines.append(String(current))
            current = String.UnicodeScalarView()
            previousCR = true
        } else {
            current.append(scalar)
            previousCR = false
        }
    }
    lines.append(String(current))
    return lines
}

/// A custom field key as the user spelled it.
public final class CustomKey: Sendable, Hashable {
    /// The key as written.
    public let raw: String

    /// Boxes a key.
    public init(_ raw: String) {
        self.raw = raw
    }

    public static func == (lhs: CustomKey, rhs: CustomKey) -> Bool { lhs.raw == rhs.raw }
    public func hash(into hasher: inout Hasher) { hasher.combine(raw) }
}

/// A stored number read from its bytes (`13`, `0.5`, `80%`: checked when it was set or
/// loaded; `%` may end it): the one reader of a number already in a story.
@inline(__always)
func parseStoredNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> DecimalNumber? {
    var count = bytes.count
    if unsafe count > 0 && bytes[count - 1] == 0x25 { count -= 1 }
    guard count > 0 else { return nil }
    let digits = unsafe UnsafeBufferPointer(rebasing: bytes[0..<count])
    if let plain = unsafe DecimalNumber.parsePlain(digits) { return plain }
    guard case .success(let number) = unsafe DecimalNumber.parse(String(decoding: digits, as: UTF8.self)[...]) else { return nil }
    return number
}

/// A stored number read from a field's text (see the bytes' reader).
func parseStoredNumber(_ text: String) -> DecimalNumber? {
    var text = text
    return text.withUTF8 { unsafe parseStoredNumber($0) }
}
