import Foundation
import PrioEngine

extension AppState {
    /// The update function: one key in, the new state, and maybe a request for the backend.
    mutating func handle(_ key: Key) -> SessionRequest? {
        if case .resize(let w, let h) = key {
            width = max(0, w)
            height = max(0, h)
            scrollToCursor()
            return nil
        }
        message = nil
        switch mode {
        case .list: return handleList(key)
        case .detail:
            let page = max(1, height - 3)
            switch key {
            case .escape, .enter, .character("q"): mode = .list
            case .character("j"), .down: detailScroll += 1
            case .character("k"), .up: detailScroll = max(0, detailScroll - 1)
            case .pageDown, .character(" "), .control("d"): detailScroll += page
            case .pageUp, .control("u"): detailScroll = max(0, detailScroll - page)
            case .character("g"), .home: detailScroll = 0
            case .character("n"):
                detailScroll = 0
                setCursor(cursor + 1)
            case .character("N"):
                detailScroll = 0
                setCursor(cursor - 1)
            default: return handleList(key)
            }
            return nil
        case .help:
            mode = helpFromPlanning ? .planning : .list
            helpFromPlanning = false
            return nil
        case .planConfirm(let id, _):
            mode = .planning
            if key == .character("y"), let index = backlog.index(of: id) {
                toggleInSprint(index: index, confirmed: true)
            } else {
                message = Message(text: "\(id) stays out of \(planSprint)", isError: false)
            }
            return nil
        case .quitPrompt:
            switch key {
            case .character("s"), .character("w"):
                mode = .list
                save()
                return isDirty ? nil : .quit
            case .character("d"): return .quit
            case .escape, .character("c"): mode = .list
            default: message = Message(text: "s saves and quits, d quits without saving, Esc goes back", isError: false)
            }
            return nil
        case .deleteConfirm(let id):
            mode = .list
            if key == .character("y") { delete(id) } else { message = Message(text: "kept \(id)", isError: false) }
            return nil
        case .moveTo(let text):
            switch key {
            case .character(let c) where c.isASCII && c.isNumber: mode = .moveTo(text + String(c))
            case .backspace: mode = .moveTo(String(text.dropLast()))
            case .enter:
                mode = .list
                if let n = Int(text) { moveSelected(toTypedPosition: n) } else { message = Message(text: "type a position, then Enter", isError: true) }
            case .escape: mode = .list
            default: break
            }
            return nil
        case .search(let query, let origin):
            handleSearch(key, query: query, origin: origin)
            return nil
        case .filterMenu(var menu):
            handleFilterMenu(key, menu: &menu)
            return nil
        case .filterText(let text):
            handleFilterText(key, text: text)
            return nil
        case .form(var form):
            switch key {
            case .escape: mode = .list
            case .enter: submit(form)
            case .tab, .down: form.next(); mode = .form(form)
            case .backTab, .up: form.previous(); mode = .form(form)
            case .backspace: form.backspace(); mode = .form(form)
            case .right: form.cycle(1); mode = .form(form)
            case .left: form.cycle(-1); mode = .form(form)
            case .character(let c): form.type(c); mode = .form(form)
            case .control("u"):
                if form.fields.indices.contains(form.focus) && !form.focusIsChoice { form.fields[form.focus].text = "" }
                mode = .form(form)
            default: break
            }
            return nil
        case .conflict:
            switch key {
            case .character("r"): reloadKeepingMine()
            case .character("o"): overwriteKeepingTheirs()
            case .character("a"): mode = .saveAs(PathName.lastComponent(of: sibling("copy")))
            case .escape: mode = .list
            default: break
            }
            return nil
        case .saveAs(let text):
            switch key {
            case .character(let c): mode = .saveAs(text + String(c))
            case .backspace: mode = .saveAs(String(text.dropLast()))
            case .enter: save(as: text)
            case .escape: mode = .list
            default: break
            }
            return nil
        case .recovery(let path, _):
            switch key {
            case .character("r"): restoreRecovery(path)
            case .character("d"): discardRecovery(path)
            case .escape, .character("k"):
                mode = .list
                message = Message(text: "kept \(PathName.lastComponent(of: path)) for later: prio leaves it alone and offers it again next time", isError: false)
            default: break
            }
            return nil
        case .exportOverwrite(var form):
            switch key {
            case .character("y"), .character("o"): export(&form, confirmed: true)
            case .character("n"), .escape: mode = .form(form)
            default: break
            }
            return nil
        case .planning:
            return handlePlanning(key)
        case .capacity(let text):
            switch key {
            case .character(let c) where (c.isASCII && c.isNumber) || c == ".": mode = .capacity(text + String(c))
            case .backspace: mode = .capacity(String(text.dropLast()))
            case .enter:
                mode = .planning
                if let value = DecimalNumber(text), !value.isNegative {
                    setPlanCapacity(value)
                } else {
                    message = Message(text: "capacity must be a number of points", isError: true)
                }
            case .escape: mode = .planning
            default: break
            }
            return nil
        case .strategyPicker(let selection):
            let count = StrategyRegistry.all.count
            switch key {
            case .character("j"), .down: mode = .strategyPicker((selection + 1) % count)
            case .character("k"), .up: mode = .strategyPicker((selection + count - 1) % count)
            case .enter, .character(" "):
                mode = .list
                chooseStrategy(selection)
            case .character(let c) where c.isASCII && c.isNumber:
                if let n = Int(String(c)), n >= 1, n <= count {
                    mode = .list
                    chooseStrategy(n - 1)
                }
            case .escape, .character("q"), .character("R"): mode = .list
            default: break
            }
            return nil
        case .editFailed(let text, _, let id):
            switch key {
            case .character("e"):
                mode = .list
                pendingExternalEdit = id
                return .editExternally(text: text, suffix: ".md")
            case .character("d"), .escape:
                mode = .list
                message = Message(text: "discarded the edit of \(id)", isError: false)
            default: break
            }
            return nil
        }
    }

