/// `prio export --format jira-rank`: the fewest rank operations that turn a tracker's order into
/// prio's manual order. The stories of a longest run already in order (a longest increasing
/// subsequence) stay; each other story goes right after the story before it in prio's order
/// (before the first kept one at the top), in steps of at most `stepSize` keys, which is what
/// Jira's rank operation takes.
public enum JiraRank {
    /// One rank operation: `keys`, in order, after `after` (or before `before`).
    public struct Step: Sendable, Equatable {
        public var keys: [StoryID]
        public var after: StoryID?
        public var before: StoryID?
    }

    /// Jira ranks at most 50 issues per operation.
    public static let stepSize = 50

    /// The steps from `current` (the tracker's order) to `target` (prio's), over the keys both hold.
    public static func steps(from current: [StoryID], to target: [StoryID], stepSize: Int = stepSize) -> [Step] {
        let inCurrent = StoryIDMap(indexing: current)
        let order = target.filter { inCurrent.contains($0) }
        let kept = keptIndices(order.map { inCurrent[$0] ?? 0 })
        var steps: [Step] = []
        var i = 0
        while i < order.count {
            guard !kept.contains(i) else {
                i += 1
                continue
            }
            var j = i
            while j + 1 < order.count && !kept.contains(j + 1) { j += 1 }
            // The run i...j moves; chunks of stepSize, the first anchored to its neighbour.
            var start = i
            while start <= j {
                let end = min(start + max(1, stepSize) - 1, j)
                let keys = Array(order[start...end])
                if start > 0 {
                    steps.append(Step(keys: keys, after: order[start - 1], before: nil))
                } else {
                    steps.append(Step(keys: keys, after: nil, before: j + 1 < order.count ? order[j + 1] : nil))
                }
                start = end + 1
            }
            i = j + 1
        }
        return steps
    }

    /// The indices of one longest strictly increasing subsequence of `values` (O(n log n)).
    static func keptIndices(_ values: [Int]) -> Set<Int> {
        var tails: [Int] = []  // index into values of the smallest tail of each length
        var previous = [Int](repeating: -1, count: values.count)
        for (i, value) in values.enumerated() {
            var low = 0, high = tails.count
            while low < high {
                let mid = (low + high) / 2
                if values[tails[mid]] < value { low = mid + 1 } else { high = mid }
            }
            if low > 0 { previous[i] = tails[low - 1] }
            if low == tails.count { tails.append(i) } else { tails[low] = i }
        }
        var kept = Set<Int>()
        var k = tails.last ?? -1
        while k >= 0 {
            kept.insert(k)
            k = previous[k]
        }
        return kept
    }

    /// The CSV: every key both orders hold, in prio's order, with the key it goes after or
    /// before when it moves and the number of its step (empty for keys that stay).
    public static func csv(_ target: [StoryID], in current: [StoryID], keyName: String = "Issue key") -> String {
        let steps = steps(from: current, to: target)
        var where_: [StoryID: (after: StoryID?, before: StoryID?, step: Int)] = [:]
        for (n, step) in steps.enumerated() {
            for (k, key) in step.keys.enumerated() {
                // Inside a step each key follows the one before it.
                where_[key] = k == 0 ? (step.after, step.before, n + 1) : (step.keys[k - 1], nil, n + 1)
            }
        }
        let inCurrent = StoryIDSet(current)
        var records = [[keyName, "Rank after", "Rank before", "Step"]]
        for key in target where inCurrent.contains(key) {
            let move = where_[key]
            records.append([key.description, move?.after?.description ?? "", move?.before?.description ?? "",
                            move.map { String($0.step) } ?? ""])
        }
        return TerminalSafe.output(CSV.write(records))
    }
}
