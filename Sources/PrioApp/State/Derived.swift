import PrioEngine

/// What the views show that is computed from the document: made by `update` after each
/// message (`refreshDerived`), only when missing, and dropped by the edits that change it.
/// Rendering reads it and never computes or stores anything.
struct Derived: Sendable {
    /// The header strategy's ranks and scores, shown as columns in the manual order.
    var reference: ReferenceColumns?
    /// Each story's manual position by ID (for the ⚠ of a story above one it depends on).
    var positions: StoryIDMap?
    /// What the detail pane's forecast needs from the backlog, read once per version of the
    /// stories' contents; J/K and their undo follow it in place (`ForecastModel.swapStories`).
    var forecastModel: ForecastModel?
    /// True when the backlog gives no velocity (no history, no declared capacity), so no
    /// forecast can be made and the model is not read; reorders keep it so.
    var noForecastVelocity = false
    /// The sprints as of today (states, current sprint, history, overdue), for this version of
    /// the stories' contents.
    var timeline: SprintTimeline?
    /// Where stories are forecast to land, by strategy index, for this version of the backlog.
    var forecasts: [Int: ForecastOutcome] = [:]
    /// The forecast with confidence (500 trials, seed 1, so it holds still between frames), by
    /// strategy index, for backlogs of at most `AppState.confidenceLimit` open stories with three
    /// past sprints or more; nil values mark a backlog that cannot have one.
    var confidence: [Int: ConfidenceForecast?] = [:]
    /// The planning pane's line for the 85 % date from git, for this version of the backlog.
    var evidenceDate: String?
    /// The status line's totals for the rows shown: kept while only the order changes.
    var counts: [AppState.CountsKey: String] = [:]
    /// The plan for the sprint being planned, for this version of the backlog.
    var plan: SprintPlan?
    /// Why there is no plan (no capacity yet, a dependency cycle).
    var planProblem: String?
    /// Every strategy's ranks, for the compare screen.
    var comparison: StrategyComparison?
    /// The compare screen's rows (indices into `comparison.rows`) in the sorted order, the
    /// column they are sorted by, and each story's row in that order (-1 when not compared).
    var compareOrder: (column: Int, rows: [Int], rowOf: [Int32])?
    /// The value/effort matrix, for the matrix screen.
    var matrix: ValueEffortMatrix?
    /// The matrix drawn for a size (width, height).
    var matrixPlot: (width: Int, height: Int, plot: MatrixPlot)?
    /// The sprint under review, for the review screen.
    var review: SprintReview?
    /// What it would take for the selected story to pass the one above (detail pane, rankings).
    var why: (storyIndex: Int, strategy: Int, answer: WhatItWouldTake)?
    /// The header's Definition of Ready with the done stories it needs (the engine's one ready
    /// check), when the header declares one: the list's not-ready marks and the detail's line.
    var ready: ReadyJudge?
    /// The IDs of the stories that have children (epics), for J/K to tell at once whether the
    /// story moves alone; kept while only the order changes.
    var parentIDs: StoryIDSet?
}

/// Today and the local time zone, as the runner read them (`Effect.readClock`).
public struct Clock: Sendable, Equatable {
    /// Today as YYYY-MM-DD (`PRIO_TODAY` when set), for planning and exports.
    public var today: String
    /// Seconds east of UTC, for showing file times in local time.
    public var utcOffset: Int

    /// A clock reading.
    public init(today: String = "1970-01-01", utcOffset: Int = 0) {
        self.today = today
        self.utcOffset = utcOffset
    }

    /// A time as people read it: `2026-12-01 23:38`, in the local time zone.
    public func format(_ seconds: Int) -> String {
        let local = seconds + utcOffset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let secondOfDay = local - days * 86_400
        let (year, month, day) = Day(ordinal: days).components
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(year)-\(two(month))-\(two(day)) \(two(secondOfDay / 3600)):\(two(secondOfDay % 3600 / 60))"
    }
}

