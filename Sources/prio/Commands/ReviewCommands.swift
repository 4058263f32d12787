import ArgumentParser
import PrioEngine

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

    @Argument(help: "The backlog file (default: ./backlog.md or $PRIO_FILE).")
    var file: String?

    @Option(help: "The sprint to review.")
    var sprint: String?

    @Option(help: "table or json.")
    var format: RankFormat = .table

    func run() throws {
        let loaded = try loadBacklog(backlogPath(file))
        let backlog = loaded.backlog
        let name = sprint ?? SprintReview.defaultSprint(backlog, today: today())
        let review = SprintReview(backlog, sprint: name)
        switch format {
        case .json: try output(ReviewReport.json(review, backlog))
        case .table: try output(ReviewReport.table(review, backlog, width: outputWidth()))
        }
    }
}

struct AcceptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "accept",
        abstract: "Accept a story at the review: it gets the workflow's done status.",
        discussion: "Refused, naming them, while an acceptance criterion (- [ ] in the description) is unchecked, unless --force."
    )

    @Argument(help: "[FILE] ID")
    var arguments: [String] = []

    @Flag(help: "Accept even with unchecked criteria.")
    var force = false

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio accept [FILE] ID [--force]") }
        let id = try storyID(rest[0])
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        do {
            try SprintReview.accept(&backlog, id, force: force)
        } catch {
            throw fail(error.description + (error.unchecked.isEmpty ? "" : " (check them, or accept with --force)"))
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
            The done stories stay in the sprint: their points are its entry in the velocity history.
            """
    )

    @Argument(help: "[FILE] NAME")
    var arguments: [String] = []

    @Option(name: .customLong("carry-over"), help: "next (the next sprint, declared or new) or backlog.")
    var carryOver: String

    func run() throws {
        let (file, rest) = splitFile(arguments, required: 1)
        guard rest.count == 1 else { throw fail("usage: prio close-sprint [FILE] NAME --carry-over next|backlog") }
        guard let mode = SprintReview.CarryOver(rawValue: carryOver) else {
            throw fail("--carry-over must be next or backlog, got '\(carryOver)'")
        }
        let loaded = try loadBacklog(backlogPath(file))
        var backlog = loaded.backlog
        let closing: SprintReview.Closing
        do {
            closing = try SprintReview.close(&backlog, sprint: rest[0], carryOver: mode)
        } catch {
            throw fail(error.description)
        }
        try saveBacklog(loaded, backlog)
        let moved = closing.moved.isEmpty ? "nothing to carry over"
            : "moved \(closing.moved.map(\.description).joined(separator: ", ")) to " + (closing.to ?? "the backlog")
        printLine("closed \(rest[0]) with \(Plural.points(closing.done)) done; \(moved)")
    }
}
