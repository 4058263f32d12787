import ArgumentParser
import PrioEngine
import PrioStorage

struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Write a large generated backlog (or CSV) to try prio at scale.",
        discussion: "Example: prio generate --count 100000 big.md"
    )

    @Argument(help: "The file to create.")
    var file: String

    @Option(help: "How many stories.")
    var count = 1000

    enum Kind: String, ExpressibleByArgument, CaseIterable {
        case md, csv
    }

    @Option(help: "md (a backlog) or csv (rows to import).")
    var kind: Kind = .md

    @Option(help: "Random seed; the same seed gives the same file.")
    var seed: UInt64 = 42

    func validate() throws {
        if count < 0 { throw ValidationError("--count must be 0 or more") }
        if count > BacklogGenerator.maximumCount {
            throw ValidationError("--count must be at most \(BacklogGenerator.maximumCount) (a million stories make a file of about 300 MB)")
        }
    }

    func run() throws {
        let bytes = kind == .csv ? BacklogGenerator.csv(count: count, seed: seed) : BacklogGenerator.markdown(count: count, seed: seed)
        try reportingErrors { try atomicWrite(bytes, to: file, exclusive: true, wait: cliLockWait()) }
        printLine("wrote \(count) \(kind == .csv ? "rows" : "stories") to \(file)")
    }
}
