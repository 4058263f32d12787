/// What planning needs from every story, read from the backlog once into flat arrays.
///
/// Story IDs become small integers ("slots"): equal IDs (`US-7`, `US-007`) share a slot, and
/// so do dependencies on IDs no story has. Planning then marks slots as planned and counts,
/// per story, the dependencies not planned yet, instead of rescanning lists of IDs.
struct PlanningGraph: Sendable {
    /// Per story: its ID as written, and its ID's slot.
    private(set) var ids: [StoryID]
    private(set) var slot: [Int32]
    /// Per story: where its dependencies start in `depSlots`/`depIDs`, and how many it has.
    private(set) var depStart: [Int32]
    private(set) var depCount: [Int32]
    /// Every story's dependencies, in the order written: their slots and their IDs as written.
    let depSlots: [Int32]
    let depIDs: [StoryID]
    /// Per story: done, the `sprint` field's value (nil when absent), and the points.
    private(set) var isDone: [Bool]
    private(set) var sprint: [String?]
    private(set) var points: [DecimalNumber?]
    /// Per story: the rank of its points among `distinctPoints` (-1 without points), so that
    /// comparing points is comparing integers.
    private(set) var pointKey: [Int32]
    /// The point values as written, ascending by value (equal values may repeat).
    let distinctPoints: [Fraction]
    /// Per slot: the ID, how many stories have it, and the last story that has it (the one
    /// `depends` resolves to when IDs repeat, as in an ID-to-index dictionary filled in order).
    let slotIDs: [StoryID]
    let storiesWithSlot: [Int32]
    private(set) var lastStory: [Int32]

    var count: Int { ids.count }
    var slotCount: Int { slotIDs.count }

    init(_ backlog: Backlog) {
        let n = backlog.stories.count
        // IDs are looked up by prefix number and number: hashing two integers is cheaper than
        // hashing the prefix's text, and most IDs share one prefix.
        struct Key: Hashable {
            var prefix: Int
            var number: Int
        }
        var prefixes: [String: Int] = [:]
        var lastPrefix = "", lastPrefixNumber = -1
        var slotOf: [Key: Int32] = [:]
        slotOf.reserveCapacity(n)
        var slotIDs: [StoryID] = []
        slotIDs.reserveCapacity(n)
        func slotFor(_ id: StoryID) -> Int32 {
            if id.prefix != lastPrefix || lastPrefixNumber < 0 {
                lastPrefix = id.prefix
                if let known = prefixes[id.prefix] {
                    lastPrefixNumber = known
                } else {
                    lastPrefixNumber = prefixes.count
                    prefixes[id.prefix] = lastPrefixNumber
                }
            }
            let key = Key(prefix: lastPrefixNumber, number: id.number)
            if let s = slotOf[key] { return s }
            let s = Int32(slotIDs.count)
            slotOf[key] = s
            slotIDs.append(id)
            return s
        }
        var ids: [StoryID] = [], slot: [Int32] = [], isDone: [Bool] = [], sprint: [String?] = []
        var points: [DecimalNumber?] = [], depStart: [Int32] = [], depCount: [Int32] = []
        ids.reserveCapacity(n); slot.reserveCapacity(n); isDone.reserveCapacity(n); sprint.reserveCapacity(n)
        points.reserveCapacity(n); depStart.reserveCapacity(n); depCount.reserveCapacity(n)
        // The `depends` values, read in the first pass and split in the second (every story's ID
        // takes its slot before the IDs only dependencies name).
        var dependsText: [(story: Int, text: String)] = []
        let workflow = backlog.workflow
        // One pass over each story's fields for the three values planning reads (the first field
        // with each key, as `Story.value(of:)` finds it), borrowing the stories in place: copying
        // each `Story` out of the array retains and releases every one of its references.
        unsafe backlog.stories.withUnsafeBufferPointer { stories in
            for i in 0..<n {
                let id = unsafe stories[i].id
                ids.append(id)
                slot.append(slotFor(id))
                unsafe isDone.append(workflow.isDone(stories[i].status))
                var sprintValue: String?, pointsValue: DecimalNumber?, depends: String?
                var seenPoints = false
                unsafe stories[i].forEachKnownField { key, value in
                    switch key {
                    case .sprint where sprintValue == nil: sprintValue = unsafe lineText(value, 0..<value.count)
                    case .points where !seenPoints:
                        seenPoints = true
                        pointsValue = unsafe parseStoredNumber(value)
                    case .depends where depends == nil: depends = unsafe lineText(value, 0..<value.count)
                    default: break
                    }
                    return !(sprintValue != nil && seenPoints && depends != nil)
                }
                sprint.append(sprintValue)
                points.append(pointsValue)
                if let depends { dependsText.append((i, depends)) }
            }
        }
        var depSlots: [Int32] = [], depIDs: [StoryID] = []
        var next = 0
        for i in 0..<n {
            depStart.append(Int32(depSlots.count))
            var count: Int32 = 0
            if next < dependsText.count && dependsText[next].story == i {
                for id in splitList(dependsText[next].text).compactMap({ StoryID($0) }) {
                    depSlots.append(slotFor(id))
                    depIDs.append(id)
                    count += 1
                }
                next += 1
            }
            depCount.append(count)
        }
        var storiesWithSlot = [Int32](repeating: 0, count: slotIDs.count)
        var lastStory = [Int32](repeating: -1, count: slotIDs.count)
        for (i, s) in slot.enumerated() {
            storiesWithSlot[Int(s)] += 1
            lastStory[Int(s)] = Int32(i)
        }
        // Points as written (`5` and `5.0` are two entries of equal value; that keeps the order).
        let written = Array(Set(points.compactMap { $0 })).sorted { $0.fraction < $1.fraction }
        let distinct = written.map(\.fraction)
        var keyOf: [DecimalNumber: Int32] = [:]
        for (k, value) in written.enumerated() { keyOf[value] = Int32(k) }
        self.ids = ids
        self.slot = slot
        self.depStart = depStart
        self.depCount = depCount
        self.depSlots = depSlots
        self.depIDs = depIDs
        self.isDone = isDone
        self.sprint = sprint
        self.points = points
        self.pointKey = points.map { $0.flatMap { keyOf[$0] } ?? -1 }
        self.distinctPoints = distinct
        self.slotIDs = slotIDs
        self.storiesWithSlot = storiesWithSlot
        self.lastStory = lastStory
    }

