import PrioEngine
import PrioStorage
import Testing

@Suite("Strategies")
struct StrategyTests {
    func rank(_ text: String, _ name: String, all: Bool = false) throws -> Ranking {
        let strategy = try #require(StrategyRegistry.strategy(named: name))
        return Ranking(try load(text), strategy: strategy, includeDone: all)
    }

    @Test("RICE: Intercom's worked example ranks P3 (800), P1 (675), P2 (400)")
    func intercomRICE() throws {
        // Sean McBride, "RICE: Simple prioritization for product managers", Intercom.
        let ranking = try rank("""
            ## P-1 Project 1
            - reach: 450
            - impact: 3
            - confidence: 100%
            - effort: 2

            ## P-2 Project 2
            - reach: 2000
            - impact: 1
            - confidence: 80%
            - effort: 4

            ## P-3 Project 3
            - reach: 800
            - impact: 2
            - confidence: 50%
            - effort: 1
            """, "rice")
        #expect(rankedIDs(ranking) == ["P-3", "P-1", "P-2"])
        #expect(ranking.entries.map { $0.score.fraction } == [Fraction(800), Fraction(675), Fraction(400)])
        #expect(ranking.explanation(ranking.entries[0]) == "RICE 800.00 = 800 × 2 × 50% / 1")
    }

    @Test("WSJF: Black Swan Farming's CD3 example ranks B, C, A")
    func blackSwanCD3() throws {
        // Cost of delay per week as value, duration in weeks as size: CD3 = 200, 4000, 2500.
        let ranking = try rank("""
            ## F-1 Feature A
            - value: 1000
            - time-criticality: 0
            - risk-reduction: 0
            - size: 5

            ## F-2 Feature B
            - value: 4000
            - time-criticality: 0
            - risk-reduction: 0
            - size: 1

            ## F-3 Feature C
            - value: 5000
            - time-criticality: 0
            - risk-reduction: 0
            - size: 2
            """, "wsjf")
        #expect(rankedIDs(ranking) == ["F-2", "F-3", "F-1"])
        #expect(ranking.entries.map { $0.score.fraction } == [Fraction(4000), Fraction(2500), Fraction(200)])
    }

    @Test("WSJF explanation quotes the user's numbers and the points fallback")
    func wsjfExplanation() throws {
        let ranking = try rank("## S-12 Guest checkout\n- value: 8\n- time-criticality: 5\n- risk-reduction: 3\n- points: 5\n", "wsjf")
        #expect(ranking.explanation(ranking.entries[0]) == "WSJF 3.20 = (8 + 5 + 3) / 5, size from points")
    }

    @Test("Ties are exact and keep the manual order: 6/2 ties 15/5, 0.1+0.2 ties 0.3")
    func exactTies() throws {
        let ve = try rank("""
            ## S-1 A
            - value: 6
            - effort: 2

            ## S-2 B
            - value: 15
            - effort: 5

            ## S-3 C
            - value: 3.0000000000001
            - effort: 1
            """, "value-effort")
        #expect(rankedIDs(ve) == ["S-3", "S-1", "S-2"])
        let wsjf = try rank("""
            ## S-1 Noise
            - value: 0.1
            - time-criticality: 0.2
            - risk-reduction: 0
            - size: 1

            ## S-2 Clean
            - value: 0.3
            - time-criticality: 0
            - risk-reduction: 0
            - size: 1
            """, "wsjf")
        #expect(wsjf.entries[0].score == wsjf.entries[1].score)
        #expect(rankedIDs(wsjf) == ["S-1", "S-2"])
        // In the other file order the tie still keeps the manual order.
        let swapped = try rank("""
            ## S-2 Clean
            - value: 0.3
            - time-criticality: 0
            - risk-reduction: 0
            - size: 1

            ## S-1 Noise
            - value: 0.1
            - time-criticality: 0.2
            - risk-reduction: 0
            - size: 1
            """, "wsjf")
        #expect(rankedIDs(swapped) == ["S-2", "S-1"])
    }

