/// A field's name: one of prio's canonical keys, or a custom key as the user spelled it.
public enum FieldName: Sendable, Hashable {
    case known(FieldKey)
    /// A custom key; boxed so that a field takes 32 bytes (backlogs hold millions of fields).
    case customBox(CustomKey)

    /// A custom key as the user spelled it.
    public static func custom(_ raw: String) -> FieldName { .customBox(CustomKey(raw)) }

    /// The name for a key as written (any spelling, aliases included).
    public init(_ raw: some StringProtocol) {
        if let key = FieldKey.canonical(raw) {
            self = .known(key)
        } else {
            self = .custom(raw.trimmingASCIIWhitespace())
        }
    }

    /// The normalised key: the canonical key's name, or the custom key lower-cased with dashes.
    public var key: String {
        switch self {
        case .known(let key): key.rawValue
        case .customBox(let box): FieldKey.normalize(box.raw)
        }
    }

    /// True when this name and a normalised key mean the same field.
    func matches(_ other: FieldName) -> Bool {
        switch (self, other) {
        case (.known(let a), .known(let b)): a == b
        case (.customBox(let a), .customBox(let b)): a.raw == b.raw || FieldKey.normalize(a.raw) == FieldKey.normalize(b.raw)
        default: false
        }
    }
}

/// One `- key: value` line of a story or of the backlog header.
public struct Field: Sendable, Hashable {
    /// What the field is.
    public internal(set) var name: FieldName
    /// The value as written, trimmed.
    public internal(set) var value: String
    /// The line's bytes in the loaded file, while the field is unchanged.
    var source: SourceRange? {
        get { sourceStorage.isNone ? nil : sourceStorage }
        set { sourceStorage = newValue ?? .none }
    }
    private var sourceStorage: SourceRange

    init(name: FieldName, value: String, source: SourceRange?) {
        self.name = name
        self.value = value
        self.sourceStorage = source ?? .none
    }

    /// The normalised key (`time-criticality`, `customer`).
    public var key: String { name.key }

    /// The key as prio writes it: the canonical key, or the custom key as the user spelled it.
    public var rawKey: String {
        switch name {
        case .known(let key): key.rawValue
        case .customBox(let box): box.raw
        }
    }

    /// The canonical key, or nil for a custom field.
    public var canonicalKey: FieldKey? {
        if case .known(let key) = name { key } else { nil }
    }
}

