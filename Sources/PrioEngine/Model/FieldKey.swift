#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The canonical field keys prio understands; any other key is a kept custom field.
public enum FieldKey: String, Sendable, CaseIterable, Hashable {
    case status
    case moscow
    case value
    case timeCriticality = "time-criticality"
    case riskReduction = "risk-reduction"
    case size
    case effort
    case points
    case reach
    case impact
    case confidence
    case tags
    case depends
    case sprint
    /// The position the story holds in every computed ranking.
    case pin
    /// Why it is pinned.
    case pinReason = "pin-reason"
    /// The product goal the story serves (free text).
    case goal
    /// The story's epic: the ID of another story.
    case parent

    /// The keys whose values are numbers.
    public static let numeric: Set<FieldKey> = [
        .value, .timeCriticality, .riskReduction, .size, .effort, .points, .reach, .impact, .confidence,
    ]

    /// The key for exact lower-case bytes, without building a string; nil when none matches.
    ///
    /// Picks the one candidate by length and first byte (no table, no allocation: it runs for
    /// every field line of a file), then compares the bytes with the key's raw value.
    @inline(__always)
    static func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> FieldKey? {
        guard let base = bytes.baseAddress, bytes.count >= 3 else { return nil }
        let candidate: FieldKey
        switch unsafe (bytes.count, base[0]) {
        case (3, 0x70): candidate = .pin
        case (4, 0x73): candidate = .size
        case (4, 0x74): candidate = .tags
        case (4, 0x67): candidate = .goal
        case (5, 0x76): candidate = .value
        case (5, 0x72): candidate = .reach
        case (6, 0x73): candidate = unsafe base[1] == 0x74 ? .status : .sprint
        case (6, 0x6D): candidate = .moscow
        case (6, 0x65): candidate = .effort
        case (6, 0x70): candidate = unsafe base[1] == 0x61 ? .parent : .points
        case (6, 0x69): candidate = .impact
        case (7, 0x64): candidate = .depends
        case (10, 0x70): candidate = .pinReason
        case (10, 0x63): candidate = .confidence
        case (14, 0x72): candidate = .riskReduction
        case (16, 0x74): candidate = .timeCriticality
        default: return nil
        }
        // The first byte and the length already match.
        let name = candidate.staticName
        guard name.utf8CodeUnitCount == bytes.count else { return nil }
        let expected = unsafe name.utf8Start
        for i in 1..<bytes.count where unsafe base[i] != expected[i] { return nil }
        return candidate
    }

    /// The raw value as a literal in the binary (compared with bytes without making a string).
    var staticName: StaticString {
        switch self {
        case .status: "status"
        case .moscow: "moscow"
        case .value: "value"
        case .timeCriticality: "time-criticality"
        case .riskReduction: "risk-reduction"
        case .size: "size"
        case .effort: "effort"
        case .points: "points"
        case .reach: "reach"
        case .impact: "impact"
        case .confidence: "confidence"
        case .tags: "tags"
        case .depends: "depends"
        case .sprint: "sprint"
        case .pin: "pin"
        case .pinReason: "pin-reason"
        case .goal: "goal"
        case .parent: "parent"
        }
    }

    /// Position in the canonical field order (used when a field is added to a story).
    public var order: Int {
        switch self {
        case .status: 0
        case .moscow: 1
        case .value: 2
        case .timeCriticality: 3
        case .riskReduction: 4
        case .size: 5
        case .effort: 6
        case .points: 7
        case .reach: 8
        case .impact: 9
        case .confidence: 10
        case .tags: 11
        case .depends: 12
        case .sprint: 13
        case .pin: 14
        case .pinReason: 15
        case .goal: 16
        case .parent: 17
        }
    }

    /// One line on what the field means.
    public var summary: String {
        switch self {
        case .status: "a status of the workflow: todo, ready, in-progress, done, or the header's statuses"
        case .moscow: "must, should, could or wont"
        case .value: "business value (WSJF, value/effort)"
        case .timeCriticality: "time criticality (WSJF)"
        case .riskReduction: "risk reduction / opportunity enablement (WSJF)"
        case .size: "job size (WSJF); falls back to points"
        case .effort: "effort (value/effort, RICE); falls back to points"
        case .points: "story points, for sprint capacity"
        case .reach: "people or events reached per period (RICE)"
        case .impact: "impact per person: 3, 2, 1, 0.5 or 0.25 (RICE)"
        case .confidence: "confidence in percent: 80 or 80% (RICE)"
        case .tags: "comma-separated tags"
        case .depends: "comma-separated IDs of stories this one needs first"
        case .sprint: "the sprint the story is planned in"
        case .pin: "the position the story holds in every computed ranking: 1, 2, ..."
        case .pinReason: "why the story is pinned, said in its explanation"
        case .goal: "the product goal the story serves (free text; prio rank --goal filters by it)"
        case .parent: "the ID of the story's epic (prio epics rolls its children up)"
        }
    }

