/// The team that estimates: `- team: ana, ben, chen` in the header.
public struct Team: Sendable, Hashable {
    /// The members' names, in header order.
    public let members: [String]

    /// The team a header names (empty when it names none).
    public init(header: BacklogHeader) {
        members = header.setting("team").map { Team.items($0).map(\.name) } ?? []
    }

    /// The member a name means (any case), or nil.
    public func member(_ name: String) -> String? {
        let wanted = name.trimmingASCIIWhitespace().lowercased()
        return members.first { $0.lowercased() == wanted }
    }

    /// The names of a `team` setting with their UTF-8 offsets (read like the workflow's list).
    static func items(_ text: String) -> [(name: String, offset: Int)] {
        Workflow.items(text).map { ($0.status, $0.offset) }
    }

    /// What is wrong with a `team` setting, each with the UTF-8 offset of the bad name.
    static func problems(in text: String) -> [(offset: Int, message: String)] {
        let items = items(text)
        if items.isEmpty { return [(0, "a team names its members, like '- team: ana, ben, chen'")] }
        var seen: Set<String> = []
        var problems: [(offset: Int, message: String)] = []
        for item in items {
            if !seen.insert(item.name.lowercased()).inserted {
                problems.append((item.offset, "'\(item.name)' is named twice in the team"))
            } else if item.name.unicodeScalars.contains(where: { $0 == "|" || $0 == "=" }) || item.name.utf8.last.map(isASCIIDigit) == true {
                problems.append((item.offset, "a team member's name holds no '|' or '=' and does not end in a number: '\(item.name)'"))
            }
        }
        return problems
    }
}
