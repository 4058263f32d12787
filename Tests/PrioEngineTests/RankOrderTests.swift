@testable import PrioEngine
@testable import PrioStorage
import PropertyBased
import Testing

/// Scored stories are ordered by `ranksBefore` (doubles where clearly apart, else the exact
/// scores, then manual order), and a big backlog's two halves are merged in that order.
@Suite("Rank order")
struct RankOrderTests {
    /// A list in manual order (indices ascending) with the given exact scores.
    private func scored(_ fractions: [Fraction]) -> Ranking.Scored {
        fractions.enumerated().map { (index: $0.offset, approx: $0.element.doubleValue, exact: $0.element) }
    }

    @Test("Worked example: ties keep the manual order, a score one part in 10^20 higher goes first")
    func workedExample() {
        let big = Int128(10).power(20)
        let fractions = [
            Fraction(numerator: 3, denominator: 1), Fraction(numerator: 6, denominator: 2),
            Fraction(numerator: big, denominator: big + 1), Fraction(numerator: big + 1, denominator: big + 2),
            Fraction(numerator: 7, denominator: 2), Fraction(numerator: 3, denominator: 1),
        ]
        var list = scored(fractions)
        list.sort(by: Ranking.ranksBefore)
        // 7/2, then the three 3s in manual order, then (10^20+1)/(10^20+2) above 10^20/(10^20+1):
        // their doubles are equal, only the exact comparison tells them apart.
        #expect(list.map(\.index) == [4, 0, 1, 5, 3, 2])
    }
}

extension RankOrderTests {
    /// Two sorted lists of stories interleaved by `pattern` (false: the first list), scores from `scores`.
    private func halves(_ scores: [Int], split: Int) -> (Ranking.Scored, Ranking.Scored) {
        var a = scored(scores.prefix(split).map { Fraction($0) })
        var b = scored(scores.dropFirst(split).map { Fraction($0) })
        b = b.map { (index: $0.index + split, approx: $0.approx, exact: $0.exact) }
        a.sort(by: Ranking.ranksBefore)
        b.sort(by: Ranking.ranksBefore)
        return (a, b)
    }

    @Test("The halves of a big backlog merge into one list ranked 1, 2, 3, ..., ties in manual order")
    func mergedEntriesOfHalves() {
        // Many ties (scores 0...30) across 50,000 stories: above the two-thread count.
        var generator = SplitMix64(seed: 7)
        let scores = (0..<50_000).map { _ in Int(generator.next() % 31) }
        let (a, b) = halves(scores, split: 23_456)
        #expect(a.count + b.count >= twoThreadCount)
        var expected: [Int] = []
        Ranking.merge(a[...], b[...]) { expected.append($0.index) }
        let entries = Ranking.mergedEntries(a, b)
        #expect(entries.map(\.storyIndex) == expected)
        #expect(entries.map(\.rank) == Array(1...50_000))
        // Descending scores, ties in manual order.
        #expect(zip(entries, entries.dropFirst()).allSatisfy { x, y in
            scores[x.storyIndex] > scores[y.storyIndex]
                || (scores[x.storyIndex] == scores[y.storyIndex] && x.storyIndex < y.storyIndex)
        })
    }
}

private extension Int128 {
    func power(_ exponent: Int) -> Int128 {
        (0..<exponent).reduce(1) { result, _ in result * self }
    }
}

extension RankOrderTests {
    @Test("A ranking made for its first N gives the whole ranking's first N, and every entry's exact rank and waits")
    func firstN() throws {
        // 24,000 generated stories (above the two-thread count, with dependencies, ties and
        // unscored stories), under every built-in strategy, for N from 1 to 1,000.
        let backlog = try BacklogParser.parse(BacklogGenerator.markdown(count: 24_000), path: "big.md").backlog
        #expect(backlog.stories.count >= twoThreadCount)
        for strategy in StrategyRegistry.all where !(strategy is ManualStrategy) {
            let whole = Ranking(backlog, strategy: strategy)
            for n in [1, 3, 10, 1_000] {
                let first = Ranking(backlog, strategy: strategy, first: n)
                #expect(first.orderedCount == n)
                #expect(Array(first.top(n)) == Array(whole.top(n)), "\(strategy.name) \(n)")
                #expect(first.entries.count == whole.entries.count)
                for entry in first.top(n) {
                    #expect(first.waitsFor(entry).map(\.rank) == whole.waitsFor(entry).map(\.rank))
                    #expect(first.explanation(entry) == whole.explanation(entry))
                }
            }
            // Exact ranks of entries after the first N, a few hundred of them.
            let first = Ranking(backlog, strategy: strategy, first: 10)
            for index in stride(from: 10, to: first.entries.count, by: 397) {
                let story = first.entries[index].storyIndex
                #expect(first.rank(ofEntryAt: index) == whole.entry(forStory: story)?.rank, "\(strategy.name) \(index)")
                #expect(first.entry(forStory: story) == whole.entry(forStory: story))
            }
        }
    }

    @Test("selectFirst puts the k best in order at the front and keeps every item")
    func selectFirstProperty() async {
        await propertyCheck(count: 300, input: Gen.int(in: 0...Int(Int32.max))) { seed in
            var generator = SplitMix64(seed: UInt64(seed))
            let count = Int(generator.next() % 400) + 1
            let k = Int(generator.next() % UInt64(count)) + 1
            let list = scored((0..<count).map { _ in Fraction(Int(generator.next() % 12)) })
            var selected = list
            Ranking.selectFirst(&selected, k)
            let sorted = list.sorted(by: Ranking.ranksBefore)
            #expect(selected.prefix(k).map(\.index) == sorted.prefix(k).map(\.index))
            #expect(selected.map(\.index).sorted() == Array(0..<count))
        }
    }
}
