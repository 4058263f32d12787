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
    var sourceStorage: SourceRange

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

/// Where a loaded story's parts are in its file's bytes: the heading, the title, the field
/// lines (with where their numbers are), the description and the blank lines after it. Each
/// stands while that part is unchanged and is `.none` once it changes (or for a story made in
/// this session): the story then reads that part from what the session set.
struct FileSpans: Sendable {
    /// The heading line.
    var heading = SourceRange.none
    /// The title in the heading.
    var title = SourceRange.none
    /// The field lines, while no field has changed.
    var fieldLines = SourceRange.none
    /// The description lines (blank lines before it included).
    var body = SourceRange.none
    /// The blank lines after the story, when it was not the last in the file.
    var separator = SourceRange.none
    /// The heading's line number (a file holds fewer than 2^32 lines: it is at most 4 GiB).
    var line: UInt32 = 0
    /// Where the numeric values are in `fieldLines` (used while they stand and `sitesBit` is set).
    var numberSites = NumberSites()
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
        guard !file.title.isNone else { return storedTitle }
        guard let sourceText else { return "" }
        return unsafe sourceText.withBytes { unsafe lineText($0, file.title.range) }
    }
    /// Calls `body` with the title's UTF-8 bytes, read in place from the file while the title
    /// stands (a search over 100,000 titles makes no string).
    public func withTitleUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if !file.title.isNone, let sourceText {
            let range = file.title.range
            let inPlace: R? = unsafe sourceText.withBytes { bytes in
                // A stray carriage return reads as a space in the title: that one decodes.
                let title = unsafe UnsafeBufferPointer(rebasing: bytes[range])
                return unsafe title.contains(0x0D) ? nil : body(title)
            }
            if let inPlace { return inPlace }
        }
        var text = title
        return text.withUTF8(body)
    }

    /// The title set in this session; unused while `titleRange` stands.
    var storedTitle: String {
        get { sessionText?.title ?? "" }
        set { editSessionText { $0.title = newValue } }
    }
    /// What was set in this session instead of the file's text (a title, a description); one
    /// reference, since most stories keep the file's.
    var sessionText: SessionText?
    /// Where the story's parts are in `sourceText`, while each stands: the one byte-backed
    /// representation (a story made in this session has none).
    var file = FileSpans()
    /// True when a field of the story holds votes (`value-votes: ...`); beside `file`, in the
    /// bytes its layout leaves over.
    var hasVoteLines = false
    /// The field lines in file order.
    ///
    /// A loaded story reads them from the file's bytes when asked (no string is made while
    /// loading, and ranking reads numbers straight from the bytes); the first change keeps them.
    public internal(set) var fields: [Field] {
        get { file.fieldLines.isNone ? storedFields : decodedFields() }
        set {
            storedFields = newValue
            file.fieldLines = .none
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
    mutating func appendNewField(_ field: Field) {
        if !file.fieldLines.isNone {
            keepFields()
            knownKeys = Story.keyBits(storedFields)
        }
        storedFields.append(field)
        if case .known(let key) = field.name { knownKeys |= 1 << UInt32(key.order) } else { knownKeys |= Story.customBit }
    }

    /// The fields changed or made in this session; unused while `fieldLines` stands.
    var storedFields: [Field] = []
    /// One bit per canonical key among the fields (bit `FieldKey.order`), and `customBit` when
    /// a field is custom, so that asking for a field the story lacks (a pin, votes) looks at no field.
    var knownKeys: UInt32 = 0
    /// The description: free Markdown, lines joined with `\n`, no trailing newline.
    public var description: String {
        if let descriptionOverride { return descriptionOverride }
        guard let sourceText, let body = bodySource else { return "" }
        return unsafe sourceText.withBytes { unsafe decodeDescription($0, body.range) }
    }

    /// A description set in this session (nil while the file's text stands).
    var descriptionOverride: String? {
        get { sessionText?.description }
        set { editSessionText { $0.description = newValue } }
    }

    /// Changes the session's text in place when this story alone holds it (an import sets a
    /// title and a description on 100,000 new stories), else in a copy: stories stay values.
    mutating func editSessionText(_ change: (SessionText) -> Void) {
        if !isKnownUniquelyReferenced(&sessionText) {
            sessionText = SessionText(title: sessionText?.title, description: sessionText?.description)
        }
        if let box = sessionText { change(box) }
    }
    /// The loaded file, shared by all its stories, from which the description is read.
    var sourceText: SourceText?
    /// The workflow status (`todo` when absent).
    public internal(set) var status: Status = .todo
    /// The MoSCoW category, if set.
    public internal(set) var moscow: MoSCoW?
    /// The heading's line number in the loaded file, 0 for a story made in this session.
    public internal(set) var line: Int {
        get { Int(file.line) }
        set { file.line = UInt32(truncatingIfNeeded: newValue) }
    }

    /// What the story's votes come to, per field (set by its backlog, which knows the
    /// stakeholders' weights); nil when it has no votes.
    public internal(set) var tallies: [VoteTally]?

    /// The heading line's bytes, while the ID and title are unchanged.
    var headingSource: SourceRange? {
        get { file.heading.isNone ? nil : file.heading }
        set { file.heading = newValue ?? .none }
    }
    /// The description lines' bytes (blank lines before it included), while unchanged.
    var bodySource: SourceRange? {
        get { file.body.isNone ? nil : file.body }
        set { file.body = newValue ?? .none }
    }
    /// The blank lines after the story, when it was not the last in the file.
    var separatorSource: SourceRange? {
        get { file.separator.isNone ? nil : file.separator }
        set { file.separator = newValue ?? .none }
    }

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
            self.file.numberSites = numberSites
        }
        self.file.title = SourceRange(title)
        self.file.fieldLines = fieldLines.isEmpty ? .none : SourceRange(fieldLines)
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
    func decodedFields() -> [Field] {
        guard let sourceText else { return [] }
        let range = file.fieldLines.range
        return unsafe sourceText.withBytes { bytes in
            var out: [Field] = []
            unsafe forEachFieldLine(bytes, range) { line, key, value in
                unsafe out.append(Field(name: fieldName(bytes, key), value: lineText(bytes, value), source: SourceRange(line)))
                return true
            }
            return out
        }
    }

    /// Turns the file's field lines into stored fields, before a change.
    mutating func keepFields() {
        guard !file.fieldLines.isNone else { return }
        storedFields = decodedFields()
        file.fieldLines = .none
    }

    /// The field lines' bytes in `sourceText`, while no field has changed (the writer copies them).
    var unchangedFieldLines: Range<Int>? {
        file.fieldLines.isNone || sourceText == nil ? nil : file.fieldLines.range
    }

    /// Calls `body` with each canonical field's key and value bytes, in file order, making no
    /// string for a field read from the file; stops when `body` returns false.
    @inline(__always)
    func forEachKnownField(_ body: (FieldKey, UnsafeBufferPointer<UInt8>) -> Bool) {
        guard knownKeys != 0 else { return }
        if !file.fieldLines.isNone, let sourceText {
            unsafe sourceText.withBytes { bytes in
                unsafe forEachFieldLine(bytes, file.fieldLines.range) { _, key, value in
                    guard let known = unsafe knownFieldKey(bytes, key) else { return true }
                    return unsafe body(known, UnsafeBufferPointer(rebasing: bytes[value]))
                }
            }
            return
        }
        for field in storedFields {
            guard case .known(let key) = field.name else { continue }
            var value = field.value
            if !value.withUTF8({ unsafe body(key, $0) }) { return }
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
        guard field.isNumeric else { throw FieldProblem("\(field.rawValue) is not a numeric field; votes are for numbers") }
        guard field != .points else { throw FieldProblem(Vote.pointsAreEstimates) }
        try setVoteLine(field, by: name, value, panel: panel)
    }

    /// Sets or removes one name's score on a field's votes line (stakeholders' votes, or the
    /// team's estimates for points).
    mutating func setVoteLine(_ field: FieldKey, by name: String, _ value: DecimalNumber?,
                              panel: StakeholderPanel?) throws(FieldProblem) {
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
        // `points-votes` are the team's estimates: never what the points come to (Estimates.swift).
        for field in FieldKey.numericKeys where field != .points {
            let votes = self.votes(for: field)
            guard let value = panel.combine(votes) else { continue }
            out.append(VoteTally(field: field, votes: votes, value: value, aggregate: panel.aggregate,
                                 disagreement: panel.disagreement(votes), weights: panel.weights(of: votes)))
        }
        tallies = out.isEmpty ? nil : out
    }
}
