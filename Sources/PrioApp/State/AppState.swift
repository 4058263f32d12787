import PrioEngine

/// The document being edited: the backlog, its undo history, and the file it came from.
struct Document: Sendable {
    /// The file as last read or saved (its path, its bytes then, how saves wait for a lock).
    var file: BacklogFile
    /// The backlog as edited.
    var backlog: Backlog
    var history = History()
    /// Where recovery files of this backlog go.
    var recovery: RecoveryStore
    /// The strategies the backlog can be ranked by (the built-ins and its header's formulas).
    var strategies: StrategyCatalogue
    /// The recovery file restored in this session: removed once its work is saved.
    var restoredRecovery: String?

    /// True when there are unsaved changes.
    var isDirty: Bool { history.isDirty }
}

/// The undo and redo stacks, and which entry the file holds.
struct History: Sendable {
    var undo: [HistoryEntry] = []
    var redo: [HistoryEntry] = []
    var nextSerial = 1
    var savedSerial = 0
    /// Set when the backlog differs from the file for a reason undo does not track (a restore).
    var forcedDirty = false

    var isDirty: Bool { forcedDirty || (undo.last?.serial ?? 0) != savedSerial }
}

/// The list: which ranking and filter it shows, where the cursor and the scroll are, the search.
struct ListState: Sendable {
    /// Index into the document's strategies (`StrategyCatalogue.all`).
    var strategyIndex = 0
    /// The ranking shown, when the strategy is not manual.
    var ranking: Ranking?
    /// Rankings already computed for this version of the backlog, by strategy index.
    var rankingCache: [Int: Ranking] = [:]
    /// Rows shown when a filter is on: story indices (manual) or entry indices (ranked).
    var rows: [Int]?
    var filter = Filter()
    var cursor = 0
    var top = 0
    /// The story under the cursor; the cursor follows it through re-sorts, filters and undo.
    var cursorID: StoryID?
    var searchQuery = ""
    /// The rows matching `searchQuery` in this view, counted at its first `Enter`/`n`;
    /// dropped whenever the rows change.
    var searchMatches: SearchMatches?
    /// How far the detail is scrolled (lines), for the story under the cursor.
    var detailScroll = 0
    /// The marked stories (`v`), in the order marked; the last one marked with `v` starts a range.
    var marks: [StoryID] = []
    var markAnchor: StoryID?
    /// `z`: the list folded by epic (nil: flat).
    var fold: FoldState?
}

/// Sprint planning (`P`): the sprint, its capacity and the plan for the backlog as it stands.
struct PlanningState: Sendable {
    var sprint = "Sprint 1"
    var capacity = DecimalNumber(20)
    /// False when nothing gave the sprint a capacity (then the plan waits for `c`).
    var capacityKnown = true
}

/// What the screen shows under any overlay. Each screen is drawn by a view of its own
/// (`StoryTable`, `DetailPane`, `PlanningPane`) inside the rectangles `Layout` gives it.
enum Screen: Sendable {
    /// The list, with the detail pane beside it on a wide terminal.
    case list
    /// The detail of the selected story on the whole screen.
    case detail
    /// Sprint planning: the list and the sprint side by side.
    case planning(PlanningState)
    /// `C`: every strategy's rank of each story, side by side.
    case compare(CompareScreen)
    /// `M`: the value/effort 2×2.
    case matrix
    /// `D`: the sprint review (the demo).
    case review(ReviewScreen)
}

/// The review screen: which sprint, and the cursor over its rows (stories and their criteria).
struct ReviewScreen: Sendable, Equatable {
    var sprint: String
    var cursor = 0
    var top = 0
}

/// A row of the review screen.
enum ReviewRow: Sendable, Equatable {
    /// A story of the sprint, by index in the backlog.
    case story(Int)
    /// One of its acceptance criteria.
    case criterion(story: Int, index: Int, AcceptanceCriterion)

    /// The story the row belongs to.
    var storyIndex: Int {
        switch self {
        case .story(let i): i
        case .criterion(let i, _, _): i
        }
    }
}

/// The compare screen: which column the rows are sorted by, and the scroll.
struct CompareScreen: Sendable, Equatable {
    /// 0 sorts by the manual order; k by the k-th strategy's rank.
    var sortColumn = 0
    var top = 0
}

