import ArgumentParser
import PrioEngine
import PrioStorage

struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "A sprint at its review: each story's status, criteria checked and points; committed and done points.",
        discussion: """
            Example: prio review --sprint "Sprint 4"
            Acceptance criteria are the task items (- [ ] / - [x]) of a story's description. The sprint
            defaults to the one prio plan would plan (the sprint holding today).
            """
    )

    @OptionGroup var source: BacklogFileArgument

    @Option(help: "The sprint to review.")
    var sprint: String?

    @Option(help: "table or json.")
    var format: RankFormat = .table

    func run() throws {
        let loaded = try loadBacklog(source.path, readOnly: true)
        let backlog = loaded.backlog
        let timeline = SprintTimeline(backlog, today: today())
        let name = sprint ?? timeline.current.name
        let review = SprintReview(backlog, sprint: name, timeline: timeline)
        switch format {
        case .json: try output(ReviewReport.json(review, backlog))
        case .table: try output(ReviewReport.table(review, backlog, width: outputWidth()))
        }
        if let note = timeline.overdueNote { printLine("prio: note: \(note)") }
    }
}

struct AcceptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Accept a story at the review: it gets the workflow's done status.",
        discussion: """
            Refused, naming them, while an acceptance criterion (- [ ] in the description) is unchecked, and for a
            story in no sprint (or not in the sprint given with --sprint), unless --force.
            """
    )

    @Argument(help: "[FILE] ID")
    var arguments: [String] = []

    @Option(help: "The sprint under review: a story not in it is refused.")
    var sprint: String?

    @Flag(help: "Accept even with unchecked criteria, or out of its sprint.")
    var force = false

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio accept [FILE] ID [--sprint NAME] [--force]") }
        let id = try storyID(rest[0])
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        do {
            try SprintReview.accept(&backlog, id, force: force, sprint: sprint)
        } catch {
            let hint = error.outOfSprint ? " (accept it anyway with --force)"
                : error.unchecked.isEmpty ? "" : " (check them, or accept with --force)"
            throw fail(error.description + hint)
        }
        try saveBacklog(loaded, backlog)
        printLine("accepted \(id): \(backlog.workflow.done)")
    }
}

struct RejectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reject",
        abstract: "Send a story back at the review: the workflow's first status, out of the sprint, the reason recorded.",
        discussion: "Example: prio reject S-7 --reason \"totals wrong with vouchers\""
    )

    @Argument(help: "[FILE] ID")
    var arguments: [String] = []

    @Option(help: "Why (kept, dated, at the end of the story's description).")
    var reason: String

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio reject [FILE] ID --reason TEXT") }
        let id = try storyID(rest[0])
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        do {
            try SprintReview.reject(&backlog, id, reason: reason, date: today())
        } catch {
            throw fail(error.description)
        }
        try saveBacklog(loaded, backlog)
        printLine("rejected \(id): back to \(backlog.workflow.statuses.first ?? "todo"), out of its sprint")
    }
}

struct CloseSprintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "close-sprint",
        abstract: "Close a sprint: its unfinished stories go to the next sprint or back to the backlog.",
        discussion: """
            Example: prio close-sprint "Sprint 4" --carry-over next
            Records the sprint's done points and today's date on its header line (and its commitment,
            when it was never started). The done stories stay in the sprint; the unfinished ones go to
            the first other sprint that is planned or active (a new one on the cadence when there is
            none), or back to the backlog.
            """
    )

    @Argument(help: "[FILE] NAME")
    var arguments: [String] = []

    @Option(name: .customLong("carry-over"), help: "next (the first sprint planned or active, else a new one) or backlog.")
    var carryOver: String

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio close-sprint [FILE] NAME --carry-over next|backlog") }
        guard let mode = SprintTimeline.CarryOver(rawValue: carryOver) else {
            throw fail("--carry-over must be next or backlog, got '\(carryOver)'")
        }
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        let closing: SprintTimeline.Closing
        do {
            closing = try SprintTimeline.close(&backlog, sprint: rest[0], carryOver: mode, today: today())
        } catch {
            throw fail(error.description)
        }
        try saveBacklog(loaded, backlog)
        printLine(closing.summary(rest[0]))
    }
}

struct StartSprintCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start-sprint",
        abstract: "Start a sprint: record the points committed to it on its header line.",
        discussion: """
            Example: prio start-sprint "Sprint 5"
            The commitment is recorded once (| committed N): later plans, rejects and carry-overs do
            not change it, so the review compares what was done with what was committed.
            """
    )

    @Argument(help: "[FILE] NAME")
    var arguments: [String] = []

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio start-sprint [FILE] NAME") }
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        let starting: SprintTimeline.Starting
        do {
            starting = try SprintTimeline.start(&backlog, sprint: rest[0], today: today())
        } catch {
            throw fail(error.description)
        }
        try saveBacklog(loaded, backlog)
        printLine("started \(starting.sprint) with \(Plural.points(starting.committed)) committed"
                   + (starting.declared ? " (declared it in the header)" : ""))
    }
}

struct SprintsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sprints",
        abstract: "List the sprints: state (planned, active, ended, closed), dates, capacity, committed and done.",
        discussion: "Example: prio sprints --format json"
    )

    @OptionGroup var source: BacklogFileArgument

    @OptionGroup var history: VelocityWindow

    @Option(help: "table or json.")
    var format: RankFormat = .table

    func run() throws {
        let loaded = try loadBacklog(source.path)
        let timeline = SprintTimeline(loaded.backlog, today: today(), window: history.window)
        try output(format == .json ? SprintsReport.json(timeline) : SprintsReport.table(timeline, width: outputWidth()))
    }
}
