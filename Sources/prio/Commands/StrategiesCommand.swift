import ArgumentParser
import PrioEngine

struct StrategiesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "strategies",
        abstract: "List the ranking strategies, their formulas and the fields each needs."
    )

    func run() throws {
        for strategy in StrategyRegistry.all {
            print("\(strategy.name)  \(strategy.title)")
            print("    \(strategy.formula)")
            if !strategy.inputs.isEmpty {
                print("    fields: \(strategy.inputs.map(\.rawValue).joined(separator: ", "))")
            }
        }
    }
}
