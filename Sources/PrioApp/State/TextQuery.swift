import PrioEngine

/// Where a search text was found in a story; the title is checked first because the
/// list shows it (and highlights the match there).
enum MatchPlace: Sendable, Equatable {
    case title, id, tags, description

    /// What the status line says when the match is not in the title.
    var phrase: String? {
        switch self {
        case .title: nil
        case .id: "match in ID"
        case .tags: "match in tags"
        case .description: "match in description"
        }
    }
}

/// A search or filter text, matched case-insensitively against a story's ID, title, tags
/// and description. The text is lowercased once, not per story; an ASCII text (the usual
/// case) is compared byte by byte without copying the story's text, which keeps a count
/// over 100,000 stories fast.
struct TextQuery: Sendable, Hashable {
    /// The lowercased text.
    let needle: String
    /// Its UTF-8 bytes when it is all ASCII, else nil.
    private let asciiBytes: [UInt8]?

    /// Nil for an empty text.
    init?(_ text: String) {
        let needle = text.lowercased()
        guard !needle.isEmpty else { return nil }
        self.needle = needle
        asciiBytes = needle.utf8.allSatisfy { $0 < 0x80 } ? Array(needle.utf8) : nil
    }

    /// The first place the text occurs in the story, or nil.
    func place(in story: Story) -> MatchPlace? {
        if story.withTitleUTF8({ occurs(inUTF8: $0) }) { return .title }
        if occurs(in: story.id.description) { return .id }
        if story.tags.contains(where: occurs(in:)) { return .tags }
        if occurs(in: story.description) { return .description }
        return nil
    }

    /// True when the text occurs in UTF-8 bytes, ignoring case (without a string for ASCII text).
    func occurs(inUTF8 bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if let asciiBytes { return Self.search(asciiBytes, in: bytes) }
        return occurs(in: String(decoding: bytes, as: UTF8.self))
    }

    /// True when the text occurs in `text`, ignoring case.
    func occurs(in text: String) -> Bool {
        if let asciiBytes, let found = text.utf8.withContiguousStorageIfAvailable({ Self.search(asciiBytes, in: $0) }) {
            return found
        }
        return text.lowercased().contains(needle)
    }

    /// Whether `needle` (lowercase ASCII) occurs in `haystack`, folding ASCII capitals.
    /// Bytes of other characters never equal an ASCII byte, so a match is a whole-character one.
    private static func search(_ needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Bool {
        let m = needle.count
        let n = haystack.count
        guard m <= n else { return false }
        return needle.withUnsafeBufferPointer { needle in
            let first = needle[0]
            var i = 0
            while i <= n - m {
                if fold(haystack[i]) == first {
                    var j = 1
                    while j < m && fold(haystack[i + j]) == needle[j] { j += 1 }
                    if j == m { return true }
                }
                i += 1
            }
            return false
        }
    }

    @inline(__always) private static func fold(_ byte: UInt8) -> UInt8 {
        byte &- 65 < 26 ? byte | 0x20 : byte
    }

    func matches(_ story: Story) -> Bool { place(in: story) != nil }

    /// The display columns of each occurrence in `text` as `ScreenBuffer.put` draws it
    /// (control characters as placeholders, zero-width characters skipped).
    func highlights(in text: String) -> [Range<Int>] {
        let characters = Array(TerminalSafe.sanitize(text))
        var starts: [Int] = []
        starts.reserveCapacity(characters.count + 1)
        var column = 0
        for character in characters {
            starts.append(column)
            column += DisplayWidth.of(character)
        }
        starts.append(column)
        let lowered = characters.map { String($0).lowercased() }
        let length = needle.utf8.count
        var ranges: [Range<Int>] = []
        var i = 0
        while i < characters.count {
            var candidate = ""
            var j = i
            while j < characters.count && candidate.utf8.count < length {
                candidate += lowered[j]
                j += 1
            }
            if candidate == needle && starts[j] > starts[i] {
                ranges.append(starts[i]..<starts[j])
                i = j
            } else {
                i += 1
            }
        }
        return ranges
    }
}

/// The rows matching the current search, found once per query and view (the first `n`
/// counts them; later `n`/`N` only look up the cursor's place among them).
struct SearchMatches: Sendable {
    var query: String
    /// Matching rows, ascending.
    var rows: [Int]

    /// The index of the first match after `row` (forward) or before it (backward), and
    /// whether the search went round the end of the list to find it.
    func next(after row: Int, step: Int) -> (index: Int, wrapped: Bool)? {
        guard !rows.isEmpty else { return nil }
        // The first index whose row is greater than `row` (binary search).
        var low = 0
        var high = rows.count
        while low < high {
            let mid = (low + high) / 2
            if rows[mid] <= row { low = mid + 1 } else { high = mid }
        }
        if step > 0 {
            return low < rows.count ? (low, false) : (0, true)
        }
        // The last index whose row is less than `row`.
        let before = (low > 0 && rows[low - 1] == row) ? low - 2 : low - 1
        return before >= 0 ? (before, false) : (rows.count - 1, true)
    }

    /// The 1-based position of `row` among the matches, if it is one.
    func position(of row: Int) -> Int? {
        var low = 0
        var high = rows.count
        while low < high {
            let mid = (low + high) / 2
            if rows[mid] < row { low = mid + 1 } else { high = mid }
        }
        return low < rows.count && rows[low] == row ? low + 1 : nil
    }
}
