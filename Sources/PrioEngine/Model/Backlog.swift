/// The header block above the first story: the backlog's name, its settings and free text.
public struct BacklogHeader: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        case name
        case setting(String)
        case text
    }

    struct Line: Sendable, Hashable {
        var kind: Kind
        /// The line's text without its line ending, for lines made or changed in this session.
        var text: String?
        /// The line's bytes in the loaded file, while unchanged.
        var source: Range<Int>?
    }

    var lines: [Line] = []
    /// The backlog's name, from the `# Name` heading.
    public internal(set) var name: String?
    /// Settings (`- key: value` lines) in file order, keys normalised.
    public internal(set) var settings: [Field] = []
    /// Blank lines between the header and the first story.
    var separatorSource: Range<Int>?

    /// Creates an empty header.
    public init() {}

    /// A setting's value, or nil.
    public func setting(_ key: String) -> String? {
        let normalized = FieldKey.normalize(key)
        return settings.first { $0.key == normalized }?.value
    }

    /// The default strategy's name, if set.
    public var strategy: String? { setting("strategy") }

    /// The product vision (`- vision:`), if said.
    public var vision: String? { nonEmptySetting("vision") }

    /// The product goal (`- goal:`), if said.
    public var goal: String? { nonEmptySetting("goal") }

    /// A setting's trimmed value, nil when absent or blank.
    func nonEmptySetting(_ key: String) -> String? {
        guard let text = setting(key)?.trimmingASCIIWhitespace(), !text.isEmpty else { return nil }
        return text
    }

    /// The vision and goal lines shown above rankings and plans (`Vision: ...`), empty when neither is said.
    public var goalLines: [String] {
        [vision.map { "Vision: " + $0 }, goal.map { "Goal: " + $0 }].compactMap { $0 }
    }

    /// Sets the name, rewriting the `# ` line or adding one at the top.
    public mutating func setName(_ newName: String) throws(FieldProblem) {
        let clean = try Story.oneLine(newName, what: "the backlog's name")
        name = clean
        if let index = lines.firstIndex(where: { $0.kind == .name }) {
            lines[index] = Line(kind: .name, text: "# \(clean)", source: nil)
        } else {
            lines.insert(Line(kind: .name, text: "# \(clean)"), at: 0)
            if lines.count > 1 && lines[1].text != "" { lines.insert(Line(kind: .text, text: ""), at: 1) }
        }
    }

    /// A sprint's `- sprint:` value: `Sprint 4 | capacity 20 | 2026-11-16 .. 2026-11-27`.
    static func sprintText(_ sprint: Sprint) -> String {
        var text = singleLine(sprint.name)
        if let capacity = sprint.capacity { text += " | capacity \(capacity)" }
        if let start = sprint.start, let end = sprint.end { text += " | \(start) .. \(end)" }
        if let committed = sprint.committed { text += " | committed \(committed)" }
        if let done = sprint.done { text += " | done \(done)" }
        if let closed = sprint.closed { text += " | closed \(closed)" }
        return text
    }

    /// Sets a declared sprint's capacity, rewriting only its line; false when it is not declared.
    @discardableResult
    public mutating func setSprintCapacity(_ name: String, _ capacity: DecimalNumber) -> Bool {
        updateSprint(name) { $0.capacity = capacity }
    }

    /// Changes a declared sprint (its capacity, its recorded figures), rewriting only its line;
    /// false when it is not declared.
    @discardableResult
    public mutating func updateSprint(_ name: String, _ change: (inout Sprint) -> Void) -> Bool {
        var ordinal = 0
        for i in settings.indices where settings[i].key == "sprint" {
            defer { ordinal += 1 }
            guard case .success(var sprint) = Sprint.parse(settings[i].value), sprint.name == name else { continue }
            let before = sprint
            change(&sprint)
            if sprint == before { return true }
            let text = BacklogHeader.sprintText(sprint)
            settings[i].value = text
            var seen = 0
            for j in lines.indices where lines[j].kind == .setting("sprint") {
                if seen == ordinal {
                    lines[j] = Line(kind: .setting("sprint"), text: "- sprint: \(text)", source: nil)
                    break
                }
                seen += 1
            }
            return true
        }
        return false
    }

    /// Adds a `- sprint:` line after the other settings (sprints may have several lines).
    public mutating func addSprint(_ sprint: Sprint) throws(FieldProblem) {
        try Sprint.checkName(sprint.name)
        let text = BacklogHeader.sprintText(sprint)
        settings.append(Field(name: .custom("sprint"), value: text, source: nil))
        let line = Line(kind: .setting("sprint"), text: "- sprint: \(text)")
        if let last = lines.lastIndex(where: { if case .setting = $0.kind { true } else { false } }) {
            lines.insert(line, at: last + 1)
        } else {
            lines.append(line)
        }
    }

    /// Sets a setting, rewriting its line or adding one after the others; an empty value removes it.
    public mutating func setSetting(_ key: String, _ value: String) throws(FieldProblem) {
        let normalized = FieldKey.normalize(key)
        let clean = try Story.oneLine(value, what: "the setting '\(normalized)'")
        let text = "- \(normalized): \(clean)"
        if clean.isEmpty {
            lines.removeAll { $0.kind == .setting(normalized) }
            settings.removeAll { $0.key == normalized }
            return
        }
        if let index = settings.firstIndex(where: { $0.key == normalized }) {
            settings[index].value = clean
        } else {
            settings.append(Field(name: .custom(normalized), value: clean, source: nil))
        }
        if let index = lines.firstIndex(where: { $0.kind == .setting(normalized) }) {
            lines[index] = Line(kind: .setting(normalized), text: text)
        } else if let last = lines.lastIndex(where: { if case .setting = $0.kind { true } else { false } }) {
            lines.insert(Line(kind: .setting(normalized), text: text), at: last + 1)
        } else if let nameIndex = lines.firstIndex(where: { $0.kind == .name }) {
            // After the name and one blank line.
            if nameIndex + 1 < lines.count, lines[nameIndex + 1].kind == .text, lines[nameIndex + 1].text == "" {
                lines.insert(Line(kind: .setting(normalized), text: text), at: nameIndex + 2)
            } else {
                lines.insert(contentsOf: [Line(kind: .text, text: ""), Line(kind: .setting(normalized), text: text)],
                             at: nameIndex + 1)
            }
        } else {
            lines.insert(Line(kind: .setting(normalized), text: text), at: 0)
        }
    }
}