    mutating func handleList(_ key: Key) -> SessionRequest? {
        let page = max(1, listHeight - 1)
        switch key {
        case .character("j"), .down: setCursor(cursor + 1)
        case .character("k"), .up: setCursor(cursor - 1)
        case .character("g"), .home: setCursor(0)
        case .character("G"), .end: setCursor(rowCount - 1)
        case .pageDown: top = min(max(0, rowCount - listHeight), top + page); setCursor(cursor + page)
        case .pageUp: top = max(0, top - page); setCursor(cursor - page)
        case .control("d"): setCursor(cursor + max(1, listHeight / 2))
        case .control("u"): setCursor(cursor - max(1, listHeight / 2))
        case .character("J"), .shiftDown: moveSelected(by: 1)
        case .character("K"), .shiftUp: moveSelected(by: -1)
        case .character("T"): moveSelected(toPosition: 0)
        case .character("B"): moveSelected(toPosition: backlog.stories.count - 1)
        case .character("m"):
            if requireManual() && selectedStory != nil { mode = .moveTo("") }
        case .character("s"): chooseStrategy((strategyIndex + 1) % StrategyRegistry.all.count)
        case .character("S"): chooseStrategy((strategyIndex + StrategyRegistry.all.count - 1) % StrategyRegistry.all.count)
        case .character("R"): mode = .strategyPicker(strategyIndex)
        case .character("A"): applyRanking()
        case .enter:
            if selectedStory != nil {
                detailScroll = 0
                mode = .detail
            }
        case .character("e"):
            if let story = selectedStory { mode = .form(.editing(story, workflow: backlog.workflow)) }
        case .character("E"):
            if let story = selectedStory {
                pendingExternalEdit = story.id
                return .editExternally(text: BacklogWriter.canonicalBlock(story), suffix: ".md")
            }
        case .character("a"):
            // After the cursor's story in the manual order (filtered or not); at the end under a ranking.
            let position = isManual ? (selectedIndex.map { $0 + 1 } ?? backlog.stories.count) : backlog.stories.count
            var form = Form.adding(at: position, id: backlog.nextID(), workflow: backlog.workflow)
            // A filter on one status, MoSCoW value or tag fills that field, so the new story shows.
            for (key, values) in [("status", Array(filter.statuses)), ("moscow", filter.moscow.map(\.rawValue)), ("tags", Array(filter.tags))]
            where values.count == 1 {
                if let i = form.fields.firstIndex(where: { $0.key == key }) { form.fields[i].text = values[0] }
            }
            mode = .form(form)
        case .character("d"):
            if let story = selectedStory { mode = .deleteConfirm(story.id) }
        case .character("u"): undo()
        case .control("r"): redo()
        case .character("/"): mode = .search("", origin: cursor)
        case .character("n"): jumpToMatch(step: 1)
        case .character("N"): jumpToMatch(step: -1)
        case .character("f"): mode = .filterMenu(.make(for: backlog))
        case .character("F"):
            filter = Filter()
            rebuildView()
            message = Message(text: "filters cleared", isError: false)
        case .character("x"):
            let name = PathName.stem(of: PathName.lastComponent(of: file.path))
            mode = .form(.exporting(strategy: strategy.name, name: name))
        case .character("w"): save()
        case .character("q"), .control("c"):
            if isDirty { mode = .quitPrompt } else { return .quit }
        case .character("?"): mode = .help
        case .character("P"): startPlanning()
        case .escape: break
        case .click(let row, let column):
            let listRow = row - 2
            if listRow >= 0 && listRow < listHeight && (paneWidth == 0 || column < width - paneWidth) {
                setCursor(top + listRow)
            }
        case .wheelDown:
            top = min(max(0, rowCount - listHeight), top + 3)
            if cursor < top { setCursor(top) }
        case .wheelUp:
            top = max(0, top - 3)
            if cursor >= top + listHeight { setCursor(top + listHeight - 1) }
        default: break
        }
        return nil
    }

