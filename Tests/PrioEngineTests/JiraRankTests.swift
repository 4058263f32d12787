@testable import PrioEngine
import PropertyBased
import Testing

/// The fewest-moves rank list: checked against a brute force over every set of stories that
/// could stay, and by applying the steps to the tracker's order.
@Suite("Jira rank moves")
struct JiraRankTests {
    static func ids(_ numbers: [Int]) -> [StoryID] { numbers.map { StoryID(prefix: "J", number: $0) } }

    /// The tracker's order after the steps, applied one by one as Jira would.
    static func apply(_ steps: [JiraRank.Step], to order: [StoryID]) -> [StoryID] {
        var list = order
        for step in steps {
            list.removeAll { step.keys.contains($0) }
            if let after = step.after, let at = list.firstIndex(of: after) {
                list.insert(contentsOf: step.keys, at: at + 1)
            } else if let before = step.before, let at = list.firstIndex(of: before) {
                list.insert(contentsOf: step.keys, at: at)
            } else {
                list.insert(contentsOf: step.keys, at: 0)
            }
        }
        return list
    }

    /// The most stories that can stay: the largest subset in the same relative order in both, by brute force.
    static func mostKept(_ current: [StoryID], _ target: [StoryID]) -> Int {
        let n = target.count
        var best = 0
        for mask in 0..<(1 << n) {
            let subset = (0..<n).filter { mask & (1 << $0) != 0 }.map { target[$0] }
            if subset.count <= best { continue }
            if current.filter({ subset.contains($0) }) == subset { best = subset.count }
        }
        return best
    }

    @Test("Worked example: Jira has 1 2 3 4 5 6, prio wants 5 1 2 3 6 4: two stories move (1 2 3 4 stay)")
    func workedExample() {
        let steps = JiraRank.steps(from: Self.ids([1, 2, 3, 4, 5, 6]), to: Self.ids([5, 1, 2, 3, 6, 4]))
        #expect(steps == [
            JiraRank.Step(keys: Self.ids([5]), after: nil, before: StoryID(prefix: "J", number: 1)),
            JiraRank.Step(keys: Self.ids([6]), after: StoryID(prefix: "J", number: 3), before: nil),
        ])
        #expect(JiraRank.csv(Self.ids([5, 1, 2, 3, 6, 4]), in: Self.ids([1, 2, 3, 4, 5, 6]))
            == "Issue key,Rank after,Rank before,Step\r\nJ-5,,J-1,1\r\nJ-1,,,\r\nJ-2,,,\r\nJ-3,,,\r\nJ-6,J-3,,2\r\nJ-4,,,\r\n")
    }

    @Test("A run of 120 stories moved to the top goes in steps of at most 50, each after the last")
    func stepsOfFifty() {
        let current = Self.ids(Array(1...200))
        let target = Self.ids(Array(81...200) + Array(1...80))
        let steps = JiraRank.steps(from: current, to: target)
        #expect(steps.allSatisfy { $0.keys.count <= 50 })
        #expect(steps.reduce(0) { $0 + $1.keys.count } == 80)
        #expect(Self.apply(steps, to: current) == target)
    }

    @Test("For any two orders of up to 8 stories: the steps give prio's order and move the fewest stories (brute force)")
    func fewestMoves() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = MergePropertyTests.Seeded(state: UInt64(truncatingIfNeeded: seed))
            let n = Int(rng.next() % 9)
            var current = Array((0..<n).map { $0 + 1 })
            var target = current
            current.shuffle(using: &rng)
            target.shuffle(using: &rng)
            let stepSize = Int(rng.next() % 3) + 1
            let steps = JiraRank.steps(from: Self.ids(current), to: Self.ids(target), stepSize: stepSize)
            #expect(steps.allSatisfy { $0.keys.count <= stepSize })
            #expect(Self.apply(steps, to: Self.ids(current)) == Self.ids(target))
            let moved = steps.reduce(0) { $0 + $1.keys.count }
            #expect(moved == n - Self.mostKept(Self.ids(current), Self.ids(target)))
        }
    }
}

