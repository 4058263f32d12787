import Foundation
import PrioEngine

extension AppState {
    // MARK: Edits and history

    /// Applies an edit as one undoable step and keeps the cursor on `focus`.
    mutating func perform(_ edit: Edit, label: String, focus: StoryID?) {
        dropRankings(keepingForecastThrough: edit)
        if edit.changesContent { countsCache = [:] }
        updateReference(after: edit)
        edit.apply(to: &backlog)
        undoStack.append(HistoryEntry(edit: edit, focus: focus, label: label, serial: nextSerial))
        nextSerial += 1
        redoStack.removeAll()
        if let focus { cursorID = focus }
        rebuildView()
    }

    mutating func undo() {
        guard let entry = undoStack.popLast() else {
            message = Message(text: "nothing to undo", isError: false)
            return
        }
        dropRankings(keepingForecastThrough: entry.edit.inverse)
        if entry.edit.changesContent { countsCache = [:] }
        updateReference(after: entry.edit.inverse)
        entry.edit.inverse.apply(to: &backlog)
        redoStack.append(entry)
        if let focus = entry.focus { cursorID = focus }
        rebuildView()
        message = Message(text: "undid: \(entry.label)", isError: false)
    }

    mutating func redo() {
        guard let entry = redoStack.popLast() else {
            message = Message(text: "nothing to redo", isError: false)
            return
        }
        dropRankings(keepingForecastThrough: entry.edit)
        if entry.edit.changesContent { countsCache = [:] }
        updateReference(after: entry.edit)
        entry.edit.apply(to: &backlog)
        undoStack.append(entry)
        if let focus = entry.focus { cursorID = focus }
        rebuildView()
        message = Message(text: "redid: \(entry.label)", isError: false)
    }

    // MARK: Moving stories

    /// Moving happens in the manual order; in a computed ranking it is refused with a hint.
    mutating func requireManual() -> Bool {
        guard isManual else {
            message = Message(text: "stories move in the manual order: press s until 'Manual order', or A to apply this ranking", isError: true)
            return false
        }
        return true
    }

    /// J/K: one place down or up, past the next shown story when a filter is on.
    mutating func moveSelected(by step: Int) {
        guard requireManual(), let index = selectedIndex, let story = selectedStory else { return }
        let targetRow = cursor + step
        guard targetRow >= 0 && targetRow < rowCount else { return }
        let target = storyIndex(atRow: targetRow)
        if rows == nil {
            // Neighbours in the manual order: a swap is O(1) even at 100,000 stories.
            dropRankings(keepingForecastThrough: .swap(index, target))
            updateReference(after: .swap(index, target))
            Edit.swap(index, target).apply(to: &backlog)
            record(.swap(index, target), label: "moved \(story.id)", focus: story.id)
            cursor = targetRow
            scrollToCursor()
        } else {
            perform(.move(from: index, to: target), label: "moved \(story.id)", focus: story.id)
        }
    }

    /// Records an edit that was already applied (the fast path of J/K).
    mutating func record(_ edit: Edit, label: String, focus: StoryID?) {
        undoStack.append(HistoryEntry(edit: edit, focus: focus, label: label, serial: nextSerial))
        nextSerial += 1
        redoStack.removeAll()
    }

    /// T, B and `m N`: to a 0-based position in the manual order.
    mutating func moveSelected(toPosition position: Int) {
        guard requireManual(), let index = selectedIndex, let story = selectedStory else { return }
        let target = min(max(0, position), backlog.stories.count - 1)
        guard target != index else { return }
        perform(.move(from: index, to: target), label: "moved \(story.id) to \(target + 1)", focus: story.id)
    }

    /// `m N`: N as typed, 1-based; positions out of range go to the top or bottom, and say so.
    mutating func moveSelected(toTypedPosition n: Int) {
        guard requireManual(), let index = selectedIndex, let story = selectedStory else { return }
        let count = backlog.stories.count
        let target = min(max(1, n), count)
        let note = n < 1 ? " (positions start at 1)" : n > count ? " (the last position: there are \(Plural.count(count, "story", "stories")))" : ""
        if target - 1 == index {
            message = Message(text: "\(story.id) is already at \(target)\(note)", isError: false)
            return
        }
        moveSelected(toPosition: target - 1)
        message = Message(text: "moved \(story.id) to \(target)\(note)", isError: false)
    }

    /// A: the shown ranking becomes the manual order, as one step.
    mutating func applyRanking() {
        guard let ranking else {
            message = Message(text: "this is the manual order already; press s for a ranking to apply", isError: true)
            return
        }
        let order = ranking.impliedOrder
        let moved = order.enumerated().filter { $0.offset != $0.element }.count
        let name = ranking.strategy.title
        perform(.reorder(order), label: "applied \(name)", focus: cursorID)
        message = Message(text: "applied \(name) to the manual order (\(moved) stories changed place; u undoes)", isError: false)
    }

