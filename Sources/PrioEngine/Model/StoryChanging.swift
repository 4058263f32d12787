/// Changing a story: its title, description and fields; equality and parsing one block.
extension Story {
    // MARK: Changing

    /// Changes the title; refuses an empty one and one with a line break.
    public mutating func setTitle(_ newTitle: String) throws(FieldProblem) {
        let clean = try Story.oneLine(newTitle, what: "a title")
        if clean.isEmpty { throw FieldProblem("a story needs a title") }
        guard clean != title else { return }
        storedTitle = clean
        file.title = .none
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
        if !lhs.file.title.isNone, !rhs.file.title.isNone, let a = lhs.sourceText, let b = rhs.sourceText {
            if lhs.file.title == rhs.file.title && a.isSame(as: b) { return true }
            if a.bytesEqual(lhs.file.title.range, b, rhs.file.title.range) { return true }
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
        file.title = .none
        headingSource = nil
        bodySource = nil
        separatorSource = nil
        keepFields()
        for i in storedFields.indices { storedFields[i].source = nil }
    }
}