/// At most one thing over the screen: a prompt, a dialog, a form, a menu or the help.
enum Overlay: Sendable {
    case help
    case quitPrompt
    case deleteConfirm(StoryID)
    /// `m`: typing a position.
    case moveTo(String)
    /// `:`: typing a story ID to go to.
    case goTo(String)
    /// `e` with marked stories: typing `key=value ...` for all of them.
    case markedSet(String)
    /// `/`: typing a search; the row the search started from.
    case search(String, origin: Int)
    case filterMenu(FilterMenu)
    /// Typing the text filter (from the filter menu).
    case filterText(String)
    case form(Form)
    /// Saving found the file changed on disk.
    case conflict
    /// Typing a path to save a copy to.
    case saveAs(String)
    /// The export form's file exists: replace it? (the form, to go back to it).
    case exportOverwrite(Form)
    /// A recovery file was found at start: what it holds, to restore without reading it again.
    case recovery(RecoveryStore.Found, RecoveryStore.Contents)
    /// The external editor's text did not parse: the text, why and where (`e` edits it again,
    /// with the problems as note lines at its top).
    case editFailed(EditFailure, id: StoryID)
    /// Typing a new capacity on the planning screen.
    case capacity(String)
    /// `V`: stakeholders score the selected story in turn, then the votes are revealed.
    case voting(VotingSession)
    /// `#`: the team estimates the selected (or marked) stories in turn, then the PO confirms.
    case estimating(EstimationRound)
    /// `c` on the review screen: where the unfinished stories of the sprint go.
    case closeSprint(String)
    /// `r` on the review screen: typing why a story is rejected.
    case rejectReason(StoryID, String)
    /// `L`: a story's history from git, and how far it is scrolled.
    case history(StoryID, [String], scroll: Int)
    /// `R`: every strategy to choose from, the highlighted one's index.
    case strategyPicker(Int)
    /// Space in planning on a story the plan would not take: plan it anyway? (why not).
    case planConfirm(StoryID, String)
}

/// A line on the status bar until the next key.
struct Notice: Sendable {
    var text: String
    var isError: Bool
}

/// Which stories are shown: any of the chosen statuses, MoSCoW values and tags, and (when
/// set) only those whose ID, title, tags or description contain the text.
struct Filter: Sendable, Hashable {
    var statuses: Set<String> = []
    var moscow: Set<MoSCoW> = []
    var tags: Set<String> = []
    /// The text to contain, matched as search matches it; nil for none.
    var text: TextQuery?
    /// A filter expression (the language of `--where`), as typed or named by a view; nil for none.
    var expression: FilterExpression?
    /// How the expression was given: as typed, or `view: NAME`.
    var expressionLabel = ""

    var isEmpty: Bool { statuses.isEmpty && moscow.isEmpty && tags.isEmpty && text == nil && expression == nil }

    func matches(_ story: Story) -> Bool {
        if let text, !text.matches(story) { return false }
        if !statuses.isEmpty && !statuses.contains(story.status.description) { return false }
        if !moscow.isEmpty {
            guard let m = story.moscow, moscow.contains(m) else { return false }
        }
        if !tags.isEmpty && !story.tags.contains(where: { tags.contains($0.lowercased()) }) { return false }
        return true
    }

    var summary: String {
        (statuses.sorted().map { "status:\($0)" } + moscow.sorted { $0.weight > $1.weight }.map { "moscow:\($0.rawValue)" }
            + tags.sorted().map { "tag:\($0)" } + (text.map { ["text:\"\($0.needle)\""] } ?? [])
            + (expression == nil ? [] : ["where:\"\(expressionLabel)\""])).joined(separator: " ")
    }
}

/// What the app is waiting for from the runner.
struct Pending: Sendable {
    /// The story sent to the external editor, until its text comes back.
    var externalEdit: StoryID?
    /// `s` in the quit prompt: quit once the save succeeds.
    var quitAfterSave = false
    /// Recovery files found at start and not yet offered, oldest first.
    var recoveries: [RecoveryStore.Found] = []
    /// The exit status once a signal ends the session (128 + the signal).
    var exitStatus: Int32 = 0
    /// The undo entry a save in flight writes, to mark it saved when the runner answers.
    var savingSerial = 0
}