    /// The dependencies of story `i`: positions in `depSlots` and `depIDs`.
    func dependencies(of i: Int) -> Range<Int> {
        Int(depStart[i])..<Int(depStart[i] + depCount[i])
    }

    /// How many points keys are at most `limit` (all of them when `limit` is nil).
    func keysAtMost(_ limit: Fraction?) -> Int32 {
        guard let limit else { return Int32(distinctPoints.count) }
        var low = 0, high = distinctPoints.count
        while low < high {
            let mid = (low + high) / 2
            if distinctPoints[mid] <= limit { low = mid + 1 } else { high = mid }
        }
        return Int32(low)
    }

    /// Stories `a` and `b` change places, as `Backlog.swapStories` does. False when the graph
    /// cannot follow in place (one of the two IDs is shared with another story) and must be
    /// read again.
    mutating func swapStories(_ a: Int, _ b: Int) -> Bool {
        guard a != b else { return true }
        guard storiesWithSlot[Int(slot[a])] == 1 && storiesWithSlot[Int(slot[b])] == 1 else { return false }
        ids.swapAt(a, b)
        slot.swapAt(a, b)
        depStart.swapAt(a, b)
        depCount.swapAt(a, b)
        isDone.swapAt(a, b)
        sprint.swapAt(a, b)
        points.swapAt(a, b)
        pointKey.swapAt(a, b)
        lastStory[Int(slot[a])] = Int32(a)
        lastStory[Int(slot[b])] = Int32(b)
        return true
    }

    /// A cycle in the `depends` graph of stories not done, if any: the first one a depth-first
    /// search finds, starting from each story in manual order and following dependencies in
    /// the order written.
    func findCycle() -> DependencyCycle? {
        cycles(includingDone: false, first: true).first
    }

    /// Dependency cycles, each found once by a depth-first search from each story in manual
    /// order (dependencies in the order written): all of them, or only the first; through done
    /// stories or not (planning ignores done ones; `prio check` reports every cycle).
    func cycles(includingDone: Bool, first: Bool) -> [DependencyCycle] {
        var state = [UInt8](repeating: 0, count: count)  // 0 new, 1 on the path, 2 done
        var path: [Int] = []
        var found: [DependencyCycle] = []
        for start in 0..<count where state[start] == 0 {
            // Iterative depth-first search: each frame is a story and its next dependency.
            var stack: [(node: Int, next: Int)] = [(start, 0)]
            state[start] = 1
            path.append(start)
            while let top = stack.last {
                let dependencies = self.dependencies(of: top.node)
                if top.next < dependencies.count {
                    stack[stack.count - 1].next += 1
                    let target = Int(lastStory[Int(depSlots[dependencies.lowerBound + top.next])])
                    guard target >= 0, includingDone || !isDone[target] else { continue }
                    if state[target] == 1 {
                        let from = path.lastIndex(of: target) ?? 0
                        found.append(DependencyCycle(path: path[from...].map { ids[$0] } + [ids[target]]))
                        if first { return found }
                    } else if state[target] == 0 {
                        state[target] = 1
                        path.append(target)
                        stack.append((target, 0))
                    }
                } else {
                    state[top.node] = 2
                    path.removeLast()
                    stack.removeLast()
                }
            }
        }
        return found
    }

    /// The sprint names stories use.
    var usedSprints: Set<String> {
        var used = Set<String>()
        for case let name? in sprint { used.insert(name) }
        return used
    }
}

/// A binary min-heap of integers (the waiting list's positions in `Planner.plan`).
struct MinHeap {
    private var items: [Int] = []

    mutating func push(_ value: Int) {
        items.append(value)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[parent] > items[i] else { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func popMin() -> Int? {
        guard let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return last }
        let top = items[0]
        items[0] = last
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < items.count && items[l] < items[smallest] { smallest = l }
            if r < items.count && items[r] < items[smallest] { smallest = r }
            guard smallest != i else { break }
            items.swapAt(i, smallest)
            i = smallest
        }
        return top
    }
}
