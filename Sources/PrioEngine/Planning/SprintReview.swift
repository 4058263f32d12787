/// One acceptance criterion: a Markdown task item (`- [ ] text`, `- [x] text`) of a story's description.
public struct AcceptanceCriterion: Sendable, Hashable {
    /// True when ticked (`[x]` or `[X]`).
    public var isChecked: Bool
    /// The text after the box.
    public var text: String
    /// The line of the description it is on (from 0).
    public var line: Int

    /// The criteria of a description: task items (`-`, `*` or `+`, then `[ ]`, `[x]` or `[X]`)
    /// outside code fences, in order.
    public static func parse(_ description: String) -> [AcceptanceCriterion] {
        var out: [AcceptanceCriterion] = []
        var fence: String?
        for (number, raw) in description.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("```") || line.hasPrefix("~~~") {
                let marker = String(line.prefix(3))
                if fence == nil { fence = marker } else if fence == marker { fence = nil }
                continue
            }
            guard fence == nil, let box = taskBox(line) else { continue }
            out.append(AcceptanceCriterion(isChecked: box.checked, text: String(box.rest), line: number))
        }
        return out
    }

    /// `(checked, text)` when a line (indentation removed) is a task item.
    static func taskBox(_ line: Substring) -> (checked: Bool, rest: Substring)? {
        let chars = Array(line.prefix(6))
        guard chars.count >= 5, chars[0] == "-" || chars[0] == "*" || chars[0] == "+", chars[1] == " ",
              chars[2] == "[", chars[4] == "]" else { return nil }
        let checked: Bool
        switch chars[3] {
        case " ": checked = false
        case "x", "X": checked = true
        default: return nil
        }
        guard chars.count == 5 || chars[5] == " " else { return nil }
        return (checked, line.dropFirst(5).drop { $0 == " " })
    }

    /// The description with criterion `index` (of `parse`) ticked or unticked; nil when there is no such criterion.
    public static func setting(_ index: Int, checked: Bool, in description: String) -> String? {
        let criteria = parse(description)
        guard criteria.indices.contains(index) else { return nil }
        var lines = description.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let number = criteria[index].line
        let line = lines[number]
        guard let open = line.firstIndex(of: "[") else { return nil }
        let mark = line.index(after: open)
        lines[number] = String(line[..<mark]) + (checked ? "x" : " ") + String(line[line.index(after: mark)...])
        return lines.joined(separator: "\n")
    }
}

extension Story {
    /// The story's acceptance criteria: the task items of its description.
    public var criteria: [AcceptanceCriterion] { AcceptanceCriterion.parse(description) }
}

/// Why a review action was refused.
public struct ReviewProblem: Error, Sendable, CustomStringConvertible {
    /// What is wrong, in words.
    public let description: String
    /// The criteria still unchecked, when that is what stops an acceptance.
    public var unchecked: [String] = []
    /// True when what stops an acceptance is that the story is in no sprint, or not in the one reviewed.
    public var outOfSprint = false
}

/// A sprint at its review: its stories with status, criteria and points, and the sprint's
/// committed and done points. The one rule for `prio review` and the review screen.
public struct SprintReview: Sendable {
    /// One story of the sprint.
    public struct Item: Sendable {
        /// The story, by index in the backlog.
        public var storyIndex: Int
        /// True when the story has the workflow's done status.
        public var isDone: Bool
        /// Its criteria checked and in all.
        public var checked: Int
        public var criteria: Int
        /// Its points, if estimated.
        public var points: DecimalNumber?
    }

    /// The sprint.
    public let sprint: String
    /// Where it is in its life (nil for a name the timeline does not know).
    public let state: SprintState?
    /// Its stories, in backlog order.
    public let items: [Item]
    /// The points committed, as recorded when the sprint started (nil while not recorded).
    public let committed: Fraction?
    /// The points of every story in the sprint now.
    public let inSprint: Fraction
    /// The done points: recorded when the sprint was closed, else those of its done stories.
    public let done: Fraction
    /// What is overdue in ended sprints, said once (nil when nothing is).
    public let overdueNote: String?

    /// Reads the sprint `sprint` of a backlog as of `today`.
    public init(_ backlog: Backlog, sprint: String, today: String) {
        self.init(backlog, sprint: sprint, timeline: SprintTimeline(backlog, today: today))
    }