    // MARK: Deleting

    /// Deletes a story and drops it from other stories' `depends`, as one step.
    mutating func delete(_ id: StoryID) {
        guard let index = backlog.index(of: id) else { return }
        var edits: [Edit] = []
        for (i, story) in backlog.stories.enumerated() where story.dependencies.contains(id) {
            var changed = story
            let rest = story.dependencies.filter { $0 != id }.map(\.description).joined(separator: ", ")
            try? changed.setField(FieldKey.depends.rawValue, rest)
            edits.append(.replace(index: i, old: story, new: changed))
        }
        edits.append(.remove(index: index, story: backlog.stories[index]))
        let next = rowCount > cursor + 1 ? backlog.stories[storyIndex(atRow: cursor + 1)].id
            : (cursor > 0 ? backlog.stories[storyIndex(atRow: cursor - 1)].id : nil)
        perform(.batch(edits), label: "deleted \(id)", focus: next)
        message = Message(text: "deleted \(id) (u undoes)", isError: false)
    }

    // MARK: Forms

    /// Checks a story and its dependencies against the backlog (the engine's one rule); nil when fine.
    func dependencyProblem(_ story: Story) -> String? {
        backlog.dependencyProblem(of: story)
    }

    /// Enter in a form: every field is checked; a bad one keeps the form open with the reason.
    mutating func submit(_ form: Form) {
        var form = form
        switch form.purpose {
        case .edit(let id):
            guard let index = backlog.index(of: id) else { mode = .list; return }
            let old = backlog.stories[index]
            guard let new = build(from: &form, base: old) else { mode = .form(form); return }
            mode = .list
            if new != old {
                perform(.replace(index: index, old: old, new: new), label: "edited \(id)", focus: id)
                message = Message(text: "edited \(id)", isError: false)
            }
        case .add(let position):
            let base = Story(id: backlog.nextID(), title: "")
            guard let new = build(from: &form, base: base) else { mode = .form(form); return }
            mode = .list
            perform(.insert(index: position, story: new), label: "added \(new.id)", focus: new.id)
            message = Message(text: "added \(new.id)", isError: false)
            if !filter.isEmpty && !filter.matches(new) {
                // Keep the new story in sight: a filter that would hide it is cleared.
                filter = Filter()
                rebuildView()
                message = Message(text: "added \(new.id); the filter would hide it, so it is cleared", isError: false)
            }
        case .export:
            export(&form)
        }
    }

    /// A story with the form's values, or nil with errors marked on the form's fields.
    func build(from form: inout Form, base: Story) -> Story? {
        var story = base
        var ok = true
        for i in form.fields.indices {
            let field = form.fields[i]
            if field.key == "title" {
                do {
                    try story.setTitle(field.text)
                } catch {
                    form.fields[i].error = error.message
                    ok = false
                }
                continue
            }
            do {
                try story.setField(field.key, field.text)
            } catch {
                form.fields[i].error = error.message
                ok = false
            }
        }
        if ok, let problem = dependencyProblem(story), let i = form.fields.firstIndex(where: { $0.key == "depends" }) {
            form.fields[i].error = problem
            ok = false
        }
        if !ok, let first = form.fields.firstIndex(where: { $0.error != nil }) { form.focus = first }
        return ok ? story : nil
    }

    // MARK: Export

    /// Writes the export the form describes; an existing file is replaced only once `confirmed`.
    mutating func export(_ form: inout Form, confirmed: Bool = false) {
        func value(_ key: String) -> String {
            form.fields.first { $0.key == key }?.text.trimmingCharacters(in: .whitespaces) ?? ""
        }
        func fail(_ key: String, _ text: String) {
            if let i = form.fields.firstIndex(where: { $0.key == key }) {
                form.fields[i].error = text
                form.focus = i
            }
            mode = .form(form)
        }
        guard let format = ExportFormat(rawValue: value("format").lowercased()) else {
            return fail("format", "use csv, markdown or json")
        }
        var columns: [ExportColumn]?
        if !value("columns").isEmpty {
            do {
                columns = try ExportColumn.parse(value("columns"), in: backlog)
            } catch {
                return fail("columns", error.message)
            }
        }
        var top: Int?
        if !value("top").isEmpty {
            guard let n = Int(value("top")), n >= 0 else { return fail("top", "a whole number, or empty for all") }
            top = n
        }
        guard let chosen = StrategyRegistry.strategy(named: value("strategy")) else {
            return fail("strategy", "one of \(StrategyRegistry.names.joined(separator: ", "))")
        }
        let target = value("file")
        guard !target.isEmpty else { return fail("file", "where to write the export") }
        let resolved = PathName.sibling(of: file.path, named: target)
        let state: ExportDestination.State
        do {
            state = try ExportDestination.check(resolved, backlogPath: file.path, shownAs: target)
        } catch {
            return fail("file", error.message)
        }
        if state == .existingFile && !confirmed {
            mode = .exportOverwrite(form)
            return
        }
        let ranking = Ranking(backlog, strategy: chosen)
        let text = Exporter.export(ranking, format: format, top: top, date: today,
                                   sourceName: PathName.lastComponent(of: file.path), columns: columns)
        do {
            try atomicWrite(Array(text.utf8), to: resolved, wait: file.lockWait)
        } catch {
            return fail("file", error.message)
        }
        mode = .list
        let count = min(top ?? Int.max, ranking.entries.count)
        message = Message(text: "exported \(count) stories (\(chosen.name), \(format.rawValue)) to \(target)", isError: false)
    }