/// A backlog: the header and the stories in their manual order, tied to the file it came from.
public struct Backlog: Sendable {
    /// Name, settings and free text above the first story.
    public var header: BacklogHeader {
        didSet {
            // The stakeholders' weights and the aggregate decide what every story's votes mean.
            let panel = StakeholderPanel(header: header)
            if panel != self.panel {
                self.panel = panel
                resolveAllVotes()
            }
        }
    }
    /// The stories; their order is the manual backlog order.
    public internal(set) var stories: [Story]
    /// The header's stakeholders, kept in step with it.
    public private(set) var panel: StakeholderPanel

    /// The bytes of the loaded file; unchanged parts are written back from here.
    let source: SourceText
    /// Blank lines at the very end of the file.
    var trailerSource: Range<Int>?
    /// `\n` or `\r\n`, as the file uses.
    public internal(set) var lineEnding: [UInt8] = [0x0A]
    /// True when the file starts with a UTF-8 byte order mark.
    var hasBOM = false
    /// True when the file ends its lines with CR alone (read as LF, written back as CR).
    var crLineEndings = false

    /// Creates an empty backlog with a name, ready to be written (line breaks in the values become spaces).
    public init(name: String, strategy: String? = nil, prefix: String = "S") {
        header = BacklogHeader()
        try? header.setName(singleLine(name))
        if let strategy { try? header.setSetting("strategy", singleLine(strategy)) }
        try? header.setSetting("prefix", singleLine(prefix))
        stories = []
        source = SourceText.empty
        panel = StakeholderPanel(header: header)
    }

    /// A backlog of parsed stories; `votes` false says that none has a votes line (the parser
    /// knows, and a big backlog then skips a pass over its stories).
    init(header: BacklogHeader, stories: [Story], source: SourceText, votes: Bool = true) {
        self.header = header
        self.stories = stories
        self.source = source
        panel = StakeholderPanel(header: header)
        if votes { resolveAllVotes() }
    }

    /// Recomputes what every story's votes come to (only stories with votes lines are touched).
    mutating func resolveAllVotes() {
        // Look first, without asking for a mutable array: most backlogs have no votes.
        guard let first = stories.firstIndex(where: { $0.hasVoteLines || $0.tallies != nil }) else { return }
        for i in first..<stories.count where stories[i].hasVoteLines || stories[i].tallies != nil {
            stories[i].resolveVotes(panel)
        }
    }

    /// Recomputes what one story's votes come to.
    mutating func resolveVotes(at index: Int) {
        guard stories.indices.contains(index), stories[index].hasVoteLines || stories[index].tallies != nil else { return }
        stories[index].resolveVotes(panel)
    }

    // MARK: Finding

    /// The stories' IDs in manual order (read in place: no story is copied to be asked).
    public var storyIDs: [StoryID] {
        unsafe stories.withUnsafeBufferPointer { stories in
            unsafe [StoryID](unsafeUninitializedCapacity: stories.count) { ids, count in
                count = 0
                guard let base = ids.baseAddress else { return }
                for i in stories.indices { unsafe (base + i).initialize(to: stories[i].id) }
                count = stories.count
            }
        }
    }

