import PrioEngine

/// Saving, the conflict choices, recovery files and the external editor: what the app asks
/// of the runner, and what it does with the answers.
extension AppState {
    // MARK: Saving

    /// `w`: asks the runner to write the file; when it changed on disk, the answer opens the
    /// conflict choice.
    mutating func save() {
        let problems = backlog.dependencyProblems()
        guard problems.isEmpty else {
            pending.quitAfterSave = false
            notice = Notice(text: "not saved: \(problems[0])", isError: true)
            return
        }
        pending.savingSerial = document.history.undo.last?.serial ?? 0
        request(.save(document.file, backlog))
    }

    /// The runner's answer to `save`.
    mutating func finishSave(_ outcome: SaveOutcome) {
        let quit = pending.quitAfterSave
        pending.quitAfterSave = false
        switch outcome {
        case .saved(let file):
            document.file = file
            markSaved()
            notice = Notice(text: "saved \(file.path)", isError: false)
            if quit { request(.quit(status: 0, farewell: nil)) }
        case .changedOnDisk:
            overlay = .conflict
        case .failed(let error):
            notice = Notice(text: "not saved: \(error.message)", isError: true)
        }
    }

    /// The file now holds the backlog as it was when the save was asked for.
    mutating func markSaved() {
        document.history.savedSerial = pending.savingSerial
        document.history.forcedDirty = false
        // The work restored from a recovery file is saved now; recovery files kept for later stay.
        if let restored = document.restoredRecovery {
            request(.removeFile(restored))
            document.restoredRecovery = nil
        }
    }

    /// Conflict, `r`: the runner kept our version aside and read the file again.
    mutating func finishReload(_ result: Result<BacklogFile, PrioError>, keptMineAs mine: String?) {
        switch result {
        case .success(let file):
            var file = file
            let backlog = file.takeBacklog()
            document.file = file
            replaceBacklog(with: backlog, dirty: false)
            let kept = mine.map { "; your version is in \(PathName.lastComponent(of: $0))" } ?? ""
            notice = Notice(text: "reloaded \(file.path)\(kept)", isError: false)
        case .failure(let error):
            overlay = nil
            notice = Notice(text: "cannot reload: \(error.message)", isError: true)
        }
    }

    /// Conflict, `o`: the runner kept the version on disk aside and wrote ours.
    mutating func finishOverwrite(_ result: Result<BacklogFile, PrioError>, keptTheirsAs theirs: String?) {
        overlay = nil
        switch result {
        case .success(let file):
            document.file = file
            markSaved()
            let kept = theirs.map { "; the version on disk is in \(PathName.lastComponent(of: $0))" } ?? ""
            notice = Notice(text: "saved\(kept)", isError: false)
        case .failure(let error):
            notice = Notice(text: "not saved: \(error.message)", isError: true)
        }
    }

    /// Save as, Enter: asks the runner to write our version to another file (never over one).
    mutating func save(as typed: String) {
        let trimmed = typed.trimmingBlanks
        guard !trimmed.isEmpty else {
            notice = Notice(text: "type a file name to save a copy to", isError: true)
            return
        }
        let path = PathName.sibling(of: document.file.path, named: trimmed)
        request(.saveCopy(CopyJob(file: document.file, backlog: backlog, path: path, shownAs: trimmed)))
    }

    /// The runner's answer to save as: done, or why not (the prompt stays open to name another).
    mutating func finishCopy(_ job: CopyJob, error: PrioError?) {
        if let error {
            notice = Notice(text: "not saved: \(error.message)", isError: true)
            return
        }
        overlay = nil
        notice = Notice(text: "saved a copy to \(job.shownAs); \(document.file.path) is unchanged", isError: false)
    }

    /// Starts over from another version of the backlog (reload, restore): no history.
    mutating func replaceBacklog(with other: Backlog, dirty: Bool) {
        dropRankings()
        derived.reference = nil
        derived.positions = nil
        derived.counts = [:]
        // The other version may declare other formulas: stay on the same strategy by name.
        let current = strategy.name
        document.backlog = other
        document.strategies = other.strategies
        list.strategyIndex = document.strategies.index(named: current) ?? 0
        document.history = History(forcedDirty: dirty)
        overlay = nil
        rebuildView()
    }

