/// The stakeholder report as values: the seven sections of `prio report`, worked out from the
/// engine's own models (the timeline, the ranking and its why in words, the Monte Carlo
/// forecast, the value/effort matrix, the stakeholder panel). `ReportHTML` writes it as a page;
/// nothing here reads a file, git or the clock.
public struct StakeholderReport: Sendable {
    /// What the report is asked for.
    public struct Options: Sendable {
        /// How many stories the Top N table, the forecast and the Later list follow.
        public var top: Int
        /// The strategy that ranks.
        public var strategy: any Strategy
        /// The seed of the Monte Carlo forecast (the same seed gives the same page).
        public var seed: UInt64
        /// The number of trials.
        public var trials: Int
        /// The page's title; nil gives "NAME: backlog report".
        public var title: String?

        /// The seed a report uses unless told otherwise: a report is sent on, so it repeats by default.
        public static let defaultSeed: UInt64 = 1
        /// The Top N a report shows unless told otherwise.
        public static let defaultTop = 10
        /// The Top N counts a report takes (a page, not a dump of the backlog).
        public static let topCounts = 1...1_000
        /// The Top N for a count asked for (nil: the default), brought within `topCounts`.
        public static func topCount(_ asked: Int?) -> Int {
            min(max(asked ?? defaultTop, topCounts.lowerBound), topCounts.upperBound)
        }

        /// Options with the defaults.
        public init(strategy: any Strategy, top: Int = defaultTop, seed: UInt64 = defaultSeed, trials: Int = 10_000, title: String? = nil) {
            self.strategy = strategy
            self.top = top
            self.seed = seed
            self.trials = trials
            self.title = title
        }
    }

    /// Section 1: what the page is about.
    public struct Header: Sendable {
        public var title: String
        public var name: String
        public var vision: String?
        public var goal: String?
        public var date: String
        public var strategyTitle: String
        public var strategyFormula: String
        /// The current sprint, its dates and state ("active", "planned"), when there is one.
        public var sprint: String?
        public var sprintDates: String?
        public var sprintState: String?
        /// Where the numbers came from (the file's name, and git for the scope line).
        public var source: String
    }

    /// One story as the report shows it.
    public struct StoryLine: Sendable, Equatable {
        public var storyIndex: Int
        /// The rank under the strategy; nil for a done story (done stories are not ranked).
        public var rank: Int?
        public var id: String
        public var title: String
        public var points: String?
        public var status: String
        public var moscow: String?
        public var score: String?
        /// The short why in words (`WhyWords`).
        public var why: String
        /// The sprint by which it is done with 85 % probability, with its last day.
        public var forecast85: String?
        /// Marks: pinned, waiting for a dependency ranked below it, stakeholders disagree.
        public var pinned: Bool
        public var waitsFor: [String]
        public var disagreements: [String]
    }

    /// Section 2: Now, Next, Later; each story in one of them.
    public struct Horizon: Sendable {
        /// The current sprint's name, and its stories (done ones too, with their status).
        public var nowSprint: String?
        public var now: [StoryLine]
        /// The sprint after it ("the room left in Sprint 4 and Sprint 5" when the forecast also
        /// fills the current sprint), and the stories the forecast puts there.
        public var nextSprint: String?
        public var next: [StoryLine]
        /// The rest of the top N, by rank.
        public var later: [StoryLine]
    }

    /// One step of the fan chart: a sprint and the points of the top N left at its end.
    public struct FanStep: Sendable, Equatable {
        public var sprint: String
        public var end: String?
        public var p50: Fraction
        public var p85: Fraction
        public var p95: Fraction
    }

    /// One story's outlook, as `prio forecast --confidence` gives it.
    public struct Outlook: Sendable, Equatable {
        public var id: String
        public var title: String
        public var points: String?
        public var p50: String?
        public var p85: String?
        public var p95: String?
        public var note: String?
    }

