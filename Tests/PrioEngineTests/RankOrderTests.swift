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
