/// A sprint declared in the backlog's header:
/// `- sprint: Sprint 14 | capacity 20 | 2026-11-02 .. 2026-11-13`.
public struct Sprint: Sendable, Hashable {
    /// The name stories use in their `sprint` field.
    public var name: String
    /// Capacity in story points, if set.
    public var capacity: DecimalNumber?
    /// First day, `YYYY-MM-DD`, if set.
    public var start: String?
    /// Last day, `YYYY-MM-DD`, if set.
    public var end: String?

    /// Creates a sprint.
    public init(name: String, capacity: DecimalNumber? = nil, start: String? = nil, end: String? = nil) {
        self.name = name
        self.capacity = capacity
        self.start = start
        self.end = end
    }

    /// Checks a sprint name before it is written: one line, not empty, and no `|` (which separates
    /// the parts of a `- sprint:` line in the header).
    public static func checkName(_ name: String) throws(FieldProblem) {
        let clean = try Story.oneLine(name, what: "a sprint name")
        if clean.isEmpty { throw FieldProblem("a sprint needs a name") }
        if clean.contains("|") {
            throw FieldProblem("a sprint name cannot hold '|' (it separates the parts of a sprint line): '\(clean)'")
        }
    }

    /// Parses the value of a `sprint` setting; the message says what is wrong.
    public static func parse(_ text: String) -> Result<Sprint, FieldProblem> {
        let parts = text.split(separator: "|", omittingEmptySubsequences: false).map { $0.trimmingASCIIWhitespace() }
        guard let name = parts.first, !name.isEmpty else {
            return .failure(FieldProblem("a sprint needs a name: '- sprint: Sprint 1 | capacity 20 | 2026-11-02 .. 2026-11-13'"))
        }
        var sprint = Sprint(name: name)
        for part in parts.dropFirst() where !part.isEmpty {
            let lower = part.lowercased()
            if lower.hasPrefix("capacity") || lower.hasSuffix("pts") || lower.hasSuffix("points") {
                var number = lower
                for word in ["capacity", "points", "pts", ":"] where containsBytes(number, word) {
                    number = number.replacing(word, with: "")
                }
                number = number.trimmingASCIIWhitespace()
                guard case .success(let value) = DecimalNumber.parse(number[...]), !value.isNegative else {
                    return .failure(FieldProblem("sprint capacity must be a number of points, got '\(part)'"))
                }
                sprint.capacity = value
            } else if let (start, end) = dateRange(part) {
                sprint.start = start
                sprint.end = end
            } else {
                return .failure(FieldProblem("'\(part)' is neither 'capacity N' nor a date range like 2026-11-02 .. 2026-11-13"))
            }
        }
        return .success(sprint)
    }

    /// `2026-11-02 .. 2026-11-13` (also `to` or an en dash) as two dates.
    static func dateRange(_ text: String) -> (String, String)? {
        var normalized = text
        for separator in ["..", "–", " to "] where containsBytes(normalized, separator) {
            normalized = normalized.replacing(separator, with: " ")
        }
        let parts = normalized.split(separator: " ").map(String.init)
        guard parts.count == 2, parts.allSatisfy(isDate), parts[0] <= parts[1] else { return nil }
        return (parts[0], parts[1])
    }

    /// True for a real date written `YYYY-MM-DD` (`2026-02-30` is not one).
    static func isDate(_ text: String) -> Bool {
        let pieces = text.split(separator: "-")
        guard pieces.count == 3, pieces[0].count == 4, pieces[1].count == 2, pieces[2].count == 2,
              let month = Int(pieces[1]), let day = Int(pieces[2]), let year = Int(pieces[0])
        else { return false }
        return isRealDate(year: year, month: month, day: day)
    }

    /// True when the day exists in the (proleptic Gregorian) calendar.
    static func isRealDate(year: Int, month: Int, day: Int) -> Bool {
        guard (1...12).contains(month), day >= 1 else { return false }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        return day <= days
    }
}

/// True when `needle`'s bytes occur in `text`. Text that contains `needle` as characters
/// contains its bytes, so this skips `replacing` (slow: 10,000 declared sprints are parsed
/// several times per command) exactly when it would change nothing.
func containsBytes(_ text: String, _ needle: String) -> Bool {
    let haystack = Array(text.utf8), pattern = Array(needle.utf8)
    guard !pattern.isEmpty else { return true }
    guard haystack.count >= pattern.count else { return false }
    for start in 0...(haystack.count - pattern.count) where haystack[start] == pattern[0] {
        if haystack[start..<(start + pattern.count)].elementsEqual(pattern) { return true }
    }
    return false
}

extension BacklogHeader {
    /// The sprints declared in the header, in order (lines that do not parse are left out;
    /// the parser reports them).
    public var sprints: [Sprint] {
        settings.filter { $0.key == "sprint" }.compactMap { try? Sprint.parse($0.value).get() }
    }
}