    /// Section 4: the Monte Carlo forecast of the top N.
    public struct ForecastSection: Sendable {
        /// Why there is no forecast, when there is none.
        public var problem: String?
        /// The points of the top N stories the forecast places (the fan's start).
        public var total: Fraction
        public var steps: [FanStep]
        public var outlooks: [Outlook]
        /// "85 % chance the top 10 are done by 2027-02-05 (Sprint 12)".
        public var sentence: String?
        /// "10000 trials drawing each sprint's velocity from ... seed 1".
        public var method: String?
    }

    /// One past sprint of the burn-up.
    public struct BurnStep: Sendable, Equatable {
        public var sprint: String
        public var end: String?
        public var done: Fraction
        public var cumulative: Fraction
        public var scope: Fraction
    }

    /// Section 5: done points per past sprint against the scope.
    public struct BurnUp: Sendable {
        public var steps: [BurnStep]
        /// True when the scope line follows the file's history in git; false: today's scope.
        public var scopeFromHistory: Bool
    }

    /// One story on the value/effort chart.
    public struct MatrixPoint: Sendable, Equatable {
        public var id: String
        public var title: String
        public var value: Fraction
        public var effort: Fraction
        public var quadrant: String
        public var inTop: Bool
    }

    /// Section 6: the value/effort 2×2 of `prio matrix`.
    public struct MatrixSection: Sendable {
        public var valueMedian: Fraction?
        public var effortMedian: Fraction?
        /// Stories per quadrant (all placed stories), in `ValueEffortMatrix.quadrants` order.
        public var counts: [(quadrant: String, count: Int)]
        /// The stories drawn: every placed story for a small backlog, else the top N's.
        public var points: [MatrixPoint]
        /// True when `points` holds every placed story.
        public var showsAll: Bool
        public var unscored: Int
    }

    /// Where one stakeholder disagrees with the others on a story.
    public struct Disagreement: Sendable, Equatable {
        public var id: String
        public var title: String
        public var field: String
        public var vote: String
        public var panel: String
        public var why: String
    }

    /// Section 7: one declared stakeholder.
    public struct StakeholderLine: Sendable {
        public var name: String
        public var weight: String
        public var votes: Int
        public var disagreements: [Disagreement]
    }

    public var header: Header
    public var horizon: Horizon
    public var top: [StoryLine]
    public var forecast: ForecastSection
    public var burnUp: BurnUp
    public var matrix: MatrixSection
    public var stakeholders: [StakeholderLine]
    public var aggregate: String
    /// The options the report was made with.
    public let topCount: Int
    public let seed: UInt64

    /// Most stakeholder disagreements listed per stakeholder.
    public static let disagreementsShown = 3
    /// Backlogs with at most this many placed stories show every point on the value/effort chart.
    public static let allPointsLimit = 200

