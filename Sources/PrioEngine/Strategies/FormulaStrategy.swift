/// A strategy the backlog declares in its header: `- formula: delay = (value + time-criticality) / size`.
///
/// A formula reads each field as written in the story, with no fallbacks; a story missing any
/// field it names, or dividing by zero, is unscored with the reason.
public struct FormulaStrategy: Strategy, Hashable {
    public let name: String
    /// The formula's expression.
    public let expression: Formula
    public var title: String { "\(name) (formula)" }
    public var formula: String { "\(name) = \(expression.source.trimmingASCIIWhitespace())" }
    public let inputs: [FieldKey]
    /// For each field the formula names: the canonical key, or nil for a custom field.
    private let keys: [FieldKey?]
    private let wanted: NumericKeys

    /// A strategy named `name` scoring by `expression`.
    public init(name: String, expression: Formula) {
        self.name = name
        self.expression = expression
        keys = expression.fields.map { FieldKey(rawValue: $0) }
        inputs = keys.compactMap { $0 }
        wanted = NumericKeys(inputs)
    }

    public static func == (a: FormulaStrategy, b: FormulaStrategy) -> Bool { a.name == b.name && a.expression == b.expression }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }

    /// The number of each field the formula names, as written in the story (nil when absent).
    private func values(_ story: borrowing Story) -> [Fraction?] {
        let numbers = story.numbers(wanted)
        return keys.indices.map { i in
            if let key = keys[i] { return numbers[key]?.fraction }
            return story.value(of: expression.fields[i]).flatMap(parseStoredNumber)?.fraction
        }
    }

    public func score(_ story: borrowing Story) -> Score {
        let values = values(story)
        let missing = values.indices.filter { values[$0] == nil }.map { expression.fields[$0] }
        guard missing.isEmpty else { return .unscored(missingList(missing)) }
        switch expression.evaluate({ values[$0] }) {
        case .success(let result): return .value(result)
        case .failure(.divisionByZero): return .unscored("it divides by zero")
        case .failure(.missing(let field)): return .unscored(missingList([field]))
        case .failure(.tooLarge): return .unscored("numbers too large to score")
        }
    }

    /// `delay 6.00 = (13 + 8 + 3) / 4`.
    public func explain(_ story: Story, score: Score, context: RankingContext?) -> String {
        guard case .value(let result) = score else {
            if case .unscored(let reason) = score { return "unscored: \(reason)" }
            return ""
        }
        return "\(name) \(result.formatted) = \(why(story, score: score, context: context))"
    }

    /// The formula with the story's numbers as written: `(13 + 8 + 3) / 4`.
    public func why(_ story: Story, score: Score, context: RankingContext?) -> String {
        guard case .value = score else { return explain(story, score: score, context: context) }
        return expression.substituted { i in
            if let key = keys[i] { return story.written(key) }
            return story.value(of: expression.fields[i]) ?? "?"
        }
    }
}

/// Every strategy a backlog can rank by: the built-ins, then the formulas its header declares.
/// The screen, the CLI and the help texts list strategies from here.
public struct StrategyCatalogue: Sendable {
    /// Built-ins first (in `StrategyRegistry` order), then formulas in the order declared.
    public let all: [any Strategy]

    /// The built-ins and `formulas`.
    public init(formulas: [FormulaStrategy] = []) {
        all = StrategyRegistry.all + formulas
    }

    /// The strategies' names.
    public var names: [String] { all.map(\.name) }

    /// The strategy with a name (built-in names and aliases, then formula names), or nil.
    public func strategy(named name: String) -> (any Strategy)? {
        index(named: name).map { all[$0] }
    }

    /// The position in `all` of the strategy with a name, or nil.
    public func index(named name: String) -> Int? {
        if let builtIn = StrategyRegistry.strategy(named: name) {
            return all.firstIndex { $0.name == builtIn.name }
        }
        let key = FieldKey.normalize(name)
        return all.firstIndex { FieldKey.normalize($0.name) == key }
    }
}

extension BacklogHeader {
    /// The formula strategies the header declares (`- formula: NAME = EXPRESSION`), in order;
    /// lines that do not parse are left out (the parser reports them).
    public var formulas: [FormulaStrategy] {
        var seen: Set<String> = []
        return settings.filter { $0.key == "formula" }.compactMap { FormulaStrategy.declared($0.value)?.strategy }.filter {
            StrategyRegistry.strategy(named: $0.name) == nil && !$0.name.isEmpty && seen.insert(FieldKey.normalize($0.name)).inserted
        }
    }
}

extension Backlog {
    /// The strategies this backlog can be ranked by.
    public var strategies: StrategyCatalogue { StrategyCatalogue(formulas: header.formulas) }
}

extension FormulaStrategy {
    /// A `formula` setting's value split into its name and its expression, parsed; the UTF-8
    /// offset of the expression in the value; nil when there is no `=`.
    static func declared(_ value: String) -> (name: String, nameOffset: Int, strategy: FormulaStrategy?,
                                              problem: Formula.Problem?, expressionOffset: Int)? {
        guard let (name, nameOffset, expression, expressionOffset) = splitNamedSetting(value) else { return nil }
        do throws(Formula.Problem) {
            let formula = try Formula(expression)
            return (name, nameOffset, FormulaStrategy(name: name, expression: formula), nil, expressionOffset)
        } catch {
            return (name, nameOffset, nil, error, expressionOffset)
        }
    }
}
