/// A position in a source file: 1-based line and column (columns count Unicode scalars).
public struct SourceLocation: Sendable, Hashable, Comparable {
    /// The file's path as the user gave it.
    public var path: String
    /// The 1-based line number.
    public var line: Int
    /// The 1-based column, in Unicode scalars.
    public var column: Int

    /// Creates a location.
    public init(path: String, line: Int, column: Int) {
        self.path = path
        self.line = line
        self.column = column
    }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.line, lhs.column) < (rhs.line, rhs.column)
    }
}

/// One finding about a file: an error that stops prio from using it, or a warning.
public struct Diagnostic: Error, Sendable, Hashable, CustomStringConvertible {
    /// How serious a diagnostic is.
    public enum Severity: String, Sendable, Hashable {
        case error
        case warning
    }

    /// Where the problem is.
    public var location: SourceLocation
    /// Error or warning.
    public var severity: Severity
    /// What is wrong, in one line.
    public var message: String

    /// Creates a diagnostic.
    public init(_ severity: Severity, at location: SourceLocation, _ message: String) {
        self.severity = severity
        self.location = location
        self.message = message
    }

    /// The diagnostic in the compiler form `path:line:col: error: message`, safe to print:
    /// control characters from the file (or its name) show as placeholders.
    public var description: String {
        TerminalSafe.sanitize("\(location.path):\(location.line):\(location.column): \(severity.rawValue): \(message)")
    }
}

/// A file prio refuses to use, with every error found in it.
public struct BacklogErrors: Error, Sendable, CustomStringConvertible {
    /// The errors, in file order.
    public var errors: [Diagnostic]
    /// Warnings found along the way.
    public var warnings: [Diagnostic]

    /// Creates the error list.
    public init(errors: [Diagnostic], warnings: [Diagnostic] = []) {
        self.errors = errors
        self.warnings = warnings
    }

    /// All errors and warnings in file order, one per line, capped at `limit` lines with a
    /// count of the rest.
    public func rendered(limit: Int = 100) -> String {
        let all = (errors + warnings).sorted { $0.location < $1.location }
        var lines = all.prefix(limit).map(\.description)
        if all.count > limit {
            lines.append("... and \(all.count - limit) more (\(errors.count) errors in all)")
        }
        return lines.joined(separator: "\n")
    }

    public var description: String { rendered() }
}

/// An error of prio's operations (not of a file's contents): a message for the user.
public struct PrioError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What went wrong, ready to print.
    public var message: String
    /// The lines to print: one, unless made with `init(lines:)`. A line break inside a line
    /// (from a name, a path, an argument) is shown as a placeholder, never printed raw, so
    /// that user text cannot forge a line of prio's own.
    public var lines: [String]

    /// Creates an error with a message (one line, whatever it holds).
    public init(_ message: String) {
        self.message = message
        lines = [message]
    }

    /// Creates an error of several lines, each printed on its own.
    public init(lines: [String]) {
        message = lines.joined(separator: "\n")
        self.lines = lines
    }

    public var description: String { message }
}

/// A story ID that names no story of the backlog (`Backlog.requireStory`), with the closest ID
/// it does hold when one is close enough to be a typo.
public struct UnknownStory: Error, Sendable, CustomStringConvertible, Equatable {
    /// The ID asked for.
    public let id: StoryID
    /// The closest ID in the backlog, if any is close.
    public let suggestion: StoryID?

    public init(id: StoryID, suggestion: StoryID?) {
        self.id = id
        self.suggestion = suggestion
    }

    public var description: String {
        "no story with ID \(id)" + (suggestion.map { " (did you mean \($0)?)" } ?? "")
    }
}
