import ArgumentParser
import PrioEngine
import PrioStorage

struct MergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "merge",
        abstract: "git's merge driver: merge two versions of a backlog story by story (see prio git-setup).",
        discussion: """
            git runs 'prio merge -- %O %A %B %P': BASE, OURS and THEIRS are files; the result is written to OURS.
            Exit 0 when the merge is clean, 1 when conflicts remain (marked around the conflicting lines).
            """
    )

    @Argument(help: "The common ancestor's version.") var base: String
    @Argument(help: "Our version; the merge is written here.") var ours: String
    @Argument(help: "Their version.") var theirs: String
    @Argument(help: "The file's path in the repository, for messages (git's %P).") var pathArgument: String?
    @Option(help: "The file's path in the repository, for messages.") var path: String?

    func run() throws {
        let b = try read(base), o = try read(ours), t = try read(theirs)
        let name = path ?? pathArgument ?? ours
        let outcome = BacklogMerge.merge(base: b, ours: o, theirs: t, path: name)
        for note in outcome.notes { printLine(note) }
        if outcome.bytes != o {
            try reportingErrors { try atomicWrite(outcome.bytes, to: ours) }
        }
        if outcome.conflicts > 0 {
            printLine("prio: \(name): \(outcome.conflicts == 1 ? "1 conflict" : "\(outcome.conflicts) conflicts") left between <<<<<<< and >>>>>>>; resolve, then 'prio check'")
            throw ExitCode(1)
        }
    }
}

extension MergeCommand {
    func read(_ path: String) throws -> [UInt8] {
        try reportingErrors { try readFile(path) }
    }
}

struct GitSetupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "git-setup",
        abstract: "Make git merge and diff the backlog story by story (once per clone).",
        discussion: """
            Adds 'FILE merge=prio diff=prio' to .gitattributes and sets merge.prio.driver, merge.prio.name and
            diff.prio.xfuncname in this repository's git configuration (--global: in yours).
            """
    )

    @Argument(help: "The backlog file (default: ./backlog.md or $PRIO_FILE).") var file: String?
    @Flag(help: "Set the driver in your global git configuration instead of this repository's.") var global = false
    @Flag(help: "Only say whether this clone has the driver (exit 1 when it does not).") var check = false
    @Flag(help: "Replace a merge.prio.driver that prio git-setup did not write.") var force = false

    func run() throws {
        let path = backlogPath(file)
        guard let repository = GitRepository.containing(path) else {
            throw fail("\(path) is not in a git repository (run 'git init' first, or name a file inside one)")
        }
        if check {
            let relative = try reportingErrors { try RepositoryPath.relative(path, root: repository.root) }
            let attributes = GitSetup.hasAttributes(repository, for: relative)
            let driver = GitSetup.hasDriver(repository)
            try output("\(attributes ? "yes" : "no")  .gitattributes sends \(relative) to the prio driver\n")
            try output("\(driver ? "yes" : "no")  git's configuration has merge.prio.driver\n")
            if !(attributes && driver) {
                printLine("prio: to set it up, run: \(GitSetup.command(for: file))")
                throw ExitCode(1)
            }
            return
        }
        let done = try reportingErrors { try GitSetup.install(repository, path: path, global: global, force: force) }
        for line in done { try output(line + "\n") }
        let relative = (try? RepositoryPath.relative(path, root: repository.root)) ?? path
        try output("""
            git now merges \(relative) story by story, and 'git diff' names the story in each hunk.
            Commit .gitattributes; every clone needs 'prio git-setup' once (the driver lives in git's configuration,
            which is not shared), and prio must be on the PATH of whoever merges.

            """)
    }
}

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "What changed between two versions of the backlog, story by story (default: HEAD against the file).",
        discussion: "Example: prio diff HEAD~3   or   prio diff main feature --strategy wsjf --format json"
    )

    @Argument(help: "[FILE] [REV1 [REV2]]") var arguments: [String] = []
    @Option(name: .shortAndLong, help: "The strategy for the rank changes (default: the backlog's).") var strategy: String?
    @OptionGroup var shape: TableOrJSON
    var format: RankFormat { shape.format }

    func run() throws {
        var rest = arguments
        var file: String?
        if let first = rest.first, first.hasSuffix(".md") || fileExists(first) && fileKind(first) == .regular {
            file = first
            rest.removeFirst()
        }
        guard rest.count <= 2 else { throw fail("usage: prio diff [FILE] [REV1 [REV2]]") }
        let path = backlogPath(file)
        guard let repository = GitRepository.containing(path) else {
            throw fail("\(path) is not in a git repository: prio diff compares versions git keeps")
        }
        let relative = repository.relative(path)
        let old = try reportingErrors { try repository.backlog(at: rest.first ?? "HEAD", path: relative) }
        let new: Backlog
        if rest.count == 2 {
            new = try reportingErrors { try repository.backlog(at: rest[1], path: relative) }
        } else {
            new = try loadBacklog(path, readOnly: true).backlog
        }
        let chosen = try chooseStrategy(strategy, new)
        let diff = BacklogDiff(from: old, to: new, strategy: chosen)
        switch format {
        case .json: try output(DiffReport.json(diff))
        case .table: try output(DiffReport.text(diff, old: old, new: new))
        }
    }
}

struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "A story's history: each commit that changed it or its rank, with what changed and what moved it.",
        discussion: "Example: prio log S-12 --strategy wsjf"
    )

    @Argument(help: "[FILE] ID") var arguments: [String] = []
    @Option(name: .shortAndLong, help: "The strategy for ranks (default: the backlog's).") var strategy: String?
    @OptionGroup var shape: TableOrJSON
    var format: RankFormat { shape.format }

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio log [FILE] ID") }
        let id = try storyID(rest[0])
        let path = backlogPath(file)
        guard let repository = GitRepository.containing(path) else {
            throw fail("\(path) is not in a git repository: prio log reads the history git keeps")
        }
        let history = try reportingErrors {
            try StoryHistory(repository, path: repository.relative(path), id: id, strategy: strategy)
        }
        // A story the file never held in its history is refused like everywhere, with the
        // closest ID the file holds now.
        if history.steps.isEmpty {
            guard let backlog = try? BacklogFile.load(path).backlog else {
                throw fail("\(id) was never in \(path)")
            }
            try requireStory(backlog, id)
        }
        switch format {
        case .json: try output(HistoryReport.json(history))
        case .table: try output(HistoryReport.text(history))
        }
    }
}
