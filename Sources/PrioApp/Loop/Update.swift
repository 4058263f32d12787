import PrioEngine

extension AppState {
    /// The update function: one message in (a key, or the answer to an effect), the new
    /// state, and the effects to carry out, in order. Nothing here reads or writes files,
    /// starts processes or reads the clock; what it needs of the world it asks as an `Effect`.
    /// Before returning, it makes what the next frame needs (`refreshDerived`), so that
    /// rendering only reads.
    public mutating func update(_ message: Message) -> [Effect] {
        switch message {
        case .key(let key): handleKey(key)
        case .terminate(let signal): terminate(signal: signal)
        case .saved(let outcome): finishSave(outcome)
        case .reloaded(let result, let mine): finishReload(result, keptMineAs: mine)
        case .overwritten(let result, let theirs): finishOverwrite(result, keptTheirsAs: theirs)
        case .copyNameFound(let path): overlay = .saveAs(PathName.lastComponent(of: path))
        case .copySaved(let job, let error): finishCopy(job, error: error)
        case .exported(let job, let outcome): finishExport(job, outcome: outcome)
        case .scopeRead(let scope, let confirmed):
            if case .form(let form)? = overlay, case .export = form.purpose { export(form, confirmed: confirmed, scope: .some(scope)) }
        case .recoveriesFound(let found):
            pending.recoveries = found
            offerNextRecovery()
        case .recoveryRead(let found, let result): offerRecovery(found, result)
        case .recoveryWritten(let result): finishRecoveryWrite(result)
        case .edited(let text): finishExternalEdit(text)
        case .clock(let reading): clock = reading
        case .deliveryHistory(let result): receiveEvidence(result)
        case .history(let id, let result):
            switch result {
            case .success(let text):
                overlay = .history(id, text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init), scroll: 0)
            case .failure(let error):
                notice = Notice(text: "no history for \(id): \(error.message)", isError: true)
            }
        }
        refreshDerived()
        defer { outbox = [] }
        return outbox
    }

    /// A key: to the overlay when there is one, else to the screen.
    mutating func handleKey(_ key: Key) {
        if case .resize(let w, let h) = key {
            width = max(0, w)
            height = max(0, h)
            scrollToCursor()
            return
        }
        notice = nil
        if let overlay {
            handleOverlay(overlay, key)
            return
        }
        switch screen {
        case .list: handleList(key)
        case .detail: handleDetail(key)
        case .planning: handlePlanning(key)
        case .compare(let compare): handleCompare(key, compare)
        case .matrix: handleMatrix(key)
        case .review(let review): handleReview(key, review)
        }
    }

    /// The detail screen: scrolls the story; other keys work as in the list.
    mutating func handleDetail(_ key: Key) {
        let page = max(1, height - 3)
        switch key {
        case .escape, .enter, .character("q"): screen = .list
        case .character("j"), .down: list.detailScroll += 1
        case .character("k"), .up: list.detailScroll = max(0, list.detailScroll - 1)
        case .pageDown, .character(" "), .control("d"): list.detailScroll += page
        case .pageUp, .control("u"): list.detailScroll = max(0, list.detailScroll - page)
        case .character("g"), .home: list.detailScroll = 0
        case .character("n"):
            list.detailScroll = 0
            setCursor(list.cursor + 1)
        case .character("N"):
            list.detailScroll = 0
            setCursor(list.cursor - 1)
        default: handleList(key)
        }
    }

    /// A key while an overlay is open: prompts, dialogs, forms and menus.
    mutating func handleOverlay(_ current: Overlay, _ key: Key) {
        switch current {
        case .help:
            overlay = nil
        case .rejectReason(let id, let text):
            handleRejectReason(key, id: id, text: text)
        case .voting(let session):
            handleVoting(key, session)
        case .estimating(let round):
            handleEstimation(key, round)
        case .closeSprint(let sprint):
            handleCloseSprint(key, sprint: sprint)
        case .history(let id, let lines, let scroll):
            switch key {
            case .character("j"), .down: overlay = .history(id, lines, scroll: min(scroll + 1, max(0, lines.count - 1)))
            case .character("k"), .up: overlay = .history(id, lines, scroll: max(0, scroll - 1))
            case .pageDown, .character(" "): overlay = .history(id, lines, scroll: min(scroll + max(1, height - 4), max(0, lines.count - 1)))
            case .pageUp: overlay = .history(id, lines, scroll: max(0, scroll - max(1, height - 4)))
            default: overlay = nil
            }
        case .planConfirm(let id, _):
            overlay = nil
            if key == .character("y"), let index = backlog.index(of: id) {
                toggleInSprint(index: index, confirmed: true)
            } else {
                notice = Notice(text: "\(id) stays out of \(planning?.sprint ?? "the sprint")", isError: false)
            }
        case .quitPrompt:
            switch key {
            case .character("s"), .character("w"):
                overlay = nil
                pending.quitAfterSave = true
                save()
            case .character("d"): request(.quit(status: 0, farewell: nil))
            case .escape, .character("c"): overlay = nil
            default: notice = Notice(text: "s saves and quits, d quits without saving, Esc goes back", isError: false)
            }
        case .deleteConfirm(let id):
            overlay = nil
            if key == .character("y") { delete(id) } else { notice = Notice(text: "kept \(id)", isError: false) }
        case .moveTo(let text):
            switch key {
            case .character(let c) where c.isASCII && c.isNumber: overlay = .moveTo(text + String(c))
            case .backspace: overlay = .moveTo(String(text.dropLast()))
            case .enter:
                overlay = nil
                if let n = Int(text) { moveSelected(toTypedPosition: n) } else { notice = Notice(text: "type a position, then Enter", isError: true) }
            case .escape: overlay = nil
            default: break
            }
        case .search(let query, let origin):
            handleSearch(key, query: query, origin: origin)
        case .goTo(let text):
            handleGoTo(key, text: text)
        case .markedSet(let text):
            handleMarkedSet(key, text: text)
        case .filterMenu(var menu):
            handleFilterMenu(key, menu: &menu)
        case .filterText(let text):
            handleFilterText(key, text: text)
        case .form(var form):
            switch key {
            case .escape: overlay = nil
            case .enter: submit(form)
            case .tab, .down: form.next(); overlay = .form(form)
            case .backTab, .up: form.previous(); overlay = .form(form)
            case .backspace: form.backspace(); overlay = .form(form)
            case .right: form.cycle(1); overlay = .form(form)
            case .left: form.cycle(-1); overlay = .form(form)
            case .character(let c): form.type(c); overlay = .form(form)
            case .control("u"):
                if form.fields.indices.contains(form.focus) && !form.focusIsChoice { form.fields[form.focus].text = "" }
                overlay = .form(form)
            default: break
            }
        case .conflict:
            switch key {
            case .character("r"): request(.reloadKeepingMine(document.file, backlog))
            case .character("o"):
                pending.savingSerial = document.history.undo.last?.serial ?? 0
                request(.overwriteKeepingTheirs(document.file, backlog))
            case .character("a"): request(.findCopyName(document.file))
            case .escape: overlay = nil
            default: break
            }
        case .saveAs(let text):
            switch key {
            case .character(let c): overlay = .saveAs(text + String(c))
            case .backspace: overlay = .saveAs(String(text.dropLast()))
            case .enter: save(as: text)
            case .escape: overlay = nil
            default: break
            }
        case .recovery(let found, let contents):
            switch key {
            case .character("r"): restoreRecovery(found, contents)
            case .character("d"): discardRecovery(found.path)
            case .escape, .character("k"):
                overlay = nil
                pending.recoveries = []
                notice = Notice(text: "kept \(PathName.lastComponent(of: found.path)) for later: prio leaves it alone and offers it again next time", isError: false)
            default: break
            }
        case .exportOverwrite(let form):
            switch key {
            case .character("y"), .character("o"): export(form, confirmed: true)
            case .character("n"), .escape: overlay = .form(form)
            default: break
            }
        case .capacity(let text):
            switch key {
            case .character(let c) where (c.isASCII && c.isNumber) || c == ".": overlay = .capacity(text + String(c))
            case .backspace: overlay = .capacity(String(text.dropLast()))
            case .enter:
                overlay = nil
                if let value = DecimalNumber(text), !value.isNegative {
                    setPlanCapacity(value)
                } else {
                    notice = Notice(text: "capacity must be a number of points", isError: true)
                }
            case .escape: overlay = nil
            default: break
            }
        case .strategyPicker(let selection):
            let count = document.strategies.all.count
            switch key {
            case .character("j"), .down: overlay = .strategyPicker((selection + 1) % count)
            case .character("k"), .up: overlay = .strategyPicker((selection + count - 1) % count)
            case .enter, .character(" "):
                overlay = nil
                chooseStrategy(selection)
            case .character(let c) where c.isASCII && c.isNumber:
                if let n = Int(String(c)), n >= 1, n <= count {
                    overlay = nil
                    chooseStrategy(n - 1)
                }
            case .escape, .character("q"), .character("R"): overlay = nil
            default: break
            }
        case .editFailed(let failure, let id):
            switch key {
            case .character("e"):
                overlay = nil
                pending.externalEdit = id
                request(.editExternally(text: failure.textWithNotes, suffix: ".md"))
            case .character("d"), .escape:
                overlay = nil
                notice = Notice(text: "discarded the edit of \(id)", isError: false)
            default: break
            }
        }
    }

    /// The list screen (and the keys the detail and planning screens pass on to it).
    mutating func handleList(_ key: Key) {
        let page = max(1, listHeight - 1)
        switch key {
        // With marked stories, these act on all of them.
        case .escape where !list.marks.isEmpty: clearMarks()
        case .character("e") where !list.marks.isEmpty: overlay = .markedSet("")
        case .character("T") where !list.marks.isEmpty: moveMarked(toTop: true)
        case .character("B") where !list.marks.isEmpty: moveMarked(toTop: false)
        case .character("j"), .down: setCursor(list.cursor + 1)
        case .character("k"), .up: setCursor(list.cursor - 1)
        case .character("g"), .home: setCursor(0)
        case .character("G"), .end: setCursor(rowCount - 1)
        case .pageDown: list.top = min(max(0, rowCount - listHeight), list.top + page); setCursor(list.cursor + page)
        case .pageUp: list.top = max(0, list.top - page); setCursor(list.cursor - page)
        case .control("d"): setCursor(list.cursor + max(1, listHeight / 2))
        case .control("u"): setCursor(list.cursor - max(1, listHeight / 2))
        case .character("J"), .shiftDown: moveSelected(by: 1)
        case .character("K"), .shiftUp: moveSelected(by: -1)
        case .character("T"): moveSelected(toPosition: 0)
        case .character("B"): moveSelected(toPosition: backlog.stories.count - 1)
        case .character("m"):
            if requireManual() && selectedStory != nil { overlay = .moveTo("") }
        case .character("s"): chooseStrategy((list.strategyIndex + 1) % document.strategies.all.count)
        case .character("S"): chooseStrategy((list.strategyIndex + document.strategies.all.count - 1) % document.strategies.all.count)
        case .character("R"): overlay = .strategyPicker(list.strategyIndex)
        case .character("D"): openReview()
        case .character("V"): openVoting()
        case .character("#"): openEstimation()
        case .character("A"): applyRanking()
        case .character("z"): toggleFold()
        case .right, .character("l"): if list.fold != nil { _ = unfoldSelected() }
        case .left, .character("h"): if list.fold != nil { foldSelected() }
        case .enter:
            if list.fold != nil && unfoldSelected() { break }
            if selectedStory != nil {
                list.detailScroll = 0
                screen = .detail
            }
        case .character("e"):
            if let story = selectedStory { overlay = .form(.editing(story, workflow: backlog.workflow)) }
        case .character("E"):
            if let story = selectedStory {
                pending.externalEdit = story.id
                request(.editExternally(text: BacklogWriter.canonicalBlock(story), suffix: ".md"))
            }
        case .character("a"):
            // After the cursor's story in the manual order (filtered or not); at the end under a ranking.
            let position = isManual ? (selectedIndex.map { $0 + 1 } ?? backlog.stories.count) : backlog.stories.count
            var form = Form.adding(at: position, id: backlog.nextID(), workflow: backlog.workflow)
            // A filter on one status, MoSCoW value or tag fills that field, so the new story shows.
            for (key, values) in [("status", Array(list.filter.statuses)), ("moscow", list.filter.moscow.map(\.rawValue)), ("tags", Array(list.filter.tags))]
            where values.count == 1 {
                if let i = form.fields.firstIndex(where: { $0.key == key }) { form.fields[i].text = values[0] }
            }
            overlay = .form(form)
        case .character("d"):
            if let story = selectedStory { overlay = .deleteConfirm(story.id) }
        case .character("p"):
            if let story = selectedStory { overlay = .form(.pinning(story)) }
        case .character("L"):
            if let story = selectedStory {
                notice = Notice(text: "reading the history of \(story.id) from git…", isError: false)
                request(.readHistory(path: document.file.path, id: story.id, strategy: strategy.name))
            }
        case .character("u"): undo()
        case .control("r"): redo()
        case .character("/"): overlay = .search("", origin: list.cursor)
        case .character(":"): overlay = .goTo("")
        case .character("v"): toggleMark()
        case .control("v"): markRange()
        case .character("n"): jumpToMatch(step: 1)
        case .character("N"): jumpToMatch(step: -1)
        case .character("f"): overlay = .filterMenu(.make(for: backlog))
        case .character("F"):
            list.filter = Filter()
            rebuildView()
            notice = Notice(text: "filters cleared", isError: false)
        case .character("x"):
            let name = PathName.stem(of: PathName.lastComponent(of: document.file.path))
            overlay = .form(.exporting(strategy: strategy.name, name: name))
        case .character("w"): save()
        case .character("q"), .control("c"):
            if isDirty { overlay = .quitPrompt } else { request(.quit(status: 0, farewell: nil)) }
        case .character("?"): overlay = .help
        case .character("P"): startPlanning()
        case .character("C"): openCompare()
        case .character("M"): openMatrix()
        case .escape: break
        case .click(let row, let column):
            if let listRow = layout.listRow(atRow: row, column: column) { setCursor(list.top + listRow) }
        case .wheelDown:
            list.top = min(max(0, rowCount - listHeight), list.top + 3)
            if list.cursor < list.top { setCursor(list.top) }
        case .wheelUp:
            list.top = max(0, list.top - 3)
            if list.cursor >= list.top + listHeight { setCursor(list.top + listHeight - 1) }
        default: break
        }
    }

    /// Shows the ranking of another strategy (by index), keeping the cursor on its story.
    mutating func chooseStrategy(_ index: Int) {
        list.strategyIndex = index
        derived.plan = nil
        rebuildView()
        notice = Notice(text: "ranked by \(strategy.title): \(strategy.formula)", isError: false)
    }

    mutating func jumpToMatch(step: Int) {
        guard !list.searchQuery.isEmpty else {
            notice = Notice(text: "no search yet: press / to search", isError: false)
            return
        }
        let matches = currentSearchMatches()
        guard let (index, wrapped) = matches.next(after: list.cursor, step: step) else {
            notice = Notice(text: "no match for '\(list.searchQuery)'", isError: true)
            return
        }
        setCursor(matches.rows[index])
        reportMatch(index + 1, of: matches.rows.count, wrapped: wrapped ? step : 0)
    }

    /// The rows matching the search, counted once per query and view.
    mutating func currentSearchMatches() -> SearchMatches {
        if let matches = list.searchMatches, matches.query == list.searchQuery { return matches }
        var rows: [Int] = []
        if let query = TextQuery(list.searchQuery) {
            let stories = backlog.stories
            for row in 0..<rowCount where query.matches(stories[storyIndex(atRow: row)]) { rows.append(row) }
        }
        let matches = SearchMatches(query: list.searchQuery, rows: rows)
        list.searchMatches = matches
        return matches
    }

    /// "'gift' 3/12 · match in description · search wrapped to the top" on the status line;
    /// `wrapped` is the direction the search went round the end in (0: it did not).
    mutating func reportMatch(_ position: Int, of count: Int, wrapped: Int) {
        var parts = ["'\(list.searchQuery)' \(position)/\(count)"]
        if let story = selectedStory, let phrase = TextQuery(list.searchQuery)?.place(in: story)?.phrase { parts.append(phrase) }
        if wrapped > 0 { parts.append("search wrapped to the top") }
        if wrapped < 0 { parts.append("search wrapped to the bottom") }
        notice = Notice(text: parts.joined(separator: " · "), isError: false)
    }

    mutating func handleSearch(_ key: Key, query: String, origin: Int) {
        var query = query
        switch key {
        case .escape:
            overlay = nil
            setCursor(origin)
            return
        case .enter:
            overlay = nil
            list.searchQuery = query
            guard !query.isEmpty else { return }
            // Typing already moved the cursor to the first match at or after the origin.
            let matches = currentSearchMatches()
            if let position = matches.position(of: list.cursor) {
                reportMatch(position, of: matches.rows.count, wrapped: list.cursor < origin ? 1 : 0)
            } else {
                notice = Notice(text: "no match for '\(query)'", isError: true)
            }
            return
        case .backspace: query = String(query.dropLast())
        case .character(let c): query.append(c)
        default: return
        }
        overlay = .search(query, origin: origin)
        if let row = findMatch(query, from: origin) { setCursor(row) }
    }

    /// Typing the text filter: Enter applies it (empty removes it), Esc leaves it as it was.
    mutating func handleFilterText(_ key: Key, text: String) {
        switch key {
        case .escape: overlay = nil
        case .enter:
            if FilterPrompt.looksLikeExpression(text) {
                applyExpression(text)
                return
            }
            overlay = nil
            list.filter.text = TextQuery(text)
            list.filter.expression = nil
            rebuildView()
            if let query = list.filter.text {
                notice = Notice(text: "showing \(Plural.count(rowCount, "story", "stories")) containing '\(query.needle)' · F clears filters", isError: false)
            } else {
                notice = Notice(text: "text filter removed", isError: false)
            }
        case .backspace: overlay = .filterText(String(text.dropLast()))
        case .control("u"): overlay = .filterText("")
        case .character(let c): overlay = .filterText(text + String(c))
        default: break
        }
    }

    mutating func handleFilterMenu(_ key: Key, menu: inout FilterMenu) {
        switch key {
        case .escape, .character("f"), .character("q"):
            overlay = nil
            return
        case .character("j"), .down: menu.selection = min(menu.choices.count - 1, menu.selection + 1)
        case .character("k"), .up: menu.selection = max(0, menu.selection - 1)
        case .character(" "), .enter:
            guard menu.choices.indices.contains(menu.selection) else { break }
            switch menu.choices[menu.selection] {
            case .status(let s): list.filter.statuses.formSymmetricDifference([s])
            case .moscow(let m): list.filter.moscow.formSymmetricDifference([m])
            case .tag(let t): list.filter.tags.formSymmetricDifference([t])
            case .text:
                overlay = .filterText(list.filter.text?.needle ?? (list.filter.expression == nil ? "" : list.filter.expressionLabel))
                return
            case .view(let name): toggleView(name)
            }
            rebuildView()
        case .character("/"), .character("t"):
            overlay = .filterText(list.filter.text?.needle ?? "")
            return
        case .character("F"):
            list.filter = Filter()
            rebuildView()
        default: break
        }
        overlay = .filterMenu(menu)
    }
}