    // MARK: Saving

    /// `w`: writes the file; when it changed on disk, asks what to do.
    mutating func save() {
        let problems = backlog.dependencyProblems()
        guard problems.isEmpty else {
            message = Message(text: "not saved: \(problems[0])", isError: true)
            return
        }
        do {
            try file.save(backlog)
            markSaved()
            message = Message(text: "saved \(file.path)", isError: false)
        } catch {
            if file.changedOnDisk() {
                mode = .conflict
            } else {
                message = Message(text: "not saved: \(error.message)", isError: true)
            }
        }
    }

    mutating func markSaved() {
        savedSerial = undoStack.last?.serial ?? 0
        forcedDirty = false
        // The work restored from a recovery file is saved now; recovery files kept for later stay.
        if let restored = restoredRecovery {
            removeFile(restored)
            restoredRecovery = nil
        }
    }

    /// A sibling path that does not exist yet: `backlog.mine.md`, `backlog.mine-2.md`, ...
    func sibling(_ tag: String) -> String {
        let name = PathName.lastComponent(of: file.path)
        let ext = PathName.pathExtension(of: name)
        let base = PathName.prefix(of: PathName.stem(of: name), bytes: 200)
        let suffix = ext.isEmpty ? "md" : PathName.prefix(of: ext, bytes: 20)
        var n = 1
        while true {
            let candidate = n == 1 ? "\(base).\(tag).\(suffix)" : "\(base).\(tag)-\(n).\(suffix)"
            let path = PathName.sibling(of: file.path, named: candidate)
            if !fileExists(path) { return path }
            n += 1
        }
    }

    /// Conflict: keep our version beside the file, then load theirs.
    mutating func reloadKeepingMine() {
        let mine = sibling("mine")
        do {
            try atomicWrite(BacklogWriter.write(backlog), to: mine, exclusive: true, permissions: filePermissions(file.path))
            var reloaded = try BacklogFile.load(file.path)
            reloaded.lockWait = file.lockWait
            file = reloaded
            replaceBacklog(with: reloaded.backlog, dirty: false)
            message = Message(text: "reloaded \(file.path); your version is in \(PathName.lastComponent(of: mine))", isError: false)
        } catch {
            failed("cannot reload", error, hint: "; your version is in \(mine)")
        }
    }

    /// Starts over from another version of the backlog (reload, restore): no history.
    mutating func replaceBacklog(with other: Backlog, dirty: Bool) {
        dropRankings()
        reference = nil
        positions = nil
        countsCache = [:]
        backlog = other
        undoStack.removeAll()
        redoStack.removeAll()
        savedSerial = 0
        forcedDirty = dirty
        mode = .list
        rebuildView()
    }

    /// Back to the list with an error message naming what failed.
    mutating func failed(_ what: String, _ error: any Error, hint: String = "") {
        mode = .list
        let reason = (error as? BacklogErrors)?.errors.first?.description ?? "\(error)"
        message = Message(text: "\(what): \(reason)\(hint)", isError: true)
    }

    /// Conflict: keep their version beside the file, then write ours.
    mutating func overwriteKeepingTheirs() {
        let theirs = sibling("theirs")
        do {
            try atomicWrite(try readFile(file.path), to: theirs, exclusive: true, permissions: filePermissions(file.path))
            try file.overwrite(with: backlog)
            markSaved()
            mode = .list
            message = Message(text: "saved; the version on disk is in \(PathName.lastComponent(of: theirs))", isError: false)
        } catch {
            mode = .list
            message = Message(text: "not saved: \(error.message)", isError: true)
        }
    }