/// The state of an interactive session, in parts by concern. Changed only by `update(_:)`;
/// drawn, read-only, by the views.
public struct AppState: Sendable {
    var document: Document
    var list = ListState()
    var screen: Screen = .list
    var overlay: Overlay?
    var notice: Notice?
    /// Computed from the document for the next frames, by `update`; read by the views.
    var derived = Derived()
    var pending = Pending()
    /// Today and the local time zone, as the runner read them.
    var clock = Clock()
    /// The evidence from the backlog's git history, once the planning screen asked for it.
    var evidence = EvidenceState()
    /// Screen size.
    public internal(set) var width: Int
    public internal(set) var height: Int
    /// Effects asked for while handling the current message (returned by `update`).
    var outbox: [Effect] = []

    init(file: BacklogFile, width: Int, height: Int, recovery: RecoveryStore? = nil) {
        // The document holds the only copy of the stories, so its first edit copies nothing.
        var file = file
        let backlog = file.takeBacklog()
        document = Document(file: file, backlog: backlog, recovery: recovery ?? RecoveryStore(backlogPath: file.path),
                            strategies: backlog.strategies)
        self.width = width
        self.height = height
        list.cursorID = document.backlog.stories.first?.id
        rebuildView()
        refreshDerived()
    }

    /// The backlog as edited.
    public var backlog: Backlog { document.backlog }

    /// True when there are unsaved changes.
    public var isDirty: Bool { document.isDirty }

    var strategy: any Strategy { document.strategies.all[list.strategyIndex] }
    var isManual: Bool { list.ranking == nil }

    /// The planning state, on the planning screen.
    var planning: PlanningState? {
        if case .planning(let state) = screen { return state }
        return nil
    }

    /// Changes the planning state (on the planning screen; nothing otherwise).
    mutating func updatePlanning(_ change: (inout PlanningState) -> Void) {
        guard case .planning(var state) = screen else { return }
        change(&state)
        screen = .planning(state)
    }

    /// Asks the runner for an effect; `update` returns it.
    mutating func request(_ effect: Effect) {
        outbox.append(effect)
    }

    // MARK: Rows

    /// How many rows the list has.
    var rowCount: Int {
        if let fold = list.fold { return fold.rows.count }
        return flatRowCount
    }

    /// The story index shown at a row.
    func storyIndex(atRow row: Int) -> Int {
        if let fold = list.fold { return fold.rows[row].storyIndex }
        return flatStoryIndex(atRow: row)
    }

    /// The ranking entry at a row, in ranked views.
    func entry(atRow row: Int) -> Ranking.Entry? {
        if let fold = list.fold { return fold.rows[row].entry }
        guard let ranking = list.ranking else { return nil }
        return ranking.entries[list.rows?[row] ?? row]
    }

    /// How many stories the ranking and filter show, folded or not.
    var flatRowCount: Int {
        if let rows = list.rows { return rows.count }
        if let ranking = list.ranking { return ranking.entries.count }
        return backlog.stories.count
    }

    /// The story at a row of the list as it would be shown flat.
    func flatStoryIndex(atRow row: Int) -> Int {
        let item = list.rows?[row] ?? row
        if let ranking = list.ranking { return ranking.entries[item].storyIndex }
        return item
    }

    /// The story under the cursor.
    var selectedIndex: Int? {
        guard rowCount > 0 else { return nil }
        return storyIndex(atRow: min(list.cursor, rowCount - 1))
    }

    /// The story under the cursor.
    public var selectedStory: Story? { selectedIndex.map { backlog.stories[$0] } }

    /// Rows of stories in the list: the screen less the header, the column titles and the status line.
    var listHeight: Int { max(0, layout.body.height - 1) }

    /// The rectangles of this frame: the one layout for drawing and for the mouse.
    var layout: Layout {
        Layout(screen: screen, width: width, height: height, banner: backlog.header.vision != nil || backlog.header.goal != nil)
    }

    // MARK: View

