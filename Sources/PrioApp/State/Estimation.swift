import PrioEngine

/// The team's estimation round on a story (`#`): each member types points without seeing the
/// others', the reveal shows every estimate, the spread (by the rule of stakeholder
/// disagreement) and a suggested value, and the product owner confirms the agreed points.
/// With marked stories, the rounds run on each of them in turn.
struct EstimationRound: Sendable, Equatable {
    enum Phase: Sendable, Equatable {
        /// Waiting for member `k` to take the keyboard (the screen shows no estimate).
        case handOver(Int)
        /// Member `k` types an estimate.
        case entering(Int, text: String)
        /// Every estimate shown; the product owner types the agreed points.
        case reveal(agreed: String)
    }

    /// The story estimated now.
    var storyID: StoryID
    /// The stories still to estimate after it (the marked ones), in turn.
    var queue: [StoryID]
    /// Which story of the run this is (from 1) and how many the run holds.
    var position = 1
    var total = 1
    var members: [String]
    var round = 1
    var phase: Phase = .handOver(0)
    /// Per member: the estimate typed (nil: none).
    var estimates: [DecimalNumber?]
    /// Why the last value typed was refused.
    var problem: String?

    init(stories: [StoryID], members: [String]) {
        storyID = stories[0]
        queue = Array(stories.dropFirst())
        total = stories.count
        self.members = members
        estimates = Array(repeating: nil, count: members.count)
    }

    /// The estimates entered, as votes (a member without one is left out).
    var votes: [Vote] {
        members.indices.compactMap { k in estimates[k].map { Vote(name: members[k], value: $0) } }
    }

    /// A new round on the same story: the estimates go, the run stays.
    func restarted() -> EstimationRound {
        var next = self
        next.round += 1
        next.phase = .handOver(0)
        next.estimates = Array(repeating: nil, count: members.count)
        next.problem = nil
        return next
    }

    /// The next story of the run, or nil at its end.
    func advanced() -> EstimationRound? {
        guard let next = queue.first else { return nil }
        var round = self
        round.storyID = next
        round.queue.removeFirst()
        round.position += 1
        round.round = 0
        return round.restarted()
    }
}

extension AppState {
    // MARK: Estimation

    /// `#`: an estimation round on the marked stories (in the order marked), else on the
    /// selected one, with the header's team.
    mutating func openEstimation() {
        let members = backlog.team.members
        guard !members.isEmpty else {
            notice = Notice(text: "no team: declare it in the header (- team: ana, ben, chen), then #", isError: true)
            return
        }
        let marked = list.marks.filter { backlog.index(of: $0) != nil }
        let stories = marked.isEmpty ? (selectedStory.map { [$0.id] } ?? []) : marked
        guard !stories.isEmpty else { return }
        overlay = .estimating(EstimationRound(stories: stories, members: members))
    }

    mutating func handleEstimation(_ key: Key, _ current: EstimationRound) {
        var round = current
        round.problem = nil
        switch (round.phase, key) {
        case (_, .escape):
            overlay = nil
            let left = ([round.storyID] + round.queue).map(\.description).joined(separator: ", ")
            notice = Notice(text: "estimation closed; not estimated: \(left)", isError: false)
            return
        case (.handOver(let k), .enter), (.handOver(let k), .character(" ")):
            round.phase = .entering(k, text: "")
        case (.entering(let k, let text), .character(let c)):
            round.phase = .entering(k, text: text + String(c))
        case (.entering(let k, let text), .backspace):
            round.phase = .entering(k, text: String(text.dropLast()))
        case (.entering(let k, let text), .enter), (.entering(let k, let text), .tab):
            if text.isEmpty {
                round.estimates[k] = nil
            } else {
                switch Self.estimate(text) {
                case .success(let value): round.estimates[k] = value
                case .failure(let problem):
                    round.problem = problem.message
                    overlay = .estimating(round)
                    return
                }
            }
            round.phase = k + 1 < round.members.count ? .handOver(k + 1) : .reveal(agreed: suggestedAgreement(round))
        case (.reveal, .character("n")):
            round = round.restarted()
        case (.reveal, .character("s")):
            return nextEstimation(after: round, skipped: true)
        case (.reveal(let agreed), .character(let c)) where c.isNumber || c == "." || c == "-":
            round.phase = .reveal(agreed: agreed + String(c))
        case (.reveal(let agreed), .backspace):
            round.phase = .reveal(agreed: String(agreed.dropLast()))
        case (.reveal, .control("u")):
            round.phase = .reveal(agreed: "")
        case (.reveal(let agreed), .enter), (.reveal(let agreed), .character("a")):
            switch Self.estimate(agreed) {
            case .success(let points): return confirmEstimation(round, points: points)
            case .failure(let problem): round.problem = agreed.isEmpty ? "type the agreed points first" : problem.message
            }
        default: break
        }
        overlay = .estimating(round)
    }