    // MARK: Recovery

    /// At start, and after a discard: asks to read the next recovery file found, if any.
    mutating func offerNextRecovery() {
        guard !pending.recoveries.isEmpty else { return }
        request(.readRecovery(pending.recoveries.removeFirst()))
    }

    /// A recovery file read: offered, unless it holds exactly the file on disk (nothing to
    /// recover: it is removed and the next one is looked at).
    mutating func offerRecovery(_ found: RecoveryStore.Found, _ result: Result<RecoveryStore.Contents, PrioError>) {
        switch result {
        case .success(let contents) where contents.bytes == document.file.loadedBytes:
            request(.removeFile(found.path))
            offerNextRecovery()
        case .success(let contents):
            overlay = .recovery(found, contents)
        case .failure(let error):
            notice = Notice(text: "cannot read \(PathName.lastComponent(of: found.path)): \(error.message); it is left alone", isError: true)
            offerNextRecovery()
        }
    }

    /// `r` on the offer: the recovered work replaces the backlog on the screen (unsaved). When the
    /// file changed on disk since the work was based on it, saving goes through the conflict choice.
    mutating func restoreRecovery(_ found: RecoveryStore.Found, _ contents: RecoveryStore.Contents) {
        do {
            let parsed = try BacklogParser.parse(contents.bytes, path: found.path)
            replaceBacklog(with: parsed.backlog, dirty: true)
            pending.recoveries = []
            document.restoredRecovery = found.path
            if contents.base != fingerprint(document.file.loadedBytes) {
                document.file.markBasedOnOtherVersion()
                notice = Notice(text: "restored; the file changed since: w offers reload, overwrite or a copy", isError: true)
            } else {
                notice = Notice(text: "restored unsaved changes; w saves them", isError: false)
            }
        } catch {
            overlay = nil
            let reason = error.errors.first?.description ?? "\(error)"
            notice = Notice(text: "cannot restore: \(reason)", isError: true)
        }
    }

    /// `d` on the offer: removes that recovery file, then offers the next one, if any.
    mutating func discardRecovery(_ path: String) {
        request(.removeFile(path))
        overlay = nil
        notice = Notice(text: "discarded the recovery file", isError: false)
        offerNextRecovery()
    }

    /// A signal ends the session: unsaved work goes to a new recovery file first.
    mutating func terminate(signal: Int32) {
        pending.exitStatus = 128 + signal
        if isDirty {
            request(.writeRecovery(document.recovery, backlog, base: document.file.loadedBytes))
        } else {
            request(.quit(status: pending.exitStatus, farewell: nil))
        }
    }

    /// The recovery file written (or not): ends with what to tell the user.
    mutating func finishRecoveryWrite(_ result: Result<String, PrioError>) {
        let farewell: String
        switch result {
        case .success(let path):
            farewell = "prio: unsaved changes were kept in \(path); open the backlog again to restore them"
        case .failure(let error):
            farewell = "prio: error: unsaved changes could not be kept: no recovery file could be written (\(error.message))"
        }
        request(.quit(status: pending.exitStatus, farewell: farewell))
    }

    // MARK: External editor

    /// The editor's text came back (nil: the editor failed).
    mutating func finishExternalEdit(_ text: String?) {
        guard overlay == nil, let id = pending.externalEdit else {
            pending.externalEdit = nil
            return
        }
        pending.externalEdit = nil
        guard let text else {
            notice = Notice(text: "the editor failed; nothing changed", isError: true)
            return
        }
        applyExternalText(text, id: id)
    }

    mutating func applyExternalText(_ text: String, id: StoryID) {
        guard let index = backlog.index(of: id) else { return }
        let old = backlog.stories[index]
        let story: Story
        switch EditedStory.read(text, id: id, in: backlog) {
        case .success(let read): story = read
        case .failure(let failure):
            overlay = .editFailed(failure, id: id)
            return
        }
        if story != old {
            perform(.replace(index: index, old: old, new: story), label: "edited \(id)", focus: id)
            notice = Notice(text: "edited \(id)", isError: false)
        }
    }
}