    /// Recomputes the ranking and filter rows, then puts the cursor back on its story.
    mutating func rebuildView() {
        list.searchMatches = nil
        if strategy is ManualStrategy {
            list.ranking = nil
        } else if let cached = list.rankingCache[list.strategyIndex] {
            list.ranking = cached
        } else {
            let computed = Ranking(backlog, strategy: strategy)
            list.rankingCache[list.strategyIndex] = computed
            list.ranking = computed
        }
        let filter = list.filter
        // The expression is bound to the backlog once per rebuild (its workflow, its Definition of Ready).
        let bound = filter.expression.map { StoryFilter($0, in: backlog) }
        if filter.isEmpty {
            list.rows = nil
        } else if let ranking = list.ranking {
            let stories = backlog.stories
            list.rows = ranking.entries.indices.filter {
                let story = stories[ranking.entries[$0].storyIndex]
                return filter.matches(story) && bound?.matches(story) ?? true
            }
        } else {
            list.rows = backlog.stories.indices.filter { filter.matches(backlog.stories[$0]) && bound?.matches(backlog.stories[$0]) ?? true }
        }
        buildFold()
        placeCursor()
    }

    /// Moves the cursor to the row of its story. When that story is not shown (a done story
    /// in a ranking, a filtered-out one), the cursor rests on a nearby row but remembers the
    /// story, and finds it again when it is shown; moving the cursor chooses a new story.
    mutating func placeCursor() {
        if let id = list.cursorID, let row = row(of: id) {
            list.cursor = row
        } else {
            list.cursor = min(list.cursor, max(0, rowCount - 1))
            if list.cursorID == nil { list.cursorID = selectedStory?.id }
        }
        scrollToCursor()
    }

    /// The row showing a story, if any.
    func row(of id: StoryID) -> Int? {
        let stories = backlog.stories
        if list.ranking == nil && list.rows == nil && list.fold == nil {
            return stories.firstIndex { $0.id == id }
        }
        for row in 0..<rowCount where stories[storyIndex(atRow: row)].id == id { return row }
        return nil
    }

    /// Sets the cursor row and remembers its story.
    mutating func setCursor(_ row: Int) {
        guard rowCount > 0 else {
            list.cursor = 0
            list.cursorID = nil
            return
        }
        list.cursor = min(max(0, row), rowCount - 1)
        if selectedStory?.id != list.cursorID { list.detailScroll = 0 }
        list.cursorID = selectedStory?.id
        scrollToCursor()
    }

    mutating func scrollToCursor() {
        let visible = max(1, listHeight)
        if list.cursor < list.top { list.top = list.cursor }
        if list.cursor >= list.top + visible { list.top = list.cursor - visible + 1 }
        list.top = max(0, min(list.top, max(0, rowCount - visible)))
    }

    /// Drops cached rankings: call before changing the backlog (so no copy of it is kept alive).
    /// When the change is `edit` and it is a swap, the forecast model follows it instead of
    /// being read again; forecasts themselves are always dropped.
    mutating func dropRankings(keepingForecastThrough edit: Edit? = nil) {
        list.ranking = nil
        list.rankingCache = [:]
        list.fold?.epics = nil
        list.searchMatches = nil
        derived.plan = nil
        derived.forecasts = [:]
        derived.confidence = [:]
        derived.evidenceDate = nil
        derived.review = nil
        derived.comparison = nil
        derived.compareOrder = nil
        derived.matrix = nil
        derived.matrixPlot = nil
        derived.why = nil
        // Readiness changes with the stories' contents, not with their order.
        if edit?.changesContent ?? true {
            derived.ready = nil
            derived.parentIDs = nil
        }
        // The timeline holds story indices: read again when next needed (a pass over the sprints' stories).
        derived.timeline = nil
        if case .swap(let a, let b)? = edit {
            // A reorder cannot give the backlog a velocity, nor change the model beyond the swap.
            if derived.forecastModel == nil && derived.noForecastVelocity { return }
            if derived.forecastModel?.swapStories(a, b) == true { return }
        }
        derived.forecastModel = nil
        derived.noForecastVelocity = false
    }

    /// What the totals depend on besides the stories' contents: which rows are shown.
    struct CountsKey: Hashable, Sendable {
        var ranked: Bool
        var filter: Filter
    }

    /// The totals count the stories shown, folded or not.
    var countsKey: CountsKey { CountsKey(ranked: list.ranking != nil, filter: list.filter) }
}
