/// A field's name: one of prio's canonical keys, or a custom key as the user spelled it.
public enum FieldName: Sendable, Hashable {
    case known(FieldKey)
    case custom(String)

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
        case .custom(let raw): FieldKey.normalize(raw)
        }
    }

    /// True when this name and a normalised key mean the same field.
    func matches(_ other: FieldName) -> Bool {
        switch (self, other) {
        case (.known(let a), .known(let b)): a == b
        case (.custom(let a), .custom(let b)): a == b || FieldKey.normalize(a) == FieldKey.normalize(b)
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
    var source: Range<Int>?

    /// The normalised key (`time-criticality`, `customer`).
    public var key: String { name.key }

    /// The key as prio writes it: the canonical key, or the custom key as the user spelled it.
    public var rawKey: String {
        switch name {
        case .known(let key): key.rawValue
        case .custom(let raw): raw
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
public struct Story: Sendable, Hashable {
    /// The stable ID.
    public internal(set) var id: StoryID
    /// The title from the heading.
    public private(set) var title: String
    /// The field lines in file order.
    public private(set) var fields: [Field]
    /// The description: free Markdown, lines joined with `\n`, no trailing newline.
    public private(set) var description: String
    /// The workflow status (`todo` when absent).
    public private(set) var status: Status = .todo
    /// The MoSCoW category, if set.
    public private(set) var moscow: MoSCoW?
    /// The heading's line number in the loaded file, 0 for a story made in this session.
    public internal(set) var line: Int = 0

    /// The heading line's bytes, while the ID and title are unchanged.
    var headingSource: Range<Int>?
    /// The description lines' bytes (blank lines before it included), while unchanged.
    var bodySource: Range<Int>?
    /// The blank lines after the story, when it was not the last in the file.
    var separatorSource: Range<Int>?

    /// Creates a new story with no fields.
    public init(id: StoryID, title: String) {
        self.id = id
        self.title = title.trimmingASCIIWhitespace()
        self.fields = []
        self.description = ""
    }

    init(id: StoryID, title: String, fields: [Field], description: String, status: Status, moscow: MoSCoW?) {
        self.id = id
        self.title = title
        self.fields = fields
        self.description = description
        self.status = status
        self.moscow = moscow
    }

    // MARK: Reading

    /// The value of a field by any spelling of its key, or nil.
    public func value(of key: String) -> String? {
        let name = FieldName(key)
        return fields.first { $0.name.matches(name) }?.value
    }

    /// The value of a canonical field, or nil.
    public func value(of key: FieldKey) -> String? {
        for field in fields where field.name == .known(key) { return field.value }
        return nil
    }

    /// A numeric field's value, or nil when absent (values were checked when set or loaded).
    public func number(_ key: FieldKey) -> DecimalNumber? {
        guard var text = value(of: key)?[...], !text.isEmpty else { return nil }
        if key == .confidence, text.hasSuffix("%") { text = text.dropLast() }
        guard case .success(let number) = DecimalNumber.parse(text) else { return nil }
        return number
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

    /// True when the story is done.
    public var isDone: Bool { status.isDone }
    /// Story points, if estimated.
    public var points: DecimalNumber? { number(.points) }

    // MARK: Changing

    /// Changes the title.
    public mutating func setTitle(_ newTitle: String) {
        let clean = singleLine(newTitle)
        guard clean != title else { return }
        title = clean
        headingSource = nil
    }

    /// Replaces the description; lines that would start a new story are escaped.
    public mutating func setDescription(_ newDescription: String) {
        let clean = sanitizeDescription(newDescription)
        guard clean != description else { return }
        description = clean
        bodySource = nil
    }

    /// Sets a field by key (any spelling); an empty value removes it. Throws on a bad value.
    ///
    /// An existing field keeps its place; a new one goes in the canonical order.
    public mutating func setField(_ rawKey: String, _ rawValue: String) throws(FieldProblem) {
        let keyText = rawKey.trimmingASCIIWhitespace()
        let canonical = FieldKey.canonical(keyText)
        let key = canonical?.rawValue ?? FieldKey.normalize(keyText)
        guard !key.isEmpty, isValidKey(keyText) else {
            throw FieldProblem("'\(rawKey)' is not a field name (use letters, digits, spaces, - or _)")
        }
        if key == "id" { throw FieldProblem("IDs never change; add a new story instead") }
        if key == "title" {
            setTitle(rawValue)
            return
        }
        if key == "description" {
            setDescription(rawValue)
            return
        }
        let value = singleLine(rawValue).isEmpty ? "" : singleLine(canonical?.canonicalText(rawValue) ?? rawValue)
        if value.isEmpty {
            removeField(key)
            return
        }
        if let canonical {
            var check = StoryValues()
            try check.apply(canonical, value)
            if canonical == .status { status = check.status }
            if canonical == .moscow { moscow = check.moscow }
        }
        let name: FieldName = canonical.map { .known($0) } ?? .custom(keyText)
        let field = Field(name: name, value: value, source: nil)
        if let index = fields.firstIndex(where: { $0.name.matches(name) }) {
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
        if name == .known(.status) { status = .todo }
        if name == .known(.moscow) { moscow = nil }
    }

    /// Forgets every tie to the loaded file, so that the story is written canonically.
    mutating func detachFromSource() {
        headingSource = nil
        bodySource = nil
        separatorSource = nil
        for i in fields.indices { fields[i].source = nil }
    }
}

/// Replaces line breaks and tabs with spaces and trims: titles and field values are one line.
func singleLine(_ text: String) -> String {
    guard text.unicodeScalars.contains(where: { $0 == "\n" || $0 == "\r" || $0 == "\t" }) else {
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
    guard let first = key.unicodeScalars.first, first.properties.isAlphabetic else { return false }
    return key.unicodeScalars.allSatisfy {
        $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == " " || $0 == "-" || $0 == "_" || $0 == "'"
    }
}

/// Makes a description safe to store: `\n` line ends, no blank edges, no line that would
/// read as a story heading, and every code fence closed.
func sanitizeDescription(_ text: String) -> String {
    var lines = text.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
        .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    while let first = lines.first, first.trimmingASCIIWhitespace().isEmpty { lines.removeFirst() }
    while let last = lines.last, last.trimmingASCIIWhitespace().isEmpty { lines.removeLast() }
    var fence = FenceTracker()
    for i in lines.indices {
        let wasInFence = fence.isOpen
        fence.feed(Array(lines[i].utf8)[...])
        if !wasInFence && !fence.isOpen && isStoryHeading(Array(lines[i].utf8)[...]) {
            lines[i] = "\\" + lines[i]
        }
    }
    if let closing = fence.closingLine { lines.append(closing) }
    return lines.joined(separator: "\n")
}
