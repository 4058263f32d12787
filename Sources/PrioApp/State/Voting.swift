import PrioEngine

/// A voting session on one story: each stakeholder enters scores without seeing the others',
/// then every score, the spread and the aggregate are revealed.
struct VotingSession: Sendable, Equatable {
    enum Phase: Sendable, Equatable {
        /// Waiting for stakeholder `k` to take the keyboard (the screen shows no score).
        case handOver(Int)
        /// Stakeholder `k` types the score of field `f`.
        case entering(Int, field: Int, text: String)
        /// Every score shown.
        case reveal
    }

    var storyID: StoryID
    var fields: [FieldKey]
    var stakeholders: [Stakeholder]
    var round = 1
    var phase: Phase = .handOver(0)
    /// Per stakeholder, per field: the score entered (nil: no vote).
    var scores: [[DecimalNumber?]]
    /// Why the last score typed was refused.
    var problem: String?

    init(storyID: StoryID, fields: [FieldKey], stakeholders: [Stakeholder]) {
        self.storyID = storyID
        self.fields = fields
        self.stakeholders = stakeholders
        scores = Array(repeating: Array(repeating: nil, count: fields.count), count: stakeholders.count)
    }

    /// The fields a session asks for: the strategy's numeric inputs, else WSJF's. Never
    /// points: they are the team's estimate (`#`), not a stakeholder's vote.
    static func fields(for strategy: any Strategy) -> [FieldKey] {
        let inputs = strategy.inputs.filter { $0.isNumeric && $0 != .points }
        return inputs.isEmpty ? [.value, .timeCriticality, .riskReduction, .size] : inputs
    }

    /// The votes entered for field `f`.
    func votes(field f: Int) -> [Vote] {
        stakeholders.indices.compactMap { k in scores[k][f].map { Vote(name: stakeholders[k].name, value: $0) } }
    }
}

extension AppState {
    // MARK: Voting

    /// `V`: a voting session on the selected story with the header's stakeholders.
    mutating func openVoting() {
        guard let story = selectedStory else { return }
        let stakeholders = backlog.panel.stakeholders
        guard !stakeholders.isEmpty else {
            notice = Notice(text: "no stakeholders: declare them in the header (- stakeholder: alice | weight 2), then V", isError: true)
            return
        }
        overlay = .voting(VotingSession(storyID: story.id, fields: VotingSession.fields(for: strategy), stakeholders: stakeholders))
    }

    mutating func handleVoting(_ key: Key, _ current: VotingSession) {
        var session = current
        session.problem = nil
        switch session.phase {
        case .handOver(let k):
            switch key {
            case .escape: overlay = nil; return
            case .enter, .character(" "): session.phase = .entering(k, field: 0, text: "")
            default: break
            }
        case .entering(let k, let f, let text):
            switch key {
            case .escape:
                overlay = nil
                notice = Notice(text: "voting cancelled; nothing written", isError: false)
                return
            case .character(let c) where c.isNumber || c == "." || c == "%":
                session.phase = .entering(k, field: f, text: text + String(c))
            case .backspace:
                session.phase = .entering(k, field: f, text: String(text.dropLast()))
            case .enter, .tab:
                let field = session.fields[f]
                var typed = text
                if field == .confidence && typed.hasSuffix("%") { typed.removeLast() }
                if typed.isEmpty {
                    session.scores[k][f] = nil
                } else {
                    guard let value = DecimalNumber(typed) else {
                        session.problem = "'\(text)' is not a number"
                        break
                    }
                    do throws(FieldProblem) {
                        try field.check(value.description)
                    } catch {
                        session.problem = error.message
                        break
                    }
                    session.scores[k][f] = value
                }
                if f + 1 < session.fields.count {
                    session.phase = .entering(k, field: f + 1, text: "")
                } else if k + 1 < session.stakeholders.count {
                    session.phase = .handOver(k + 1)
                } else {
                    session.phase = .reveal
                }
            default: break
            }
        case .reveal:
            switch key {
            case .escape:
                overlay = nil
                notice = Notice(text: "voting closed; nothing written", isError: false)
                return
            case .character("n"):
                let round = session.round + 1
                session = VotingSession(storyID: session.storyID, fields: session.fields, stakeholders: session.stakeholders)
                session.round = round
            case .character("a"), .enter:
                acceptVotes(session)
                return
            default: break
            }
        }
        overlay = .voting(session)
    }

    /// Writes the revealed votes into the story: one undoable edit.
    mutating func acceptVotes(_ session: VotingSession) {
        overlay = nil
        guard let index = backlog.index(of: session.storyID) else { return }
        let old = backlog.stories[index]
        var new = old
        do throws(FieldProblem) {
            for (k, stakeholder) in session.stakeholders.enumerated() {
                for (f, field) in session.fields.enumerated() {
                    if let value = session.scores[k][f] { try new.setVote(field, by: stakeholder.name, value, panel: backlog.panel) }
                }
            }
        } catch {
            notice = Notice(text: "votes not written: \(error.message)", isError: true)
            return
        }
        guard new != old else {
            notice = Notice(text: "no votes entered; nothing written", isError: false)
            return
        }
        perform(.replace(index: index, old: old, new: new), label: "votes on \(old.id)", focus: old.id)
        notice = Notice(text: "votes on \(old.id) written (u undoes)", isError: false)
    }

    /// The lines of the voting box.
    func votingLines(_ session: VotingSession) -> [(String, CellStyle)] {
        let title = backlog.story(session.storyID).map { "\($0.id) \($0.title)" } ?? session.storyID.description
        var lines: [(String, CellStyle)] = [(title + " · round \(session.round)", .bold), ("", .plain)]
        let labelWidth = session.fields.map { DisplayWidth.of($0.rawValue) }.max() ?? 0
        switch session.phase {
        case .handOver(let k):
            let who = session.stakeholders[k]
            lines.append(("\(who.name)'s turn" + (who.weight.fraction == Fraction(1) ? "" : " (weight \(who.weight))") + ".", .bold))
            lines.append(("The others look away. Enter: \(who.name) enters the scores.", .plain))
        case .entering(let k, let f, let text):
            lines.append(("\(session.stakeholders[k].name)'s scores (the others' stay hidden):", .bold))
            for (i, field) in session.fields.enumerated() {
                let label = DisplayWidth.pad(field.rawValue, to: labelWidth)
                if i < f {
                    lines.append(("  \(label)  \(session.scores[k][i]?.description ?? "–")", .plain))
                } else if i == f {
                    lines.append(("› \(label)  \(text)▏", CellStyle(bold: true)))
                } else {
                    lines.append(("  \(label)", .dim))
                }
            }
            if let problem = session.problem { lines.append(("", .plain)); lines.append((problem, CellStyle(bold: true, color: .red))) }
        case .reveal:
            let panel = backlog.panel
            for (f, field) in session.fields.enumerated() {
                let votes = session.votes(field: f)
                let cast = votes.map { "\($0.name) \($0.value)" }.joined(separator: ", ")
                var line = "\(DisplayWidth.pad(field.rawValue, to: labelWidth))  " + (cast.isEmpty ? "no votes" : cast)
                if let value = panel.combine(votes) { line += "  → \(panel.aggregate.rawValue) \(value)" }
                lines.append((line, .plain))
                if let why = panel.disagreement(votes) {
                    // One reason per line: the box stays narrow enough for 80 columns.
                    for (i, part) in why.split(separator: " and ").enumerated() {
                        lines.append(((i == 0 ? "  ≠ " : "    and ") + part, CellStyle(bold: true, color: .yellow)))
                    }
                }
            }
        }
        return lines
    }
}
