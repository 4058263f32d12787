import PrioEngine

/// A form of text fields: editing a story (`e`), adding one (`a`), or exporting (`x`).
struct Form: Sendable {
    enum Purpose: Sendable {
        case edit(StoryID)
        case add(at: Int)
        /// The export dialog; `name` is the backlog's file name without its extension.
        case export(name: String)
        /// `p`: pinning a story at a position in every computed ranking.
        case pin(StoryID)
    }

    struct Field: Sendable {
        /// What the user sees.
        var label: String
        /// The field key the value goes to.
        var key: String
        var text: String
        /// Why the value was refused, shown under it.
        var error: String?
        /// The values a choice field cycles through (←/→, Space); empty for a text field.
        var choices: [String] = []
        /// What the field takes, shown under it while it has the focus.
        var hint: String?
    }

    var purpose: Purpose
    var title: String
    var fields: [Field]
    var focus = 0

    /// The canonical fields the edit and add forms show: all but the pin, which `p` sets (and
    /// which the forms leave as it is).
    static let formKeys = FieldKey.allCases.filter { $0 != .pin && $0 != .pinReason }

    /// The fields of the edit form: title, every canonical field, then the story's custom fields.
    static func editing(_ story: Story, workflow: Workflow) -> Form {
        var fields = [Field(label: "title", key: "title", text: story.title)]
        for key in formKeys {
            fields.append(Field(label: key.rawValue, key: key.rawValue, text: story.value(of: key) ?? "",
                                hint: hint(for: key, workflow: workflow)))
        }
        for field in story.fields where field.canonicalKey == nil {
            fields.append(Field(label: field.rawKey, key: field.rawKey, text: field.value))
        }
        return Form(purpose: .edit(story.id), title: "Edit \(story.id)", fields: fields)
    }

    /// The fields of the add form.
    static func adding(at index: Int, id: StoryID, workflow: Workflow) -> Form {
        var fields = [Field(label: "title", key: "title", text: "")]
        for key in formKeys {
            fields.append(Field(label: key.rawValue, key: key.rawValue, text: "", hint: hint(for: key, workflow: workflow)))
        }
        return Form(purpose: .add(at: index), title: "New story \(id)", fields: fields)
    }

    /// `p`: the position to pin at (empty unpins) and why.
    static func pinning(_ story: Story) -> Form {
        Form(purpose: .pin(story.id), title: "Pin \(story.id) in every computed ranking", fields: [
            Field(label: "position", key: "pin", text: story.pin.map(String.init) ?? "",
                  hint: "1 is the top; empty unpins"),
            Field(label: "reason", key: "pin-reason", text: story.pinReason ?? "",
                  hint: "said in the story's explanation"),
        ])
    }

    /// The export dialog: format (a choice), how many, strategy, file, columns.
    static func exporting(strategy: String, name: String) -> Form {
        Form(purpose: .export(name: name), title: "Export", fields: [
            Field(label: "format", key: "format", text: ExportFormat.markdown.rawValue,
                  choices: ExportFormat.allCases.map(\.rawValue) + [reportChoice]),
            Field(label: "top N (empty: all)", key: "top", text: "10"),
            Field(label: "strategy", key: "strategy", text: strategy),
            Field(label: "file", key: "file", text: exportFileName(name, .markdown)),
            Field(label: "columns (empty: default)", key: "columns", text: ""),
        ])
    }

    /// The export dialog's choice that writes the HTML report of `prio report`.
    static let reportChoice = "report"

    /// The export dialog's file name for a format: `NAME-top.md`, `NAME-top.csv`, `NAME-top.json`.
    static func exportFileName(_ name: String, _ format: ExportFormat) -> String {
        "\(name)-top.\(format.fileExtension)"
    }

    /// The file name for a choice of the format field: an export's, or `NAME-report.html`.
    static func exportFileName(_ name: String, choice: String) -> String? {
        if choice == reportChoice { return "\(name)-report.html" }
        return ExportFormat(rawValue: choice).map { exportFileName(name, $0) }
    }

