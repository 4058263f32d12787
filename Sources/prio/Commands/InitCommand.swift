import ArgumentParser
import PrioEngine
import PrioStorage

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a backlog file (never overwrites one).",
        discussion: """
            prio init --sample writes the bundled sample backlog of an online shop, its sprints dated
            around today ($PRIO_TODAY when set): four closed sprints, an active one, a planned one.
            """
    )

    @Argument(help: "The backlog file to create (default: ./backlog.md or $PRIO_FILE).")
    var file: String?

    @Flag(help: "Write the bundled sample backlog (an online shop with 36 stories).")
    var sample = false

    @Option(help: "The backlog's name.")
    var name: String?

    func run() throws {
        let path = backlogPath(file)
        try reportingErrors {
            if fileExists(path) { throw PrioError("\(path) already exists; prio init never overwrites a file") }
            var bytes: [UInt8]
            if sample {
                // Dated for today ($PRIO_TODAY respected): the active sprint holds it.
                bytes = SampleBacklog.bytes(today: today())
                if let name {
                    var backlog = try BacklogParser.parse(bytes, path: "sample").backlog
                    try backlog.header.setName(name)
                    bytes = BacklogWriter.write(backlog)
                }
            } else {
                var backlog = Backlog(name: "Backlog", strategy: "manual")
                if let name { try backlog.header.setName(name) }
                bytes = BacklogWriter.write(backlog)
            }
            try atomicWrite(bytes, to: path, exclusive: true, wait: cliLockWait())
        }
        try output("created \(path)" + "\n")
    }
}
