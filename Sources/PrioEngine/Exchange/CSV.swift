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
        let bad = bytes.withUnsafeBufferPointer { invalidUTF8Offsets($0, limit: 20) }
        if !bad.isEmpty {
            throw BacklogErrors(errors: bad.map { offset in
                let (line, column) = position(of: offset, in: bytes)
                return Diagnostic(.error, at: SourceLocation(path: path, line: line, column: column), "invalid UTF-8")
            })
        }
        var records: [[Cell]] = []
        var errors: [Diagnostic] = []
        var record: [Cell] = []
        var field: [UInt8] = []
        var scan = Scanner(bytes: bytes, i: start)
        let n = bytes.count
        func here(_ s: Scanner) -> SourceLocation { SourceLocation(path: path, line: s.line, column: s.column) }
        while scan.i < n {
            let cellLine = scan.line
            let cellColumn = scan.column
            field.removeAll(keepingCapacity: true)
            if bytes[scan.i] == UInt8(ascii: "\"") {
                let open = here(scan)
                scan.advance()
                var closed = false
                while scan.i < n {
                    let b = bytes[scan.i]
                    if b == UInt8(ascii: "\"") {
                        if scan.i + 1 < n && bytes[scan.i + 1] == UInt8(ascii: "\"") {
                            field.append(b)
                            scan.advance()
                            scan.advance()
                            continue
                        }
                        scan.advance()
                        closed = true
                        break
                    }
                    field.append(b)
                    scan.advance()
                }
                if !closed {
                    errors.append(Diagnostic(.error, at: open, "quoted field is never closed (a \" is missing)"))
                    break
                }
                if scan.i < n && bytes[scan.i] != separator && bytes[scan.i] != 0x0A && bytes[scan.i] != 0x0D {
                    errors.append(Diagnostic(.error, at: here(scan),
                                             "unexpected text after a closing quote (quote the whole field and double inner quotes)"))
                    while scan.i < n && bytes[scan.i] != separator && bytes[scan.i] != 0x0A { scan.advance() }
                }
            } else {
                while scan.i < n && bytes[scan.i] != separator && bytes[scan.i] != 0x0A {
                    if bytes[scan.i] == 0x0D && scan.i + 1 < n && bytes[scan.i + 1] == 0x0A { break }
                    if bytes[scan.i] == UInt8(ascii: "\"") && errors.count < 100 {
                        errors.append(Diagnostic(.error, at: here(scan),
                                                 "a quote inside an unquoted field (quote the field and double the quote)"))
                    }
                    field.append(bytes[scan.i])
                    scan.advance()
                }
            }
            record.append(Cell(text: String(decoding: field, as: UTF8.self), line: cellLine, column: cellColumn))
            if scan.i < n && bytes[scan.i] == separator {
                scan.advance()
                if scan.i == n { record.append(Cell(text: "", line: scan.line, column: scan.column)) }
                continue
            }
            if scan.i < n && bytes[scan.i] == 0x0D { scan.advance() }
            if scan.i < n && bytes[scan.i] == 0x0A { scan.advance() }
            records.append(record)
            record = []
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

/// Walks bytes keeping the 1-based line and column (in Unicode scalars).
struct Scanner {
    let bytes: [UInt8]
    var i: Int
    var line = 1
    var column = 1

    init(bytes: [UInt8], i: Int) {
        self.bytes = bytes
        self.i = i
    }

    @inline(__always) mutating func advance() {
        let b = bytes[i]
        i += 1
        if b == 0x0A {
            line += 1
            column = 1
        } else if b & 0xC0 != 0x80 {
            column += 1
        }
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
