import PrioEngine
import PrioStorage
import Testing

@Suite("Formula strategies")
struct FormulaTests {
    static let backlog = """
        # Formulas

        - formula: delay = (value + time-criticality + risk-reduction) / size
        - formula: weighted = 0.4 * value + 0.3 * reach - 0.3 * effort

        ## S-1 Checkout
        - value: 13
        - time-criticality: 8
        - risk-reduction: 3
        - size: 4
        - points: 5
        - reach: 10
        - effort: 2

        ## S-2 Search
        - value: 8
        - time-criticality: 2
        - risk-reduction: 2
        - size: 2
        - reach: 4
        - effort: 3

        ## S-3 Zero size
        - value: 8
        - time-criticality: 2
        - risk-reduction: 2
        - size: 0

        ## S-4 Points only
        - value: 8
        - time-criticality: 1
        - risk-reduction: 1
        - points: 2

        ## S-5 Also six
        - value: 1
        - time-criticality: 1
        - risk-reduction: 4
        - size: 1
        """

    func ranking(_ name: String, _ text: String = FormulaTests.backlog) throws -> Ranking {
        let backlog = try load(text)
        let strategy = try #require(backlog.strategies.strategy(named: name))
        return Ranking(backlog, strategy: strategy)
    }

    @Test("delay: exact ties stay ties (6 = 24/4 = 12/2 = 6/1) and keep the manual order; no fallback to points")
    func delay() throws {
        let r = try ranking("delay")
        #expect(rankedIDs(r) == ["S-1", "S-2", "S-5", "S-3", "S-4"])
        #expect(r.entries.prefix(3).map(\.score.fraction) == [Fraction(6), Fraction(6), Fraction(6)])
        #expect(r.explanation(r.entries[0]) == "delay 6.00 = (13 + 8 + 3) / 4")
        #expect(r.why(r.entries[1]) == "(8 + 2 + 2) / 2")
        #expect(r.explanation(r.entries[3]) == "unscored: it divides by zero")
        // S-4 has points but no size: a formula reads fields as written.
        #expect(r.explanation(r.entries[4]) == "unscored: no size")
    }

    @Test("weighted: decimals and subtraction are exact: 0.4 × 13 + 0.3 × 10 − 0.3 × 2 = 7.6")
    func weighted() throws {
        let r = try ranking("weighted")
        #expect(rankedIDs(r) == ["S-1", "S-2", "S-3", "S-4", "S-5"])
        #expect(r.entries[0].score.fraction == Fraction(numerator: 38, denominator: 5))
        #expect(r.entries[1].score.fraction == Fraction(numerator: 7, denominator: 2))
        #expect(r.explanation(r.entries[0]) == "weighted 7.60 = 0.4 * 13 + 0.3 * 10 - 0.3 * 2")
        #expect(r.explanation(r.entries[2]) == "unscored: no reach, no effort")
    }

    @Test("Precedence, unary minus, powers, min, max, abs and custom fields")
    func grammar() throws {
        func value(_ expression: String, _ fields: [String: Fraction] = [:]) throws -> Fraction? {
            let formula = try Formula(expression)
            guard case .success(let v) = formula.evaluate({ fields[formula.fields[$0]] }) else { return nil }
            return v
        }
        #expect(try value("1 + 2 * 3") == Fraction(7))
        #expect(try value("(1 + 2) * 3") == Fraction(9))
        #expect(try value("-2 ^ 2") == Fraction(-4))
        #expect(try value("2 ^ -2") == Fraction(numerator: 1, denominator: 4))
        #expect(try value("10 - 2 - 3") == Fraction(5))
        #expect(try value("12 / 2 / 3") == Fraction(2))
        #expect(try value("min(3, 1, 2) + max(4, 9) + abs(-2.5)") == Fraction(numerator: 25, denominator: 2))
        #expect(try value("a-b - c", ["a-b": Fraction(5), "c": Fraction(2)]) == Fraction(3))
        #expect(try value("time-criticality*2", ["time-criticality": Fraction(4)]) == Fraction(8))
        #expect(try Formula("value / (size - size)").evaluate { _ in Fraction(3) } == .failure(.divisionByZero))
        #expect(try Formula("0 ^ -1").evaluate { _ in nil } == .failure(.divisionByZero))
    }

    @Test("Malformed formulas say where", arguments: [
        ("", "the formula is empty", 0),
        ("value +", "the formula ends where a number or field was expected", 7),
        ("(value + 1", "'(' is never closed", 0),
        ("value 2", "expected an operator before '2'", 6),
        ("value ^ 1.5", "'^' takes a whole number (x ^ 2)", 7),
        ("value $ 2", "expected an operator before '$'", 6),
        ("min()", "min takes at least one value", 0),
        ("abs(1, 2)", "abs takes one value", 0),
        ("value)", "')' without '('", 5),
    ])
    func problems(_ source: String, _ message: String, _ offset: Int) {
        #expect(throws: Formula.Problem(message: message, offset: offset)) { try Formula(source) }
    }

    @Test("A formula nested 10,000 deep is refused, not a crash")
    func deep() {
        let source = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(throws: Formula.Problem.self) { try Formula(source) }
        #expect(throws: Formula.Problem.self) { try Formula(String(repeating: "-", count: 10_000) + "1") }
    }

    @Test("Header errors are located, with a did-you-mean for a mistyped field")
    func headerErrors() {
        let text = """
            # X

            - formula: typo = valu + 1
            - formula: wsjf = value
            - formula: cd3 = value
            - formula: dup = value
            - formula: dup = value
            - formula: st = status * 2
            - formula: (value)
            - formula: ok = reach-score + 1

            ## S-1 A
            - value: 1
            - reach score: 2
            """
        let errors: [String]
        do {
            _ = try BacklogParser.parse(text, path: "b.md")
            errors = []
        } catch {
            errors = error.errors.map(\.description)
        }
        #expect(errors == [
            "b.md:3:19: error: unknown field 'valu' in formula 'typo' (did you mean 'value'?)",
            "b.md:4:12: error: 'wsjf' is the built-in strategy 'wsjf'; give the formula another name",
            "b.md:5:12: error: 'cd3' is an alias of the built-in strategy 'wsjf'; give the formula another name",
            "b.md:7:12: error: formula 'dup' is declared twice",
            "b.md:8:17: error: 'status' is not a number field; formula 'st' can only use numbers",
            "b.md:9:12: error: a formula is NAME = EXPRESSION, such as 'delay = (value + time-criticality) / size'",
        ])
    }

    @Test("A formula names custom fields any story uses or the header declares; the header's strategy may be a formula")
    func customFields() throws {
        let backlog = try load("""
            # X

            - strategy: reach-first
            - fields: votes
            - formula: reach-first = reach-score * 2 + votes

            ## S-1 A
            - reach score: 3
            - votes: 1

            ## S-2 B
            - reach score: 5
            """)
        #expect(backlog.strategies.names == ["manual", "moscow", "wsjf", "value-effort", "rice", "reach-first"])
        let strategy = try #require(backlog.strategies.strategy(named: "Reach_First"))
        let ranking = Ranking(backlog, strategy: strategy)
        #expect(rankedIDs(ranking) == ["S-1", "S-2"])
        #expect(ranking.explanation(ranking.entries[0]) == "reach-first 7.00 = 3 * 2 + 1")
        #expect(ranking.explanation(ranking.entries[1]) == "unscored: no votes")
    }
}
