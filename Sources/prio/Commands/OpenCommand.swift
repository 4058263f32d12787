import ArgumentParser
import PrioTerminal

/// `prio [FILE]` and `prio open [FILE]`: the interactive screen.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the backlog on the interactive screen (what 'prio [FILE]' does)."
    )

    @Argument(help: "The backlog file (default: ./backlog.md or $PRIO_FILE).")
    var file: String?

    func run() throws {
        let status = TerminalUI.run(path: backlogPath(file))
        if status != 0 { throw ExitCode(status) }
    }
}
