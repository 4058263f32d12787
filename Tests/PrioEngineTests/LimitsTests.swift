@testable import PrioEngine
@testable import PrioStorage
import Testing

/// Numbers at their limits (issue 24, items 6, 7 and 8): a bound reached is an error or an
/// unscored story with the reason, never a trap.
@Suite("Numbers at their limits")
struct LimitsTests {
    @Test("Int128.min over a negative: the sign cannot move, so the result is too large (no trap)")
    func int128Minimum() {
        let minimum = Fraction(numerator: Int128.min, denominator: 1)
        #expect(minimum.divided(by: Fraction(-1)) == nil)
        #expect(minimum.multiplied(by: Fraction(-1)) == nil)
        #expect(Fraction(1).divided(by: Fraction(numerator: Int128.min, denominator: 1)) == nil)
        #expect(Fraction(6).divided(by: Fraction(-3)) == Fraction(-2))
        // The story: value * points / size, with value -2^63, points 2^64, size -1.
        let formula = try? Formula("value * points / size")
        let values: [String: Fraction] = ["value": Fraction(numerator: -Int128(1) << 63, denominator: 1),
                                          "points": Fraction(numerator: Int128(1) << 64, denominator: 1),
                                          "size": Fraction(-1)]
        let result = formula?.evaluate { values[formula?.fields[$0] ?? ""] }
        #expect(result == .failure(.tooLarge))
    }

    @Test("A formula's size is bounded, long chains included: a located problem, no deep tree")
    func formulaBounds() throws {
        let chain = String(repeating: "1+", count: 100_000) + "1"
        #expect(throws: Formula.Problem(message: "the formula is longer than 2048 bytes", offset: 2048)) { try Formula(chain) }
        let long = String(repeating: "1+", count: 300) + "1"
        #expect(throws: Formula.Problem(message: "the formula has more than 256 operations", offset: 513)) { try Formula(long) }
        let fine = try Formula(String(repeating: "1+", count: 256) + "1")
        #expect(fine.evaluate { _ in nil } == .success(Fraction(257)))
        let negations = String(repeating: "-", count: 300) + "1"
        #expect(throws: Formula.Problem.self) { try Formula(negations) }
    }

    @Test("No new ID past 18 digits: newID refuses, append refuses a 19-digit number")
    func idBound() throws {
        var backlog = try BacklogParser.parse("# T\n\n## S-999999999999999998 A\n").backlog
        #expect(try backlog.newID() == StoryID(prefix: "S", number: 999_999_999_999_999_999))
        try backlog.append(Story(id: try backlog.newID(), title: "B"))
        #expect(throws: PrioError.self) { try backlog.newID() }
        #expect(throws: PrioError.self) { try backlog.append(Story(id: StoryID(prefix: "S", number: 1_000_000_000_000_000_000), title: "C")) }
    }

    @Test("PRIO_LOCK_TIMEOUT is clamped to a day; not a number is the default 30 seconds")
    func lockTimeout() {
        #expect(LockWait.timeout(fromEnvironment: "inf") == .seconds(86_400))
        #expect(LockWait.timeout(fromEnvironment: "1e300") == .seconds(86_400))
        #expect(LockWait.timeout(fromEnvironment: "99999999999999999") == .seconds(86_400))
        #expect(LockWait.timeout(fromEnvironment: "-inf") == .zero)
        #expect(LockWait.timeout(fromEnvironment: "nan") == .seconds(30))
        #expect(LockWait.timeout(fromEnvironment: "soon") == .seconds(30))
        #expect(LockWait.timeout(fromEnvironment: nil) == .seconds(30))
        #expect(LockWait.timeout(fromEnvironment: " 1.5 ") == .milliseconds(1500))
    }

    @Test("compare with more than 16 strategies pairs each with the first only (linear); up to 16, every pair")
    func comparePairs() throws {
        var text = "# T\n\n"
        for i in 0..<20 { text += "- formula: f\(i) = value * \(i + 1) / points\n" }
        text += "\n## S-1 A\n- value: 3\n- points: 2\n\n## S-2 B\n- value: 5\n- points: 1\n"
        let backlog = try BacklogParser.parse(text).backlog
        let formulas = backlog.strategies.all.filter { $0 is FormulaStrategy }
        let many = StrategyComparison(backlog, strategies: formulas)
        #expect(many.pairs.count == 19)
        #expect(many.pairs.allSatisfy { $0.a == 0 })
        let few = StrategyComparison(backlog, strategies: Array(formulas.prefix(16)))
        #expect(few.pairs.count == 16 * 15 / 2)
    }

    @Test("Duplicate custom fields and duplicate voters are still found (now by set)")
    func duplicatesBySet() {
        #expect(throws: BacklogErrors.self) { try BacklogParser.parse("# T\n\n## S-1 A\n- Team: x\n- team: y\n") }
        #expect(throws: BacklogErrors.self) { try BacklogParser.parse("# T\n\n## S-1 A\n- value-votes: a 1, b 2, a 3\n") }
    }
}
