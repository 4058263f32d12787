@testable import PrioEngine
@testable import PrioStorage
import PropertyBased
import Testing

/// The CSV reader moves a field at a time; these tests hold it to a byte-at-a-time reading of
/// the same rules (RFC 4180 quoting, a lone CR is text, lines and columns in Unicode scalars).
@Suite("CSV reader")
struct CSVReaderTests {
    /// What a reading gives: the records, or where and what went wrong.
    enum Outcome: Equatable {
        case records([[CSV.Cell]])
        case errors([String])
    }

    /// The rules, one byte at a time: what `CSV.parse` returns, or its error messages.
    private func oracle(_ bytes: [UInt8], separator: UInt8 = UInt8(ascii: ",")) -> Outcome {
        var records: [[CSV.Cell]] = []
        var errors: [String] = []
        var record: [CSV.Cell] = []
        var i = 0, line = 1, column = 1
        let n = bytes.count
        func advance() {
            let b = bytes[i]
            i += 1
            if b == 0x0A { line += 1; column = 1 } else if b & 0xC0 != 0x80 { column += 1 }
        }
        reading: while i < n {
            let cellLine = line, cellColumn = column
            var field: [UInt8] = []
            if bytes[i] == 0x22 {
                let open = "\(line):\(column)"
                advance()
                var closed = false
                while i < n {
                    if bytes[i] == 0x22 {
                        if i + 1 < n && bytes[i + 1] == 0x22 { field.append(0x22); advance(); advance(); continue }
                        advance()
                        closed = true
                        break
                    }
                    field.append(bytes[i])
                    advance()
                }
                if !closed { errors.append("\(open): never closed"); break reading }
                if i < n && bytes[i] != separator && bytes[i] != 0x0A && bytes[i] != 0x0D {
                    errors.append("\(line):\(column): text after quote")
                    while i < n && bytes[i] != separator && bytes[i] != 0x0A { advance() }
                }
            } else {
                while i < n && bytes[i] != separator && bytes[i] != 0x0A {
                    if bytes[i] == 0x0D && i + 1 < n && bytes[i + 1] == 0x0A { break }
                    if bytes[i] == 0x22 && errors.count < 100 { errors.append("\(line):\(column): quote inside") }
                    field.append(bytes[i])
                    advance()
                }
            }
            record.append(CSV.Cell(text: String(decoding: field, as: UTF8.self), line: cellLine, column: cellColumn))
            if i < n && bytes[i] == separator {
                advance()
                if i == n { record.append(CSV.Cell(text: "", line: line, column: column)) }
                continue
            }
            if i < n && bytes[i] == 0x0D { advance() }
            if i < n && bytes[i] == 0x0A { advance() }
            records.append(record)
            record = []
        }
        if !record.isEmpty { records.append(record) }
        if !errors.isEmpty { return .errors(errors) }
        return .records(records.filter { !($0.count == 1 && $0[0].text.isEmpty) })
    }

    private func parsed(_ bytes: [UInt8], _ delimiter: CSV.Delimiter = .comma) -> Outcome {
        do {
            return .records(try CSV.parse(bytes, path: "in.csv", delimiter: delimiter))
        } catch {
            return .errors(error.errors.map { error in
                let at = "\(error.location.line):\(error.location.column)"
                if error.message.contains("never closed") { return "\(at): never closed" }
                if error.message.contains("after a closing quote") { return "\(at): text after quote" }
                return "\(at): quote inside"
            })
        }
    }

    @Test("Worked example: quotes, doubled quotes, a line break in a cell, a lone CR, CRLF, accents")
    func workedExample() throws {
        let text = "Summary,Notes\r\n\"Pay, now\",\"say \"\"hi\"\"\nthen go\"\nCafé,a\rb\n"
        let records = try CSV.parse(Array(text.utf8), path: "in.csv")
        #expect(records.map { $0.map(\.text) } == [["Summary", "Notes"], ["Pay, now", "say \"hi\"\nthen go"], ["Café", "a\rb"]])
        #expect(records[2].map(\.column) == [1, 6])
        #expect(records[2].map(\.line) == [4, 4])
        #expect(records[1].map(\.column) == [1, 12])
    }

    @Test("For any mix of quotes, separators, line ends and multi-byte text, the reader gives the byte-at-a-time result")
    func matchesTheOracle() async {
        let pieces: [[UInt8]] = [[0x22], [0x22, 0x22], [0x2C], [0x3B], [0x0A], [0x0D], [0x0D, 0x0A], Array("ab".utf8),
                                 Array("é".utf8), Array("✓".utf8), Array(" ".utf8), Array("12".utf8)]
        await propertyCheck(count: 500, input: Gen.int(in: 0...(pieces.count - 1)).array(of: 0...40)) { choices in
            let bytes = choices.flatMap { pieces[$0] }
            #expect(parsed(bytes) == oracle(bytes), "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
            #expect(parsed(bytes, .semicolon) == oracle(bytes, separator: UInt8(ascii: ";")))
        }
    }
}

/// Values an import sets are checked as UTF-8 bytes; these hold the checks to their scalar rules.
@Suite("Value checks on bytes")
struct ValueCheckTests {
    @Test("A line break is LF, CR, U+2028, U+2029 or NEL; neighbouring scalars are none")
    func lineBreaks() {
        for text in ["a\nb", "a\rb", "a\u{2028}b", "a\u{2029}", "\u{85}x", "\r\n"] { #expect(holdsLineBreak(text), "\(text.debugDescription)") }
        for text in ["", "Café", "✓ done", "a\u{2027}b", "\u{2030}", "\u{84}\u{86}", "ĥ", "a\tb", "日本語"] {
            #expect(!holdsLineBreak(text), "\(text.debugDescription)")
        }
    }

    @Test("Trimming drops spaces and tabs at either end only, by bytes or by scalars alike")
    func trimming() {
        let cases = ["", " ", "\t \t", "a", " a", "a ", "\ta b\t", "é", " é ", "  日本 語  ", "a\u{A0}", "\u{3000}x"]
        for text in cases {
            let expected = String(String.UnicodeScalarView(text.unicodeScalars
                .drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()))
            #expect(text.trimmingASCIIWhitespace() == expected)
            #expect(text[...].trimmingASCIIWhitespace() == expected)
        }
    }
}