/// A user story: a stable ID, a title, fields and a Markdown description.
///
/// Every change goes through a mutating method, so the story knows which of its lines
/// still match the file and are written back byte for byte.
public struct Story: Sendable, Equatable {
    /// The stable ID.
    public internal(set) var id: StoryID
    /// The title from the heading (read from the file's bytes while unchanged).
    public var title: String {
        guard !titleRange.isNone else { return storedTitle }
        guard let sourceText else { return "" }
        return sourceText.withBytes { lineText($0, titleRange.range) }
    }
    /// Calls `body` with the title's UTF-8 bytes, read in place from the file while the title
    /// stands (a search over 100,000 titles makes no string).
    public func withTitleUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if !titleRange.isNone, let sourceText {
            let range = titleRange.range
            let inPlace: R? = sourceText.withBytes { bytes in
                // A stray carriage return reads as a space in the title: that one decodes.
                let title = UnsafeBufferPointer(rebasing: bytes[range])
                return title.contains(0x0D) ? nil : body(title)
            }
            if let inPlace { return inPlace }
        }
        var text = title
        return text.withUTF8(body)
    }

    /// The title set in this session; unused while `titleRange` stands.
    private var storedTitle: String {
        get { sessionText?.title ?? "" }
        set { editSessionText { $0.title = newValue } }
    }
    /// What was set in this session instead of the file's text (a title, a description); one
    /// reference, since most stories keep the file's.
    private var sessionText: SessionText?
    /// The title's bytes in `sourceText` while unchanged, `.none` otherwise.
    private var titleRange = SourceRange.none
    /// The field lines in file order.
    ///
    /// A loaded story reads them from the file's bytes when asked (no string is made while
    /// loading, and ranking reads numbers straight from the bytes); the first change keeps them.
    public internal(set) var fields: [Field] {
        get { fieldLines.isNone ? storedFields : decodedFields() }
        set {
            storedFields = newValue
            fieldLines = .none
            knownKeys = Story.keyBits(newValue)
        }
        _modify {
            keepFields()
            yield &storedFields
            knownKeys = Story.keyBits(storedFields)
        }
    }
    /// Appends a field the story lacks, updating `knownKeys` by its one bit (not by a pass
    /// over every field, as `fields`' `_modify` does: an import row of 8,000 columns).
    private mutating func appendNewField(_ field: Field) {
        if !fieldLines.isNone {
            keepFields()
            knownKeys = Story.keyBits(storedFields)
        }
        storedFields.append(field)
        if case .known(let key) = field.name { knownKeys |= 1 << UInt32(key.order) } else { knownKeys |= Story.customBit }
    }

    /// The fields changed or made in this session; unused while `fieldLines` stands.
    private var storedFields: [Field] = []
    /// The story's field lines in `sourceText` while no field has changed, `.none` otherwise.
    private var fieldLines: SourceRange = .none
    /// Where the numeric values are in `fieldLines` (used while they stand and `sitesBit` is set).
    private var numberSites = NumberSites()
    /// One bit per canonical key among the fields (bit `FieldKey.order`), and `customBit` when
    /// a field is custom, so that asking for a field the story lacks (a pin, votes) looks at no field.
    private(set) var knownKeys: UInt32 = 0
    /// The description: free Markdown, lines joined with `\n`, no trailing newline.
    public var description: String {
        if let descriptionOverride { return descriptionOverride }
        guard let sourceText, let body = bodySource else { return "" }
        return sourceText.withBytes { decodeDescription($0, body.range) }
    }

    /// A description set in this session (nil while the file's text stands).
    private var descriptionOverride: String? {
        get { sessionText?.description }
        set { editSessionText { $0.description = newValue } }
    }

    /// Changes the session's text in place when this story alone holds it (an import sets a
    /// title and a description on 100,000 new stories), else in a copy: stories stay values.
    private mutating func editSessionText(_ change: (SessionText) -> Void) {
        if !isKnownUniquelyReferenced(&sessionText) {
            sessionText = SessionText(title: sessionText?.title, description: sessionText?.description)
        }
        if let box = sessionText { change(box) }
    }
    /// The loaded file, shared by all its stories, from which the description is read.
    var sourceText: SourceText?
    /// The workflow status (`todo` when absent).
    public private(set) var status: Status = .todo
    /// The MoSCoW category, if set.
    public private(set) var moscow: MoSCoW?
    /// The heading's line number in the loaded file, 0 for a story made in this session.
    public internal(set) var line: Int {
        get { Int(lineStorage) }
        set { lineStorage = UInt32(truncatingIfNeeded: newValue) }
    }
    // A file holds fewer than 2^32 lines (it is at most 4 GiB).
    private var lineStorage: UInt32 = 0

    /// What the story's votes come to, per field (set by its backlog, which knows the
    /// stakeholders' weights); nil when it has no votes.
    public internal(set) var tallies: [VoteTally]?
    /// True when a field of the story holds votes (`value-votes: ...`).
    var hasVoteLines = false

    /// The heading line's bytes, while the ID and title are unchanged.
    var headingSource: SourceRange? {
        get { headingStorage.isNone ? nil : headingStorage }
        set { headingStorage = newValue ?? .none }
    }
    /// The description lines' bytes (blank lines before it included), while unchanged.
    var bodySource: SourceRange? {
        get { bodyStorage.isNone ? nil : bodyStorage }
        set { bodyStorage = newValue ?? .none }
    }
    /// The blank lines after the story, when it was not the last in the file.
    var separatorSource: SourceRange? {
        get { separatorStorage.isNone ? nil : separatorStorage }
        set { separatorStorage = newValue ?? .none }
    }
    // Stored without an optional's extra byte: 100,000 stories are 100,000 times these.
    private var headingStorage = SourceRange.none
    private var bodyStorage = SourceRange.none
    private var separatorStorage = SourceRange.none

    /// Creates a new story with no fields (line breaks in the title become spaces; `setTitle`
    /// refuses them instead).
    public init(id: StoryID, title: String) {
        self.id = id
        let title = singleLine(title)
        self.sessionText = title.isEmpty ? nil : SessionText(title: title, description: nil)
        self.fields = []
    }

    /// A story as the parser read it: its fields stay in the file's bytes (`sourceText`, set
    /// by the parser) until they are asked for.
    init(id: StoryID, title: Range<Int>, fieldLines: Range<Int>, knownKeys: UInt32, numberSites: NumberSites?,
         hasVoteLines: Bool, status: Status, moscow: MoSCoW?) {
        self.id = id
        if let numberSites {
            self.numberSites = numberSites
        }
        self.titleRange = SourceRange(title)
        self.fieldLines = fieldLines.isEmpty ? .none : SourceRange(fieldLines)
        self.knownKeys = knownKeys | (numberSites == nil ? 0 : Story.sitesBit)
        self.hasVoteLines = hasVoteLines
        self.status = status
        self.moscow = moscow
    }

    init(id: StoryID, title: String, fields: [Field], status: Status, moscow: MoSCoW?) {
        self.id = id
        self.sessionText = SessionText(title: title, description: nil)
        self.fields = fields
        self.status = status
        self.moscow = moscow
        self.hasVoteLines = Story.holdsVotes(fields)
        self.knownKeys = Story.keyBits(fields)
    }

    /// The fields read from the file's bytes.
    private func decodedFields() -> [Field] {
        guard let sourceText else { return [] }
        let range = fieldLines.range
        return sourceText.withBytes { bytes in
            var out: [Field] = []
            forEachFieldLine(bytes, range) { line, key, value in
                out.append(Field(name: fieldName(bytes, key), value: lineText(bytes, value), source: SourceRange(line)))
                return true
            }
            return out
        }
    }

    /// Turns the file's field lines into stored fields, before a change.
    private mutating func keepFields() {
        guard !fieldLines.isNone else { return }
        storedFields = decodedFields()
        fieldLines = .none
    }

    /// The field lines' bytes in `sourceText`, while no field has changed (the writer copies them).
    var unchangedFieldLines: Range<Int>? {
        fieldLines.isNone || sourceText == nil ? nil : fieldLines.range
    }

    /// Calls `body` with each canonical field's key and value bytes, in file order, making no
    /// string for a field read from the file; stops when `body` returns false.
    @inline(__always)
    func forEachKnownField(_ body: (FieldKey, UnsafeBufferPointer<UInt8>) -> Bool) {
        guard knownKeys != 0 else { return }
        if !fieldLines.isNone, let sourceText {
            sourceText.withBytes { bytes in
                forEachFieldLine(bytes, fieldLines.range) { _, key, value in
                    guard let known = knownFieldKey(bytes, key) else { return true }
                    return body(known, UnsafeBufferPointer(rebasing: bytes[value]))
                }
            }
            return
        }
        for field in storedFields {
            guard case .known(let key) = field.name else { continue }
            var value = field.value
            if !value.withUTF8({ body(key, $0) }) { return }
        }
    }

    /// The bits of the canonical keys among `fields`, and `customBit` when one is custom.
    static func keyBits(_ fields: [Field]) -> UInt32 {
        var bits: UInt32 = 0
        for field in fields {
            if case .known(let key) = field.name { bits |= 1 << UInt32(key.order) } else { bits |= customBit }
        }
        return bits
    }

    /// The bit of `knownKeys` that says the story has a custom field.
    static let customBit: UInt32 = 1 << 31
    /// The bit of `knownKeys` that says `numberSites` holds where the numeric values are.
    static let sitesBit: UInt32 = 1 << 30

    /// True when some field of the story is a custom one (no field is read to tell).
    var hasCustomFields: Bool { knownKeys & Story.customBit != 0 }

    /// True when some field is a votes line (a custom key ending in `votes`, checked cheaply).
    static func holdsVotes(_ fields: [Field]) -> Bool {
        for field in fields {
            guard case .customBox(let box) = field.name else { continue }
            let bytes = box.raw.utf8
            guard bytes.count > 6 else { continue }
            if Vote.field(ofKey: FieldKey.normalize(box.raw)) != nil { return true }
        }
        return false
    }

    /// The votes written for a field (`value-votes: alice 13, bob 4`); empty when none or malformed.
    public func votes(for field: FieldKey) -> [Vote] {
        guard hasVoteLines, let text = value(of: Vote.key(for: field)),
              case .success(let votes) = Vote.parseList(text, for: field) else { return [] }
        return votes
    }

    /// Sets or removes (`value` nil) one stakeholder's vote for a numeric field; the value is
    /// checked for the field, and the votes with `panel`'s weights must combine (no overflow).
    /// The one rule for `prio vote` and the voting session.
    public mutating func setVote(_ field: FieldKey, by name: String, _ value: DecimalNumber?,
                                 panel: StakeholderPanel? = nil) throws(FieldProblem) {
        guard FieldKey.numeric.contains(field) else { throw FieldProblem("\(field.rawValue) is not a numeric field; votes are for numbers") }
        if let value { try field.check(value.description) }
        var votes = self.votes(for: field)
        if let value {
            if let k = votes.firstIndex(where: { $0.name == name }) { votes[k].value = value } else { votes.append(Vote(name: name, value: value)) }
        } else {
            votes.removeAll { $0.name == name }
        }
        if let panel, panel.overflows(votes) {
            throw FieldProblem("\(field.rawValue) votes times their stakeholders' weights are too large to combine "
                               + "(the exact arithmetic ends near 10^38)")
        }
        try setField(Vote.key(for: field), Vote.text(votes))
    }

    /// Where the stakeholders disagree: `value: bob 4 .. alice 13, more than 2× apart`, per
    /// field; empty when they agree or there are no votes.
    public var disagreements: [String] {
        (tallies ?? []).compactMap { tally in tally.disagreement.map { "\(tally.field.rawValue): \($0)" } }
    }

    /// What the votes for a field come to, when the story has votes for it.
    public func tally(for field: FieldKey) -> VoteTally? {
        guard let tallies else { return nil }
        return tallies.first { $0.field == field }
    }

    /// Recomputes `tallies` with a panel of stakeholders.
    mutating func resolveVotes(_ panel: StakeholderPanel) {
        guard hasVoteLines else {
            tallies = nil
            return
        }
        var out: [VoteTally] = []
        for field in FieldKey.allCases where FieldKey.numeric.contains(field) {
            let votes = self.votes(for: field)
            guard let value = panel.combine(votes) else { continue }
            out.append(VoteTally(field: field, votes: votes, value: value, aggregate: panel.aggregate,
                                 disagreement: panel.disagreement(votes), weights: panel.weights(of: votes)))
        }
        tallies = out.isEmpty ? nil : out
    }

    // MARK: Reading

    /// The value of a field by any spelling of its key, or nil.
    public func value(of key: String) -> String? {
        value(of: FieldName(key))
    }

    /// The value of a field by name, or nil; read from the file's bytes while they stand.
    func value(of name: FieldName) -> String? {
        if case .known(let key) = name { return value(of: key) }
        guard !fieldLines.isNone, let sourceText else {
            return storedFields.first { $0.name.matches(name) }?.value
        }
        return sourceText.withBytes { bytes in
            var found: String?
            forEachFieldLine(bytes, fieldLines.range) { _, key, value in
                guard fieldName(bytes, key).matches(name) else { return true }
                found = lineText(bytes, value)
                return false
            }
            return found
        }
    }

    /// True when the story has a canonical field (no string is made).
    func hasField(_ key: FieldKey) -> Bool {
        knownKeys & (1 << UInt32(key.order)) != 0
    }

    /// The value of a canonical field, or nil.
    public func value(of key: FieldKey) -> String? {
        guard hasField(key) else { return nil }
        if !fieldLines.isNone, let sourceText {
            return sourceText.withBytes { bytes in
                var found: String?
                forEachFieldLine(bytes, fieldLines.range) { _, name, value in
                    guard knownFieldKey(bytes, name) == key else { return true }
                    found = lineText(bytes, value)
                    return false
                }
                return found
            }
        }
        for field in storedFields {
            if case .known(let k) = field.name, k == key { return field.value }
        }
        return nil
    }

    /// Pins the story at `position` (1-based) with an optional reason, or unpins it when
    /// `position` is empty (the reason goes too). The one rule for `prio pin` and `p`.
    public mutating func setPin(_ position: String, reason: String?) throws(FieldProblem) {
        if position.isEmpty {
            try setField(FieldKey.pin.rawValue, "")
            try setField(FieldKey.pinReason.rawValue, "")
            return
        }
        _ = try FieldKey.pin.parsePin(position)
        try setField(FieldKey.pin.rawValue, position)
        if let reason { try setField(FieldKey.pinReason.rawValue, reason.trimmingASCIIWhitespace()) }
    }

    /// The position the story is pinned at in computed rankings (`pin: N`), if any.
    public var pin: Int? {
        guard let text = value(of: .pin) else { return nil }
        return try? FieldKey.pin.parsePin(text.trimmingASCIIWhitespace())
    }

    /// Why the story is pinned (`pin-reason:`), if said.
    public var pinReason: String? {
        guard let text = value(of: .pinReason)?.trimmingASCIIWhitespace(), !text.isEmpty else { return nil }
        return text
    }

    /// The product goal the story serves (`goal:`), if said.
    public var goal: String? {
        guard let text = value(of: .goal)?.trimmingASCIIWhitespace(), !text.isEmpty else { return nil }
        return text
    }

    /// True when the story's goal contains `text`, ignoring case (the rule of `prio rank --goal`).
    public func serves(goal text: String) -> Bool {
        let wanted = text.trimmingASCIIWhitespace().lowercased()
        guard let goal else { return false }
        return wanted.isEmpty || goal.lowercased().contains(wanted)
    }

    /// A numeric field's value, or nil when absent (values were checked when set or loaded).
    public func number(_ key: FieldKey) -> DecimalNumber? {
        // A numeric key goes the way strategies read it (votes included); any other key's text
        // is read as a number.
        if NumberSites.key(order: key.order) != nil { return numbers(NumericKeys(key))[key] }
        return value(of: key).flatMap(parseStoredNumber)
    }

    /// Every numeric field, read in one pass over the fields (what strategies use).
    public var numbers: StoryNumbers { numbers(.all) }

    /// The numeric fields in `wanted`, read in one pass over the fields.
    public func numbers(_ wanted: NumericKeys) -> StoryNumbers {
        var result = StoryNumbers()
        // The wanted keys the story has; the read stops once each is found.
        var remaining = wanted.rawValue & UInt16(truncatingIfNeeded: knownKeys)
        if remaining != 0, knownKeys & Story.sitesBit != 0, !fieldLines.isNone, let sourceText {
            // Small whole numbers the parser kept; the others straight from the bytes, by the
            // places the parser noted (which, in a big file, may have left the cache since).
            var inBytes: UInt16 = 0
            while remaining != 0 {
                let order = remaining.trailingZeroBitCount
                remaining &= remaining - 1
                guard let key = NumberSites.key(order: order) else { continue }
                let site = numberSites[order]
                if let small = NumberSites.smallValue(site) {
                    result[key] = DecimalNumber(small)
                } else if site != 0 {
                    inBytes |= 1 << UInt16(order)
                }
            }
            if inBytes != 0 {
                let lines = fieldLines.range
                sourceText.withBytes { bytes in
                    while inBytes != 0 {
                        let order = inBytes.trailingZeroBitCount
                        inBytes &= inBytes - 1
                        guard let key = NumberSites.key(order: order) else { continue }
                        let start = lines.lowerBound + Int(numberSites[order]) - 1
                        var end = start
                        while end < lines.upperBound && bytes[end] != 0x0A { end += 1 }
                        while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 || bytes[end - 1] == 0x0D) { end -= 1 }
                        result[key] = parseStoredNumber(UnsafeBufferPointer(rebasing: bytes[start..<end]))
                    }
                }
            }
        } else if remaining != 0 {
            forEachKnownField { key, value in
                let bit = NumericKeys(key).rawValue
                guard remaining & bit != 0 else { return true }
                result[key] = parseStoredNumber(value)
                remaining &= ~bit
                return remaining != 0
            }
        }
        if let tallies {
            for tally in tallies where wanted.rawValue & NumericKeys(tally.field).rawValue != 0 { result[tally.field] = tally.value }
        }
        return result
    }

    /// All fields' typed meaning (computed; use `number(_:)` and `status` on hot paths).
    public var values: StoryValues {
        var values = StoryValues()
        for field in fields {
            if let key = field.canonicalKey { try? values.apply(key, field.value) }
        }
        return values
    }

    /// The IDs this story depends on.
    public var dependencies: [StoryID] {
        guard let text = value(of: .depends) else { return [] }
        return splitList(text).compactMap { StoryID($0) }
    }

    /// The story's tags.
    public var tags: [String] {
        value(of: .tags).map(splitList) ?? []
    }

    /// Story points, if estimated.
    public var points: DecimalNumber? { number(.points) }

    // MARK: Changing

    /// Changes the title; refuses an empty one and one with a line break.
    public mutating func setTitle(_ newTitle: String) throws(FieldProblem) {
        let clean = try Story.oneLine(newTitle, what: "a title")
        if clean.isEmpty { throw FieldProblem("a story needs a title") }
        guard clean != title else { return }
        storedTitle = clean
        titleRange = .none
        headingSource = nil
    }

    /// Replaces the description; lines that would start a new story are escaped.
    public mutating func setDescription(_ newDescription: String) {
        let clean = sanitizeDescription(newDescription)
        guard clean != description else { return }
        descriptionOverride = clean
        bodySource = nil
    }

    /// Sets a field by key (any spelling); an empty value removes it. Throws on a bad value.
    ///
    /// An existing field keeps its place; a new one goes in the canonical order.
    public mutating func setField(_ rawKey: String, _ rawValue: String) throws(FieldProblem) {
        try setField(try FieldTarget(rawKey), rawValue)
    }

    /// A field name as the user wrote it, checked and resolved once (an import sets the same
    /// columns on 100,000 stories).
    struct FieldTarget {
        /// The key as written, trimmed.
        let text: String
        let canonical: FieldKey?
        /// The normalised key.
        let key: String

        init(_ rawKey: String) throws(FieldProblem) {
            text = rawKey.trimmingASCIIWhitespace()
            canonical = FieldKey.canonical(text)
            key = canonical?.rawValue ?? FieldKey.normalize(text)
            guard !key.isEmpty, isValidKey(text) else {
                throw FieldProblem("'\(rawKey)' is not a field name (use letters, digits, spaces, - or _)")
            }
        }

        /// The field's name in a story.
        var name: FieldName { canonical.map { .known($0) } ?? .custom(text) }
    }

    /// The value of a field named by a resolved target, or nil.
    func value(of target: FieldTarget) -> String? {
        value(of: target.name)
    }

    /// Sets a field named by a resolved target; the rule of `setField(_:_:)`. `isNew`: the
    /// caller knows the story lacks the field (an import row), so no field is looked up and a
    /// custom one goes last: a row of 8,000 columns stays linear.
    mutating func setField(_ target: FieldTarget, _ rawValue: String, isNew: Bool = false) throws(FieldProblem) {
        let keyText = target.text, canonical = target.canonical, key = target.key
        if key == "id" { throw FieldProblem("IDs never change; add a new story instead") }
        if key == "title" {
            try setTitle(rawValue)
            return
        }
        if key == "description" {
            setDescription(rawValue)
            return
        }
        let checked = try Story.oneLine(rawValue, what: "a value of '\(key)'")
        let value = checked.isEmpty ? "" : singleLine(canonical?.canonicalText(checked) ?? checked)
        if value.isEmpty {
            removeField(key)
            return
        }
        if let canonical {
            try canonical.check(value)
            if canonical == .sprint { try Sprint.checkName(value) }
            if canonical == .status { status = Status(parsing: value) }
            if canonical == .moscow { moscow = try canonical.parseMoSCoW(value) }
        }
        if canonical == nil, let voted = Vote.field(ofKey: key) {
            if case .failure(let problem) = Vote.parseList(value, for: voted) { throw problem }
            hasVoteLines = true
        }
        let name: FieldName = canonical.map { .known($0) } ?? .custom(keyText)
        let field = Field(name: name, value: value, source: nil)
        if isNew && canonical == nil {
            appendNewField(field)
        } else if !isNew, let index = fields.firstIndex(where: { $0.name.matches(name) }) {
            if fields[index].value == value { return }
            fields[index] = field
        } else {
            let order = canonical?.order ?? Int.max
            let index = fields.firstIndex { ($0.canonicalKey?.order ?? Int.max) > order } ?? fields.count
            fields.insert(field, at: index)
        }
    }

    /// Removes a field by key (any spelling); nothing happens when it is absent.
    public mutating func removeField(_ rawKey: String) {
        let name = FieldName(rawKey)
        fields.removeAll { $0.name.matches(name) }
        hasVoteLines = Story.holdsVotes(fields)
        if name == .known(.status) { status = .todo }
        if name == .known(.moscow) { moscow = nil }
    }

    /// Forgets every tie to the loaded file, so that the story is written canonically.
    /// Reads one story block (`## ID Title`, fields, description), as an editor gives it back.
    /// Its `depends` are not resolved here: the caller checks them against the whole backlog
    /// (`Backlog.dependencyProblem(of:)`).
    public static func parseBlock(_ text: String, path: String = "story") throws(BacklogErrors) -> Story {
        let parsed = try BacklogParser.parse(Array(text.utf8), path: path, resolveDependencies: false)
        guard parsed.backlog.stories.count == 1, let story = parsed.backlog.stories.first else {
            let count = parsed.backlog.stories.count
            throw BacklogErrors(errors: [Diagnostic(.error, at: SourceLocation(path: path, line: 1, column: 1),
                                                    "expected exactly one story (one '## ID Title' heading), found \(count)")])
        }
        return story
    }

    /// Two stories are equal when their IDs, titles, fields and descriptions are.
    public static func == (lhs: Story, rhs: Story) -> Bool {
        lhs.id == rhs.id && titlesEqual(lhs, rhs) && lhs.status == rhs.status && lhs.moscow == rhs.moscow
            && fieldsEqual(lhs, rhs) && descriptionsEqual(lhs, rhs)
    }

    /// True when two titles are equal; the same bytes in their files settle it without decoding.
    static func titlesEqual(_ lhs: Story, _ rhs: Story) -> Bool {
        if !lhs.titleRange.isNone, !rhs.titleRange.isNone, let a = lhs.sourceText, let b = rhs.sourceText {
            if lhs.titleRange == rhs.titleRange && a.isSame(as: b) { return true }
            if a.bytesEqual(lhs.titleRange.range, b, rhs.titleRange.range) { return true }
        }
        return lhs.title == rhs.title
    }

    /// True when two stories' fields have the same names and values; the same field lines in
    /// their files settle it without reading either.
    static func fieldsEqual(_ lhs: Story, _ rhs: Story) -> Bool {
        if lhs.knownKeys & ~sitesBit != rhs.knownKeys & ~sitesBit { return false }
        if let x = lhs.unchangedFieldLines, let y = rhs.unchangedFieldLines, let a = lhs.sourceText, let b = rhs.sourceText {
            if x == y && a.isSame(as: b) { return true }
            if a.bytesEqual(x, b, y) { return true }
        }
        let a = lhs.fields, b = rhs.fields
        return a.count == b.count && zip(a, b).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    /// True when two descriptions are equal; the same bytes in their files settle it without
    /// decoding either (merges and histories compare 100,000 stories this way).
    static func descriptionsEqual(_ lhs: Story, _ rhs: Story) -> Bool {
        if lhs.descriptionOverride == nil, rhs.descriptionOverride == nil, let a = lhs.sourceText, let b = rhs.sourceText {
            switch (lhs.bodySource, rhs.bodySource) {
            case (nil, nil): return true
            case let (x?, y?):
                if x == y && a.isSame(as: b) { return true }
                if a.bytesEqual(x.range, b, y.range) { return true }
            default: break
            }
        }
        return lhs.description == rhs.description
    }

    mutating func detachFromSource() {
        if descriptionOverride == nil { descriptionOverride = description }
        storedTitle = title
        titleRange = .none
        headingSource = nil
        bodySource = nil
        separatorSource = nil
        keepFields()
        for i in storedFields.indices { storedFields[i].source = nil }
    }
}

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
            let b = bytes[i]
            if b == 0x0A || b == 0x0D { return true }
            // U+2028 and U+2029 are E2 80 A8/A9; U+0085 is C2 85 (lead bytes: no other scalar has these).
            if b == 0xE2 && i + 2 < n && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9) { return true }
            if b == 0xC2 && i + 1 < n && bytes[i + 1] == 0x85 { return true }
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
        let heading = Array(lines[i].utf8).withUnsafeBufferPointer { line in
            fence.feed(line[...])
            return !wasInFence && !fence.isOpen && isStoryHeading(line[...])
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
        let b = bytes[i]
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
    if end > start && bytes[end - 1] == 0x0A {
        end -= 1
        if end > start && bytes[end - 1] == 0x0D { end -= 1 }
    }
    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
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

/// Parses a stored numeric value (checked when it was set or loaded); `%` may end it.
@inline(__always)
/// A stored number read from its bytes in the file (`13`, `0.5`, `80%`).
func parseStoredNumber(_ bytes: UnsafeBufferPointer<UInt8>) -> DecimalNumber? {
    var count = bytes.count
    if count > 0 && bytes[count - 1] == 0x25 { count -= 1 }
    let digits = UnsafeBufferPointer(rebasing: bytes[0..<count])
    if let plain = DecimalNumber.parsePlain(digits) { return plain }
    return parseStoredNumber(String(decoding: bytes, as: UTF8.self))
}

func parseStoredNumber(_ text: String) -> DecimalNumber? {
    var utf8 = text.utf8[...]
    if utf8.last == 0x25 { utf8 = utf8.dropLast() }
    guard !utf8.isEmpty, case .success(let number) = DecimalNumber.parse(Substring(utf8)) else { return nil }
    return number
}

/// A story's numeric fields, read once.
public struct StoryNumbers: Sendable {
    public var value: DecimalNumber?
    public var timeCriticality: DecimalNumber?
    public var riskReduction: DecimalNumber?
    public var size: DecimalNumber?
    public var effort: DecimalNumber?
    public var points: DecimalNumber?
    public var reach: DecimalNumber?
    public var impact: DecimalNumber?
    public var confidence: DecimalNumber?

    /// No numbers.
    public init() {}

    /// A numeric field by key (nil for keys that are not numeric).
    public subscript(key: FieldKey) -> DecimalNumber? {
        get {
            switch key {
            case .value: value
            case .timeCriticality: timeCriticality
            case .riskReduction: riskReduction
            case .size: size
            case .effort: effort
            case .points: points
            case .reach: reach
            case .impact: impact
            case .confidence: confidence
            default: nil
            }
        }
        set {
            switch key {
            case .value: value = newValue
            case .timeCriticality: timeCriticality = newValue
            case .riskReduction: riskReduction = newValue
            case .size: size = newValue
            case .effort: effort = newValue
            case .points: points = newValue
            case .reach: reach = newValue
            case .impact: impact = newValue
            case .confidence: confidence = newValue
            default: break
            }
        }
    }

    /// A number, or its fallback, and which key gave it.
    public func number(_ key: FieldKey, fallback: FieldKey) -> (DecimalNumber, FieldKey)? {
        if let n = self[key] { return (n, key) }
        if let n = self[fallback] { return (n, fallback) }
        return nil
    }
}

/// A set of numeric field keys, as bits.
public struct NumericKeys: OptionSet, Sendable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// The bit of one key (no bit for keys that are not numeric).
    @inline(__always)
    public init(_ key: FieldKey) {
        rawValue = NumericKeys.bits[key.order]
    }

    private static let bits: [UInt16] = FieldKey.allCases.map {
        FieldKey.numeric.contains($0) ? 1 << UInt16($0.order) : 0
    }

    /// The bits of several keys.
    public init(_ keys: [FieldKey]) {
        rawValue = keys.reduce(0) { $0 | NumericKeys($1).rawValue }
    }

    /// Every numeric key.
    public static let all = NumericKeys(Array(FieldKey.numeric))
}

