import PrioEngine

/// What the backlog's git history says, for the planning pane: asked for once, when the
/// planning screen first opens (`Effect.readDeliveryHistory`).
struct EvidenceState: Sendable {
    /// True once the history was asked for.
    var requested = false
    /// The history, once read; nil while not read or when there is none (no git repository).
    var history: DeliveryHistory?
    /// The backtest's verdict on the history, made once when it arrives.
    var verdict: String?
    /// The last line made for the 85 % date, by open stories and day: an edit that leaves the
    /// count of open stories as it was does not run the trials again.
    var line: (open: Int, today: String, text: String)?
}

extension AppState {
    /// Asks the runner for the git history once per session.
    mutating func requestEvidence() {
        guard !evidence.requested else { return }
        evidence.requested = true
        request(.readDeliveryHistory(path: document.file.path))
    }

    /// Keeps the history and its backtest's verdict; a backlog outside git shows nothing.
    mutating func receiveEvidence(_ result: Result<DeliveryHistory, PrioError>) {
        guard case .success(let history) = result else { return }
        evidence.history = history
        let backtest = EvidenceBacktest(history, seed: EvidenceForecast.standardSeed)
        // A history too short for any check says nothing here (prio forecast --backtest explains).
        evidence.verdict = backtest.windows > 0 ? "backtest: " + backtest.verdict : nil
        evidence.line = nil
        derived.evidenceDate = nil
    }

    /// The pane's line for the 85 % date of the open stories from the git history (the engine's
    /// one rule, `EvidenceForecast.likelyFinish`), made once per version of the backlog.
    mutating func prepareEvidence() {
        guard derived.evidenceDate == nil, let history = evidence.history, let today = Day(clock.today) else { return }
        let workflow = backlog.workflow
        let open = backlog.stories.count { !workflow.isDone($0) }
        if let line = evidence.line, line.open == open, line.today == clock.today {
            derived.evidenceDate = line.text
            return
        }
        defer {
            if let text = derived.evidenceDate { evidence.line = (open, clock.today, text) }
        }
        let window = history.window(days: EvidenceForecast.defaultWindow, through: today)
        do {
            let date = try EvidenceForecast.likelyFinish(scope: Double(open), history: history, today: today)
            derived.evidenceDate = "from git: \(Plural.count(open, "open story", "open stories")) done by "
                + (date.map { "\($0) (85 %)" } ?? "- not within \(EvidenceForecast.horizonDays) days")
        } catch {
            derived.evidenceDate = "from git: too little evidence, \(window.daysWithCompletions) days with "
                + "completions of the \(EvidenceForecast.minimumDays) needed"
        }
    }

    /// The planning pane's lines from the git history: the 85 % date and the backtest's verdict.
    var evidenceLines: [String] {
        guard evidence.history != nil else { return [] }
        return [derived.evidenceDate, evidence.verdict].compactMap { $0 }
    }
}