    /// Save as: writes our version to another file (never over an existing one).
    mutating func save(as target: String) {
        let trimmed = target.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else {
            message = Message(text: "type a file name to save a copy to", isError: true)
            return
        }
        let resolved = PathName.sibling(of: file.path, named: trimmed)
        do throws(PrioError) {
            if sameFile(resolved, file.path) {
                throw PrioError("\(trimmed) is the backlog itself; name another file (or o to overwrite it)")
            }
            if fileExists(resolved) {
                throw PrioError("\(trimmed) already exists; save as never replaces a file, so name another")
            }
            try atomicWrite(BacklogWriter.write(backlog), to: resolved, exclusive: true,
                            permissions: filePermissions(file.path), wait: file.lockWait)
            mode = .list
            message = Message(text: "saved a copy to \(trimmed); \(file.path) is unchanged", isError: false)
        } catch {
            mode = .saveAs(target)
            message = Message(text: "not saved: \(error.message)", isError: true)
        }
    }

    // MARK: Recovery

    /// A time as people read it on the offer: `2026-12-01 23:38`, local time.
    static func formatTime(_ seconds: Int) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }

    /// On a signal: writes unsaved work to a new recovery file; its path, or why none was written.
    mutating func writeRecovery() -> Result<String, PrioError>? {
        guard isDirty else { return nil }
        do {
            return .success(try recovery.write(backlog, base: file.loadedBytes))
        } catch {
            return .failure(error)
        }
    }

    /// At start: offers the oldest recovery file, if any (one that holds exactly the file on disk
    /// has nothing to recover and is removed).
    mutating func offerRecoveryIfAny() {
        for found in recovery.find() {
            if let contents = try? RecoveryStore.read(found.path), contents.bytes == file.loadedBytes {
                removeFile(found.path)
                continue
            }
            mode = .recovery(path: found.path, modified: found.modified)
            return
        }
    }

    /// `r` on the offer: the recovered work replaces the backlog on the screen (unsaved). When the
    /// file changed on disk since the work was based on it, saving goes through the conflict choice.
    mutating func restoreRecovery(_ path: String) {
        do {
            let contents = try RecoveryStore.read(path)
            let parsed = try BacklogParser.parse(contents.bytes, path: path)
            replaceBacklog(with: parsed.backlog, dirty: true)
            restoredRecovery = path
            if contents.base != fingerprint(file.loadedBytes) {
                file.markBasedOnOtherVersion()
                message = Message(text: "restored; the file changed since: w offers reload, overwrite or a copy", isError: true)
            } else {
                message = Message(text: "restored unsaved changes; w saves them", isError: false)
            }
        } catch {
            failed("cannot restore", error)
        }
    }

    /// `d` on the offer: removes that recovery file, then offers the next one, if any.
    mutating func discardRecovery(_ path: String) {
        removeFile(path)
        mode = .list
        message = Message(text: "discarded the recovery file", isError: false)
        offerRecoveryIfAny()
    }

    // MARK: External editor

    mutating func finishExternalEdit(_ text: String?) {
        guard case .list = mode, let id = pendingExternalEdit else {
            pendingExternalEdit = nil
            return
        }
        pendingExternalEdit = nil
        guard let text else {
            message = Message(text: "the editor failed; nothing changed", isError: true)
            return
        }
        applyExternalText(text, id: id)
    }

    mutating func applyExternalText(_ text: String, id: StoryID) {
        guard let index = backlog.index(of: id) else { return }
        let old = backlog.stories[index]
        var problems: [String] = []
        var parsed: Story?
        do {
            parsed = try Story.parseBlock(text, path: "\(id).md")
        } catch {
            problems = error.errors.map(\.description)
        }
        if let story = parsed {
            if story.id != id {
                problems = ["the ID must stay \(id) (found \(story.id)); IDs never change"]
            } else if let problem = dependencyProblem(story) {
                problems = [problem]
            }
        }
        guard problems.isEmpty, let story = parsed else {
            mode = .editFailed(text: text, problems: problems, id: id)
            return
        }
        if story != old {
            perform(.replace(index: index, old: old, new: story), label: "edited \(id)", focus: id)
            message = Message(text: "edited \(id)", isError: false)
        }
    }

    // MARK: Search

    /// The next row at or after `start` (wrapping; backwards with `step` -1) whose story matches.
    func findMatch(_ query: String, from start: Int, step: Int = 1) -> Int? {
        guard let query = TextQuery(query), rowCount > 0 else { return nil }
        var row = (start % rowCount + rowCount) % rowCount
        for _ in 0..<rowCount {
            if query.matches(backlog.stories[storyIndex(atRow: row)]) { return row }
            row = (row + step + rowCount) % rowCount
        }
        return nil
    }
}