    /// Works out the report of a backlog on `today`. `scope`: the total points in the file at
    /// the end of each past sprint, by sprint name, from its history (`ScopeHistory`); nil
    /// draws today's scope.
    public init(_ backlog: Backlog, today: String, options: Options, sourceName: String, scope: [String: Fraction]? = nil) {
        let strategy = options.strategy
        let ranking = Ranking(backlog, strategy: strategy)
        let timeline = SprintTimeline(backlog, today: today)
        let workflow = backlog.workflow
        let words = WhyWords(ranking)
        let entries = Array(ranking.top(options.top))
        topCount = options.top
        seed = options.seed

        // The Monte Carlo forecast, as `prio forecast --confidence` makes it.
        var confidence: ConfidenceForecast?
        var problem: String?
        do {
            confidence = try ConfidenceForecast(backlog, timeline: timeline, strategy: strategy, trials: options.trials, seed: options.seed)
        } catch {
            problem = error.description
        }
        var outlookOf: [Int: ConfidenceForecast.Outlook] = [:]
        if let confidence {
            let wanted = Set(entries.map(\.storyIndex))
            for outlook in confidence.stories where wanted.contains(outlook.storyIndex) { outlookOf[outlook.storyIndex] = outlook }
        }
        func label(_ landing: ConfidenceForecast.Landing?) -> String? {
            landing.map { SprintLanding.label(sprint: $0.sprint, end: $0.end) }
        }

        func line(_ index: Int, _ entry: Ranking.Entry?) -> StoryLine {
            let story = backlog.stories[index]
            return StoryLine(
                storyIndex: index, rank: entry?.rank, id: story.id.description, title: story.title,
                points: story.points?.description, status: story.status.description,
                moscow: story.moscow.map { FieldKey.moscow.canonicalText($0.rawValue) },
                score: entry?.score.fraction?.formatted, why: entry.map(words.text) ?? "",
                forecast85: label(outlookOf[index]?.p85),
                pinned: entry?.pin != nil, waitsFor: entry.map { ranking.waitsFor($0).map(\.id.description) } ?? [],
                disagreements: story.disagreements)
        }
        top = entries.map { line($0.storyIndex, $0) }

        header = Self.header(backlog, timeline: timeline, today: today, strategy: strategy, title: options.title,
                             sourceName: sourceName, fromGit: scope != nil)
        horizon = Self.horizon(backlog, ranking: ranking, timeline: timeline, workflow: workflow, entries: entries,
                               today: today, line: line)
        forecast = Self.forecastSection(backlog, entries: entries, confidence: confidence, problem: problem,
                                        outlookOf: outlookOf, topCount: options.top)
        burnUp = Self.burnUp(backlog, timeline: timeline, scope: scope)
        matrix = Self.matrixSection(backlog, entries: entries)
        let panel = StakeholderPanel(header: backlog.header)
        aggregate = panel.aggregate.rawValue
        stakeholders = Self.stakeholders(backlog, ranking: ranking, panel: panel)
    }

    static func header(_ backlog: Backlog, timeline: SprintTimeline, today: String, strategy: any Strategy, title: String?,
                       sourceName: String, fromGit: Bool) -> Header {
        let name = backlog.header.name ?? "Backlog"
        let current = timeline.current
        let hasSprints = !timeline.sprints.isEmpty
        let dates = current.start.flatMap { start in current.end.map { "\(start) to \($0)" } }
        let state = timeline.currentStatus.map(\.state.rawValue) ?? (hasSprints ? "next on the cadence" : nil)
        return Header(title: title ?? "\(name): backlog report", name: name, vision: backlog.header.vision,
                      goal: backlog.header.goal, date: today, strategyTitle: strategy.title, strategyFormula: strategy.formula,
                      sprint: hasSprints ? current.name : nil, sprintDates: hasSprints ? dates : nil, sprintState: state,
                      source: sourceName + (fromGit ? " and its history in git" : ""))
    }

    static func horizon(_ backlog: Backlog, ranking: Ranking, timeline: SprintTimeline, workflow: Workflow,
                        entries: [Ranking.Entry], today: String, line: (Int, Ranking.Entry?) -> StoryLine) -> Horizon {
        var used = Set<Int>()
        var now: [StoryLine] = []
        let current = timeline.currentStatus
        if let current {
            // Ranked stories by rank, then the done ones in file order.
            let lines = current.storyIndices.map { line($0, ranking.entry(forStory: $0)) }
            now = lines.filter { $0.rank != nil }.sorted { ($0.rank ?? 0) < ($1.rank ?? 0) } + lines.filter { $0.rank == nil }
            used.formUnion(current.storyIndices)
        }
        // The sprint after the current one, where the plain forecast (the export's forecast column) puts stories.
        let landing = SprintLanding(backlog, strategy: ranking.strategy, today: today)
        let order = landing.sprintOrder
        let currentName = current?.name
        let nextName = order.first { $0 != currentName }
        var next: [StoryLine] = []
        var intoCurrent = false
        if nextName != nil {
            for entry in ranking.entries where !used.contains(entry.storyIndex) {
                guard let sprint = landing.sprint(ofStory: entry.storyIndex), sprint == nextName || sprint == currentName else { continue }
                next.append(line(entry.storyIndex, entry))
                used.insert(entry.storyIndex)
                if sprint == currentName { intoCurrent = true }
            }
        }
        let later = entries.filter { !used.contains($0.storyIndex) }.map { line($0.storyIndex, $0) }
        // Stories forecast into the current sprint's room are next too (not started, not yet planned).
        let nextLabel = nextName.map { name in intoCurrent ? "the room left in \(currentName ?? "") and \(name)" : name }
        return Horizon(nowSprint: currentName, now: now, nextSprint: nextLabel, next: next, later: later)
    }

