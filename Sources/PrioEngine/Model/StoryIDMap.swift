/// A map from story IDs to small integers (a story's index, a line number), without hashing.
///
/// IDs are a prefix and a number, and a backlog's numbers are dense (`S-1` ... `S-100000`),
/// so each prefix gets an array indexed by number; numbers far beyond the map's size go to a
/// dictionary. At 100,000 stories this is several times faster than `[StoryID: Int]`, whose
/// hashing the parser, the ranking's lookups and the merge would otherwise pay per story.
public struct StoryIDMap: Sendable {
    /// The prefixes seen, in order of first use.
    private var prefixes: [String] = []
    /// Per prefix, the value + 1 by number (0: absent).
    private var tables: [[Int32]] = []
    /// IDs whose numbers are too large for a table.
    private var overflow: [StoryID: Int] = [:]
    /// The prefix used last (most backlogs have one).
    private var lastPrefix = -1
    /// Numbers at most this large go to the tables.
    private var denseLimit: Int
    /// How many IDs the map holds.
    public private(set) var count = 0

    /// Creates an empty map for about `capacity` IDs.
    public init(capacity: Int = 0) {
        denseLimit = max(1 << 16, capacity * 8)
    }

    /// A map of each ID of `ids` to its index (the first index for an ID given twice).
    public init(indexing ids: some Collection<StoryID>) {
        self.init(capacity: ids.count)
        for (index, id) in ids.enumerated() { insertIfAbsent(id, index) }
    }

    /// The value stored for an ID, or nil.
    public subscript(id: StoryID) -> Int? {
        let number = id.number
        if number >= 0 && number <= denseLimit, let table = tableIndex(of: id.prefix) {
            let stored = unsafe tables[table].withUnsafeBufferPointer { values in unsafe number < values.count ? values[number] : 0 }
            if stored != 0 { return Int(stored - 1) }
        }
        return overflow.isEmpty ? nil : overflow[id]
    }

    /// True when the map holds the ID.
    public func contains(_ id: StoryID) -> Bool {
        self[id] != nil
    }

    /// Stores `value` for an ID that is not in the map yet, and returns nil; for an ID already
    /// in the map, changes nothing and returns its value.
    @discardableResult
    public mutating func insertIfAbsent(_ id: StoryID, _ value: Int) -> Int? {
        let number = id.number
        if !overflow.isEmpty, let existing = overflow[id] { return existing }
        var table = tableIndex(of: id.prefix)
        let dense = number >= 0 && number <= denseLimit && value < Int(Int32.max)
        if table == nil && dense && prefixes.count < Self.maximumTables {
            prefixes.append(id.prefix)
            tables.append([])
            table = prefixes.count - 1
        }
        guard let table, dense else {
            overflow[id] = value
            count += 1
            return nil
        }
        lastPrefix = table
        if tables[table].count <= number {
            let size = min(max(number + 1, tables[table].count * 2, 1024), denseLimit + 1)
            tables[table] += [Int32](repeating: 0, count: size - tables[table].count)
        }
        let existing = tables[table][number]
        if existing != 0 { return Int(existing - 1) }
        tables[table][number] = Int32(value + 1)
        count += 1
        return nil
    }

    /// Changes the value of an ID the map holds (a story that moved); nothing happens for an
    /// ID it does not hold.
    public mutating func update(_ id: StoryID, to value: Int) {
        let number = id.number
        if number >= 0 && number <= denseLimit, let table = tableIndex(of: id.prefix), number < tables[table].count,
           tables[table][number] != 0 {
            if value < Int(Int32.max) {
                tables[table][number] = Int32(value + 1)
            } else {
                tables[table][number] = 0
                overflow[id] = value
            }
            return
        }
        if overflow[id] != nil { overflow[id] = value }
    }

    /// Prefixes beyond this many go to the dictionary (finding a table is a linear search).
    static let maximumTables = 16

    private func tableIndex(of prefix: String) -> Int? {
        if lastPrefix >= 0 && prefixes[lastPrefix] == prefix { return lastPrefix }
        return prefixes.firstIndex(of: prefix)
    }
}

/// A set of story IDs on a `StoryIDMap` (no hashing), for the merge's and the diff's
/// membership tests over 100,000 IDs.
public struct StoryIDSet: Sendable {
    private var map: StoryIDMap

    /// Creates an empty set for about `capacity` IDs.
    public init(capacity: Int = 0) {
        map = StoryIDMap(capacity: capacity)
    }

    /// The set of the IDs of a sequence.
    public init(_ ids: some Collection<StoryID>) {
        self.init(capacity: ids.count)
        for id in ids { map.insertIfAbsent(id, 0) }
    }

    /// How many IDs the set holds.
    public var count: Int { map.count }

    /// True when the set holds the ID.
    public func contains(_ id: StoryID) -> Bool {
        map.contains(id)
    }

    /// Adds an ID; true when it was not in the set yet.
    @discardableResult
    public mutating func insert(_ id: StoryID) -> Bool {
        map.insertIfAbsent(id, 0) == nil
    }
}