    /// Reads the sprint `sprint` of a backlog on the timeline's day.
    public init(_ backlog: Backlog, sprint: String, timeline: SprintTimeline) {
        self.sprint = sprint
        let status = timeline.status(of: sprint)
        state = status?.state
        overdueNote = timeline.overdueNote
        var items: [Item] = []
        var committed = Fraction(0)
        var done = Fraction(0)
        let workflow = backlog.workflow
        for (i, story) in backlog.stories.enumerated() where story.value(of: .sprint) == sprint {
            let criteria = story.criteria
            let isDone = workflow.isDone(story)
            items.append(Item(storyIndex: i, isDone: isDone, checked: criteria.count { $0.isChecked },
                              criteria: criteria.count, points: story.points))
            if let points = story.points {
                committed = committed.adding(points.fraction) ?? committed
                if isDone { done = done.adding(points.fraction) ?? done }
            }
        }
        self.items = items
        self.inSprint = committed
        self.committed = status?.recordedCommitted
        self.done = status?.sprint.done?.fraction ?? done
    }

    /// Gives a story the workflow's done status; refused while a criterion is unchecked,
    /// naming them, and for a story in no sprint (or not in `sprint`, when given), unless `force`.
    public static func accept(_ backlog: inout Backlog, _ id: StoryID, force: Bool, sprint: String? = nil) throws(ReviewProblem) {
        let index = try reviewed(id, in: backlog)
        let accepted = try accepting(backlog.stories[index], workflow: backlog.workflow, force: force, sprint: sprint)
        backlog.replaceStory(at: index, with: accepted)
    }

    /// The story accepted: the workflow's done status. The one rule for `prio accept` and `a` on
    /// the review screen.
    /// A story is accepted at the review of its sprint: one in no sprint, or not in `sprint`
    /// (the sprint under review, when given), is refused unless `force`.
    public static func accepting(_ story: Story, workflow: Workflow, force: Bool, sprint: String? = nil) throws(ReviewProblem) -> Story {
        if !force {
            let own = story.value(of: .sprint)?.trimmingASCIIWhitespace() ?? ""
            if own.isEmpty {
                throw ReviewProblem(description: "\(story.id) is in no sprint: a story is accepted at its sprint's review", outOfSprint: true)
            }
            if let sprint, own != sprint {
                throw ReviewProblem(description: "\(story.id) is in \(own), not in \(sprint)", outOfSprint: true)
            }
        }
        let open = story.criteria.filter { !$0.isChecked }
        if !open.isEmpty && !force {
            throw ReviewProblem(description: "\(story.id) has \(Plural.count(open.count, "unchecked criterion", "unchecked criteria")): "
                + open.map { "'\($0.text)'" }.joined(separator: ", "), unchecked: open.map(\.text))
        }
        var accepted = story
        do {
            try accepted.setField(FieldKey.status.rawValue, workflow.done)
        } catch {
            throw ReviewProblem(description: error.message)
        }
        return accepted
    }

    /// Sends a story back: the workflow's first status, out of its sprint, and the reason
    /// recorded at the end of its description with the date and the sprint.
    public static func reject(_ backlog: inout Backlog, _ id: StoryID, reason: String, date: String) throws(ReviewProblem) {
        let index = try reviewed(id, in: backlog)
        let rejected = try rejecting(backlog.stories[index], workflow: backlog.workflow, reason: reason, date: date)
        backlog.replaceStory(at: index, with: rejected)
    }

    /// The index of the story a review action names (`Backlog.requireStory`, with its did-you-mean).
    static func reviewed(_ id: StoryID, in backlog: Backlog) throws(ReviewProblem) -> Int {
        do {
            return try backlog.requireStory(id)
        } catch {
            throw ReviewProblem(description: error.description)
        }
    }

    /// The story rejected. The one rule for `prio reject` and `r` on the review screen.
    public static func rejecting(_ story: Story, workflow: Workflow, reason: String, date: String) throws(ReviewProblem) -> Story {
        let why = singleLine(reason).trimmingASCIIWhitespace()
        guard !why.isEmpty else { throw ReviewProblem(description: "say why the story is rejected (--reason TEXT)") }
        let first = workflow.statuses.first ?? "todo"
        let sprint = story.value(of: .sprint)
        var rejected = story
        do {
            try rejected.setField(FieldKey.status.rawValue, first)
            try rejected.setField(FieldKey.sprint.rawValue, "")
        } catch {
            throw ReviewProblem(description: error.message)
        }
        let note = "Rejected on \(date)" + (sprint.map { " in \($0)" } ?? "") + ": \(why)"
        let text = rejected.description
        rejected.setDescription(text.isEmpty ? note : text + "\n\n" + note)
        return rejected
    }

    /// The story with criterion `index` ticked or unticked (Space on the review screen).
    public static func checking(_ story: Story, criterion index: Int, checked: Bool) -> Story? {
        guard let text = AcceptanceCriterion.setting(index, checked: checked, in: story.description) else { return nil }
        var changed = story
        changed.setDescription(text)
        return changed
    }
}
