import Foundation
import PrioEngine

/// What the screen is doing besides showing the list.
enum Mode: Sendable {
    case list
    case help
    /// The detail of the selected story on the whole screen (narrow terminals).
    case detail
    case quitPrompt
    case deleteConfirm(StoryID)
    /// `m`: typing a position.
    case moveTo(String)
    /// `/`: typing a search; the row the search started from.
    case search(String, origin: Int)
    case filterMenu(FilterMenu)
    /// Typing the text filter (from the filter menu).
    case filterText(String)
    case form(Form)
    /// Saving found the file changed on disk.
    case conflict
    /// Typing a path to save to.
    case saveAs(String)
    /// The export form's file exists: replace it? (the form, to go back to it).
    case exportOverwrite(Form)
    /// A recovery file was found at start (its path and when it was written).
    case recovery(path: String, modified: Int)
    /// The external editor's text did not parse.
    case editFailed(text: String, problems: [String], id: StoryID)
    /// Sprint planning (`P`): the ranked backlog and the sprint side by side.
    case planning
    /// Typing a new capacity in planning mode.
    case capacity(String)
    /// `R`: every strategy to choose from, the highlighted one's index.
    case strategyPicker(Int)
    /// Space in planning on a story the plan would not take: plan it anyway? (why not).
    case planConfirm(StoryID, String)
}

/// A message on the status line until the next key.
struct Message: Sendable {
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

    var isEmpty: Bool { statuses.isEmpty && moscow.isEmpty && tags.isEmpty && text == nil }

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
            + tags.sorted().map { "tag:\($0)" } + (text.map { ["text:\"\($0.needle)\""] } ?? [])).joined(separator: " ")
    }
}

/// The state of an interactive session. Changed only by `handle(_:)` and the I/O results
/// it asks for; drawn by `render(into:)`.
public struct AppState {
    var file: BacklogFile
    /// The backlog as edited.
    public internal(set) var backlog: Backlog
    /// Screen size.
    public internal(set) var width: Int
    public internal(set) var height: Int

    /// Index into `StrategyRegistry.all`.
    var strategyIndex: Int
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

    var undoStack: [HistoryEntry] = []
    var redoStack: [HistoryEntry] = []
    var nextSerial = 1
    var savedSerial = 0
    /// Set when the backlog differs from the file for a reason undo does not track (a restore).
    var forcedDirty = false

    var mode: Mode = .list
    var message: Message?
    var searchQuery = ""
    /// The rows matching `searchQuery` in this view, counted at its first `Enter`/`n`;
    /// dropped whenever the rows change (`rebuildView`, `dropRankings`).
    var searchMatches: SearchMatches?
    /// The story sent to the external editor, until its text comes back.
    var pendingExternalEdit: StoryID?
    /// The sprint being planned and its capacity (planning mode).
    var planSprint = "Sprint 1"
    var planCapacity = DecimalNumber(20)
    /// False when nothing gave the sprint a capacity (then the plan waits for `c`).
    var planCapacityKnown = true
    /// True while the help shows the planning keys (it returns to planning).
    var helpFromPlanning = false
    /// The plan preview for the current version of the backlog (recomputed after edits).
    var planCache: SprintPlan?
    /// A dependency cycle found while planning.
    var planProblem: String?
    /// What the detail pane's forecast needs from the backlog, read once per version of the
    /// stories' contents; J/K and their undo follow it in place (`ForecastModel.swapStories`).
    var forecastModel: ForecastModel?
    /// Where stories are forecast to land, by strategy index, for this version of the backlog
    /// (made when the selected story needs one; dropped on every edit).
    var forecasts: [Int: ForecastOutcome] = [:]
    /// The status line's totals for the rows shown: kept while only the order changes.
    var countsCache: [CountsKey: String] = [:]

    /// Where recovery files of this backlog go.
    var recovery: RecoveryStore
    /// The recovery file restored in this session: removed once its work is saved.
    var restoredRecovery: String?
    /// The header strategy's ranks and scores, shown as columns in the manual order.
    var reference: ReferenceColumns?
    /// Each story's manual position by ID (for the ⚠ of a story above one it depends on).
    var positions: [StoryID: Int]?
    /// How far the detail view is scrolled (lines), for the story under the cursor.
    var detailScroll = 0
    /// Today as YYYY-MM-DD, for exports (set by the runner).
    var today = "1970-01-01"

    init(file: BacklogFile, width: Int, height: Int, recovery: RecoveryStore? = nil) {
        self.file = file
        self.recovery = recovery ?? RecoveryStore(backlogPath: file.path)
        self.backlog = file.backlog
        self.width = width
        self.height = height
        strategyIndex = 0
        cursorID = backlog.stories.first?.id
        rebuildView()
    }

