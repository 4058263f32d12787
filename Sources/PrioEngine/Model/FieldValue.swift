/// The typed meaning of a story's fields, kept in step with the text of its field lines.
public struct StoryValues: Sendable, Hashable {
    /// Workflow status; `todo` when the field is absent.
    public var status: Status = .todo
    /// MoSCoW category, if set.
    public var moscow: MoSCoW?
    /// Numeric fields that are set, by key.
    public var numbers: [FieldKey: DecimalNumber] = [:]
    /// Tags, in the order written.
    public var tags: [String] = []
    /// IDs of stories this one depends on.
    public var depends: [StoryID] = []
    /// The sprint the story is planned in.
    public var sprint: String?
    /// The position the story is pinned at in computed rankings.
    public var pin: Int?
    /// Why it is pinned.
    public var pinReason: String?
    /// The product goal the story serves.
    public var goal: String?
    /// The story's epic.
    public var parent: StoryID?

    /// Creates empty values.
    public init() {}

    /// A numeric field, if set.
    public subscript(number key: FieldKey) -> DecimalNumber? { numbers[key] }
}

/// Why a field's value was refused, with the offset (in Unicode scalars) of the bad part in the value.
public struct FieldProblem: Error, Sendable, Equatable {
    /// What is wrong.
    public var message: String
    /// Scalar offset of the problem inside the value text.
    public var offset: Int

    init(_ message: String, offset: Int = 0) {
        self.message = message
        self.offset = offset
    }
}

extension StoryValues {
    /// Interprets one canonical field's text and records it; throws on a bad value.
    mutating func apply(_ key: FieldKey, _ text: String) throws(FieldProblem) {
        let trimmed = text.trimmingASCIIWhitespace()
        switch key {
        case .status: status = Status(parsing: trimmed)
        case .moscow: moscow = try key.parseMoSCoW(trimmed)
        case .tags: tags = splitList(trimmed)
        case .depends: depends = try key.parseDepends(trimmed)
        case .sprint: sprint = trimmed.isEmpty ? nil : trimmed
        case .pin: pin = try key.parsePin(trimmed)
        case .pinReason: pinReason = trimmed.isEmpty ? nil : trimmed
        case .goal: goal = trimmed.isEmpty ? nil : trimmed
        case .parent: parent = try key.parseParent(trimmed)
        default: if key.isNumeric { numbers[key] = try key.parseNumber(trimmed) }
        }
    }
}

extension FieldKey {
    /// Throws when a value is not valid for this key; cheap, for checking whole files.
    public func check(_ text: String) throws(FieldProblem) {
        switch spec.kind {
        case .status, .list, .text: return
        case .position: _ = try parsePin(text.trimmingASCIIWhitespace())
        case .moscow: _ = try parseMoSCoW(text.trimmingASCIIWhitespace())
        case .storyIDs: _ = try parseDepends(text.trimmingASCIIWhitespace())
        case .storyID: _ = try parseParent(text.trimmingASCIIWhitespace())
        case .number, .percent: _ = try parseNumber(text.trimmingASCIIWhitespace())
        }
    }

    func parseMoSCoW(_ trimmed: String) throws(FieldProblem) -> MoSCoW? {
        if trimmed.isEmpty { return nil }
        guard let m = MoSCoW(parsing: trimmed) else {
            throw FieldProblem("unknown MoSCoW value '\(trimmed)' (use must, should, could or wont)")
        }
        return m
    }

    func parseDepends(_ trimmed: String) throws(FieldProblem) -> [StoryID] {
        var ids: [StoryID] = []
        var offset = 0
        for part in trimmed.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingASCIIWhitespace()
            let lead = part.unicodeScalars.prefix(while: { $0 == " " || $0 == "\t" }).count
            if !item.isEmpty {
                guard let id = StoryID(item[...]) else {
                    throw FieldProblem("'\(item)' is not a story ID (like S-12)", offset: offset + lead)
                }
                ids.append(id)
            }
            offset += part.unicodeScalars.count + 1
        }
        return ids
    }

    /// A pin: a position from 1 on.
    func parsePin(_ trimmed: String) throws(FieldProblem) -> Int? {
        if trimmed.isEmpty { return nil }
        guard trimmed.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), trimmed.utf8.count <= 9, let n = Int(trimmed), n >= 1 else {
            throw FieldProblem("pin must be a position like 1 or 3, got '\(trimmed)'")
        }
        return n
    }

    /// A numeric field's value as typed (trimmed; `80%` for a percent): the one checked reader
    /// of a number, with why it is refused; nil for an empty value.
    public func parseNumber(_ trimmed: String) throws(FieldProblem) -> DecimalNumber? {
        if trimmed.isEmpty { return nil }
        var numberText = trimmed[...]
        let percent = spec.kind == .percent
        if percent, numberText.hasSuffix("%") { numberText = numberText.dropLast() }
        switch DecimalNumber.parse(numberText) {
        case .success(let number):
            if percent && (number.isNegative || number.fraction > Fraction(100)) {
                throw FieldProblem("\(rawValue) must be between 0% and 100%, got '\(trimmed)'")
            }
            return number
        case .failure(.tooManyDigits):
            throw FieldProblem("\(rawValue) '\(trimmed)' has too many digits (at most \(DecimalNumber.maxDigits))")
        case .failure(.notANumber):
            throw FieldProblem("\(rawValue) must be a number like 5 or 0.5, got '\(trimmed)'")
        }
    }
}

/// Splits `a, b,c` into trimmed, non-empty items.
func splitList(_ text: String) -> [String] {
    text.split(separator: ",").map { $0.trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
}

extension FieldKey {
    /// The canonical text for a value of this key (`M` becomes `must`), or the text trimmed.
    func canonicalText(_ text: String) -> String {
        let trimmed = text.trimmingASCIIWhitespace()
        switch self {
        case .moscow: return MoSCoW(parsing: trimmed)?.rawValue ?? trimmed
        case .status: return Status(parsing: trimmed).description
        case .tags: return splitList(trimmed).joined(separator: ", ")
        case .depends: return splitList(trimmed).joined(separator: ", ")
        default: return trimmed
        }
    }
}

extension FieldKey {
    /// A parent: one story ID (empty: none).
    func parseParent(_ trimmed: String) throws(FieldProblem) -> StoryID? {
        if trimmed.isEmpty { return nil }
        guard let id = StoryID(trimmed[...]) else { throw FieldProblem("'\(trimmed)' is not a story ID (like S-12)") }
        return id
    }
}
