import Foundation
import Testing

// Independent helpers for reading backlog files, CSV and numbers in the tests.
// They deliberately do not use PrioEngine, so that the tests check prio against a second reading.

/// The bundled sample, read from the repository (Resources/sample-backlog.md).
enum Sample {
    static let url: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // PrioCLITests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // repository root
        .appendingPathComponent("Resources/sample-backlog.md")

    static func data() throws -> Data { try Data(contentsOf: url) }
    static func text() throws -> String { String(decoding: try data(), as: UTF8.self) }
}

// MARK: Lines

/// Splits text into lines, each keeping its `\n` (the last may lack one).
func linesKeepingEnds(_ text: String) -> [String] {
    var lines: [String] = []
    var current = String.UnicodeScalarView()
    for scalar in text.unicodeScalars {
        current.append(scalar)
        if scalar == "\n" {
            lines.append(String(current))
            current = String.UnicodeScalarView()
        }
    }
    if !current.isEmpty { lines.append(String(current)) }
    return lines
}

/// The line without its line ending.
func chomp(_ line: String) -> String {
    var scalars = Substring(line).unicodeScalars
    if scalars.last == "\n" { scalars.removeLast() }
    if scalars.last == "\r" { scalars.removeLast() }
    return String(String.UnicodeScalarView(scalars))
}

// MARK: Backlog blocks

/// One story block of a backlog file: the heading line up to the next story heading.
struct StoryBlock: Hashable {
    var id: String
    var title: String
    /// The block's lines with their line ends, trailing blank lines left out.
    var text: String
    /// The field lines right after the heading, in order.
    var fields: [(key: String, value: String)]

    static func == (a: StoryBlock, b: StoryBlock) -> Bool { a.text == b.text }
    func hash(into hasher: inout Hasher) { hasher.combine(text) }

    func field(_ key: String) -> String? { fields.first { $0.key == key }?.value }
    var isDone: Bool { field("status") == "done" }
}

/// A backlog file cut into the header and story blocks (headings inside code fences are text).
struct BacklogText {
    var header: String
    var blocks: [StoryBlock]

    var ids: [String] { blocks.map(\.id) }

    func block(_ id: String) -> StoryBlock? { blocks.first { $0.id == id } }

    /// The blocks' texts sorted: equal for two files that hold the same blocks in any order.
    var blockMultiset: [String] { blocks.map(\.text).sorted() }

    init(_ text: String) {
        var header = ""
        var blocks: [StoryBlock] = []
        var currentLines: [String] = []
        var fence: String?
        func flush() {
            guard let first = currentLines.first else { return }
            var lines = currentLines
            while let last = lines.last, chomp(last).trimmingCharacters(in: .whitespaces).isEmpty, lines.count > 1 {
                lines.removeLast()
            }
            var body = lines.joined()
            if !body.hasSuffix("\n") { body += "\n" }
            let heading = chomp(first).dropFirst(3)
            let parts = heading.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            var fields: [(String, String)] = []
            for line in lines.dropFirst() {
                let content = chomp(line)
                guard content.hasPrefix("- "), let colon = content.firstIndex(of: ":") else { break }
                let key = content[content.index(content.startIndex, offsetBy: 2)..<colon]
                let value = content[content.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                fields.append((String(key), value))
            }
            blocks.append(StoryBlock(id: parts.first.map(String.init) ?? "",
                                     title: parts.count > 1 ? String(parts[1]) : "",
                                     text: body, fields: fields))
            currentLines = []
        }
        for line in linesKeepingEnds(text) {
            let content = chomp(line)
            if let open = fence {
                if content.hasPrefix(open) { fence = nil }
            } else if content.hasPrefix("```") || content.hasPrefix("~~~") {
                fence = String(content.prefix(3))
            } else if content.hasPrefix("## ") {
                if currentLines.isEmpty && blocks.isEmpty {
                    // header ends here
                } else {
                    flush()
                }
                currentLines = [line]
                continue
            }
            if currentLines.isEmpty && blocks.isEmpty {
                header += line
            } else {
                currentLines.append(line)
            }
        }
        flush()
        self.header = header
        self.blocks = blocks
    }
}

// MARK: Exact numbers

/// An exact rational number for computing expected scores.
struct Ratio: Comparable, CustomStringConvertible {
    var n: Int
    var d: Int

    init(_ n: Int, _ d: Int = 1) {
        precondition(d != 0)
        let g = Ratio.gcd(abs(n), abs(d))
        let sign = d < 0 ? -1 : 1
        self.n = sign * n / g
        self.d = sign * d / g
    }

