import ArgumentParser
import PrioEngine
import PrioStorage

struct StrategiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strategies",
        abstract: "List the ranking strategies (the built-ins and the backlog's formulas), their formulas and the fields each needs."
    )

    @Argument(help: "The backlog file whose formula strategies to list too (default: $PRIO_FILE, else backlog.md when it exists).")
    var file: String?

    func run() throws {
        // The built-ins always; a backlog's formulas when it names one or the default exists.
        let path = backlogPath(file)
        var catalogue = StrategyCatalogue()
        if file != nil || fileExists(path) {
            catalogue = try loadBacklog(path, readOnly: true).backlog.strategies
        }
        for strategy in catalogue.all {
            try output("\(strategy.name)  \(strategy.title)" + "\n")
            try output("    \(strategy.formula)" + "\n")
            if let formula = strategy as? FormulaStrategy {
                try output("    fields: \(formula.expression.fields.joined(separator: ", "))" + "\n")
            } else if !strategy.inputs.isEmpty {
                try output("    fields: \(strategy.inputs.map(\.rawValue).joined(separator: ", "))" + "\n")
            }
        }
    }
}
