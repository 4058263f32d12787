import PrioEngine

extension AppState {
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
            guard let index = backlog.index(of: id) else { overlay = nil; return }
            let old = backlog.stories[index]
            guard let new = build(from: &form, base: old) else { overlay = .form(form); return }
            overlay = nil
            if new != old {
                perform(.replace(index: index, old: old, new: new), label: "edited \(id)", focus: id)
                notice = Notice(text: "edited \(id)", isError: false)
            }
        case .add(let position):
            let id: StoryID
            do throws(PrioError) {
                id = try backlog.newID()
            } catch {
                overlay = nil
                notice = Notice(text: error.message, isError: true)
                return
            }
            let base = Story(id: id, title: "")
            guard let new = build(from: &form, base: base) else { overlay = .form(form); return }
            overlay = nil
            perform(.insert(index: position, story: new), label: "added \(new.id)", focus: new.id)
            notice = Notice(text: "added \(new.id)", isError: false)
            if !list.filter.isEmpty && !list.filter.matches(new) {
                // Keep the new story in sight: a filter that would hide it is cleared.
                list.filter = Filter()
                rebuildView()
                notice = Notice(text: "added \(new.id); the filter would hide it, so it is cleared", isError: false)
            }
        case .export:
            export(form)
        case .pin(let id):
            guard let index = backlog.index(of: id) else { overlay = nil; return }
            let old = backlog.stories[index]
            var new = old
            let position = form.fields.first { $0.key == "pin" }?.text.trimmingBlanks ?? ""
            let reason = form.fields.first { $0.key == "pin-reason" }?.text ?? ""
            do throws(FieldProblem) {
                try new.setPin(position, reason: position.isEmpty ? nil : reason)
                if !position.isEmpty && reason.trimmingBlanks.isEmpty { try new.setField(FieldKey.pinReason.rawValue, "") }
            } catch {
                form.markError(error.message, on: "pin")
                overlay = .form(form)
                return
            }
            overlay = nil
            guard new != old else { return }
            let label = position.isEmpty ? "unpinned \(id)" : "pinned \(id) at \(position)"
            perform(.replace(index: index, old: old, new: new), label: label, focus: id)
            notice = Notice(text: label + (isManual ? " (pins hold in computed rankings: s shows one)" : ""), isError: false)
        }
    }

    /// A story with the form's values, or nil with errors marked on the form's fields.
    func build(from form: inout Form, base: Story) -> Story? {
        var story = base
        var ok = true
        let workflow = backlog.workflow
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
                try story.setField(field.key, field.text, in: workflow)
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

    /// Enter in the export form: checks the values, makes the text and asks the runner to write
    /// it; an existing file is replaced only once `confirmed`. The form stays open until the
    /// runner answers (`finishExport`). The report first asks the runner for its scope line
    /// from git (`.readScope`), then comes back here with the answer in `scope`.
    mutating func export(_ form: Form, confirmed: Bool = false, scope: [String: Fraction]?? = nil) {
        func value(_ key: String) -> String {
            form.fields.first { $0.key == key }?.text.trimmingBlanks ?? ""
        }
        func fail(_ key: String, _ text: String) {
            var refused = form
            refused.markError(text, on: key)
            overlay = .form(refused)
        }
        let isReport = value("format").lowercased() == Form.reportChoice
        let format = ExportFormat(rawValue: value("format").lowercased())
        guard isReport || format != nil else {
            return fail("format", "use csv, markdown, json, text or report")
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
        guard let chosen = document.strategies.strategy(named: value("strategy")) else {
            return fail("strategy", "one of \(document.strategies.names.joined(separator: ", "))")
        }
        let target = value("file")
        guard !target.isEmpty else { return fail("file", "where to write the export") }
        let path = document.file.path
        let text: String
        let summary: String
        if let format {
            let ranking = Ranking(backlog, strategy: chosen)
            text = Exporter.export(ranking, format: format, top: top, date: clock.today,
                                   sourceName: PathName.lastComponent(of: path), columns: columns)
            let count = min(top ?? Int.max, ranking.entries.count)
            summary = "exported \(count) stories (\(chosen.name), \(format.rawValue)) to \(target)"
        } else {
            guard let scope else {
                overlay = .form(form)
                request(.readScope(path: path, sprints: backlog.header.sprints, confirmed: confirmed))
                return
            }
            // The page of `prio report`, with the scope line from git where the file has a history there.
            let options = StakeholderReport.Options(strategy: chosen, top: StakeholderReport.Options.topCount(top))
            let report = StakeholderReport(backlog, today: clock.today, options: options, sourceName: PathName.lastComponent(of: path),
                                           scope: scope)
            text = ReportHTML.page(report)
            summary = "wrote the report (top \(report.top.count), \(chosen.name)) to \(target)"
        }
        overlay = .form(form)
        request(.writeExport(ExportJob(
            text: text, path: PathName.sibling(of: path, named: target), shownAs: target, backlogPath: path,
            replace: confirmed, summary: summary)))
    }

    /// The runner's answer to an export: done, the file exists (ask), or why it failed (on the form).
    mutating func finishExport(_ job: ExportJob, outcome: ExportOutcome) {
        guard case .form(var form)? = overlay else { return }
        switch outcome {
        case .written:
            overlay = nil
            notice = Notice(text: job.summary, isError: false)
        case .exists:
            overlay = .exportOverwrite(form)
        case .failed(let reason):
            form.markError(reason, on: "file")
            overlay = .form(form)
        }
    }
}