    /// Parses `13`, `0.5`, `80%` (the percent sign is dropped).
    init?(parsing text: String) {
        var t = text.trimmingCharacters(in: .whitespaces)
        if t.hasSuffix("%") { t.removeLast() }
        let parts = t.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = Int(parts[0]) else { return nil }
        if parts.count == 1 {
            self.init(whole)
        } else {
            guard let fraction = Int(parts[1]), !parts[1].isEmpty else { return nil }
            var scale = 1
            for _ in parts[1] { scale *= 10 }
            self.init(whole * scale + fraction, scale)
        }
    }

    static func gcd(_ a: Int, _ b: Int) -> Int {
        var (x, y) = (a, b)
        while y != 0 { (x, y) = (y, x % y) }
        return x == 0 ? 1 : x
    }

    static func + (a: Ratio, b: Ratio) -> Ratio { Ratio(a.n * b.d + b.n * a.d, a.d * b.d) }
    static func / (a: Ratio, b: Ratio) -> Ratio { Ratio(a.n * b.d, a.d * b.n) }
    static func < (a: Ratio, b: Ratio) -> Bool { a.n * b.d < b.n * a.d }
    static func == (a: Ratio, b: Ratio) -> Bool { a.n * b.d == b.n * a.d }

    /// Two decimals, halves rounded away from zero (for positive numbers): 2.625 is "2.63".
    var twoDecimals: String {
        precondition(n >= 0)
        let hundredths = (n * 200 + d) / (2 * d)
        let whole = hundredths / 100
        let cents = hundredths % 100
        return "\(whole)." + (cents < 10 ? "0" : "") + "\(cents)"
    }

