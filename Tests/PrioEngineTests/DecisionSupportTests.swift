import PrioEngine
import PrioStorage
import Testing

@Suite("Compare, matrix and what it would take")
struct DecisionSupportTests {
    /// Manual order S-1..S-4; `up` ranks S-4, S-3, S-2, S-1; `swap` ranks S-2, S-1, S-3, S-4.
    static let four = """
        # Four

        - formula: up = value
        - formula: swap = reach

        ## S-1 One
        - value: 1
        - reach: 30

        ## S-2 Two
        - value: 2
        - reach: 40

        ## S-3 Three
        - value: 3
        - reach: 20

        ## S-4 Four
        - value: 4
        - reach: 10

        """

    func strategies(_ backlog: Backlog, _ names: [String]) throws -> [any Strategy] {
        try names.map { try #require(backlog.strategies.strategy(named: $0)) }
    }

    @Test("Kendall's tau on hand-checked rankings: same 1, reversed -1, one swapped pair of four 4/6; top-2 overlaps")
    func kendall() throws {
        let backlog = try load(Self.four)
        let c = StrategyComparison(backlog, strategies: try strategies(backlog, ["manual", "up", "swap"]), top: 2)
        #expect(c.rows.map { backlog.stories[$0.storyIndex].id.description } == ["S-1", "S-2", "S-3", "S-4"])
        #expect(c.rows.map(\.ranks) == [[1, 4, 2], [2, 3, 1], [3, 2, 3], [4, 1, 4]])
        let pairs = c.pairs.map { "\(c.strategies[$0.a].name)-\(c.strategies[$0.b].name) \($0.kendallTau ?? 9) \($0.topOverlap)" }
        // manual vs swap: only (S-1, S-2) is discordant: (5 - 1) / 6. up vs swap: 5 of 6 pairs discordant.
        #expect(pairs == ["manual-up -1.0 0", "manual-swap \(4.0 / 6.0) 2", "up-swap \(-4.0 / 6.0) 0"])
        let same = StrategyComparison(backlog, strategies: try strategies(backlog, ["up", "up"]))
        #expect(same.pairs.first?.kendallTau == 1)
    }

    @Test("Kendall's tau in O(n log n) agrees with counting every pair, on random orders")
    func kendallMatchesNaive() {
        var generator = SystemRandomNumberGenerator()
        for n in [2, 3, 10, 57] {
            let order = Array(0..<n).shuffled(using: &generator)
            let rank = (0..<n).map { _ in Int32(0) }.enumerated().map { _, _ in Int32(0) }
            var ranks = rank
            for (position, item) in Array(0..<n).shuffled(using: &generator).enumerated() { ranks[item] = Int32(position + 1) }
            var concordant = 0, discordant = 0
            for i in 0..<n {
                for j in (i + 1)..<n {
                    if ranks[order[i]] < ranks[order[j]] { concordant += 1 } else { discordant += 1 }
                }
            }
            let expected = Double(concordant - discordant) / Double(n * (n - 1) / 2)
            let tau = StrategyComparison.kendallTau(order, ranks)
            #expect(abs((tau ?? 9) - expected) < 1e-12, "n = \(n)")
        }
        #expect(StrategyComparison.kendallTau([0], [1]) == nil)
    }

    @Test("The matrix splits at the medians of the scored stories, with effort falling back to points")
    func matrix() throws {
        let backlog = try load("""
            ## S-1 Quick
            - value: 9
            - effort: 1

            ## S-2 Bet
            - value: 8
            - points: 8

            ## S-3 Filler
            - value: 2
            - effort: 2

            ## S-4 Pit
            - value: 1
            - effort: 9

            ## S-5 Unscored
            - value: 3

            ## S-6 Done
            - status: done
            - value: 100
            - effort: 1
            """)
        let m = ValueEffortMatrix(backlog)
        #expect(m.valueMedian == Fraction(5) && m.effortMedian == Fraction(5))
        #expect(m.points.map { "\(backlog.stories[$0.storyIndex].id) \($0.quadrant)" }
                == ["S-1 quick win", "S-2 big bet", "S-3 fill-in", "S-4 money pit"])
        #expect(m.unscored == [4])
        #expect(MatrixReport.json(m, backlog: backlog) == """
            {
              "x": "effort",
              "y": "value",
              "x_median": 5,
              "y_median": 5,
              "quadrants": {
                "quick win": ["S-1"],
                "big bet": ["S-2"],
                "fill-in": ["S-3"],
                "money pit": ["S-4"]
              },
              "unscored": ["S-5"]
            }

            """)
        let withDone = ValueEffortMatrix(backlog, includeDone: true)
        #expect(withDone.points.count == 5)
    }

    static let three = """
        # Three

        - sprint: Sprint 1 | capacity 6

        ## S-1 First
        - value: 6
        - time-criticality: 0
        - risk-reduction: 0
        - size: 1
        - points: 3

        ## S-2 Second
        - value: 5
        - time-criticality: 0
        - risk-reduction: 0
        - size: 1
        - points: 3

        ## S-3 Third
        - value: 4
        - time-criticality: 0
        - risk-reduction: 0
        - size: 1
        - points: 3

        """

    @Test("Thresholds for a three-story backlog: S-3 passes S-2 (score 5) with value > 5, tc > 1, rr > 1, size < 0.8")
    func threeStories() throws {
        let backlog = try load(Self.three)
        let ranking = Ranking(backlog, strategy: WSJFStrategy())
        let answer = try #require(WhatItWouldTake(storyIndex: 2, in: ranking))
        #expect(answer.entry.rank == 3)
        #expect(answer.above?.storyIndex == 1)
        #expect(answer.toPass.map { "\($0.field) \($0.now) \($0.text)" } == [
            "value 4 > 5", "time-criticality 0 > 1", "risk-reduction 0 > 1", "size 1 < 0.8",
        ])
        // S-2 passing S-1: S-2 is later in the manual order too.
        let second = try #require(WhatItWouldTake(storyIndex: 1, in: ranking))
        #expect(second.toPass.first?.text == "> 6")
        // Moved above S-1 in the manual order, S-2 would need only an equal score.
        var reordered = backlog
        reordered.move(from: 1, to: 0)
        let tie = try #require(WhatItWouldTake(storyIndex: 0, in: Ranking(reordered, strategy: WSJFStrategy())))
        #expect(tie.toPass.first?.text == ">= 6")
        #expect(try #require(WhatItWouldTake(storyIndex: 0, in: ranking)).above == nil)
    }

    @Test("To make the sprint: pass the last story above the cut line, confirmed by planning again")
    func sprintCut() throws {
        let backlog = try load(Self.three)
        let answer = try WhatItWouldTake.toMakeSprint(storyIndex: 2, backlog: backlog, strategy: WSJFStrategy(),
                                                      sprint: "Sprint 1", capacity: DecimalNumber(6))
        #expect(!answer.alreadyIn && answer.obstacle == nil)
        #expect(answer.cutAfter?.storyIndex == 1)
        #expect(answer.thresholds.map(\.text) == ["> 5", "> 1", "> 1", "< 0.8"])
        let taken = try WhatItWouldTake.toMakeSprint(storyIndex: 0, backlog: backlog, strategy: WSJFStrategy(),
                                                     sprint: "Sprint 1", capacity: DecimalNumber(6))
        #expect(taken.alreadyIn)
        // Too big for the sprint whatever it scores: a capacity of 2 takes nobody of 3 points.
        let small = try WhatItWouldTake.toMakeSprint(storyIndex: 2, backlog: backlog, strategy: WSJFStrategy(),
                                                     sprint: "Sprint 1", capacity: DecimalNumber(2))
        #expect(small.thresholds.isEmpty)
    }

    @Test("A value the strategy refuses is no answer: effort cannot reach zero")
    func noValueWould() throws {
        let backlog = try load("""
            ## S-1 Far ahead
            - value: 100
            - effort: 1

            ## S-2 Behind
            - value: 1
            - effort: 1
            """)
        let ranking = Ranking(backlog, strategy: ValueEffortStrategy())
        let answer = try #require(WhatItWouldTake(storyIndex: 1, in: ranking))
        // value > 100 works; effort would have to be below 0.01 (1/100 would tie; S-2 is later).
        #expect(answer.toPass.map(\.text) == ["> 100", "< 0.01"])
    }
}