    /// A typed estimate, checked by the engine's rule (a number of points, 0 or more).
    static func estimate(_ text: String) -> Result<DecimalNumber, FieldProblem> {
        do throws(FieldProblem) {
            return .success(try Team.estimate(parsing: text))
        } catch {
            return .failure(error)
        }
    }

    /// What the reveal offers to agree on: the suggested points, else the story's points now.
    func suggestedAgreement(_ round: EstimationRound) -> String {
        if let suggested = Team.suggestedPoints(round.votes) { return suggested.description }
        return backlog.story(round.storyID)?.value(of: .points) ?? ""
    }

    /// Writes the agreed points and the round's estimates into the story as one undoable edit,
    /// then goes on with the next story of the run.
    mutating func confirmEstimation(_ round: EstimationRound, points: DecimalNumber) {
        guard let index = backlog.index(of: round.storyID) else { return nextEstimation(after: round, skipped: true) }
        let old = backlog.stories[index]
        var new = old
        do throws(FieldProblem) {
            try new.confirmPoints(points, estimates: round.votes)
        } catch {
            var refused = round
            refused.problem = error.message
            overlay = .estimating(refused)
            return
        }
        if new != old {
            perform(.replace(index: index, old: old, new: new), label: "points of \(old.id)", focus: old.id)
        }
        nextEstimation(after: round, skipped: false)
        let written = "\(old.id): \(points) points" + (round.votes.isEmpty ? "" : " from \(Plural.count(round.votes.count, "estimate", "estimates"))")
        notice = Notice(text: written + " (u undoes)" + (overlay == nil ? "" : " · next: \(round.queue[0])"), isError: false)
    }

    /// The next story of the run, or the end of it.
    mutating func nextEstimation(after round: EstimationRound, skipped: Bool) {
        if let next = round.advanced() {
            overlay = .estimating(next)
            if skipped { notice = Notice(text: "\(round.storyID) skipped; nothing written", isError: false) }
        } else {
            overlay = nil
            if skipped { notice = Notice(text: "\(round.storyID) skipped; the estimation round is over", isError: false) }
        }
    }

    /// The lines of the estimation box.
    func estimationLines(_ round: EstimationRound) -> [(String, CellStyle)] {
        let story = backlog.story(round.storyID)
        let title = story.map { "\($0.id) \($0.title)" } ?? round.storyID.description
        let run = round.total > 1 ? " · story \(round.position) of \(round.total)" : ""
        var lines: [(String, CellStyle)] = [(title, .bold), ("round \(round.round)\(run) · points now: \(story?.value(of: .points) ?? "none")", .dim),
                                            ("", .plain)]
        switch round.phase {
        case .handOver(let k):
            lines.append(("\(round.members[k])'s turn.", .bold))
            lines.append(("The others look away. Enter: \(round.members[k]) types an estimate.", .plain))
        case .entering(let k, let text):
            lines.append(("\(round.members[k])'s estimate (the others' stay hidden):", .bold))
            lines.append(("› points  \(text)▏", CellStyle(bold: true)))
        case .reveal(let agreed):
            let width = round.members.map { DisplayWidth.of($0) }.max() ?? 0
            for (k, member) in round.members.enumerated() {
                lines.append(("  \(DisplayWidth.pad(member, to: width))  \(round.estimates[k]?.description ?? "–")", .plain))
            }
            let votes = round.votes
            if let spread = backlog.panel.disagreement(votes) {
                // One reason per line: the box stays narrow enough for 80 columns.
                for (i, part) in spread.split(separator: " and ").enumerated() {
                    lines.append(((i == 0 ? "≠ spread: " : "    and ") + part, CellStyle(bold: true, color: .yellow)))
                }
            }
            if let suggested = Team.suggestedPoints(votes) {
                lines.append(("suggested \(suggested): the median, to the nearest step of 1, 2, 3, 5, 8, 13, 20", .plain))
            } else {
                lines.append(("no estimates in this round", .dim))
            }
            lines.append(("", .plain))
            lines.append(("Agreed points: \(agreed)▏", CellStyle(bold: true)))
        }
        if let problem = round.problem {
            lines.append(("", .plain))
            lines.append((problem, CellStyle(bold: true, color: .red)))
        }
        return lines
    }
}
