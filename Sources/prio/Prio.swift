import ArgumentParser
import PrioEngine

@main
struct Prio: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prio",
        abstract: "Rank, reorder and plan a product backlog kept in a Markdown file.",
        discussion: """
            The backlog file defaults to ./backlog.md, or $PRIO_FILE when set.
            File format: docs/FORMAT.md.
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, AddCommand.self, SetCommand.self, MoveCommand.self, RemoveCommand.self,
            RankCommand.self, ExportCommand.self, ImportCommand.self, CheckCommand.self, StrategiesCommand.self,
            GenerateCommand.self,
        ]
    )
}
