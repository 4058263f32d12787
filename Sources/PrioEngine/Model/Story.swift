/// One `- key: value` line of a story or of the backlog header.
public struct Field: Sendable, Hashable {
    /// The key as written (`Story Points`).
    public internal(set) var rawKey: String
    /// The normalised key: a canonical key's name, or the custom key lower-cased with dashes.
    public internal(set) var key: String
    /// The value as written, trimmed.
    public internal(set) var value: String
    /// The line's bytes in the loaded file, while the field is unchanged.
    var source: Range<Int>?

    /// The canonical key, or nil for a custom field.
    public var canonicalKey: FieldKey? { FieldKey(rawValue: key) }
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
    /// The typed meaning of the fields.
    public private(set) var values: StoryValues
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
        self.values = StoryValues()
    }

    init(id: StoryID, title: String, fields: [Field], description: String, values: StoryValues) {
        self.id = id
        self.title = title
        self.fields = fields
        self.description = description
        self.values = values
    }

    // MARK: Reading

    /// The value of a field by any spelling of its key, or nil.
    public func value(of key: String) -> String? {
        let normalized = FieldKey.canonical(key)?.rawValue ?? FieldKey.normalize(key)
        return fields.first { $0.key == normalized }?.value
    }

    /// The value of a canonical field, or nil.
    public func value(of key: FieldKey) -> String? {
        fields.first { $0.key == key.rawValue }?.value
    }

    /// The status.
    public var status: Status { values.status }
    /// True when the story is done.
    public var isDone: Bool { values.status.isDone }
    /// Story points, if estimated.
    public var points: DecimalNumber? { values[number: .points] }

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
        var newValues = values
        if let canonical { try newValues.apply(canonical, value) }
        values = newValues
        let field = Field(rawKey: canonical?.rawValue ?? keyText, key: key, value: value, source: nil)
        if let index = fields.firstIndex(where: { $0.key == key }) {
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
        let canonical = FieldKey.canonical(rawKey)
        let key = canonical?.rawValue ?? FieldKey.normalize(rawKey)
        fields.removeAll { $0.key == key }
        if let canonical { values.clear(canonical) }
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