    /// The index of a story by ID, or nil.
    public func index(of id: StoryID) -> Int? {
        // Numbers first (a string comparison only on a match), on the buffer: no story is copied.
        let number = id.number
        return unsafe stories.withUnsafeBufferPointer { stories in
            for i in stories.indices where unsafe stories[i].id.number == number && stories[i].id.prefix == id.prefix {
                return i
            }
            return nil
        }
    }

    /// The index of a story by ID, or an error naming the ID.
    public func requireIndex(of id: StoryID) throws(PrioError) -> Int {
        do {
            return try requireStory(id)
        } catch {
            throw PrioError(error.description)
        }
    }

    /// The index of a story by ID, or `UnknownStory` with the closest ID the backlog holds:
    /// the one lookup of every command and screen action that names a story.
    public func requireStory(_ id: StoryID) throws(UnknownStory) -> Int {
        if let index = index(of: id) { return index }
        throw UnknownStory(id: id, suggestion: Suggestion.closestID(to: id, among: storyIDs))
    }

    /// The story with an ID, or nil.
    public func story(_ id: StoryID) -> Story? {
        index(of: id).map { stories[$0] }
    }

    /// The prefix new IDs get: the `prefix` setting, else the most used one, else `S`.
    public var idPrefix: String {
        if let setting = header.setting("prefix"), !setting.isEmpty, StoryID("\(setting)-1") != nil {
            return setting
        }
        var counts: [String: Int] = [:]
        for story in stories { counts[story.id.prefix, default: 0] += 1 }
        let best = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }
        return best?.key ?? "S"
    }

    /// The ID the next new story gets: the prefix and one more than the highest number in use.
    public func nextID() -> StoryID {
        let prefix = idPrefix
        let highest = stories.lazy.filter { $0.id.prefix == prefix }.max { $0.id.number < $1.id.number }?.id
        return StoryID(prefix: prefix, number: (highest?.number ?? 0) + 1, width: highest?.width ?? 0)
    }

    /// `nextID()` for a story about to be added, or why there is none: the number would need
    /// 19 digits, which no command reads (the one rule for `prio add` and the screen's `a`).
    public func newID() throws(PrioError) -> StoryID {
        let id = nextID()
        guard id.number <= StoryID.highestNumber else {
            throw PrioError("no ID is left for a new story: \(id.prefix)- numbers stop at \(id.prefix)-\(StoryID.highestNumber) "
                            + "(18 digits); set '- prefix:' in the header to start another")
        }
        return id
    }

    // MARK: Changing

    /// Appends a story at the bottom; its ID must be new.
    public mutating func append(_ story: Story) throws(PrioError) {
        guard index(of: story.id) == nil else { throw PrioError("a story with ID \(story.id) already exists") }
        guard story.id.number >= 0 && story.id.number <= StoryID.highestNumber else {
            throw PrioError("\(story.id) has more than 18 digits, which no command reads")
        }
        stories.append(story)
        resolveVotes(at: stories.count - 1)
    }

    /// Removes a story and returns it.
    @discardableResult
    public mutating func remove(_ id: StoryID) throws(PrioError) -> Story {
        let index = try requireIndex(of: id)
        return stories.remove(at: index)
    }

    /// Changes a story in place.
    public mutating func update<E: Error>(_ id: StoryID, _ change: (inout Story) throws(E) -> Void) throws(E) {
        guard let index = index(of: id) else { return }
        defer { resolveVotes(at: index) }
        try change(&stories[index])
    }

    /// Changes the story at an index in place.
    public mutating func update<E: Error>(at index: Int, _ change: (inout Story) throws(E) -> Void) throws(E) {
        defer { resolveVotes(at: index) }
        try change(&stories[index])
    }

    /// Moves the story at `from` so that it ends up at index `to` (0-based, clamped).
    public mutating func move(from: Int, to: Int) {
        guard stories.indices.contains(from) else { return }
        let target = min(max(0, to), stories.count - 1)
        guard target != from else { return }
        let story = stories.remove(at: from)
        stories.insert(story, at: target)
    }

    /// Puts the stories in a new order, given as the old indices in their new order.
    ///
    /// `order` must be a permutation of `stories.indices`.
    public mutating func reorder(_ order: [Int]) {
        precondition(order.count == stories.count, "reorder needs a permutation")
        stories = order.map { stories[$0] }
    }

    /// Total story points over some stories.
    public func points(of indices: some Sequence<Int>) -> Fraction {
        var total = Fraction(0)
        for i in indices {
            if let p = stories[i].points, let sum = total.adding(p.fraction) { total = sum }
        }
        return total
    }
}
