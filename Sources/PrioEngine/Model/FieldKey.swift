#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The canonical field keys prio understands; any other key is a kept custom field.
///
/// Adding a field is its case here and its line in `spec` (the compiler asks for it): the
/// lookup by bytes, the field order, the numeric keys, the aliases and the number slots follow.
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

    /// What the field holds, what it means and the other names people give it. (Literals
    /// only: asking a key for its kind costs no more than a switch, as the parser does per line.)
    @inline(__always)
    public var spec: FieldSpec {
        switch self {
        case .status: FieldSpec(.status, "a status of the workflow: todo, ready, in-progress, done, or the header's statuses",
                                aliases: "state")
        case .moscow: FieldSpec(.moscow, "must, should, could or wont",
                                aliases: "priority-moscow, mo-s-co-w, moscow-priority")
        case .value: FieldSpec(.number, "business value (WSJF, value/effort)",
                               aliases: "business-value, bv, user-business-value")
        case .timeCriticality: FieldSpec(.number, "time criticality (WSJF)", aliases: "time-critical, tc")
        case .riskReduction: FieldSpec(.number, "risk reduction / opportunity enablement (WSJF)",
                                       aliases: "rr, rr-oe, rroe, risk-reduction-opportunity-enablement, opportunity-enablement")
        case .size: FieldSpec(.number, "job size (WSJF); falls back to points", aliases: "job-size")
        case .effort: FieldSpec(.number, "effort (value/effort, RICE); falls back to points")
        case .points: FieldSpec(.number, "story points, for sprint capacity",
                                aliases: "story-points, story-point-estimate, estimate, sp")
        case .reach: FieldSpec(.number, "people or events reached per period (RICE)")
        case .impact: FieldSpec(.number, "impact per person: 3, 2, 1, 0.5 or 0.25 (RICE)")
        case .confidence: FieldSpec(.percent, "confidence in percent: 80 or 80% (RICE)")
        case .tags: FieldSpec(.list, "comma-separated tags", aliases: "labels, label, tag")
        case .depends: FieldSpec(.storyIDs, "comma-separated IDs of stories this one needs first",
                                 aliases: "dependencies, depends-on, blocked-by")
        case .sprint: FieldSpec(.text, "the sprint the story is planned in")
        case .pin: FieldSpec(.position, "the position the story holds in every computed ranking: 1, 2, ...")
        case .pinReason: FieldSpec(.text, "why the story is pinned, said in its explanation")
        case .goal: FieldSpec(.text, "the product goal the story serves (free text; prio rank --goal filters by it)")
        case .parent: FieldSpec(.storyID, "the ID of the story's epic (prio epics rolls its children up)")
        }
    }

    /// One line on what the field means.
    public var summary: String { spec.summary }

    /// True for the keys whose values are numbers (a percent included).
    public var isNumeric: Bool { spec.kind == .number || spec.kind == .percent }

    /// The numeric keys in field order; a story's number slots follow it.
    static let numericKeys: [FieldKey] = allCases.filter(\.isNumeric)

    /// Position in the canonical field order (the order of the cases, used when a field is
    /// added to a story, and as the key's bit in a story's key bits).
    ///
    /// A case without a payload is stored as its index in declaration order (the Swift ABI's
    /// layout of such enums), so the order is read, not looked up; a test holds it to
    /// `allCases`' order.
    @inline(__always)
    public var order: Int {
        Int(unsafe unsafeBitCast(self, to: UInt8.self))
    }

    /// The slot of a numeric key among `numericKeys` (by `order`); -1 for the other keys.
    static let numericSlots: [Int] = allCases.map { numericKeys.firstIndex(of: $0) ?? -1 }

    /// The key of each order.
    static let byOrder: [FieldKey] = allCases

    /// What the byte lookup reads, in one value (one first-use check per lookup): each key's
    /// name as bytes, and the keys of each name length and first byte, as bits of their orders
    /// (the one or two candidates a field line's key is compared with).
    private struct ByteTable {
        let names: [[UInt8]] = FieldKey.allCases.map { Array($0.rawValue.utf8) }
        let keys: [FieldKey] = FieldKey.allCases
        let candidates: [UInt32]

        init() {
            var table = [UInt32](repeating: 0, count: 32 * 32)
            for key in FieldKey.allCases {
                let name = Array(key.rawValue.utf8)
                table[name.count * 32 + Int(name[0] & 31)] |= 1 << UInt32(key.order)
            }
            candidates = table
        }
    }

    private static let byteTable = ByteTable()

    /// The key for exact lower-case bytes, without building a string; nil when none matches.
    ///
    /// Picks the candidates by length and first byte (it runs for every field line of a file),
    /// then compares their bytes.
    @inline(__always)
    static func lookup(_ bytes: UnsafeBufferPointer<UInt8>) -> FieldKey? {
        guard let base = bytes.baseAddress, bytes.count >= 3, bytes.count < 32 else { return nil }
        let table = byteTable
        var bits = unsafe table.candidates[bytes.count * 32 + Int(base[0] & 31)]
        while bits != 0 {
            let order = bits.trailingZeroBitCount
            bits &= bits - 1
            if unsafe table.names[order].elementsEqual(bytes) { return table.keys[order] }
        }
        return nil
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
    static let aliases: [String: FieldKey] = Dictionary(
        allCases.flatMap { key in key.spec.aliasList.map { ($0, key) } }, uniquingKeysWith: { first, _ in first })

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