    /// Normalises a key as written by a user: lower case, `_` and spaces become `-`.
    public static func normalize(_ raw: some StringProtocol) -> String {
        // Fast path: already lower-case ASCII letters, digits and single inner dashes.
        var simple = !raw.isEmpty
        var previousDash = true
        for b in raw.utf8 {
            let isDash = b == 0x2D
            if !((b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || isDash) || (isDash && previousDash) {
                simple = false
                break
            }
            previousDash = isDash
        }
        if simple && !previousDash { return String(raw) }
        var scalars = String.UnicodeScalarView()
        var lastWasDash = false
        for scalar in raw.lowercased().unicodeScalars {
            if scalar == "_" || scalar == " " || scalar == "-" || scalar == "\t" {
                if !lastWasDash && !scalars.isEmpty { scalars.append("-") }
                lastWasDash = true
            } else {
                scalars.append(scalar)
                lastWasDash = false
            }
        }
        var out = String(scalars)
        while out.hasSuffix("-") { out.removeLast() }
        return out
    }

    /// Other names people use for canonical keys (normalised), as in Jira or spreadsheet exports.
    static let aliases: [String: FieldKey] = [
        "business-value": .value, "bv": .value, "user-business-value": .value,
        "time-criticality": .timeCriticality, "time-critical": .timeCriticality, "tc": .timeCriticality,
        "risk-reduction": .riskReduction, "rr": .riskReduction, "rr-oe": .riskReduction, "rroe": .riskReduction,
        "risk-reduction-opportunity-enablement": .riskReduction, "opportunity-enablement": .riskReduction,
        "job-size": .size, "story-points": .points, "story-point-estimate": .points, "estimate": .points,
        "sp": .points, "priority-moscow": .moscow, "mo-s-co-w": .moscow, "moscow-priority": .moscow,
        "labels": .tags, "label": .tags, "tag": .tags, "dependencies": .depends, "depends-on": .depends,
        "blocked-by": .depends, "state": .status,
    ]

    /// The canonical key for a key as written, or nil for a custom field.
    public static func canonical(_ raw: some StringProtocol) -> FieldKey? {
        let normalized = normalize(raw)
        return FieldKey(rawValue: normalized) ?? aliases[normalized]
    }
}

/// MoSCoW categories: must, should, could, won't have.
public enum MoSCoW: String, Sendable, CaseIterable, Comparable {
    case must, should, could, wont

    /// Higher is more important: must 4 ... wont 1.
    public var weight: Int {
        switch self {
        case .must: 4
        case .should: 3
        case .could: 2
        case .wont: 1
        }
    }

    /// "Must have" ... "Won't have".
    public var label: String {
        switch self {
        case .must: "Must have"
        case .should: "Should have"
        case .could: "Could have"
        case .wont: "Won't have"
        }
    }

    /// Parses must, should, could, wont, won't, M/S/C/W and "must have" ... "won't have", in any case.
    public init?(parsing text: some StringProtocol) {
        switch text {
        case "must": self = .must; return
        case "should": self = .should; return
        case "could": self = .could; return
        case "wont": self = .wont; return
        default: break
        }
        var t = text.lowercased().trimmingASCIIWhitespace()
        t = t.replacing("\u{2019}", with: "'")
        if t.hasSuffix(" have") { t = String(t.dropLast(5)).trimmingASCIIWhitespace() }
        switch t {
        case "must", "m": self = .must
        case "should", "s": self = .should
        case "could", "c": self = .could
        case "wont", "won't", "w", "will not", "won’t": self = .wont
        default: return nil
        }
    }

    public static func < (lhs: MoSCoW, rhs: MoSCoW) -> Bool { lhs.weight < rhs.weight }
}

/// A story's status value: one of the four standard ones, or any other value as written.
///
/// Whether a status is known, and whether it means done, depends on the backlog's `Workflow`.
public enum Status: Sendable, Hashable, CustomStringConvertible {
    case todo, ready, inProgress, done
    case other(String)

    /// Parses a status in any case; `in progress`, `in_progress` and `doing` mean in-progress.
    public init(parsing text: some StringProtocol) {
        switch text {
        case "todo": self = .todo; return
        case "ready": self = .ready; return
        case "in-progress": self = .inProgress; return
        case "done": self = .done; return
        default: break
        }
        switch FieldKey.normalize(text) {
        case "todo", "to-do", "": self = .todo
        case "ready": self = .ready
        case "in-progress", "doing", "inprogress", "wip": self = .inProgress
        case "done", "closed", "resolved": self = .done
        default: self = .other(text.trimmingASCIIWhitespace())
        }
    }

    /// The canonical text.
    public var description: String {
        switch self {
        case .todo: "todo"
        case .ready: "ready"
        case .inProgress: "in-progress"
        case .done: "done"
        case .other(let text): text
        }
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    public func trimmingASCIIWhitespace() -> String { trimmedScalars() }

    /// The text without leading and trailing spaces and tabs, found scalar by scalar.
    fileprivate func trimmedScalars() -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        guard let end = scalars.lastIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        return String(String.UnicodeScalarView(scalars[start...end]))
    }
}

extension StringProtocol where UTF8View: BidirectionalCollection {
    /// The text without leading and trailing spaces and tabs; the text itself, at once, when
    /// its first and last bytes are neither (a space or a tab is one byte, and no byte of a
    /// longer scalar is either), as almost every value is.
    public func trimmingASCIIWhitespace() -> String {
        if let first = utf8.first, let last = utf8.last, first != 0x20, first != 0x09, last != 0x20, last != 0x09 {
            return String(self)
        }
        return trimmedScalars()
    }
}