/// Where each numeric field's value starts in a story's field lines, as the parser found it:
/// the offset from the lines' start plus one (0 when the story lacks the field), so that ranking
/// reads a number without scanning the lines. Nine slots, for the numeric keys (orders 2 to 10).
struct NumberSites: Sendable, Equatable {
    private var slots: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0, 0, 0, 0)

    /// The first and last `FieldKey.order` of the numeric keys.
    static let orders = 2...10

    /// The numeric key of an order, or nil.
    @inline(__always)
    static func key(order: Int) -> FieldKey? {
        switch order {
        case 2: .value
        case 3: .timeCriticality
        case 4: .riskReduction
        case 5: .size
        case 6: .effort
        case 7: .points
        case 8: .reach
        case 9: .impact
        case 10: .confidence
        default: nil
        }
    }

    /// A slot with this bit holds a small whole number itself (in the other 15 bits); one
    /// without holds where the value starts in the story's field lines, plus one (0 when absent).
    static let smallBit: UInt16 = 0x8000

    /// The field lines of a story whose sites are noted are shorter than this.
    static let maximumOffset = 0x7FFE

    /// The slot for a value at `offset` in the field lines, or for the whole number `small`.
    static func slot(offset: Int, small: Int?) -> UInt16 {
        if let small, (0..<Int(smallBit)).contains(small) { return smallBit | UInt16(small) }
        return UInt16(offset + 1)
    }

    /// The whole number a slot holds itself, or nil.
    @inline(__always)
    static func smallValue(_ slot: UInt16) -> Int? {
        slot & smallBit != 0 ? Int(slot & ~smallBit) : nil
    }

    /// The slot of the key with this order (see `smallBit`).
    subscript(order: Int) -> UInt16 {
        get {
            guard NumberSites.orders.contains(order) else { return 0 }
            return withUnsafeBytes(of: slots) { $0.load(fromByteOffset: (order - 2) * 2, as: UInt16.self) }
        }
        set {
            guard NumberSites.orders.contains(order) else { return }
            withUnsafeMutableBytes(of: &slots) { $0.storeBytes(of: newValue, toByteOffset: (order - 2) * 2, as: UInt16.self) }
        }
    }

    static func == (lhs: NumberSites, rhs: NumberSites) -> Bool {
        NumberSites.orders.allSatisfy { lhs[$0] == rhs[$0] }
    }
}

/// A title or description set in a session, shared by copies of the story until one changes it.
///
/// Changed only through `Story.editSessionText`, in place only when one story holds it (so no
/// other story, and no other thread, can see the change); otherwise a copy is made.
final class SessionText: @unchecked Sendable {
    var title: String?
    var description: String?

    init(title: String?, description: String?) {
        self.title = title
        self.description = description
    }
}
