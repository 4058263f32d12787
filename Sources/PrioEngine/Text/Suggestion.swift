/// "Did you mean ...?": the closest known word to a mistyped one, by edit distance.
///
/// The one place prio guesses what a user meant; every did-you-mean message goes through
/// `Suggestion.closest(to:among:)`.
public enum Suggestion {
    /// The candidate closest to `word`, or nil when none is close enough to be a typo.
    ///
    /// Words are compared after `FieldKey.normalize` (case, `_` and spaces do not count). A
    /// candidate is close when at most a third of the word's characters (and at least one) must
    /// change; a tie goes to the candidate listed first. A word that equals a candidate has no
    /// suggestion (there is nothing to correct).
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let typed = Array(FieldKey.normalize(word).unicodeScalars)
        guard !typed.isEmpty else { return nil }
        let limit = max(1, typed.count / 3)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(typed, Array(FieldKey.normalize(candidate).unicodeScalars), limit: limit)
            guard distance > 0, distance <= limit else { continue }
            if best.map({ distance < $0.distance }) ?? true { best = (candidate, distance) }
        }
        return best?.candidate
    }

    /// The ID closest to a mistyped one (`S-400` for `S-40`, `S-21` for `S-12`), or nil when none
    /// is close enough to be a typo: by `closest(to:among:)`'s rule on the written IDs; among
    /// equally close ones, the one with the same prefix and the nearest number.
    public static func closestID(to id: StoryID, among ids: [StoryID]) -> StoryID? {
        // IDs are ASCII: compared as lowercase bytes, one buffer for all (100,000 IDs make no string).
        func lowered(_ bytes: inout [UInt8]) {
            for i in bytes.indices where bytes[i] >= UInt8(ascii: "A") && bytes[i] <= UInt8(ascii: "Z") { bytes[i] += 32 }
        }
        var typed: [UInt8] = []
        id.write(to: &typed)
        lowered(&typed)
        let limit = max(1, typed.count / 3)
        var best: (id: StoryID, distance: Int, gap: UInt)?
        var written: [UInt8] = []
        var rows: [Int] = []
        for candidate in ids {
            written.removeAll(keepingCapacity: true)
            candidate.write(to: &written)
            guard abs(written.count - typed.count) <= limit else { continue }
            lowered(&written)
            let distance = editDistance(typed, written, limit: limit, rows: &rows)
            guard distance > 0, distance <= limit else { continue }
            let (difference, overflow) = candidate.number.subtractingReportingOverflow(id.number)
            let gap = candidate.prefix == id.prefix && !overflow ? difference.magnitude : UInt.max
            if best.map({ (distance, gap) < ($0.distance, $0.gap) }) ?? true { best = (candidate, distance, gap) }
        }
        return best?.id
    }

    /// `editDistance(_:_:limit:)` on bytes, with its three rows kept in `rows` from call to call:
    /// `closestID` asks it for every ID of a backlog, and a fresh array per ID was most of
    /// its time. The same answer as the generic one (`SuggestionTests` checks them against each other).
    static func editDistance(_ a: [UInt8], _ b: [UInt8], limit: Int, rows: inout [Int]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        if abs(a.count - b.count) > limit { return limit &+ 1 }
        let width = b.count + 1
        if rows.count < 3 * width { rows = [Int](repeating: 0, count: 3 * width) }
        // Rows two back, last and this, at offsets `before`, `last`, `row` of `rows`.
        var (before, last, row) = (0, width, 2 * width)
        for j in 0...b.count { rows[last + j] = j }
        for i in 1...a.count {
            rows[row] = i
            var smallest = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(rows[last + j] + 1, rows[row + j - 1] + 1, rows[last + j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    value = min(value, rows[before + j - 2] + 1)
                }
                rows[row + j] = value
                smallest = min(smallest, value)
            }
            if smallest > limit { return limit &+ 1 }
            (before, last, row) = (last, row, before)
        }
        return rows[last + b.count]
    }

    /// The number of single-character insertions, deletions, substitutions and swaps of two
    /// neighbours that turn `a` into `b` (the optimal string alignment distance).
    ///
    /// Stops early and returns `limit + 1` once the distance is sure to exceed `limit`.
    public static func editDistance<Element: Equatable>(_ a: [Element], _ b: [Element], limit: Int = .max) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        if abs(a.count - b.count) > limit { return limit &+ 1 }
        // Three rows of the dynamic-programming table: two rows back (for swaps), the last, this.
        var before = [Int](repeating: 0, count: b.count + 1)
        var last = Array(0...b.count)
        var row = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            row[0] = i
            var smallest = row[0]
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(last[j] + 1, row[j - 1] + 1, last[j - 1] + cost)
                if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                    value = min(value, before[j - 2] + 1)
                }
                row[j] = value
                smallest = min(smallest, value)
            }
            if smallest > limit { return limit &+ 1 }
            (before, last, row) = (last, row, before)
        }
        return last[b.count]
    }
}
