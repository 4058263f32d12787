/// How `prio import` reads its input: the format and what to make of its cells, for a plain
/// import and an update alike (one reading rule for both).
extension Importer {
    /// The choices that decide how the rows are read.
    public struct Reading: Sendable {
        public var format: Format
        /// CSV only: the cell separator (nil: the header line decides).
        public var delimiter: CSV.Delimiter?
        /// Reads `2,5` in a numeric field as 2.5 (always on for a `;`-separated CSV).
        public var decimalComma = false
        /// Columns read as another field (`priority=moscow`), in order.
        public var maps: [(column: String, field: String)] = []
        /// GitHub only: the ID prefix an issue number gets (`SHOP` makes #12 SHOP-12).
        public var prefix: String?

        public init(format: Format, delimiter: CSV.Delimiter? = nil) {
            self.format = format
            self.delimiter = delimiter
        }
    }

    /// Parses `bytes` and appends its stories to `backlog`, read as `reading` says.
    public static func importing(_ bytes: [UInt8], path: String, reading: Reading, into backlog: inout Backlog) throws(BacklogErrors) -> Imported {
        try add(readRows(bytes, path: path, reading: reading, workflow: backlog.workflow), to: &backlog)
    }

    /// The rows of an input, with the maps and the decimal comma applied.
    static func readRows(_ bytes: [UInt8], path: String, reading: Reading, workflow: Workflow) throws(BacklogErrors) -> Rows {
        var rows: Rows
        var decimalComma = reading.decimalComma
        switch reading.format {
        case .csv:
            let delimiter = reading.delimiter ?? CSV.detectDelimiter(bytes)
            if delimiter == .semicolon { decimalComma = true }
            rows = try csvRows(bytes, path: path, delimiter: delimiter)
            readJiraDates(&rows)
        case .json:
            rows = try jsonRows(bytes, path: path)
        case .github:
            guard let prefix = reading.prefix else {
                throw BacklogErrors(errors: [Diagnostic(.error, at: SourceLocation(path: path, line: 1, column: 1),
                                                        "a GitHub import needs --prefix: the ID prefix of the issue numbers (SHOP makes #12 SHOP-12)")])
            }
            rows = try GitHubIssues.rows(bytes, path: path, prefix: prefix, workflow: workflow)
        }
        applyMaps(reading.maps, to: &rows)
        if decimalComma { readDecimalCommas(&rows) }
        return rows
    }

    /// Jira's priorities read as MoSCoW (`--map priority=moscow`): Highest must, High should,
    /// Medium could, Low and Lowest won't; any other value is kept as written.
    static func moscow(fromPriority text: String) -> String {
        switch FieldKey.normalize(text) {
        case "highest", "blocker", "critical": "must"
        case "high", "major": "should"
        case "medium": "could"
        case "low", "lowest", "minor", "trivial": "won't"
        default: text
        }
    }

    /// Renames the columns the maps name (as every column name is read); a priority column read
    /// as `moscow` has its values mapped as well.
    static func applyMaps(_ maps: [(column: String, field: String)], to rows: inout Rows) {
        for map in maps {
            let wanted = FieldKey.normalize(map.column)
            for index in rows.keys.indices where FieldKey.normalize(rows.keys[index]) == wanted {
                rows.keys[index] = map.field
                guard wanted == "priority", FieldKey.canonical(map.field) == .moscow else { continue }
                for r in rows.rows.indices {
                    for c in rows.rows[r].cells.indices where rows.rows[r].cells[c].column == index {
                        rows.rows[r].cells[c].text = moscow(fromPriority: rows.rows[r].cells[c].text.trimmingASCIIWhitespace())
                    }
                }
            }
        }
    }

    /// `2,5` becomes `2.5` in the columns of numeric fields (a European spreadsheet's decimal comma).
    static func readDecimalCommas(_ rows: inout Rows) {
        let numeric = rows.keys.map { key -> Bool in
            guard case .field(let field) = target(of: key), let canonical = FieldKey.canonical(field) else { return false }
            return canonical.isNumeric
        }
        guard numeric.contains(true) else { return }
        for r in rows.rows.indices {
            for c in rows.rows[r].cells.indices where numeric[rows.rows[r].cells[c].column] {
                let text = rows.rows[r].cells[c].text.trimmingASCIIWhitespace()
                if let converted = decimalPoint(text) { rows.rows[r].cells[c].text = converted }
            }
        }
    }

    /// `-12,5` as `-12.5`; nil when the text is not digits, one comma and digits.
    static func decimalPoint(_ text: String) -> String? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        var whole = Substring(parts[0])
        if whole.hasPrefix("-") { whole = whole.dropFirst() }
        let digits: (Substring) -> Bool = { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
        guard digits(whole), digits(parts[1]) else { return nil }
        return parts[0] + "." + parts[1]
    }

    /// Jira's dates (`01/Dec/26`, `01/Dec/26 9:15 AM`) as `2026-12-01` and `2026-12-01 09:15`,
    /// in every column; any other text is left alone.
    static func readJiraDates(_ rows: inout Rows) {
        for r in rows.rows.indices {
            for c in rows.rows[r].cells.indices {
                let text = rows.rows[r].cells[c].text
                guard text.utf8.count >= 9, text.utf8.count <= 20, text.utf8.dropFirst(2).first == UInt8(ascii: "/") else { continue }
                if let iso = isoDate(jira: text.trimmingASCIIWhitespace()) { rows.rows[r].cells[c].text = iso }
            }
        }
    }

    static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// `dd/Mon/yy` with an optional `h:mm AM|PM` as ISO 8601 (years 2000 to 2099); nil otherwise.
    static func isoDate(jira text: String) -> String? {
        let words = text.split(separator: " ")
        guard words.count == 1 || words.count == 3 else { return nil }
        let parts = words[0].split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 2, parts[2].count == 2,
              let day = Int(parts[0]), let year = Int(parts[2]),
              let month = months.firstIndex(of: parts[1].lowercased()).map({ $0 + 1 }) else { return nil }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        var iso = "20\(two(year))-\(two(month))-\(two(day))"
        guard Day(iso) != nil else { return nil }
        guard words.count == 3 else { return iso }
        let clock = words[1].split(separator: ":")
        let half = words[2].uppercased()
        guard clock.count == 2, clock[1].count == 2, let hour = Int(clock[0]), let minute = Int(clock[1]),
              (1...12).contains(hour), (0...59).contains(minute), half == "AM" || half == "PM" else { return nil }
        iso += " \(two(hour % 12 + (half == "PM" ? 12 : 0))):\(two(minute))"
        return iso
    }
}
