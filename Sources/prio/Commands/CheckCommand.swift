import ArgumentParser
import PrioEngine
import PrioStorage

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a backlog: every error and warning as path:line:col."
    )

    @OptionGroup var source: BacklogFileArgument

    func run() throws {
        let loaded = try loadBacklog(source.path, readOnly: true)
        let backlog = loaded.backlog
        let cycles = backlog.cycleDiagnostics(path: loaded.path)
        if !cycles.isEmpty {
            printError(BacklogErrors(errors: cycles, warnings: loaded.parsed.warnings).rendered())
            throw ExitCode(1)
        }
        for warning in loaded.parsed.warnings.prefix(100) { printError(warning.description) }
        let workflow = backlog.workflow
        let open = backlog.stories.reduce(0) { $0 + (workflow.isDone($1) ? 0 : 1) }
        try output("\(loaded.path): ok: \(backlog.stories.count) stories (\(open) not done), \(loaded.parsed.warnings.count) warnings" + "\n")
        // In a git repository without the merge driver: one note (not a warning: the file is fine).
        if let repository = GitRepository.containing(loaded.path) {
            let relative = repository.relative(loaded.path)
            if !GitSetup.hasAttributes(repository, for: relative) || !GitSetup.hasDriver(repository) {
                printLine("prio: note: git merges \(relative) line by line here; to merge it story by story, run: \(GitSetup.command(for: source.file))")
            }
        }
    }
}