    static func forecastSection(_ backlog: Backlog, entries: [Ranking.Entry], confidence: ConfidenceForecast?, problem: String?,
                                outlookOf: [Int: ConfidenceForecast.Outlook], topCount: Int) -> ForecastSection {
        var outlooks: [Outlook] = []
        var total = Fraction(0)
        var landings: [(points: Fraction, p50: ConfidenceForecast.Landing, p85: ConfidenceForecast.Landing, p95: ConfidenceForecast.Landing)] = []
        var left: [String] = []
        for entry in entries {
            let story = backlog.stories[entry.storyIndex]
            let outlook = outlookOf[entry.storyIndex]
            outlooks.append(Outlook(id: story.id.description, title: story.title, points: story.points?.description,
                                    p50: outlook?.p50.map { SprintLanding.label(sprint: $0.sprint, end: $0.end) },
                                    p85: outlook?.p85.map { SprintLanding.label(sprint: $0.sprint, end: $0.end) },
                                    p95: outlook?.p95.map { SprintLanding.label(sprint: $0.sprint, end: $0.end) },
                                    note: outlook?.reason))
            if let outlook, let p50 = outlook.p50, let p85 = outlook.p85, let p95 = outlook.p95 {
                let points = story.points?.fraction ?? Fraction(0)
                total = total.adding(points) ?? total
                landings.append((points, p50, p85, p95))
            } else {
                left.append(story.id.description)
            }
        }
        guard let confidence else {
            return ForecastSection(problem: problem, total: total, steps: [], outlooks: outlooks, sentence: nil, method: nil)
        }
        // The sprints in order: by last day when every one is dated, else by name ("Sprint 2" before "Sprint 10").
        var sprints: [ConfidenceForecast.Landing] = []
        var seen = Set<String>()
        for item in landings {
            for landing in [item.p50, item.p85, item.p95] where seen.insert(landing.sprint).inserted { sprints.append(landing) }
        }
        let dated = sprints.allSatisfy { $0.end != nil }
        sprints.sort { a, b in
            if dated, let x = a.end, let y = b.end, x != y { return x < y }
            return naturalLess(a.sprint, b.sprint)
        }
        let position = Dictionary(uniqueKeysWithValues: sprints.enumerated().map { ($0.element.sprint, $0.offset) })
        func remaining(at k: Int, _ pick: (ConfidenceForecast.Landing, ConfidenceForecast.Landing, ConfidenceForecast.Landing) -> ConfidenceForecast.Landing) -> Fraction {
            var left = total
            for item in landings where (position[pick(item.p50, item.p85, item.p95).sprint] ?? Int.max) <= k {
                left = item.points.subtracting(from: left)
            }
            return left
        }
        let steps = sprints.enumerated().map { k, sprint in
            FanStep(sprint: sprint.sprint, end: sprint.end, p50: remaining(at: k) { a, _, _ in a },
                    p85: remaining(at: k) { _, b, _ in b }, p95: remaining(at: k) { _, _, c in c })
        }
        var sentence: String?
        let last85 = landings.map(\.p85).max { (position[$0.sprint] ?? 0) < (position[$1.sprint] ?? 0) }
        if let last85 {
            let count = entries.count
            let whom = count == 1 ? "the top story is" : "the top \(count) are"
            let when = last85.end.map { "by \($0) (\(last85.sprint))" } ?? "by the end of \(last85.sprint)"
            sentence = "85 % chance \(whom) done \(when)"
            if !left.isEmpty {
                sentence? += "; " + left.joined(separator: ", ") + (left.count == 1 ? " has" : " have") + " no forecast and "
                    + (left.count == 1 ? "is" : "are") + " left out"
            }
            sentence? += "."
        } else if !entries.isEmpty {
            sentence = "None of the top \(entries.count) can be forecast yet (no estimates, or blocked)."
        }
        let history = confidence.history.map { formatPoints($0.points) }.joined(separator: ", ")
        let method = "\(confidence.trials) trials, each sprint's velocity drawn from the last \(confidence.history.count) sprints "
            + "(\(history) points); seed \(confidence.seed): prio forecast --confidence --seed \(confidence.seed) gives the same dates."
        return ForecastSection(problem: nil, total: total, steps: steps, outlooks: outlooks, sentence: sentence, method: method)
    }

