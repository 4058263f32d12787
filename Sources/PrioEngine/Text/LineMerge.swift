/// Line-based diff and three-way merge, as `git merge-file` does it: the merge of story
/// descriptions, and of whole files that prio cannot read as backlogs.
public enum LineMerge {
    /// The result of a three-way merge.
    public struct Result: Sendable, Equatable {
        /// The merged lines (conflicts written with markers).
        public var lines: [String]
        /// How many conflicts have markers.
        public var conflicts: Int
    }

    /// Merges `ours` and `theirs`, both changed from `base`: a change made on one side only is
    /// taken; the same change on both sides is taken once; different changes to the same
    /// lines are a conflict, written between `<<<<<<< ours`, `=======` and `>>>>>>> theirs`.
    public static func merge3(base: [String], ours: [String], theirs: [String],
                              oursLabel: String = "ours", theirsLabel: String = "theirs") -> Result {
        // Lines as numbers, so that comparing is cheap.
        var numbers: [String: Int] = [:]
        func encode(_ lines: [String]) -> [Int] {
            lines.map { line in
                if let n = numbers[line] { return n }
                let n = numbers.count
                numbers[line] = n
                return n
            }
        }
        let b = encode(base), o = encode(ours), t = encode(theirs)
        let matchO = matches(b, o)
        let matchT = matches(b, t)
        var out: [String] = []
        var conflicts = 0
        var i = 0, io = 0, it = 0
        while true {
            // Lines unchanged on both sides.
            while i < b.count && matchO[i] == io && matchT[i] == it {
                out.append(base[i])
                i += 1; io += 1; it += 1
            }
            if i >= b.count && io >= o.count && it >= t.count { break }
            // The next base line both sides kept ends this chunk.
            var j = i
            while j < b.count && !(matchO[j] >= 0 && matchT[j] >= 0) { j += 1 }
            let oEnd = j < b.count ? matchO[j] : o.count
            let tEnd = j < b.count ? matchT[j] : t.count
            let baseChunk = Array(b[i..<j]), oursChunk = Array(o[io..<oEnd]), theirsChunk = Array(t[it..<tEnd])
            if oursChunk == baseChunk {
                out += theirs[it..<tEnd]
            } else if theirsChunk == baseChunk || oursChunk == theirsChunk {
                out += ours[io..<oEnd]
            } else {
                conflicts += 1
                out.append("<<<<<<< \(oursLabel)")
                out += ours[io..<oEnd]
                out.append("=======")
                out += theirs[it..<tEnd]
                out.append(">>>>>>> \(theirsLabel)")
            }
            i = j; io = oEnd; it = tEnd
        }
        return Result(lines: out, conflicts: conflicts)
    }

    /// For each element of `a`, the index of the element of `b` it is matched with in a
    /// longest common subsequence, or -1. Common ends are matched first; the middle by Myers'
    /// algorithm, or not at all when the two differ in more than `limit` places.
    public static func matches(_ a: [Int], _ b: [Int], limit: Int = 4000) -> [Int] {
        var result = [Int](repeating: -1, count: a.count)
        var start = 0
        while start < a.count && start < b.count && a[start] == b[start] {
            result[start] = start
            start += 1
        }
        var endA = a.count, endB = b.count
        while endA > start && endB > start && a[endA - 1] == b[endB - 1] {
            endA -= 1; endB -= 1
            result[endA] = endB
        }
        let n = endA - start, m = endB - start
        guard n > 0 && m > 0 else { return result }
        // Myers: the furthest x reached on each diagonal k after d differences; the trace
        // keeps each step's row to walk back.
        let maximum = min(n + m, limit)
        let offset = maximum + 1
        var v = [Int](repeating: 0, count: 2 * maximum + 3)
        var trace: [[Int]] = []
        var found = false
        outer: for d in 0...maximum {
            trace.append(v)
            for k in stride(from: -d, through: d, by: 2) {
                var x: Int
                if k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) {
                    x = v[offset + k + 1]
                } else {
                    x = v[offset + k - 1] + 1
                }
                var y = x - k
                while x < n && y < m && a[start + x] == b[start + y] { x += 1; y += 1 }
                v[offset + k] = x
                if x >= n && y >= m {
                    found = true
                    trace.append(v)
                    break outer
                }
            }
        }
        guard found else { return result }
        // Walk back through the trace, recording the diagonal runs.
        var x = n, y = m
        for d in stride(from: trace.count - 2, through: 0, by: -1) {
            let row = trace[d]
            let k = x - y
            let previousK: Int
            if k == -d || (k != d && row[offset + k - 1] < row[offset + k + 1]) {
                previousK = k + 1
            } else {
                previousK = k - 1
            }
            let previousX = row[offset + previousK]
            let previousY = previousX - previousK
            while x > previousX && y > previousY {
                x -= 1; y -= 1
                result[start + x] = start + y
            }
            x = previousX
            y = previousY
            if d == 0 { break }
        }
        return result
    }
}
