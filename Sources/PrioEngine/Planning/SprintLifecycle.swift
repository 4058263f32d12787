/// Starting and closing sprints: the two moments whose figures the header records once, on
/// the sprint's own line (`| committed 33`, `| done 28 | closed 2026-11-28`). Recorded figures
/// are never recomputed from stories; later plans, rejects and carry-overs do not change them.
extension SprintTimeline {
    /// What `start` did.
    public struct Starting: Sendable {
        /// The sprint started.
        public var sprint: String
        /// The committed points recorded.
        public var committed: Fraction
        /// True when the header did not declare the sprint and now does.
        public var declared: Bool
    }

    /// Starts a sprint: records the points in it now as its commitment. Refused for a closed
    /// sprint, one that ended, and one already started (its commitment stays as recorded).
    public static func start(_ backlog: inout Backlog, sprint name: String, today: String) throws(ReviewProblem) -> Starting {
        let timeline = SprintTimeline(backlog, today: today)
        var declared = false
        if let status = timeline.status(of: name) {
            switch status.state {
            case .closed: throw ReviewProblem(description: "\(name) is closed; a closed sprint cannot start again")
            case .ended:
                throw ReviewProblem(description: "\(name) has ended" + (status.sprint.end.map { " (\($0))" } ?? "")
                    + "; start the current sprint instead (\(timeline.current.name))")
            case .planned, .active: break
            }
            if let recorded = status.recordedCommitted {
                throw ReviewProblem(description: "\(name) has already started with \(Plural.points(recorded)) committed; "
                    + "the recorded commitment is kept")
            }
            if !status.isDeclared {
                do { try backlog.header.addSprint(status.sprint) } catch { throw ReviewProblem(description: error.message) }
                declared = true
            }
        } else if name == timeline.current.name {
            do { try backlog.header.addSprint(timeline.current) } catch { throw ReviewProblem(description: error.message) }
            declared = true
        } else {
            throw ReviewProblem(description: "no sprint '\(name)' (declare it in the header: - sprint: \(name) | capacity N | "
                + "YYYY-MM-DD .. YYYY-MM-DD)" + Self.suggestion(name, timeline))
        }
        let committed = timeline.status(of: name)?.inSprint ?? Fraction(0)
        let recorded = DecimalNumber(rounding: committed, decimals: 6) ?? DecimalNumber(0)
        backlog.header.updateSprint(name) { $0.committed = recorded }
        return Starting(sprint: name, committed: committed, declared: declared)
    }

    /// Where `close` sends the unfinished stories.
    public enum CarryOver: String, Sendable, CaseIterable {
        /// Into the first other sprint that is planned or active, else a new one on the cadence.
        case next
        /// Back to the backlog (no sprint).
        case backlog
    }

    /// What `close` did.
    public struct Closing: Sendable {
        /// The stories moved, by ID.
        public var moved: [StoryID]
        /// The sprint they went to (nil: the backlog).
        public var to: String?
        /// The done points recorded: the sprint's entry in the velocity history.
        public var done: Fraction
        /// The committed points on record (recorded now when the sprint was never started).
        public var committed: Fraction

        /// "closed Sprint 4: committed 33 pts, done 28 pts; moved S-9 to Sprint 5": the one summary
        /// for `prio close-sprint` and the screen.
        public func summary(_ name: String) -> String {
            let carried = moved.isEmpty ? "nothing to carry over"
                : "moved \(moved.map(\.description).joined(separator: ", ")) to " + (to ?? "the backlog")
            return "closed \(name): committed \(Plural.points(committed)), done \(Plural.points(done)); \(carried)"
        }
    }

    /// Closes a sprint on `today`: records its done points and the day (and its commitment when
    /// it was never started), then sends its unfinished stories to the first other sprint that is
    /// planned or active (a new one on the cadence when there is none) or back to the backlog.
    public static func close(_ backlog: inout Backlog, sprint name: String, carryOver: CarryOver,
                             today: String) throws(ReviewProblem) -> Closing {
        let timeline = SprintTimeline(backlog, today: today)
        guard let status = timeline.status(of: name) else {
            throw ReviewProblem(description: "no sprint '\(name)' (no story is in it and the header does not declare it)"
                + Self.suggestion(name, timeline))
        }
        if status.state == .closed {
            throw ReviewProblem(description: "\(name) is already closed" + (status.sprint.closed.map { " (on \($0))" } ?? ""))
        }
        guard Day(today) != nil else { throw ReviewProblem(description: "today (\(today)) is not a date YYYY-MM-DD") }
        var target: String?
        if carryOver == .next {
            let next = timeline.carryOverTarget(closing: name)
            if !next.isDeclared {
                do { try backlog.header.addSprint(next.sprint) } catch { throw ReviewProblem(description: error.message) }
            }
            target = next.sprint.name
        }
        if !status.isDeclared {
            do { try backlog.header.addSprint(status.sprint) } catch { throw ReviewProblem(description: error.message) }
        }
        let committed = status.recordedCommitted ?? status.inSprint
        let doneNow = status.doneNow
        backlog.header.updateSprint(name) { sprint in
            if sprint.committed == nil { sprint.committed = DecimalNumber(rounding: committed, decimals: 6) }
            sprint.done = DecimalNumber(rounding: doneNow, decimals: 6)
            sprint.closed = today
        }
        let workflow = backlog.workflow
        var moved: [StoryID] = []
        for index in status.storyIndices where !workflow.isDone(backlog.stories[index]) {
            do {
                try backlog.update(at: index) { (story: inout Story) throws(FieldProblem) in
                    try story.setField(FieldKey.sprint.rawValue, target ?? "")
                }
            } catch {
                throw ReviewProblem(description: error.message)
            }
            moved.append(backlog.stories[index].id)
        }
        return Closing(moved: moved, to: target, done: doneNow, committed: committed)
    }

    /// " (did you mean 'Sprint 4'?)" for a name close to a known sprint's, else "".
    static func suggestion(_ name: String, _ timeline: SprintTimeline) -> String {
        Suggestion.closest(to: name, among: timeline.sprints.map(\.name)).map { " (did you mean '\($0)'?)" } ?? ""
    }
}
