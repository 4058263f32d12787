import ArgumentParser
import PrioEngine
import PrioStorage

/// Output formats of `prio matrix`.
enum MatrixFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json
}

struct MatrixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "matrix",
        // ASCII only: the man page generator drops every other character (scripts/make-man.sh).
        abstract: "The value/effort 2x2: quick wins, big bets, fill-ins and money pits, split at the medians.",
        discussion: "Effort falls back to points. Example: prio matrix --format json"
    )

    @OptionGroup var source: BacklogFileArgument

    @Flag(help: "Include done stories.")
    var all = false

    @OptionGroup var filter: FilterOptions

    @Option(help: "text or json.")
    var format: MatrixFormat = .text

    func run() throws {
        let backlog = try loadBacklog(source.path, readOnly: true).backlog
        let whole = ValueEffortMatrix(backlog, includeDone: all)
        let matrix = try filter.flags(backlog).map { whole.keeping($0) } ?? whole
        switch format {
        case .json: try output(MatrixReport.json(matrix, backlog: backlog))
        case .text: try output(MatrixReport.text(matrix, backlog: backlog, width: outputWidth()))
        }
        keepUntilExit((backlog, matrix))
    }
}