extension AppState {
    /// Makes what the next frame shows and is not computed yet: the reference columns and
    /// positions in the manual order, the totals, the plan on the planning screen, and the
    /// forecast when the detail is shown.
    mutating func refreshDerived() {
        if isManual { prepareReference() }
        if derived.ready == nil, backlog.header.setting("ready") != nil { derived.ready = ReadyJudge(backlog) }
        if derived.counts[countsKey] == nil { derived.counts[countsKey] = computeCounts() }
        if planning != nil {
            _ = currentPlan()
            prepareConfidence()
            prepareEvidence()
        }
        if layout.showsDetail {
            prepareForecast()
            prepareWhy()
            if let story = selectedStory, !backlog.workflow.isDone(story) { prepareConfidence() }
        }
        if case .compare(let compare) = screen { prepareComparison(sortedBy: compare.sortColumn) }
        if case .matrix = screen { prepareMatrix() }
        if case .review(let review) = screen, derived.review?.sprint != review.sprint {
            derived.review = SprintReview(backlog, sprint: review.sprint, today: clock.today)
        }
    }

    /// The thresholds for the selected story in a ranking, made when the selection changes.
    mutating func prepareWhy() {
        guard let ranking = list.ranking, let index = selectedIndex else { return }
        if let why = derived.why, why.storyIndex == index, why.strategy == list.strategyIndex { return }
        derived.why = WhatItWouldTake(storyIndex: index, in: ranking).map { (index, list.strategyIndex, $0) }
    }

    /// Every strategy's ranking side by side, and the rows sorted by a column.
    mutating func prepareComparison(sortedBy column: Int) {
        if derived.comparison == nil {
            derived.comparison = StrategyComparison(backlog, strategies: document.strategies.all, top: 10)
            derived.compareOrder = nil
        }
        guard let comparison = derived.comparison else { return }
        if let order = derived.compareOrder, order.column == column { return }
        var rows = Array(comparison.rows.indices)
        if column > 0 {
            rows.sort { (comparison.rows[$0].ranks[column], $0) < (comparison.rows[$1].ranks[column], $1) }
        }
        var rowOf = [Int32](repeating: -1, count: backlog.stories.count)
        for (row, item) in rows.enumerated() { rowOf[comparison.rows[item].storyIndex] = Int32(row) }
        derived.compareOrder = (column, rows, rowOf)
    }

    /// The value/effort matrix and its drawing for the screen's size.
    mutating func prepareMatrix() {
        if derived.matrix == nil {
            derived.matrix = ValueEffortMatrix(backlog)
            derived.matrixPlot = nil
        }
        guard let matrix = derived.matrix else { return }
        let area = MatrixView.plotArea(layout.body)
        if let plot = derived.matrixPlot, plot.width == area.width, plot.height == area.height { return }
        derived.matrixPlot = (area.width, area.height, MatrixPlot(matrix, backlog: backlog, width: area.width, height: area.height))
    }

    /// Computes the reference columns (and the positions by ID) when missing.
    mutating func prepareReference() {
        if derived.reference == nil, let index = headerStrategyIndex {
            derived.reference = ReferenceColumns(backlog, strategy: document.strategies.all[index])
        }
        if derived.positions == nil {
            // No hashing, and the stories read in place (binding each would copy it).
            var map = StoryIDMap(capacity: backlog.stories.count)
            backlog.stories.withUnsafeBufferPointer { stories in
                for i in stories.indices { map.insertIfAbsent(stories[i].id, i) }
            }
            derived.positions = map
        }
    }

    /// The ranking the forecasts follow: the list's, or the backlog's strategy while the list is
    /// in the manual order (so the detail pane says what `prio forecast` says), as an index.
    var forecastStrategyIndex: Int {
        strategy is ManualStrategy ? headerStrategyIndex ?? list.strategyIndex : list.strategyIndex
    }

    /// The sprints as of today, for this version of the backlog.
    mutating func currentTimeline() -> SprintTimeline {
        if let timeline = derived.timeline { return timeline }
        let made = SprintTimeline(backlog, today: clock.today)
        derived.timeline = made
        return made
    }

