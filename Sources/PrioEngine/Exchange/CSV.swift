/// RFC 4180 CSV: a strict reader that locates every cell and error, and a writer.
///
/// Hand-written rather than taken from a package because import must report each bad
/// cell as `file:line:col` and refuse malformed quoting, which the CSV packages available
/// here do not (see README, "Dependencies").
public enum CSV {
    /// One cell and where it starts.
    public struct Cell: Sendable, Hashable {
        /// The unquoted text.
        public var text: String
        /// 1-based line of the cell's first character.
        public var line: Int
        /// 1-based column (Unicode scalars) of the cell's first character.
        public var column: Int
    }

    /// What separates the cells of a record.
    public enum Delimiter: String, Sendable, CaseIterable {
        case comma = ","
        case semicolon = ";"
        case tab = "\t"

        /// The byte between cells.
        public var byte: UInt8 {
            switch self {
            case .comma: UInt8(ascii: ",")
            case .semicolon: UInt8(ascii: ";")
            case .tab: 0x09
            }
        }

        /// A delimiter as a user names it: `,` `;` a tab, `\t`, or `comma`, `semicolon`, `tab`.
        public init?(named text: String) {
            switch text {
            case ",", "comma": self = .comma
            case ";", "semicolon": self = .semicolon
            case "\t", "\\t", "tab": self = .tab
            default: return nil
            }
        }
    }

    /// The delimiter of a file, judged by its header line: the most frequent of `,`, `;` and tab
    /// outside quotes, with a tie going to the comma (then the semicolon).
    public static func detectDelimiter(_ bytes: [UInt8]) -> Delimiter {
        var counts: [Delimiter: Int] = [:]
        var quoted = false
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            if b == UInt8(ascii: "\"") {
                quoted.toggle()  // a doubled quote toggles twice
            } else if !quoted {
                if b == 0x0A || b == 0x0D { break }
                if let delimiter = Delimiter.allCases.first(where: { $0.byte == b }) { counts[delimiter, default: 0] += 1 }
            }
        }
        let comma = counts[.comma] ?? 0
        let semicolon = counts[.semicolon] ?? 0
        let tab = counts[.tab] ?? 0
        if tab > comma && tab > semicolon { return .tab }
        if semicolon > comma { return .semicolon }
        return .comma
    }

    /// Parses CSV text into records of cells; throws every malformed-quoting error found.
    public static func parse(_ bytes: [UInt8], path: String, delimiter: Delimiter = .comma) throws(BacklogErrors) -> [[Cell]] {
        let separator = delimiter.byte
        var start = 0
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { start = 3 }
        let bad = unsafe bytes.withUnsafeBufferPointer { unsafe invalidUTF8Offsets($0, limit: 20) }
        if !bad.isEmpty {
            throw BacklogErrors(errors: bad.map { offset in
                let (line, column) = position(of: offset, in: bytes)
                return Diagnostic(.error, at: SourceLocation(path: path, line: line, column: column), "invalid UTF-8")
            })
        }
        var records: [[Cell]] = []
        var errors: [Diagnostic] = []
        var record: [Cell] = []
        unsafe bytes.withUnsafeBufferPointer { p in
            var reader = unsafe CSVReader(p, start: start, separator: separator)
            let n = p.count
            func here() -> SourceLocation { SourceLocation(path: path, line: reader.line, column: reader.column) }
            while reader.i < n {
                let cellLine = reader.line
                let cellColumn = reader.column
                let text: String
                if unsafe p[reader.i] == UInt8(ascii: "\"") {
                    let open = here()
                    guard let quoted = reader.quoted() else {
                        errors.append(Diagnostic(.error, at: open, "quoted field is never closed (a \" is missing)"))
                        break
                    }
                    text = quoted
                    if unsafe reader.i < n && p[reader.i] != separator && p[reader.i] != 0x0A && p[reader.i] != 0x0D {
                        errors.append(Diagnostic(.error, at: here(),
                                                 "unexpected text after a closing quote (quote the whole field and double inner quotes)"))
                        reader.skipToSeparatorOrLineFeed()
                    }
                } else {
                    let field = reader.unquoted()
                    for quote in field.quotes where errors.count < 100 {
                        errors.append(Diagnostic(.error, at: SourceLocation(path: path, line: cellLine, column: quote),
                                                 "a quote inside an unquoted field (quote the field and double the quote)"))
                    }
                    text = field.text
                }
                record.append(Cell(text: text, line: cellLine, column: cellColumn))
                if unsafe reader.i < n && p[reader.i] == separator {
                    reader.advance(by: 1)
                    if reader.i == n { record.append(Cell(text: "", line: reader.line, column: reader.column)) }
                    continue
                }
                if unsafe reader.i < n && p[reader.i] == 0x0D { reader.advance(by: 1) }
                if unsafe reader.i < n && p[reader.i] == 0x0A { reader.advance(by: 1) }
                records.append(record)
                record = []
                record.reserveCapacity(records[records.count - 1].count)
            }
        }
        if !record.isEmpty { records.append(record) }
        if !errors.isEmpty { throw BacklogErrors(errors: errors) }
        // A blank line is no record.
        return records.filter { !($0.count == 1 && $0[0].text.isEmpty) }
    }

    /// One field, quoted when it holds a comma, quote, CR or LF (or leading/trailing spaces).
    public static func field(_ text: String) -> String {
        let needsQuotes = text.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            || text.hasPrefix(" ") || text.hasSuffix(" ")
        guard needsQuotes else { return text }
        return "\"" + text.replacing("\"", with: "\"\"") + "\""
    }

    /// A cell a spreadsheet would take for a formula (starting with `=`, `+`, `-`, `@`, tab or CR)
    /// with a `'` in front, as OWASP advises against CSV injection; a plain number (`-3`, `+2.5`,
    /// `40%`) stays as it is, so exports re-import unchanged.
    /// A cell that already looks neutralised (`'=x`) gets one more quote, so import reads it back exactly.
    public static func neutralised(_ cell: String) -> String {
        guard let first = cell.utf8.first else { return cell }
        if formulaStarts.contains(first) && !isPlainNumber(cell) { return "'" + cell }
        if first == UInt8(ascii: "'") && neutralised(String(cell.dropFirst())) == cell { return "'" + cell }
        return cell
    }

    /// A cell `neutralised` changed, back as it was (used by import): `'=1+1` → `=1+1`, `''=x` → `'=x`.
    public static func unneutralised(_ cell: String) -> String {
        guard cell.utf8.first == UInt8(ascii: "'") else { return cell }
        let rest = String(cell.dropFirst())
        return neutralised(rest) == cell ? rest : cell
    }

    static let formulaStarts: Set<UInt8> = [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D]

    /// `[+-]digits[.digits][%]`.
    static func isPlainNumber(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        if bytes.last == UInt8(ascii: "%") { bytes = bytes.dropLast() }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count) else { return false }
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }

    /// Records as CSV text with CRLF line breaks, as RFC 4180 says.
    public static func write(_ records: [[String]]) -> String {
        var out = ""
        for record in records {
            out += record.map(field).joined(separator: ",")
            out += "\r\n"
        }
        return out
    }
}

