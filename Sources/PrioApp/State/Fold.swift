import PrioEngine

/// `z`: the list folded by epic, grouped as `prio rank --group parent` groups it (`Epics.groups`,
/// the engine's one rule): each epic one row with its roll-up, its children beneath it when
/// unfolded, then the stories in no epic.
struct FoldState: Sendable {
    /// The epics shown unfolded (their children beneath them), by ID.
    var open: Set<StoryID> = []
    /// The rows, made by `rebuildView`.
    var rows: [FoldRow] = []
    /// The groups the rows come from (`FoldRow.group` indexes them).
    var groups: [Epics.Group] = []
    /// The epics rolled up along the strategy shown (its index), until the backlog changes.
    var epics: (strategy: Int, epics: Epics)?
}

/// A row of the folded list.
struct FoldRow: Sendable {
    /// The story shown.
    var storyIndex: Int
    /// Its ranking entry in a ranked view (nil in the manual order, and for an epic the view
    /// leaves out but whose children it shows).
    var entry: Ranking.Entry?
    /// The group the row is in (nil: the stories in no epic).
    var group: Int?
    /// True for the row of the group's epic.
    var isEpic: Bool
    /// True when the story itself is among the stories the view shows (an epic row may be
    /// there only for its children: done under a ranking, or filtered out).
    var isShown: Bool
}

extension AppState {
    /// The row of the folded list at a row, when the list is folded.
    func foldRow(atRow row: Int) -> FoldRow? {
        guard let fold = list.fold, fold.rows.indices.contains(row) else { return nil }
        return fold.rows[row]
    }

    /// The roll-up of an epic row.
    func rollup(atRow row: Int) -> EpicRollup? {
        guard let foldRow = foldRow(atRow: row), foldRow.isEpic, let group = foldRow.group else { return nil }
        return list.fold?.groups[group].rollup
    }

    /// Makes the folded rows from the flat ones (the ranking and filter's): the engine groups
    /// them; the epic holding the cursor's story is unfolded, so the cursor never loses it.
    mutating func buildFold() {
        guard var fold = list.fold else { return }
        let epics: Epics
        if let kept = fold.epics, kept.strategy == list.strategyIndex {
            epics = kept.epics
        } else {
            epics = Epics(backlog, strategy: strategy, forecast: nil)
            fold.epics = (list.strategyIndex, epics)
        }
        var entries: [Ranking.Entry] = []
        entries.reserveCapacity(flatRowCount)
        if let ranking = list.ranking {
            for row in 0..<flatRowCount { entries.append(ranking.entries[list.rows?[row] ?? row]) }
        } else {
            // The manual order: every story, done ones too, each with its entry of the epics' ranking.
            var entryOf = [Int](repeating: -1, count: backlog.stories.count)
            for (i, entry) in epics.ranking.entries.enumerated() { entryOf[entry.storyIndex] = i }
            for row in 0..<flatRowCount where entryOf[flatStoryIndex(atRow: row)] >= 0 {
                entries.append(epics.ranking.entries[entryOf[flatStoryIndex(atRow: row)]])
            }
        }
        let groups = epics.groups(entries, in: backlog)
        if let id = list.cursorID {
            for group in groups {
                if let epic = group.epic, group.entries.contains(where: { $0.storyIndex != epic && backlog.stories[$0.storyIndex].id == id }) {
                    fold.open.insert(backlog.stories[epic].id)
                }
            }
        }
        let ranked = list.ranking != nil
        var rows: [FoldRow] = []
        rows.reserveCapacity(entries.count)
        for (g, group) in groups.enumerated() {
            guard let epic = group.epic else {
                rows += group.entries.map { FoldRow(storyIndex: $0.storyIndex, entry: ranked ? $0 : nil, group: nil, isEpic: false, isShown: true) }
                continue
            }
            let own = group.entries.first { $0.storyIndex == epic }
            rows.append(FoldRow(storyIndex: epic, entry: ranked ? own : nil, group: g, isEpic: true, isShown: own != nil))
            guard fold.open.contains(backlog.stories[epic].id) else { continue }
            for entry in group.entries where entry.storyIndex != epic {
                rows.append(FoldRow(storyIndex: entry.storyIndex, entry: ranked ? entry : nil, group: g, isEpic: false, isShown: true))
            }
        }
        fold.rows = rows
        fold.groups = groups
        list.fold = fold
    }

    /// `z`: folds the list by epic, or shows it flat again; the cursor stays on its story.
    mutating func toggleFold() {
        if list.fold == nil {
            list.fold = FoldState()
            rebuildView()
            let count = list.fold?.groups.filter { $0.epic != nil }.count ?? 0
            guard count > 0 else {
                list.fold = nil
                rebuildView()
                notice = Notice(text: "no epics to fold by here: a story becomes an epic when others name it with '- parent:'", isError: false)
                return
            }
            notice = Notice(text: "folded by \(Plural.count(count, "epic", "epics")) · →/l/Enter opens one, ←/h folds it · z shows the list flat",
                            isError: false)
        } else {
            list.fold = nil
            rebuildView()
            notice = Notice(text: "the list is flat again (z folds it by epic)", isError: false)
        }
    }

    /// `→`, `l` or Enter on a folded epic: its children beneath it. False when the row is not a folded epic.
    mutating func unfoldSelected() -> Bool {
        guard let row = foldRow(atRow: list.cursor), row.isEpic, let fold = list.fold else { return false }
        let id = backlog.stories[row.storyIndex].id
        guard !fold.open.contains(id) else { return false }
        list.fold?.open.insert(id)
        rebuildView()
        return true
    }

    /// `←` or `h`: folds the epic under the cursor, or the one the cursor's story is in (the
    /// cursor goes to the epic's row, as its story is hidden).
    mutating func foldSelected() {
        guard let row = foldRow(atRow: list.cursor), let group = row.group, let epic = list.fold?.groups[group].epic else { return }
        let id = backlog.stories[epic].id
        list.fold?.open.remove(id)
        list.cursorID = id
        list.detailScroll = 0
        rebuildView()
    }
}
