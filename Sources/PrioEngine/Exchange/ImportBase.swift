/// What each source said at the last `prio import --update`: the base of the three-way update.
///
/// It is kept as a backlog of its own beside the backlog (`backlog.imported.md`, see
/// docs/FORMAT.md section 9): each story as the source last gave it (only the fields the source
/// carries), in the source's row order, with an `import-source` field naming the source; one
/// header setting per source (`- import-NAME: Issue key = id | Summary = title | ...`) keeps its
/// columns and the prio fields they fill. Being a backlog, it reads with `prio check`, merges
/// story by story with `prio merge`, and stays out of the backlog's own diff.
public struct ImportBase: Sendable {
    /// One column of a source and the prio field it fills (`title`, `description` or a field key).
    public struct Column: Sendable, Equatable {
        public var name: String
        public var field: String
    }

    /// The field of a base story that names its source.
    public static let sourceField = "import-source"
    /// The field of a base story whose row was gone from the source at its last import (kept
    /// because the story stays in the backlog).
    public static let goneField = "import-gone"
    /// The prefix of the header settings that hold a source's columns.
    static let settingPrefix = "import-"

    /// Each source's columns by source name.
    public private(set) var columns: [String: [Column]] = [:]
    /// The base stories, in the order of the file (each source's rows in the source's order).
    public private(set) var stories: [Story] = []
    /// Each story's source, read once.
    private var sources: [String?] = []
    private var indexByID = StoryIDMap()
    /// The base as read (its stories are written back from its bytes where unchanged).
    private var read: Backlog?

    public init() {}

    /// The base read from its backlog form.
    public init(_ backlog: Backlog) {
        read = backlog
        for setting in backlog.header.settings where setting.key.hasPrefix(Self.settingPrefix) {
            let name = String(setting.key.dropFirst(Self.settingPrefix.count))
            columns[name] = setting.value.split(separator: "|").compactMap { part in
                guard let (column, field) = parseAssignment(String(part)) else { return nil }
                return Column(name: column, field: field.trimmingASCIIWhitespace())
            }
        }
        stories.reserveCapacity(backlog.stories.count)
        for story in backlog.stories where indexByID.insertIfAbsent(story.id, stories.count) == nil {
            stories.append(story)
        }
        sources = stories.map { $0.value(of: Self.sourceField) }
    }

    /// The base story of an ID, if any source gave it.
    public func story(_ id: StoryID) -> Story? {
        indexByID[id].map { stories[$0] }
    }

    /// The source an ID came from, if any.
    public func source(of id: StoryID) -> String? {
        indexByID[id].flatMap { sources[$0] }
    }

    /// The IDs of one source: those it gave at its last import, in its order, then those gone from it.
    public func ids(of source: String) -> [StoryID] {
        stories.indices.filter { sources[$0] == source }.map { stories[$0].id }
    }

    /// The IDs one source gave at its last import, in its order (the tracker's order).
    public func listed(of source: String) -> [StoryID] {
        stories.indices.filter { sources[$0] == source && stories[$0].value(of: Self.goneField) == nil }.map { stories[$0].id }
    }

    /// Replaces what `source` said: its columns and its stories (in row order); `kept` are
    /// earlier stories of the source that stay (gone from the source, kept in the backlog).
    /// `unchanged[i]` says that `given[i]` is what the base holds already: that one is kept as
    /// read (written back from its bytes).
    mutating func record(source: String, columns sourceColumns: [Column], stories given: [Story], unchanged: [Bool],
                         keeping kept: [StoryID]) {
        columns[source] = sourceColumns
        let keptSet = StoryIDSet(kept)
        let givenSet = StoryIDSet(given.map(\.id))
        var next: [Story] = []
        var nextSources: [String?] = []
        next.reserveCapacity(stories.count + given.count)
        nextSources.reserveCapacity(stories.count + given.count)
        var placed = false
        func placeGiven() {
            for (i, story) in given.enumerated() {
                if unchanged[i], let old = indexByID[story.id] {
                    next.append(stories[old])
                } else {
                    next.append(Self.tagged(story, source))
                }
                nextSources.append(source)
            }
            placed = true
        }
        for (i, story) in stories.enumerated() {
            if givenSet.contains(story.id) && sources[i] != source { continue }
            if sources[i] == source {
                if !placed { placeGiven() }
                if !givenSet.contains(story.id) && keptSet.contains(story.id) {
                    var gone = story
                    if gone.value(of: Self.goneField) == nil { try? gone.setField(Self.goneField, "yes") }
                    next.append(gone)
                    nextSources.append(source)
                }
                continue
            }
            next.append(story)
            nextSources.append(sources[i])
        }
        if !placed { placeGiven() }
        stories = next
        sources = nextSources
        indexByID = StoryIDMap(capacity: stories.count)
        for (i, story) in stories.enumerated() { _ = indexByID.insertIfAbsent(story.id, i) }
    }

    static func tagged(_ story: Story, _ source: String) -> Story {
        var tagged = story
        try? tagged.setField(sourceField, source)
        return tagged
    }

    /// The base in its backlog form, to be written beside the backlog.
    public func backlog() -> Backlog {
        var backlog = read ?? Backlog(header: BacklogHeader(), stories: [], source: .empty)
        var header = backlog.header
        if header.name == nil {
            try? header.setName("Imported: what each source said at the last prio import --update (written by prio; do not edit)")
        }
        for name in columns.keys.sorted() {
            // A column name holding `|` or `=` cannot be written in the list: only its field is lost for export names.
            let list = (columns[name] ?? []).filter { !$0.name.contains("|") && !$0.name.contains("=") }
                .map { "\($0.name) = \($0.field)" }.joined(separator: " | ")
            try? header.setSetting(Self.settingPrefix + name, list)
        }
        backlog.header = header
        backlog.stories = stories
        // The sources' own fields are declared, so that the base reads without warnings.
        try? Importer.declareCustomFields(of: stories, in: &backlog.header)
        return backlog
    }
}