    /// The detail pane's forecast (the engine's plain forecast from today: the timeline's sprints,
    /// then the velocity; 200 sprints) along `forecastStrategyIndex`'s ranking, made only when the
    /// selected story is open and none is cached for this version of the backlog and ranking. The
    /// backlog is read again only after edits to stories' contents; after J/K the forecast is
    /// redone from the model, in O(n) array work.
    mutating func prepareForecast() {
        let key = forecastStrategyIndex
        guard derived.forecasts[key] == nil, let story = selectedStory, !backlog.workflow.isDone(story) else { return }
        if derived.noForecastVelocity { return }
        if derived.forecastModel == nil {
            let timeline = currentTimeline()
            guard let velocity = timeline.velocity, velocity.value > Fraction(0) else {
                derived.noForecastVelocity = true
                return
            }
            derived.forecastModel = ForecastModel(backlog, timeline: timeline)
        }
        guard let model = derived.forecastModel, model.cycle == nil,
              let velocity = model.velocity, velocity > Fraction(0) else { return }
        let chosen = document.strategies.all[key]
        let order: [Int]?
        if chosen is ManualStrategy {
            order = nil
        } else if key == list.strategyIndex, let ranking = list.ranking {
            order = ranking.entries.map(\.storyIndex)
        } else {
            order = Ranking(backlog, strategy: chosen).entries.map(\.storyIndex)
        }
        derived.forecasts[key] = model.forecast(order: order, velocity: velocity, maxSprints: 200)
    }

    /// The forecast with confidence for the detail pane and the planning pane, made once per
    /// version of the backlog and ranking, for backlogs of at most `confidenceLimit` open stories.
    mutating func prepareConfidence() {
        let key = forecastStrategyIndex
        guard derived.confidence[key] == nil else { return }
        // Counted until past the limit (a big backlog answers at once; this runs after every edit),
        // with the workflow made once and the stories read in place.
        let workflow = backlog.workflow
        var open = 0
        backlog.stories.withUnsafeBufferPointer { stories in
            for i in stories.indices where !workflow.isDone(stories[i]) {
                open += 1
                if open > Self.confidenceLimit { break }
            }
        }
        // A backlog that cannot have one is remembered as `.some(nil)`, so that it is not tried again.
        var made: ConfidenceForecast?
        if open <= Self.confidenceLimit {
            made = try? ConfidenceForecast(backlog, timeline: currentTimeline(), strategy: document.strategies.all[key],
                                           trials: 500, seed: 1)
        }
        derived.confidence[key] = .some(made)
    }

    /// The most open stories for which the detail pane shows a forecast with confidence (it is
    /// redone after each edit: 500 trials).
    static let confidenceLimit = 1_000

    /// "36 stories · 31 open · 142 pts", for what is shown (computed by `refreshDerived`).
    func counts() -> String {
        derived.counts[countsKey] ?? ""
    }

    func computeCounts() -> String {
        // Points are summed per decimal scale in 128-bit integers (exact and cheap), then joined.
        var sums: [Int: Int128] = [:]
        var open = 0
        let total = flatRowCount
        let workflow = backlog.workflow
        let direct = list.ranking == nil && list.rows == nil
        backlog.stories.withUnsafeBufferPointer { stories in
            for row in 0..<total {
                // Read in place: binding the story to a name would copy it (100,000 times).
                let index = direct ? row : flatStoryIndex(atRow: row)
                if !workflow.isDone(stories[index]) { open += 1 }
                if let p = stories[index].points {
                    let (sum, overflow) = sums[p.scale, default: 0].addingReportingOverflow(p.mantissa)
                    if !overflow { sums[p.scale] = sum }
                }
            }
        }
        var points = Fraction(0)
        for (scale, sum) in sums {
            points = points.adding(DecimalNumber(mantissa: sum, scale: scale).fraction) ?? points
        }
        return "\(Plural.count(total, "story", "stories")) · \(open) open · \(Plural.points(points))"
    }
}
