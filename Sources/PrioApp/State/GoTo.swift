import PrioEngine

extension AppState {
    /// `:` then Enter: the cursor on the story with the typed ID (exact, any case); a story the
    /// view hides (filtered out, done under a ranking) or no story says so on the status line.
    mutating func goTo(_ text: String) {
        guard StoryID(text.trimmingCharacters(in: " \t")) != nil else {
            notice = Notice(text: "'\(text)' is not a story ID (like S-12)", isError: true)
            return
        }
        guard let index = backlog.index(ofTyped: text) else {
            let typed = StoryID(text.trimmingCharacters(in: " \t").uppercased()) ?? StoryID(text.trimmingCharacters(in: " \t"))
            let hint = typed.flatMap { Suggestion.closestID(to: $0, among: backlog.storyIDs) }.map { " (did you mean \($0)?)" } ?? ""
            notice = Notice(text: "no story with ID \(text)\(hint)", isError: true)
            return
        }
        let id = backlog.stories[index].id
        if row(of: id) == nil, list.fold != nil {
            // In the folded list its epic opens (the epic of the cursor's story stays open).
            let before = list.cursorID
            list.cursorID = id
            rebuildView()
            if row(of: id) == nil {
                list.cursorID = before
                rebuildView()
            }
        }
        guard let row = row(of: id) else {
            let why = list.filter.isEmpty ? "it is done, and the ranking leaves done stories out (s to manual)" : "the filter hides it (F clears it)"
            notice = Notice(text: "\(id) is not shown: \(why)", isError: true)
            return
        }
        setCursor(row)
        notice = Notice(text: "\(id) is row \(row + 1)", isError: false)
    }

    /// `:` typing an ID: characters, Backspace, Enter goes, Esc cancels.
    mutating func handleGoTo(_ key: Key, text: String) {
        switch key {
        case .escape: overlay = nil
        case .enter:
            overlay = nil
            goTo(text)
        case .backspace: overlay = .goTo(String(text.dropLast()))
        case .control("u"): overlay = .goTo("")
        case .character(let c): overlay = .goTo(text + String(c))
        default: break
        }
    }
}