    /// True when there are unsaved changes.
    public var isDirty: Bool { forcedDirty || (undoStack.last?.serial ?? 0) != savedSerial }

    var strategy: any Strategy { StrategyRegistry.all[strategyIndex] }
    var isManual: Bool { ranking == nil }

    // MARK: Rows

    /// How many rows the list has.
    var rowCount: Int {
        if let rows { return rows.count }
        if let ranking { return ranking.entries.count }
        return backlog.stories.count
    }

    /// The story index shown at a row.
    func storyIndex(atRow row: Int) -> Int {
        let item = rows?[row] ?? row
        if let ranking { return ranking.entries[item].storyIndex }
        return item
    }

    /// The ranking entry at a row, in ranked views.
    func entry(atRow row: Int) -> Ranking.Entry? {
        guard let ranking else { return nil }
        return ranking.entries[rows?[row] ?? row]
    }

    /// The story under the cursor.
    var selectedIndex: Int? {
        guard rowCount > 0 else { return nil }
        return storyIndex(atRow: min(cursor, rowCount - 1))
    }

    /// The story under the cursor.
    public var selectedStory: Story? { selectedIndex.map { backlog.stories[$0] } }

    // MARK: Layout

    /// Rows of the list area: between the header and column titles, and the status line.
    var listHeight: Int { max(0, height - 3) }

    /// The width of the detail pane beside the list (0 when the screen is too narrow).
    var paneWidth: Int { width >= 110 ? width * 2 / 5 : 0 }

    // MARK: View

    /// Recomputes the ranking and filter rows, then puts the cursor back on its story.
    mutating func rebuildView() {
        searchMatches = nil
        if strategy is ManualStrategy {
            ranking = nil
        } else if let cached = rankingCache[strategyIndex] {
            ranking = cached
        } else {
            let computed = Ranking(backlog, strategy: strategy)
            rankingCache[strategyIndex] = computed
            ranking = computed
        }
        if filter.isEmpty {
            rows = nil
        } else if let ranking {
            rows = ranking.entries.indices.filter { filter.matches(backlog.stories[ranking.entries[$0].storyIndex]) }
        } else {
            rows = backlog.stories.indices.filter { filter.matches(backlog.stories[$0]) }
        }
        placeCursor()
    }

    /// Moves the cursor to the row of `cursorID`. When that story is not shown (a done story
    /// in a ranking, a filtered-out one), the cursor rests on a nearby row but remembers the
    /// story, and finds it again when it is shown; moving the cursor chooses a new story.
    mutating func placeCursor() {
        if let id = cursorID, let row = row(of: id) {
            cursor = row
        } else {
            cursor = min(cursor, max(0, rowCount - 1))
            if cursorID == nil { cursorID = selectedStory?.id }
        }
        scrollToCursor()
    }

    /// The row showing a story, if any.
    func row(of id: StoryID) -> Int? {
        let stories = backlog.stories
        if ranking == nil && rows == nil {
            return stories.firstIndex { $0.id == id }
        }
        for row in 0..<rowCount where stories[storyIndex(atRow: row)].id == id { return row }
        return nil
    }

    /// Sets the cursor row and remembers its story.
    mutating func setCursor(_ row: Int) {
        guard rowCount > 0 else {
            cursor = 0
            cursorID = nil
            return
        }
        cursor = min(max(0, row), rowCount - 1)
        if selectedStory?.id != cursorID { detailScroll = 0 }
        cursorID = selectedStory?.id
        scrollToCursor()
    }

    mutating func scrollToCursor() {
        let visible = max(1, listHeight)
        if cursor < top { top = cursor }
        if cursor >= top + visible { top = cursor - visible + 1 }
        top = max(0, min(top, max(0, rowCount - visible)))
    }

    /// Drops cached rankings: call before changing the backlog (so no copy of it is kept alive).
    /// When the change is `edit` and it is a swap, the forecast model follows it instead of
    /// being read again; forecasts themselves are always dropped.
    mutating func dropRankings(keepingForecastThrough edit: Edit? = nil) {
        ranking = nil
        rankingCache = [:]
        searchMatches = nil
        planCache = nil
        forecasts = [:]
        if case .swap(let a, let b)? = edit, forecastModel?.swapStories(a, b) == true { return }
        forecastModel = nil
    }

    /// What the totals depend on besides the stories' contents: which rows are shown.
    struct CountsKey: Hashable {
        var ranked: Bool
        var filter: Filter
    }

    var countsKey: CountsKey { CountsKey(ranked: ranking != nil, filter: filter) }
}