    /// The scope the burn-up draws: all the points in a backlog, done stories included.
    public static func scope(of backlog: Backlog) -> Fraction {
        var total = Fraction(0)
        for story in backlog.stories {
            if let points = story.points { total = total.adding(points.fraction) ?? total }
        }
        return total
    }

    static func burnUp(_ backlog: Backlog, timeline: SprintTimeline, scope: [String: Fraction]?) -> BurnUp {
        let todayScope = Self.scope(of: backlog)
        var cumulative = Fraction(0)
        var steps: [BurnStep] = []
        for status in timeline.sprints where status.state == .ended || status.state == .closed {
            cumulative = cumulative.adding(status.done) ?? cumulative
            steps.append(BurnStep(sprint: status.name, end: status.sprint.end, done: status.done, cumulative: cumulative,
                                  scope: scope?[status.name] ?? todayScope))
        }
        return BurnUp(steps: steps, scopeFromHistory: scope != nil)
    }

    static func matrixSection(_ backlog: Backlog, entries: [Ranking.Entry]) -> MatrixSection {
        let matrix = ValueEffortMatrix(backlog)
        let inTop = Set(entries.map(\.storyIndex))
        let showsAll = matrix.points.count <= allPointsLimit
        let points = matrix.points.filter { showsAll || inTop.contains($0.storyIndex) }.map { point in
            let story = backlog.stories[point.storyIndex]
            return MatrixPoint(id: story.id.description, title: story.title, value: point.value, effort: point.effort,
                               quadrant: point.quadrant, inTop: inTop.contains(point.storyIndex))
        }
        var counts: [String: Int] = [:]
        for point in matrix.points { counts[point.quadrant, default: 0] += 1 }
        return MatrixSection(valueMedian: matrix.valueMedian, effortMedian: matrix.effortMedian,
                             counts: ValueEffortMatrix.quadrants.map { ($0, counts[$0] ?? 0) },
                             points: points, showsAll: showsAll, unscored: matrix.unscored.count)
    }

    static func stakeholders(_ backlog: Backlog, ranking: Ranking, panel: StakeholderPanel) -> [StakeholderLine] {
        guard !panel.stakeholders.isEmpty else { return [] }
        var found: [String: [(distance: Double, rank: Int, item: Disagreement)]] = [:]
        var votes: [String: Int] = [:]
        for entry in ranking.entries {
            let story = backlog.stories[entry.storyIndex]
            guard let tallies = story.tallies else { continue }
            for tally in tallies {
                for vote in tally.votes { votes[vote.name, default: 0] += 1 }
                guard let why = tally.disagreement else { continue }
                let panelValue = tally.value.doubleValue
                for vote in tally.votes {
                    let distance = abs(vote.value.doubleValue - panelValue) / max(1, abs(panelValue))
                    let item = Disagreement(id: story.id.description, title: story.title, field: tally.field.rawValue,
                                            vote: vote.value.description, panel: tally.value.description, why: why)
                    found[vote.name, default: []].append((distance, entry.rank, item))
                }
            }
        }
        return panel.stakeholders.map { stakeholder in
            let mine = (found[stakeholder.name] ?? []).sorted { ($0.distance, -$0.rank) > ($1.distance, -$1.rank) }
            return StakeholderLine(name: stakeholder.name, weight: stakeholder.weight.description,
                                   votes: votes[stakeholder.name] ?? 0,
                                   disagreements: mine.prefix(disagreementsShown).map(\.item))
        }
    }
}
