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

private extension Int128 {
    func power(_ exponent: Int) -> Int128 {
        (0..<exponent).reduce(1) { result, _ in result * self }
    }
}
