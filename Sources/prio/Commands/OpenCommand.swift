import ArgumentParser
import PrioTerminal

/// `prio [FILE]` and `prio open [FILE]`: the interactive screen.
struct OpenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "open",
        abstract: "Open the backlog on the interactive screen (what 'prio [FILE]' does)."
    )

    @OptionGroup var source: BacklogFileArgument

    func run() throws {
        let status = TerminalUI.run(path: source.path)
        if status != 0 { throw ExitCode(status) }
    }
}