    @Test("Unscored stories rank last in manual order and say what is missing")
    func unscored() throws {
        let ranking = try rank("""
            ## S-1 No size
            - value: 5
            - time-criticality: 1
            - risk-reduction: 1

            ## S-2 Scored low
            - value: 1
            - time-criticality: 0
            - risk-reduction: 0
            - points: 8

            ## S-3 Zero size
            - value: 5
            - time-criticality: 5
            - risk-reduction: 5
            - size: 0

            ## S-4 Nothing

            ## S-5 Scored high
            - value: 8
            - time-criticality: 8
            - risk-reduction: 8
            - size: 1
            """, "wsjf")
        #expect(rankedIDs(ranking) == ["S-5", "S-2", "S-1", "S-3", "S-4"])
        #expect(ranking.entries.map(\.rank) == [1, 2, 3, 4, 5])
        #expect(ranking.explanation(ranking.entries[2]) == "unscored: no size or points")
        #expect(ranking.explanation(ranking.entries[3]) == "unscored: size is 0, must be above 0")
        #expect(ranking.explanation(ranking.entries[4])
            == "unscored: no value, no time-criticality, no risk-reduction, no size or points")
        #expect(ranking.entries[2].score.fraction == nil)
    }

    @Test("MoSCoW: must > should > could > wont, manual order within, unset last")
    func moscow() throws {
        let ranking = try rank("""
            ## S-1 A
            - moscow: could

            ## S-2 B
            - moscow: wont

            ## S-3 C

            ## S-4 D
            - moscow: must

            ## S-5 E
            - moscow: should

            ## S-6 F
            - moscow: must
            """, "moscow")
        #expect(rankedIDs(ranking) == ["S-4", "S-6", "S-5", "S-1", "S-2", "S-3"])
        #expect(ranking.explanation(ranking.entries[0]) == "Must have (must = 4)")
        #expect(ranking.explanation(ranking.entries[5]) == "unscored: no moscow value")
    }

    @Test("Manual keeps the file order; done stories only with all")
    func manualAndDone() throws {
        let text = "## S-3 A\n\n## S-1 B\n- status: done\n\n## S-2 C\n"
        #expect(rankedIDs(try rank(text, "manual")) == ["S-3", "S-2"])
        #expect(rankedIDs(try rank(text, "manual", all: true)) == ["S-3", "S-1", "S-2"])
        #expect(rankedIDs(try rank(text, "rice", all: true)) == ["S-3", "S-1", "S-2"])
    }

    @Test("Value/effort quadrants split at the medians")
    func quadrants() throws {
        let ranking = try rank("""
            ## S-1 Quick win
            - value: 10
            - effort: 1

            ## S-2 Big bet
            - value: 10
            - effort: 10

            ## S-3 Fill-in
            - value: 1
            - effort: 1

            ## S-4 Money pit
            - value: 1
            - effort: 10
            """, "value-effort")
        let text = ranking.entries.map { ranking.story($0).title + ": " + ranking.explanation($0) }
        #expect(text == [
            "Quick win: value/effort 10.00 = 10 / 1; quick win",
            "Big bet: value/effort 1.00 = 10 / 10; big bet",
            "Fill-in: value/effort 1.00 = 1 / 1; fill-in",
            "Money pit: value/effort 0.10 = 1 / 10; money pit",
        ])
    }

    @Test("Quadrant medians: even counts average the middle two; the split is inclusive")
    func medianSplit() throws {
        // Values 2, 4, 6, 8 → median 5; efforts 1, 2, 3, 4 → median 2.5.
        let ranking = try rank("""
            ## S-1 A
            - value: 2
            - effort: 1

            ## S-2 B
            - value: 4
            - effort: 4

            ## S-3 C
            - value: 6
            - effort: 2

            ## S-4 D
            - value: 8
            - effort: 3
            """, "value-effort")
        let context = try #require(ranking.context)
        #expect(context.values["value-median"] == Fraction(5))
        #expect(context.values["effort-median"] == Fraction(numerator: 5, denominator: 2))
        let quadrants = ranking.entries.map { ranking.story($0).id.description + " " + (ranking.explanation($0).components(separatedBy: "; ").last ?? "") }
        #expect(quadrants == ["S-3 quick win", "S-4 big bet", "S-1 fill-in", "S-2 money pit"])
    }

    @Test("RICE falls back to points and notes it; confidence without %")
    func riceFallback() throws {
        let ranking = try rank("## S-1 A\n- reach: 1000\n- impact: 0.5\n- confidence: 80\n- points: 4\n", "rice")
        #expect(ranking.entries[0].score.fraction == Fraction(100))
        #expect(ranking.explanation(ranking.entries[0]) == "RICE 100.00 = 1000 × 0.5 × 80% / 4, effort from points")
    }

    @Test("Huge numbers never crash ranking")
    func hugeNumbers() throws {
        let big = String(repeating: "9", count: 30)
        let ranking = try rank("""
            ## S-1 A
            - reach: \(big)
            - impact: \(big)
            - confidence: 100
            - effort: 0.\(String(repeating: "0", count: 28))1

            ## S-2 B
            - reach: 1
            - impact: 1
            - confidence: 1
            - effort: 1
            """, "rice")
        #expect(rankedIDs(ranking) == ["S-2", "S-1"])
        #expect(ranking.explanation(ranking.entries[1]) == "unscored: numbers too large to score")
    }

    @Test("Applying a ranking keeps done stories in place")
    func applyRanking() throws {
        var backlog = try load("""
            ## S-1 Low
            - moscow: could

            ## S-2 Done
            - status: done
            - moscow: must

            ## S-3 High
            - moscow: must
            """)
        let strategy = try #require(StrategyRegistry.strategy(named: "moscow"))
        backlog.apply(Ranking(backlog, strategy: strategy))
        #expect(ids(backlog) == ["S-3", "S-2", "S-1"])
    }

    @Test("The registry knows every strategy by name")
    func registry() {
        #expect(StrategyRegistry.names == ["manual", "moscow", "wsjf", "value-effort", "rice"])
        #expect(StrategyRegistry.strategy(named: "WSJF")?.name == "wsjf")
        #expect(StrategyRegistry.strategy(named: "value_effort")?.name == "value-effort")
        #expect(StrategyRegistry.strategy(named: "nope") == nil)
    }
}
