/// What a canonical field is: the kind of value it holds, one line on what it means, and the
/// other names people give it (normalised, as Jira or a spreadsheet writes them).
public struct FieldSpec: Sendable {
    /// The kinds of value a canonical field holds: how a value is checked and read.
    public enum Kind: Sendable, Equatable {
        /// A decimal number (`5`, `0.5`).
        case number
        /// A number from 0 to 100, `%` allowed (`80%`).
        case percent
        /// Free text.
        case text
        /// Comma-separated words.
        case list
        /// Comma-separated story IDs.
        case storyIDs
        /// One story ID.
        case storyID
        /// A position from 1 on.
        case position
        /// A MoSCoW category.
        case moscow
        /// A status of the workflow.
        case status
    }

    /// The kind of value.
    public let kind: Kind
    /// What the field means, in one line.
    public let summary: String
    /// Other names for the field (normalised: lower case, dashes), comma-separated: a literal,
    /// so that a spec is made without allocating.
    public let aliases: String

    /// The other names, one by one.
    public var aliasList: [String] {
        aliases.split(separator: ",").map { $0.trimmingASCIIWhitespace() }
    }

    @inline(__always)
    init(_ kind: Kind, _ summary: String, aliases: String = "") {
        self.kind = kind
        self.summary = summary
        self.aliases = aliases
    }
}