    /// Shows the ranking of another strategy (by index), keeping the cursor on its story.
    mutating func chooseStrategy(_ index: Int) {
        strategyIndex = index
        planCache = nil
        rebuildView()
        message = Message(text: "ranked by \(strategy.title): \(strategy.formula)", isError: false)
    }

    mutating func jumpToMatch(step: Int) {
        guard !searchQuery.isEmpty else {
            message = Message(text: "no search yet: press / to search", isError: false)
            return
        }
        let matches = currentSearchMatches()
        guard let (index, wrapped) = matches.next(after: cursor, step: step) else {
            message = Message(text: "no match for '\(searchQuery)'", isError: true)
            return
        }
        setCursor(matches.rows[index])
        reportMatch(index + 1, of: matches.rows.count, wrapped: wrapped ? step : 0)
    }

    /// The rows matching `searchQuery`, counted once per query and view.
    mutating func currentSearchMatches() -> SearchMatches {
        if let searchMatches, searchMatches.query == searchQuery { return searchMatches }
        var rows: [Int] = []
        if let query = TextQuery(searchQuery) {
            let stories = backlog.stories
            for row in 0..<rowCount where query.matches(stories[storyIndex(atRow: row)]) { rows.append(row) }
        }
        let matches = SearchMatches(query: searchQuery, rows: rows)
        searchMatches = matches
        return matches
    }

    /// "'gift' 3/12 · match in description · search wrapped to the top" on the status line;
    /// `wrapped` is the direction the search went round the end in (0: it did not).
    mutating func reportMatch(_ position: Int, of count: Int, wrapped: Int) {
        var parts = ["'\(searchQuery)' \(position)/\(count)"]
        if let story = selectedStory, let phrase = TextQuery(searchQuery)?.place(in: story)?.phrase { parts.append(phrase) }
        if wrapped > 0 { parts.append("search wrapped to the top") }
        if wrapped < 0 { parts.append("search wrapped to the bottom") }
        message = Message(text: parts.joined(separator: " · "), isError: false)
    }

    mutating func handleSearch(_ key: Key, query: String, origin: Int) {
        var query = query
        switch key {
        case .escape:
            mode = .list
            setCursor(origin)
            return
        case .enter:
            mode = .list
            searchQuery = query
            guard !query.isEmpty else { return }
            // Typing already moved the cursor to the first match at or after the origin.
            let matches = currentSearchMatches()
            if let position = matches.position(of: cursor) {
                reportMatch(position, of: matches.rows.count, wrapped: cursor < origin ? 1 : 0)
            } else {
                message = Message(text: "no match for '\(query)'", isError: true)
            }
            return
        case .backspace: query = String(query.dropLast())
        case .character(let c): query.append(c)
        default: return
        }
        mode = .search(query, origin: origin)
        if let row = findMatch(query, from: origin) { setCursor(row) }
    }

    /// Typing the text filter: Enter applies it (empty removes it), Esc leaves it as it was.
    mutating func handleFilterText(_ key: Key, text: String) {
        switch key {
        case .escape: mode = .list
        case .enter:
            mode = .list
            filter.text = TextQuery(text)
            rebuildView()
            if let query = filter.text {
                message = Message(text: "showing \(Plural.count(rowCount, "story", "stories")) containing '\(query.needle)' · F clears filters", isError: false)
            } else {
                message = Message(text: "text filter removed", isError: false)
            }
        case .backspace: mode = .filterText(String(text.dropLast()))
        case .control("u"): mode = .filterText("")
        case .character(let c): mode = .filterText(text + String(c))
        default: break
        }
    }

    mutating func handleFilterMenu(_ key: Key, menu: inout FilterMenu) {
        switch key {
        case .escape, .character("f"), .character("q"):
            mode = .list
            return
        case .character("j"), .down: menu.selection = min(menu.choices.count - 1, menu.selection + 1)
        case .character("k"), .up: menu.selection = max(0, menu.selection - 1)
        case .character(" "), .enter:
            guard menu.choices.indices.contains(menu.selection) else { break }
            switch menu.choices[menu.selection] {
            case .status(let s): filter.statuses.formSymmetricDifference([s])
            case .moscow(let m): filter.moscow.formSymmetricDifference([m])
            case .tag(let t): filter.tags.formSymmetricDifference([t])
            case .text:
                mode = .filterText(filter.text?.needle ?? "")
                return
            }
            rebuildView()
        case .character("/"), .character("t"):
            mode = .filterText(filter.text?.needle ?? "")
            return
        case .character("F"):
            filter = Filter()
            rebuildView()
        default: break
        }
        mode = .filterMenu(menu)
    }
}
