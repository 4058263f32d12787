/// A JSON value read by prio's importer, with where each value starts.
public indirect enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    /// A number, kept as written.
    case number(String)
    case string(String)
    case array([LocatedJSON])
    /// Members in document order.
    case object([(key: String, value: LocatedJSON)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.number(let a), .number(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let b): hasher.combine(b)
        case .number(let n): hasher.combine(n)
        case .string(let s): hasher.combine(s)
        case .array(let a): hasher.combine(a)
        case .object(let o): for member in o { hasher.combine(member.key); hasher.combine(member.value) }
        }
    }
}

/// A JSON value and the byte offset where it starts.
public struct LocatedJSON: Sendable, Hashable {
    /// The value.
    public var value: JSONValue
    /// Byte offset of the value's first character in the document.
    public var offset: Int
}

/// A small strict JSON reader (RFC 8259) that locates values and errors, and a writer's escaping.
public enum JSON {
    /// The deepest nesting the reader accepts.
    public static let maxDepth = 512

    /// Parses a JSON document.
    public static func parse(_ bytes: [UInt8], path: String) throws(BacklogErrors) -> LocatedJSON {
        var reader = JSONReader(bytes: bytes, path: path)
        do throws(Diagnostic) {
            reader.skipBOM()
            reader.skipSpace()
            let value = try reader.value(depth: 0)
            reader.skipSpace()
            if reader.i < bytes.count { throw reader.fail("unexpected text after the JSON value") }
            return value
        } catch {
            throw BacklogErrors(errors: [error])
        }
    }

    /// A string literal with quotes, escaping quotes, backslashes and control characters.
    public static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || (scalar.value >= 0x80 && scalar.value < 0xA0)
                    || scalar.value == 0x2028 || scalar.value == 0x2029 || TerminalSafe.needsReplacement(scalar) {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

private struct JSONReader {
    let bytes: [UInt8]
    let path: String
    var i = 0

    func fail(_ message: String, at offset: Int? = nil) -> Diagnostic {
        let (line, column) = position(of: offset ?? i, in: bytes)
        return Diagnostic(.error, at: SourceLocation(path: path, line: line, column: column), message)
    }

    mutating func skipBOM() {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }
    }

    mutating func skipSpace() {
        while i < bytes.count, bytes[i] == 0x20 || bytes[i] == 0x0A || bytes[i] == 0x0D || bytes[i] == 0x09 { i += 1 }
    }

    mutating func value(depth: Int) throws(Diagnostic) -> LocatedJSON {
        guard depth < JSON.maxDepth else { throw fail("JSON nested deeper than \(JSON.maxDepth) levels") }
        let start = i
        guard i < bytes.count else { throw fail("unexpected end of JSON") }
        let located: (JSONValue) -> LocatedJSON = { value in LocatedJSON(value: value, offset: start) }
        switch bytes[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [(key: String, value: LocatedJSON)] = []
            var keys: Set<String> = []
            skipSpace()
            if i < bytes.count && bytes[i] == UInt8(ascii: "}") {
                i += 1
                return located(.object(members))
            }
            while true {
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw fail("expected a \"key\"") }
                let keyStart = i
                let key = try string()
                // RFC 8259 leaves duplicate names undefined: prio refuses them rather than pick one.
                guard keys.insert(key).inserted else { throw fail("duplicate key \(JSON.string(key)) in one object", at: keyStart) }
                skipSpace()
                guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { throw fail("expected ':' after a key") }
                i += 1
                skipSpace()
                members.append((key, try value(depth: depth + 1)))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of JSON: an object is not closed") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "}") { i += 1; break }
                throw fail("expected ',' or '}'")
            }
            return located(.object(members))
        case UInt8(ascii: "["):
            i += 1
            var items: [LocatedJSON] = []
            skipSpace()
            if i < bytes.count && bytes[i] == UInt8(ascii: "]") {
                i += 1
                return located(.array(items))
            }
            while true {
                skipSpace()
                items.append(try value(depth: depth + 1))
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of JSON: an array is not closed") }
                if bytes[i] == UInt8(ascii: ",") { i += 1; continue }
                if bytes[i] == UInt8(ascii: "]") { i += 1; break }
                throw fail("expected ',' or ']'")
            }
            return located(.array(items))
        case UInt8(ascii: "\""):
            return located(.string(try string()))
        case UInt8(ascii: "t"):
            try literal("true")
            return located(.bool(true))
        case UInt8(ascii: "f"):
            try literal("false")
            return located(.bool(false))
        case UInt8(ascii: "n"):
            try literal("null")
            return located(.null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return located(.number(try number()))
        default:
            throw fail("unexpected character in JSON")
        }
    }

    mutating func literal(_ word: String) throws(Diagnostic) {
        let expected = Array(word.utf8)
        guard i + expected.count <= bytes.count, Array(bytes[i..<(i + expected.count)]) == expected else {
            throw fail("unexpected character in JSON")
        }
        i += expected.count
    }

    mutating func number() throws(Diagnostic) -> String {
        let start = i
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        func digits(_ r: inout JSONReader) -> Int {
            let s = r.i
            while r.i < r.bytes.count, isASCIIDigit(r.bytes[r.i]) { r.i += 1 }
            return r.i - s
        }
        guard digits(&self) > 0 else { throw fail("invalid number", at: start) }
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard digits(&self) > 0 else { throw fail("invalid number", at: start) }
        }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            if i < bytes.count && (bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-")) { i += 1 }
            guard digits(&self) > 0 else { throw fail("invalid number", at: start) }
        }
        return String(decoding: bytes[start..<i], as: UTF8.self)
    }

    mutating func string() throws(Diagnostic) -> String {
        let start = i
        i += 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "\""):
                i += 1
                guard let text = String(validating: out, as: UTF8.self) else {
                    throw fail("invalid UTF-8 in a string", at: start)
                }
                return text
            case UInt8(ascii: "\\"):
                i += 1
                guard i < bytes.count else { throw fail("unterminated string", at: start) }
                let e = bytes[i]
                i += 1
                switch e {
                case UInt8(ascii: "\""): out.append(0x22)
                case UInt8(ascii: "\\"): out.append(0x5C)
                case UInt8(ascii: "/"): out.append(0x2F)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    let escape = i - 2
                    var code = try hex4()
                    if (0xD800...0xDBFF).contains(code), i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"),
                       bytes[i + 1] == UInt8(ascii: "u") {
                        let mark = i
                        i += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            i = mark
                        }
                    }
                    // A surrogate left alone is no character: an error, never a silent U+FFFD.
                    guard let scalar = Unicode.Scalar(code) else {
                        throw fail("a lone surrogate \\u\(String(code, radix: 16, uppercase: true)) is not a character (RFC 8259 pairs them)", at: escape)
                    }
                    out.append(contentsOf: String(Character(scalar)).utf8)
                default:
                    throw fail("invalid escape in a string", at: i - 2)
                }
            case 0x00...0x1F:
                throw fail("control character inside a string (escape it)", at: i)
            default:
                out.append(b)
                i += 1
            }
        }
        throw fail("unterminated string", at: start)
    }

    mutating func hex4() throws(Diagnostic) -> UInt32 {
        guard i + 4 <= bytes.count else { throw fail("invalid \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[i]
            let digit: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw fail("invalid \\u escape")
            }
            value = value * 16 + digit
            i += 1
        }
        return value
    }
}
