@testable import PrioEngine
import PropertyBased
import Testing

/// Scored stories are sorted as 16-byte keys by their doubles, then checked against the exact
/// order (`ranksBefore`): the result must be exactly what sorting by `ranksBefore` gives.
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
        Ranking.sortInRankOrder(&list)
        // 7/2, then the three 3s in manual order, then (10^20+1)/(10^20+2) above 10^20/(10^20+1):
        // their doubles are equal, only the exact comparison tells them apart.
        #expect(list.map(\.index) == [4, 0, 1, 5, 3, 2])
    }

    @Test("For any scores, near ties and equal doubles included, the order is sorting by ranksBefore")
    func sameAsComparatorSort() async {
        // Scores from a few close families: small fractions (many exact ties), and pairs whose
        // doubles are equal or nearly so.
        let big = Int128(10).power(18)
        let gen = Gen.int(in: 0...41).map { code -> Fraction in
            let n = Int128(code % 7)
            switch code / 7 {
            case 0: return Fraction(numerator: n, denominator: 1)
            case 1: return Fraction(numerator: n * 3, denominator: 2)
            case 2: return Fraction(numerator: big + n, denominator: big + 7)
            case 3: return Fraction(numerator: -(n + 1), denominator: 3)
            case 4: return Fraction(numerator: big * n + 1, denominator: big)
            default: return Fraction(numerator: n * n, denominator: n + 1)
            }
        }.array(of: 0...60)
        await propertyCheck(count: 400, input: gen) { fractions in
            var fast = scored(fractions)
            Ranking.sortInRankOrder(&fast)
            let reference = scored(fractions).sorted(by: Ranking.ranksBefore)
            #expect(fast.map(\.index) == reference.map(\.index))
        }
    }
}

extension RankOrderTests {
    /// Two sorted lists of stories interleaved by `pattern` (false: the first list), scores from `scores`.
    private func halves(_ scores: [Int], split: Int) -> (Ranking.Scored, Ranking.Scored) {
        var a = scored(scores.prefix(split).map { Fraction($0) })
        var b = scored(scores.dropFirst(split).map { Fraction($0) })
        b = b.map { (index: $0.index + split, approx: $0.approx, exact: $0.exact) }
        Ranking.sortInRankOrder(&a)
        Ranking.sortInRankOrder(&b)
        return (a, b)
    }

    @Test("The radix sort orders doubles descending, ties by position: negatives, zero, infinities, tiny and huge")
    func radixSortOrder() async {
        let values: [Double] = [0, 1, -1, 0.5, -0.5, 2.5e-300, -2.5e-300, 1e300, -1e300, .infinity, -.infinity,
                                3, 3, 1.0 / 3, 2.0 / 3, 1e-9, 255, 256, 257, 65_536.5]
        await propertyCheck(count: 300, input: Gen.int(in: 0...(values.count - 1)).array(of: 0...80)) { picks in
            let doubles = picks.map { values[$0] }
            var keys = doubles.enumerated().map {
                Ranking.RadixKey(key: Ranking.descendingKey($0.element), at: UInt32($0.offset))
            }
            Ranking.radixSort(&keys)
            let expected = doubles.indices.sorted { doubles[$0] > doubles[$1] || (doubles[$0] == doubles[$1] && $0 < $1) }
            #expect(keys.map { Int($0.at) } == expected)
        }
    }

    @Test("The merge's split at any place takes exactly the first places of the one-thread merge")
    func mergeSplitAnywhere() async {
        let gen = Gen.int(in: 0...9).array(of: 0...40)
        await propertyCheck(count: 300, input: gen) { scores in
            let (a, b) = halves(scores, split: scores.count / 3)
            var merged: [Int] = []
            Ranking.merge(a[...], b[...]) { merged.append($0.index) }
            for m in 0...(a.count + b.count) {
                let i = Ranking.mergeSplit(a, b, at: m)
                let firstM = Set(merged.prefix(m))
                #expect(Set(a.prefix(i).map(\.index) + b.prefix(m - i).map(\.index)) == firstM, "m \(m)")
            }
        }
    }

    @Test("Entries merged on two threads are the one-thread merge, ranked 1, 2, 3, ...")
    func mergedEntriesOnTwoThreads() {
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
