/// GitHub's issues as `gh issue list --json number,title,body,labels,state,milestone,url` writes
/// them, read as import rows: the number with a prefix as the ID, the body as the description,
/// labels as tags (a `points:N` or `size:N` label as points), CLOSED as the workflow's done
/// status and OPEN as its first, the milestone's title as the sprint, the URL as `url`.
enum GitHubIssues {
    /// The columns the rows fill, in this order.
    static let keys = ["id", "title", "description", "status", "points", "tags", "sprint", "url"]

    /// The rows of a `gh issue list --json` array.
    static func rows(_ bytes: [UInt8], path: String, prefix: String, workflow: Workflow) throws(BacklogErrors) -> Importer.Rows {
        let document = try JSON.parse(bytes, path: path)
        func location(_ offset: Int) -> SourceLocation {
            let (line, column) = position(of: offset, in: bytes)
            return SourceLocation(path: path, line: line, column: column)
        }
        guard StoryID("\(prefix)-1") != nil else {
            throw BacklogErrors(errors: [Diagnostic(.error, at: location(document.offset),
                                                    "'\(prefix)' is not an ID prefix (a letter, then letters, digits or _)")])
        }
        guard case .array(let items) = document.value else {
            throw BacklogErrors(errors: [Diagnostic(.error, at: location(document.offset),
                                                    "expected the array 'gh issue list --json number,title,body,labels,state,milestone,url' writes")])
        }
        var rows = Importer.Rows(path: path)
        rows.keys = keys
        var errors: [Diagnostic] = []
        let first = workflow.statuses.first ?? "todo"
        for item in items {
            let at = location(item.offset)
            guard case .object(let members) = item.value else {
                errors.append(Diagnostic(.error, at: at, "each issue must be a JSON object"))
                continue
            }
            var cells: [Importer.Cell] = []
            func add(_ column: String, _ text: String, _ offset: Int) {
                guard let index = keys.firstIndex(of: column) else { return }
                let place = location(offset)
                cells.append(Importer.Cell(column: index, text: text, line: place.line, offset: place.column))
            }
            for member in members {
                let value = member.value
                switch (member.key, value.value) {
                case ("number", .number(let n)):
                    add("id", "\(prefix)-\(n)", value.offset)
                case ("title", .string(let s)): add("title", s, value.offset)
                case ("body", .string(let s)): add("description", s, value.offset)
                case ("url", .string(let s)): add("url", s, value.offset)
                case ("state", .string(let s)):
                    add("status", s.uppercased() == "CLOSED" ? workflow.done : first, value.offset)
                case ("milestone", .object(let fields)):
                    if let title = fields.first(where: { $0.key == "title" }), case .string(let s) = title.value.value {
                        add("sprint", s, title.value.offset)
                    }
                case ("labels", .array(let labels)):
                    for label in labels {
                        guard case .object(let fields) = label.value,
                              let name = fields.first(where: { $0.key == "name" }), case .string(let s) = name.value.value else { continue }
                        if let points = pointsLabel(s) {
                            add("points", points, name.value.offset)
                        } else {
                            add("tags", s, name.value.offset)
                        }
                    }
                case ("number", _):
                    errors.append(Diagnostic(.error, at: location(value.offset), "an issue's number must be a number"))
                default: continue
                }
            }
            rows.rows.append(Importer.Row(line: at.line, column: at.column, cells: cells))
        }
        if !errors.isEmpty { throw BacklogErrors(errors: errors) }
        return rows
    }

    /// `points:5`, `size: 3` or `Points: 2.5` as the number; nil for any other label.
    static func pointsLabel(_ label: String) -> String? {
        guard let colon = label.firstIndex(of: ":") else { return nil }
        let name = FieldKey.normalize(label[..<colon])
        guard name == "points" || name == "size" else { return nil }
        let number = label[label.index(after: colon)...].trimmingASCIIWhitespace()
        return DecimalNumber(number) == nil ? nil : number
    }
}