    /// What Enter does, for the footer: `save`, or `export` in the export dialog.
    var submitVerb: String {
        switch purpose {
        case .export: "export"
        case .pin: "pin"
        default: "save"
        }
    }

    /// True when the focused field is a choice.
    var focusIsChoice: Bool {
        fields.indices.contains(focus) && !fields[focus].choices.isEmpty
    }

    /// Moves the focused choice field `step` values on (−1 back), wrapping around. When the
    /// export format changes, the file name follows its extension, unless the user typed a name.
    mutating func cycle(_ step: Int) {
        guard focusIsChoice else { return }
        let choices = fields[focus].choices
        let current = choices.firstIndex(of: fields[focus].text) ?? 0
        let old = fields[focus].text
        let new = choices[((current + step) % choices.count + choices.count) % choices.count]
        fields[focus].text = new
        fields[focus].error = nil
        if case .export(let name) = purpose, fields[focus].key == "format",
           let before = Self.exportFileName(name, choice: old), let after = Self.exportFileName(name, choice: new),
           let file = fields.firstIndex(where: { $0.key == "file" }),
           fields[file].text == before {
            fields[file].text = after
        }
    }

    /// The values a field takes, where they are few: the workflow's statuses (the last means done).
    static func hint(for key: FieldKey, workflow: Workflow) -> String? {
        switch key {
        case .status: "one of: \(workflow.statuses.joined(separator: ", ")) (the last is done)"
        default: nil
        }
    }

    /// Types into the focused field; on a choice field, Space picks the next value.
    mutating func type(_ character: Character) {
        guard fields.indices.contains(focus) else { return }
        if focusIsChoice {
            if character == " " { cycle(1) }
            return
        }
        fields[focus].text.append(character)
        fields[focus].error = nil
    }

    /// Deletes the last character of the focused field.
    mutating func backspace() {
        guard fields.indices.contains(focus), !focusIsChoice, !fields[focus].text.isEmpty else { return }
        fields[focus].text.removeLast()
        fields[focus].error = nil
    }

    mutating func next() { focus = (focus + 1) % max(1, fields.count) }
    mutating func previous() { focus = (focus + fields.count - 1) % max(1, fields.count) }
}

/// The filter menu: a list of choices to tick.
struct FilterMenu: Sendable {
    enum Choice: Sendable, Hashable {
        case status(String)
        case moscow(MoSCoW)
        case tag(String)
        /// The text filter: opens a prompt.
        case text
        /// A view the header saves (`- view: NAME = FILTER`).
        case view(String)

        var label: String {
            switch self {
            case .text: "text: contains… (/)"
            case .status(let s): "status: \(s)"
            case .moscow(let m): "moscow: \(m.rawValue)"
            case .tag(let t): "tag: \(t)"
            case .view(let name): "view: \(name)"
            }
        }
    }

    var choices: [Choice]
    var selection = 0

    /// Every status, MoSCoW value and tag in the backlog.
    static func make(for backlog: Backlog) -> FilterMenu {
        var statuses = backlog.workflow.statuses
        var tagCounts: [String: Int] = [:]
        for story in backlog.stories {
            let status = story.status.description
            if !statuses.contains(status) { statuses.append(status) }
            for tag in story.tags { tagCounts[tag.lowercased(), default: 0] += 1 }
        }
        let tags = tagCounts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        return FilterMenu(choices: backlog.header.views.map { .view($0.name) } + statuses.map { .status($0) }
                          + MoSCoW.allCases.map { .moscow($0) } + tags.map { .tag($0) } + [.text])
    }
}

extension Form {
    /// Marks a field as refused with the reason, and moves the focus to it.
    mutating func markError(_ text: String, on key: String) {
        if let i = fields.firstIndex(where: { $0.key == key }) {
            fields[i].error = text
            focus = i
        }
    }
}

extension String {
    /// The text without leading and trailing spaces and tabs (what a typed value means).
    var trimmingBlanks: String {
        let blank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !blank($0) }), let last = lastIndex(where: { !blank($0) }) else { return "" }
        return String(self[first...last])
    }
}
