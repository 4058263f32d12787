import ArgumentParser
import PrioEngine

struct StrategiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strategies",
        abstract: "List the ranking strategies, their formulas and the fields each needs."
    )

    func run() throws {
        for strategy in StrategyRegistry.all {
            try output("\(strategy.name)  \(strategy.title)" + "\n")
            try output("    \(strategy.formula)" + "\n")
            if !strategy.inputs.isEmpty {
                try output("    fields: \(strategy.inputs.map(\.rawValue).joined(separator: ", "))" + "\n")
            }
        }
    }
}
