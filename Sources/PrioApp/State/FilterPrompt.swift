import PrioEngine

/// The filter prompt (`f` then `/`): plain text filters as search does; a filter expression
/// (the language of `--where`) filters by it.
enum FilterPrompt {
    /// True when typed text is meant as an expression: it holds an operator or a parenthesis,
    /// or a word `and`, `or`, `not`, or is the field `ready`.
    static func looksLikeExpression(_ text: String) -> Bool {
        if text.unicodeScalars.contains(where: { "=<>~()".unicodeScalars.contains($0) }) { return true }
        let words = text.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" })
        return words.contains { $0 == "and" || $0 == "or" || $0 == "not" } || words == ["ready"]
    }
}

extension AppState {
    /// Applies a typed expression; a bad one stays in the prompt with its column and message.
    mutating func applyExpression(_ text: String) {
        do {
            let expression = try FilterExpression.parse(text, vocabulary: FilterVocabulary(backlog))
            overlay = nil
            list.filter.expression = expression
            list.filter.expressionLabel = text.trimmingCharacters(in: " ")
            list.filter.text = nil
            rebuildView()
            notice = Notice(text: "showing \(Plural.count(rowCount, "story", "stories")) where \(list.filter.expressionLabel) · F clears filters", isError: false)
        } catch {
            notice = Notice(text: "column \(error.column(in: text)): \(error.message)", isError: true)
        }
    }

    /// Toggles a saved view: on, it replaces the expression filter; chosen again, it goes.
    mutating func toggleView(_ name: String) {
        let label = "view: " + name
        if list.filter.expressionLabel == label && list.filter.expression != nil {
            list.filter.expression = nil
            list.filter.expressionLabel = ""
            return rebuildView()
        }
        guard let view = try? backlog.header.view(named: name),
              let parsed = try? FilterExpression.parseCollecting(view.expression, vocabulary: FilterVocabulary(backlog)) else { return }
        list.filter.expression = parsed.expression
        list.filter.expressionLabel = label
        rebuildView()
    }
}

extension String {
    /// The text without the given characters at either end.
    func trimmingCharacters(in set: String) -> String {
        let scalars = unicodeScalars
        guard let start = scalars.firstIndex(where: { !set.unicodeScalars.contains($0) }),
              let end = scalars.lastIndex(where: { !set.unicodeScalars.contains($0) }) else { return "" }
        return String(scalars[start...end])
    }
}
