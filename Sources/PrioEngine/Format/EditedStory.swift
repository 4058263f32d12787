/// One reason a story's text from the external editor (`E`) was refused: where (a line and
/// column of the text, when the problem has a place) and why.
public struct EditProblem: Sendable, Hashable {
    /// 1-based line and column in the text prio read (its note lines removed), if known.
    public var line: Int?
    public var column: Int?
    /// Why, in one line.
    public var message: String

    public init(line: Int?, column: Int?, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }

    /// `line 5:1: code block is not closed`, its line counted `shift` lines further down (the
    /// note lines above the text in the editor).
    public func described(shift: Int = 0) -> String {
        guard let line else { return message }
        return "line \(line + shift)" + (column.map { ":\($0)" } ?? "") + ": " + message
    }
}

/// A story's text that came back from the external editor and was refused: the text without
/// prio's note lines, why, and how many note lines it had (so that a line is named as the
/// editor showed it).
public struct EditFailure: Error, Sendable, Hashable {
    /// The text as the user wrote it, without prio's note lines.
    public var text: String
    /// What is wrong, in order.
    public var problems: [EditProblem]
    /// How many note lines were above the text in the editor.
    public var notesRemoved: Int

    /// The text to hand to the editor again: one note line per problem at the top (their lines
    /// counted in the text as the editor shows it), then the text. `EditedStory.read` removes them.
    public var textWithNotes: String {
        let notes = problems.map { EditedStory.note($0.described(shift: problems.count)) }
        return notes.joined() + text
    }

    /// The first problem as the editor showed the text, and how many more there are (for the status line).
    public var summary: String {
        guard let first = problems.first else { return "" }
        let more = problems.count > 1 ? " (and \(problems.count - 1) more)" : ""
        return first.described(shift: notesRemoved) + more
    }
}

/// Reading a story's text back from the external editor: the one rule for `E` and `e`.
public enum EditedStory {
    /// How prio's note lines start and end (an HTML comment: Markdown shows none of it).
    static let opening = "<!-- prio: "
    static let closing = " -->"

    /// A note line: the text made one line, with no `-->` that would end the comment early.
    static func note(_ text: String) -> String {
        opening + singleLine(text).replacing("-->", with: "- ->") + closing + "\n"
    }

    /// The text without the note lines prio put at its top, and how many there were.
    public static func removingNotes(_ text: String) -> (text: String, notes: Int) {
        // By bytes: "\r\n" is one Character, and a line ends at its "\n" either way.
        var rest = Substring(text).utf8
        var notes = 0
        while rest.starts(with: opening.utf8) {
            let end = rest.firstIndex(of: UInt8(ascii: "\n")) ?? rest.endIndex
            var line = rest[..<end]
            while let last = line.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") || last == UInt8(ascii: "\r") {
                line = line.dropLast()
            }
            guard line.reversed().starts(with: "-->".utf8.reversed()) else { break }
            rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
            notes += 1
        }
        return (String(Substring(rest)), notes)
    }

    /// The story the text holds, or why it is refused: it must parse as one story block, keep
    /// the ID `id`, and depend only on stories of `backlog`.
    public static func read(_ text: String, id: StoryID, in backlog: Backlog) -> Result<Story, EditFailure> {
        let (clean, notes) = removingNotes(text)
        var problems: [EditProblem] = []
        do {
            let story = try Story.parseBlock(clean, path: "\(id).md")
            if story.id != id {
                problems = [EditProblem(line: 1, column: 4, message: "the ID must stay \(id) (found \(story.id)); IDs never change")]
            } else if let problem = backlog.dependencyProblem(of: story) {
                problems = [EditProblem(line: nil, column: nil, message: problem)]
            } else {
                return .success(story)
            }
        } catch {
            problems = error.errors.map { EditProblem(line: $0.location.line, column: $0.location.column, message: $0.message) }
        }
        return .failure(EditFailure(text: clean, problems: problems, notesRemoved: notes))
    }
}