    var description: String { "\(n)/\(d)" }
}

// MARK: Expected WSJF ranking

/// One row of the WSJF ranking as computed by the tests from a backlog's numbers.
struct ExpectedRank {
    var id: String
    var title: String
    var points: String
    var score: Ratio?
    var explanation: String
}

/// WSJF = (value + time-criticality + risk-reduction) / size, size falling back to points; scored stories
/// highest first (ties in file order), then unscored ones in file order; done stories only with `includeDone`.
func expectedWSJF(_ backlog: BacklogText, includeDone: Bool) -> [ExpectedRank] {
    var scored: [(index: Int, row: ExpectedRank)] = []
    var unscored: [ExpectedRank] = []
    for (index, block) in backlog.blocks.enumerated() where includeDone || !block.isDone {
        let value = block.field("value"), tc = block.field("time-criticality"), rr = block.field("risk-reduction")
        let sizeKey = block.field("size") != nil ? "size" : (block.field("points") != nil ? "points" : nil)
        var missing: [String] = []
        if value == nil { missing.append("value") }
        if tc == nil { missing.append("time-criticality") }
        if rr == nil { missing.append("risk-reduction") }
        if sizeKey == nil { missing.append("size or points") }
        let points = block.field("points") ?? ""
        // A pinned story says so first ("pinned at 25: why; ...").
        let pinned = block.field("pin").map { "pinned at \($0)" + (block.field("pin-reason").map { ": \($0)" } ?? "") + "; " } ?? ""
        if let value, let tc, let rr, let sizeKey, let size = block.field(sizeKey),
           let v = Ratio(parsing: value), let t = Ratio(parsing: tc), let r = Ratio(parsing: rr), let s = Ratio(parsing: size) {
            let score = (v + t + r) / s
            var explanation = pinned + "WSJF \(score.twoDecimals) = (\(value) + \(tc) + \(rr)) / \(size)"
            if sizeKey == "points" { explanation += ", size from points" }
            // The sample's votes average to the PO's own value, so only the explanation grows.
            if let votes = block.field("value-votes") {
                let named = votes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                    .map { $0.hasPrefix("alice ") ? $0 + " ×2" : $0 }
                explanation += "; value \(value) = weighted mean of " + named.joined(separator: ", ")
            }
            scored.append((index, ExpectedRank(id: block.id, title: block.title, points: points, score: score,
                                               explanation: explanation)))
        } else {
            unscored.append(ExpectedRank(id: block.id, title: block.title, points: points, score: nil,
                                         explanation: pinned + "unscored: no " + missing.joined(separator: ", no ")))
        }
    }
    scored.sort { a, b in
        if let x = a.row.score, let y = b.row.score, x != y { return x > y }
        return a.index < b.index
    }
    var rows = scored.map(\.row) + unscored
    // Pinned stories hold their position (1-based; past the end: last); the others keep their order around them.
    let pins = Dictionary(backlog.blocks.compactMap { block in block.field("pin").flatMap(Int.init).map { (block.id, $0) } },
                          uniquingKeysWith: { first, _ in first })
    let pinnedRows = rows.filter { pins[$0.id] != nil }
    rows.removeAll { pins[$0.id] != nil }
    for row in pinnedRows.sorted(by: { (pins[$0.id] ?? 0) < (pins[$1.id] ?? 0) }) {
        rows.insert(row, at: min(rows.count, max(0, (pins[row.id] ?? 1) - 1)))
    }
    // A story ranked above a story it depends on (not done) says so: "; waits for S-4, ranked 12".
    var rankOf: [String: Int] = [:]
    for (i, row) in rows.enumerated() { rankOf[row.id] = i + 1 }
    let blocks = Dictionary(backlog.blocks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    for i in rows.indices {
        let depends = blocks[rows[i].id]?.field("depends")?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } ?? []
        let waits = depends.compactMap { id -> String? in
            guard let rank = rankOf[id], rank > i + 1, blocks[id]?.isDone == false else { return nil }
            return "\(id), ranked \(rank)"
        }
        if !waits.isEmpty { rows[i].explanation += "; waits for " + waits.joined(separator: " and ") }
    }
    return rows
}

// MARK: CSV (RFC 4180), an independent reader

struct ParsedCSV {
    var records: [[String]]
    /// The line break that ended each record ("" for a last record without one).
    var terminators: [String]
}

enum CSVReadError: Error { case malformed(String) }

/// A strict RFC 4180 reader over Unicode scalars (so that CR LF is two scalars, not one Character).
func readCSV(_ text: String) throws -> ParsedCSV {
    let s = Array(text.unicodeScalars)
    var i = 0
    var records: [[String]] = []
    var terminators: [String] = []
    var record: [String] = []
    while i < s.count {
        var field = String.UnicodeScalarView()
        if s[i] == "\"" {
            i += 1
            var closed = false
            while i < s.count {
                if s[i] == "\"" {
                    if i + 1 < s.count && s[i + 1] == "\"" {
                        field.append("\"")
                        i += 2
                        continue
                    }
                    i += 1
                    closed = true
                    break
                }
                field.append(s[i])
                i += 1
            }
            guard closed else { throw CSVReadError.malformed("unclosed quote") }
        } else {
            while i < s.count && s[i] != "," && s[i] != "\r" && s[i] != "\n" {
                guard s[i] != "\"" else { throw CSVReadError.malformed("quote in an unquoted field at scalar \(i)") }
                field.append(s[i])
                i += 1
            }
        }
        record.append(String(field))
        if i < s.count && s[i] == "," {
            i += 1
            if i == s.count { record.append("") }
            continue
        }
        var terminator = ""
        if i < s.count && s[i] == "\r" { terminator += "\r"; i += 1 }
        if i < s.count && s[i] == "\n" { terminator += "\n"; i += 1 }
        if i < s.count && terminator.isEmpty { throw CSVReadError.malformed("unexpected text after a field at scalar \(i)") }
        records.append(record)
        terminators.append(terminator)
        record = []
    }
    if !record.isEmpty {
        records.append(record)
        terminators.append("")
    }
    return ParsedCSV(records: records, terminators: terminators)
}

// MARK: Dates

/// Today's date in local time as YYYY-MM-DD.
func localDate(_ date: Date = Date()) -> String {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyy-MM-dd"
    return formatter.string(from: date)
}

// MARK: Files

/// An integer attribute value, whatever integer type Foundation chose for it.
func integer(_ value: Any?) -> Int? {
    switch value {
    case let v as Int: v
    case let v as Int16: Int(v)
    case let v as UInt16: Int(v)
    case let v as Int32: Int(v)
    case let v as UInt32: Int(v)
    case let v as Int64: Int(v)
    case let v as UInt64: Int(truncatingIfNeeded: v)
    case let v as NSNumber: v.intValue
    default: nil
    }
}

/// The POSIX permission bits of a file (of a symlink itself when the path is one).
func permissions(_ path: String) throws -> Int? {
    integer(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions])
}

/// The inode number of a file.
func inode(_ path: String) throws -> Int? {
    integer(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber])
}

/// True when the path itself is a symbolic link.
func isSymlink(_ path: String) throws -> Bool {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.type] as? FileAttributeType) == .typeSymbolicLink
}

// MARK: JSON

/// A JSON number as a Double, whether JSONSerialization gave an Int, a Double or an NSNumber.
func jsonNumber(_ value: Any?) -> Double? {
    switch value {
    case let int as Int: Double(int)
    case let double as Double: double
    case let number as NSNumber: number.doubleValue
    default: nil
    }
}

/// True when the long reliability suites run in full (PRIO_LONG_TESTS=1, as `.ci/run` sets):
/// hundreds of kills on 20,000 stories instead of a quick sample.
let longTests = ProcessInfo.processInfo.environment["PRIO_LONG_TESTS"] == "1"

/// The stories of `prio rank --format json` (the `stories` member of its object), or nil when
/// the output is not that object.
func rankedStories(_ data: Data) throws -> [[String: Any]]? {
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    return object?["stories"] as? [[String: Any]]
}