/// Walks a CSV's bytes a field at a time, keeping the 1-based line and column (in Unicode scalars).
// Safe to use: it reads a buffer only inside the `withBytes` of the text that owns it.
@safe struct CSVReader {
    let bytes: UnsafeBufferPointer<UInt8>
    let separator: UInt8
    var i: Int
    var line = 1
    var column = 1

    init(_ bytes: UnsafeBufferPointer<UInt8>, start: Int, separator: UInt8) {
        unsafe self.bytes = unsafe bytes
        self.i = start
        self.separator = separator
    }

    /// Moves over one byte, counting lines and columns.
    @inline(__always) mutating func step() {
        let b = unsafe bytes[i]
        i += 1
        if b == 0x0A {
            line += 1
            column = 1
        } else if b & 0xC0 != 0x80 {
            column += 1
        }
    }

    /// Moves over `count` bytes, counting lines and columns.
    @inline(__always) mutating func advance(by count: Int) {
        for _ in 0..<count { step() }
    }

    /// An unquoted field: up to a separator, a line feed or a CRLF (a lone CR is text), with
    /// the columns of any quotes in it (an error).
    mutating func unquoted() -> (text: String, quotes: [Int]) {
        let start = i
        var quotes: [Int] = []
        let n = unsafe bytes.count
        while i < n {
            let b = unsafe bytes[i]
            if b == separator || b == 0x0A { break }
            if unsafe b == 0x0D && i + 1 < n && bytes[i + 1] == 0x0A { break }
            if b == UInt8(ascii: "\"") { quotes.append(column) }
            i += 1
            if b & 0xC0 != 0x80 { column += 1 }
        }
        return unsafe (String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self), quotes)
    }

    /// A quoted field, from its opening quote to past its closing one (doubled quotes are one),
    /// or nil when it is never closed.
    mutating func quoted() -> String? {
        advance(by: 1)
        var field: [UInt8] = []
        var start = i
        let n = unsafe bytes.count
        while i < n {
            let b = unsafe bytes[i]
            if b == UInt8(ascii: "\"") {
                if unsafe i + 1 < n && bytes[i + 1] == UInt8(ascii: "\"") {
                    // A doubled quote: the text so far and one quote.
                    unsafe field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...i]))
                    advance(by: 2)
                    start = i
                    continue
                }
                let text: String
                if field.isEmpty {
                    text = unsafe String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                } else {
                    unsafe field.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
                    text = String(decoding: field, as: UTF8.self)
                }
                advance(by: 1)
                return text
            }
            step()
        }
        return nil
    }

    /// Skips to the next separator or line feed.
    mutating func skipToSeparatorOrLineFeed() {
        while unsafe i < bytes.count && bytes[i] != separator && bytes[i] != 0x0A { advance(by: 1) }
    }
}

/// The 1-based line and column of a byte offset.
func position(of offset: Int, in bytes: [UInt8]) -> (line: Int, column: Int) {
    var line = 1
    var column = 1
    var i = 0
    while i < offset && i < bytes.count {
        if bytes[i] == 0x0A {
            line += 1
            column = 1
        } else if bytes[i] & 0xC0 != 0x80 {
            column += 1
        }
        i += 1
    }
    return (line, column)
}
