import ArgumentParser
import PrioEngine
import PrioStorage

@main
struct Prio: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prio",
        abstract: "Rank, reorder and plan a product backlog kept in a Markdown file.",
        discussion: """
            'prio [FILE]' opens the backlog on the interactive screen ('prio open').
            The backlog file defaults to ./backlog.md, or $PRIO_FILE when set.
            File format: docs/FORMAT.md.
            """,
        version: "0.1.0",
        subcommands: [
            OpenCommand.self, InitCommand.self, AddCommand.self, SetCommand.self, MoveCommand.self, RemoveCommand.self,
            RankCommand.self, ExportCommand.self, ImportCommand.self, CheckCommand.self, StrategiesCommand.self,
            GenerateCommand.self, PlanCommand.self, ForecastCommand.self, PinCommand.self, UnpinCommand.self,
            CompareCommand.self, MatrixCommand.self, WhyCommand.self, MergeCommand.self, GitSetupCommand.self,
            DiffCommand.self, LogCommand.self, ReviewCommand.self, AcceptCommand.self, RejectCommand.self,
            CloseSprintCommand.self, StartSprintCommand.self, SprintsCommand.self, VoteCommand.self, EstimateCommand.self,
            EpicsCommand.self, ReadyCommand.self, ReportCommand.self,
        ],
        // Not a positional FILE on the root: ArgumentParser parses the root's positionals before
        // it looks for a subcommand name, so `prio init x.md` would take `init` for the file.
        // A default subcommand is tried only when the first argument names no subcommand.
        defaultSubcommand: OpenCommand.self
    )

    /// Sets the process's memory policy, then parses the arguments and runs the command.
    static func main() {
        keepFreedMemory()
        main(nil as [String]?)
    }
}
