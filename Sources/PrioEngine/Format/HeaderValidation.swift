#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The header's settings validated once the file is read: strategies, formulas, sprints,
/// stakeholders; and dependencies checked against the IDs.
extension Parser {
    // MARK: Validation

    mutating func validateHeader(_ header: BacklogHeader,
                                 lines: [Int: (line: Int, lineStart: Int, valueStart: Int)],
                                 declared: Set<String>) {
        var seen: Set<String> = []
        // The names declared so far, by setting (`sprint`, `stakeholder`).
        var names: [String: Set<String>] = [:]
        var formulaNames: Set<String> = []
        var fieldNames: [String]?
        for (index, setting) in header.settings.enumerated() {
            guard let position = lines[index] else { continue }
            if setting.key == "formula" {
                // One line per formula, like sprints; the fields it names must exist somewhere.
                let names = fieldNames ?? Self.formulaFieldNames(customKeys: customKeys, declared: declared)
                fieldNames = names
                validateFormula(setting.value, at: position, knownFields: names, seen: &formulaNames)
                continue
            }
            if let findings = GroomingSettings.findings(setting, index: index, header: header,
                                                        customFields: customKeys.union(declared)) {
                for finding in findings {
                    let at = position.valueStart + finding.offset
                    if finding.isError { error(line: position.line, lineStart: position.lineStart, at: at, finding.message) }
                    else { warning(line: position.line, lineStart: position.lineStart, at: at, finding.message) }
                }
                if setting.key == "view" { continue }  // One line per view.
            }
            // One line per sprint and per stakeholder, each name declared once.
            let named: Result<String, FieldProblem>? = switch setting.key {
            case "sprint": Sprint.parse(setting.value).map(\.name)
            case "stakeholder": Stakeholder.parse(setting.value).map(\.name)
            default: nil
            }
            if let named {
                switch named {
                case .success(let name):
                    if !names[setting.key, default: []].insert(name).inserted {
                        error(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                              "\(setting.key) '\(name)' is declared twice")
                    }
                case .failure(let problem):
                    error(line: position.line, lineStart: position.lineStart, at: position.valueStart, problem.message)
                }
                continue
            }
            if !seen.insert(setting.key).inserted {
                error(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                      "setting '\(setting.key)' appears twice")
            }
            switch setting.key {
            case "strategy":
                let catalogue = StrategyCatalogue(formulas: header.formulas)
                if catalogue.strategy(named: setting.value) == nil {
                    let hint = Suggestion.closest(to: setting.value, among: catalogue.names).map { " (did you mean '\($0)'?)" } ?? ""
                    error(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                          "unknown strategy '\(setting.value)'\(hint) (known: \(catalogue.names.joined(separator: ", ")))")
                }
            case "prefix":
                if StoryID("\(setting.value)-1") == nil {
                    error(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                          "prefix '\(setting.value)' must start with a letter and hold only letters, digits or _")
                }
            case "stakeholder-aggregate":
                if StakeholderPanel.Aggregate(rawValue: FieldKey.normalize(setting.value)) == nil {
                    error(line: position.line, lineStart: position.lineStart, at: position.valueStart,
                          "stakeholder-aggregate is mean or median, not '\(setting.value)'")
                }
            case "stakeholder-spread":
                if case .failure(let problem) = StakeholderPanel.parseSpread(setting.value) {
                    error(line: position.line, lineStart: position.lineStart, at: position.valueStart, problem.message)
                }
            case "statuses":
                for problem in Workflow.problems(in: setting.value) {
                    error(line: position.line, lineStart: position.lineStart, at: position.valueStart + problem.offset, problem.message)
                }
            default:
                break
            }
        }
    }

    /// The fields a formula may name: the numeric built-in fields, the declared fields
    /// (`- fields:`) and every custom field a story uses, normalised.
    static func formulaFieldNames(customKeys: Set<String>, declared: Set<String>) -> [String] {
        var names = FieldKey.numericKeys.map(\.rawValue)
        var seen = Set(names)
        for name in declared.sorted() where seen.insert(name).inserted { names.append(name) }
        for key in customKeys.sorted() where seen.insert(key).inserted { names.append(key) }
        return names
    }

    /// Checks a `formula` line: `NAME = EXPRESSION`, a name no other strategy has, an expression
    /// that parses and names only known numeric fields.
    mutating func validateFormula(_ value: String, at position: (line: Int, lineStart: Int, valueStart: Int),
                                  knownFields: [String], seen: inout Set<String>) {
        func report(_ offset: Int, _ message: String) {
            error(line: position.line, lineStart: position.lineStart, at: position.valueStart + offset, message)
        }
        guard let declared = FormulaStrategy.declared(value) else {
            return report(0, "a formula is NAME = EXPRESSION, such as 'delay = (value + time-criticality) / size'")
        }
        let name = declared.name
        guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" }),
              name.unicodeScalars.first?.properties.isAlphabetic == true else {
            return report(declared.nameOffset, "a formula's name is a word of letters, digits, - or _ (such as 'delay')")
        }
        if let builtIn = StrategyRegistry.strategy(named: name) {
            let what = builtIn.name == FieldKey.normalize(name) ? "the built-in strategy" : "an alias of the built-in strategy"
            return report(declared.nameOffset, "'\(name)' is \(what) '\(builtIn.name)'; give the formula another name")
        }
        guard seen.insert(FieldKey.normalize(name)).inserted else {
            return report(declared.nameOffset, "formula '\(name)' is declared twice")
        }
        if let problem = declared.problem {
            return report(declared.expressionOffset + problem.offset, "\(problem.message) in formula '\(name)'")
        }
        guard let strategy = declared.strategy else { return }
        for (written, offset) in strategy.expression.fieldSites {
            let key = FieldKey.canonical(written)?.rawValue ?? FieldKey.normalize(written)
            if let canonical = FieldKey(rawValue: key), !canonical.isNumeric {
                report(declared.expressionOffset + offset, "'\(written)' is not a number field; formula '\(name)' can only use numbers")
            } else if !knownFields.contains(key) {
                let hint = Suggestion.closest(to: written, among: knownFields).map { " (did you mean '\($0)'?)" } ?? ""
                report(declared.expressionOffset + offset, "unknown field '\(written)' in formula '\(name)'\(hint)")
            }
        }
    }

    /// Points at each dependency on a missing story, or on the story itself (looked up in
    /// `ids`, and in `later` when the file was read in halves).
    func dependencyProblems(_ fields: [DependencyField], ids: StoryIDMap, later: StoryIDMap?) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        func error(line: Int, lineStart: Int, at offset: Int, _ message: String) {
            problems.append(Diagnostic(.error, at: location(line: line, lineStart: lineStart, at: offset), message))
        }
        for field in fields {
            let position = field.position
            for target in field.targets {
                if field.isParent, let message = ParentRules.problem(field.story, parent: target.id,
                                                                     exists: ids.contains(target.id) || (later?.contains(target.id) ?? false)) {
                    error(line: position.line, lineStart: position.lineStart, at: target.offset, message)
                } else if field.isParent {
                    continue
                } else if target.id == field.story {
                    error(line: position.line, lineStart: position.lineStart, at: target.offset,
                          "\(field.story) depends on itself")
                } else if !ids.contains(target.id) && !(later?.contains(target.id) ?? false) {
                    error(line: position.line, lineStart: position.lineStart, at: target.offset,
                          "\(field.story) depends on \(target.id), which is not in the backlog")
                }
            }
        }
        return problems
    }
}
