/// An arithmetic formula over a story's fields, as a formula strategy declares it:
/// `(value + time-criticality + risk-reduction) / size`.
///
/// Grammar: decimal numbers; field names (letters, digits, `_`, and `-` between letters or
/// digits, so `time-criticality` is one name and subtraction needs spaces); `+ - * /`; `^` with
/// an integer exponent; parentheses; unary minus; `min(...)`, `max(...)`, `abs(...)`.
/// Arithmetic is exact (`Fraction`), so ties are ties.
public struct Formula: Sendable, Hashable {
    /// The formula as written.
    public let source: String
    /// The fields it names, normalised, in the order first named.
    public let fields: [String]
    let root: Node
    /// Where each field name is written in `source` (UTF-8 offsets) and which field it is.
    let references: [(range: Range<Int>, field: Int)]

    public static func == (a: Formula, b: Formula) -> Bool { a.source == b.source }
    public func hash(into hasher: inout Hasher) { hasher.combine(source) }

    /// A node of the expression.
    indirect enum Node: Sendable {
        case number(Fraction)
        case field(Int)
        case negate(Node)
        case add(Node, Node)
        case subtract(Node, Node)
        case multiply(Node, Node)
        case divide(Node, Node)
        case power(Node, Int)
        case minimum([Node])
        case maximum([Node])
        case absolute(Node)
    }

    /// Why a formula does not parse, with the UTF-8 offset in the formula where it goes wrong.
    public struct Problem: Error, Sendable, Equatable {
        /// What is wrong.
        public var message: String
        /// Where, as a UTF-8 offset in the formula.
        public var offset: Int

        /// A problem at an offset.
        public init(message: String, offset: Int) {
            self.message = message
            self.offset = offset
        }
    }

    /// Parses a formula; throws the first problem with where it is.
    public init(_ source: String) throws(Problem) {
        var parser = FormulaParser(Array(source.utf8))
        let root = try parser.parse()
        self.source = source
        self.root = root
        fields = parser.fields
        references = parser.references
    }

    /// The field names as written, with where they are (for error messages).
    public var fieldSites: [(name: String, offset: Int)] {
        let bytes = Array(source.utf8)
        var seen: Set<Int> = []
        return references.compactMap { reference in
            guard seen.insert(reference.field).inserted else { return nil }
            return (String(decoding: bytes[reference.range], as: UTF8.self), reference.range.lowerBound)
        }
    }

    /// Why a value is missing: the field, or division by zero, or a result too large.
    public enum Failure: Error, Sendable, Equatable {
        case missing(String)
        case divisionByZero
        case tooLarge
    }

    /// Evaluates with `value(i)` the number of field `fields[i]` (nil when the story lacks it).
    public func evaluate(_ value: (Int) -> Fraction?) -> Result<Fraction, Failure> {
        do throws(Failure) {
            return .success(try Self.evaluate(root, value, fields))
        } catch {
            return .failure(error)
        }
    }

    private static func evaluate(_ node: Node, _ value: (Int) -> Fraction?, _ fields: [String]) throws(Failure) -> Fraction {
        func checked(_ result: Fraction?) throws(Failure) -> Fraction {
            guard let result else { throw .tooLarge }
            return result
        }
        switch node {
        case .number(let f): return f
        case .field(let i):
            guard let v = value(i) else { throw .missing(fields[i]) }
            return v
        case .negate(let a): return try checked(Fraction(0).subtracting(try evaluate(a, value, fields)))
        case .add(let a, let b): return try checked(try evaluate(a, value, fields).adding(try evaluate(b, value, fields)))
        case .subtract(let a, let b): return try checked(try evaluate(a, value, fields).subtracting(try evaluate(b, value, fields)))
        case .multiply(let a, let b): return try checked(try evaluate(a, value, fields).multiplied(by: try evaluate(b, value, fields)))
        case .divide(let a, let b):
            let divisor = try evaluate(b, value, fields)
            guard divisor.numerator != 0 else { throw .divisionByZero }
            return try checked(try evaluate(a, value, fields).divided(by: divisor))
        case .power(let a, let exponent):
            let base = try evaluate(a, value, fields)
            var result = Fraction(1)
            for _ in 0..<exponent.magnitude { result = try checked(result.multiplied(by: base)) }
            if exponent < 0 {
                guard result.numerator != 0 else { throw .divisionByZero }
                result = try checked(Fraction(1).divided(by: result))
            }
            return result
        case .minimum(let nodes):
            var best: Fraction?
            for n in nodes { let v = try evaluate(n, value, fields); if best.map({ v < $0 }) ?? true { best = v } }
            return try checked(best)
        case .maximum(let nodes):
            var best: Fraction?
            for n in nodes { let v = try evaluate(n, value, fields); if best.map({ v > $0 }) ?? true { best = v } }
            return try checked(best)
        case .absolute(let a):
            let v = try evaluate(a, value, fields)
            return v.numerator < 0 ? try checked(Fraction(0).subtracting(v)) : v
        }
    }

    /// The formula with each field name replaced by `text(i)`: `(13 + 8 + 3) / 4`.
    public func substituted(_ text: (Int) -> String) -> String {
        let bytes = Array(source.utf8)
        var out: [UInt8] = []
        var position = 0
        for reference in references {
            out += bytes[position..<reference.range.lowerBound]
            out += Array(text(reference.field).utf8)
            position = reference.range.upperBound
        }
        out += bytes[position...]
        return String(decoding: out, as: UTF8.self).trimmingASCIIWhitespace()
    }
}

extension Fraction {
    /// The difference, or nil on overflow.
    public func subtracting(_ other: Fraction) -> Fraction? {
        guard other.numerator != Int128.min else { return nil }
        return adding(Fraction(numerator: -other.numerator, denominator: other.denominator))
    }
}

/// A recursive-descent parser for `Formula`.
private struct FormulaParser {
    let bytes: [UInt8]
    var position = 0
    var fields: [String] = []
    var references: [(range: Range<Int>, field: Int)] = []
    /// Nesting depth, bounded so that a hostile formula cannot exhaust the stack.
    var depth = 0
    /// Operations so far (each operator and function): a long chain `1+1+…` nests as deeply
    /// as parentheses do once it is a tree, so it is bounded too.
    var operations = 0

    /// The longest formula, in UTF-8 bytes, and the most operations in one.
    static let maximumLength = 2_048
    static let maximumOperations = 256

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    typealias Node = Formula.Node

    /// Counts one operation at the current position; throws past the bound.
    mutating func operation() throws(Formula.Problem) {
        operations += 1
        guard operations <= Self.maximumOperations else {
            throw problem("the formula has more than \(Self.maximumOperations) operations")
        }
    }

    func problem(_ message: String, at offset: Int? = nil) -> Formula.Problem {
        Formula.Problem(message: message, offset: offset ?? position)
    }

    mutating func skipSpaces() {
        while position < bytes.count && (bytes[position] == 0x20 || bytes[position] == 0x09) { position += 1 }
    }

    mutating func peek() -> UInt8? {
        skipSpaces()
        return position < bytes.count ? bytes[position] : nil
    }

    mutating func parse() throws(Formula.Problem) -> Node {
        guard bytes.count <= Self.maximumLength else {
            throw problem("the formula is longer than \(Self.maximumLength) bytes", at: Self.maximumLength)
        }
        guard peek() != nil else { throw problem("the formula is empty") }
        let node = try expression()
        if let extra = peek() {
            throw problem(extra == UInt8(ascii: ")") ? "')' without '('" : "expected an operator before '\(describe(extra))'")
        }
        return node
    }

    mutating func expression() throws(Formula.Problem) -> Node {
        depth += 1
        defer { depth -= 1 }
        guard depth <= 64 else { throw problem("the formula nests too deep") }
        var node = try term()
        while let c = peek(), c == UInt8(ascii: "+") || c == UInt8(ascii: "-") {
            try operation()
            position += 1
            let rhs = try term()
            node = c == UInt8(ascii: "+") ? .add(node, rhs) : .subtract(node, rhs)
        }
        return node
    }

    mutating func term() throws(Formula.Problem) -> Node {
        var node = try unary()
        while let c = peek(), c == UInt8(ascii: "*") || c == UInt8(ascii: "/") {
            try operation()
            position += 1
            let rhs = try unary()
            node = c == UInt8(ascii: "*") ? .multiply(node, rhs) : .divide(node, rhs)
        }
        return node
    }

    mutating func unary() throws(Formula.Problem) -> Node {
        if peek() == UInt8(ascii: "-") {
            try operation()
            position += 1
            depth += 1
            defer { depth -= 1 }
            guard depth <= 64 else { throw problem("the formula nests too deep") }
            return .negate(try unary())
        }
        return try power()
    }

    mutating func power() throws(Formula.Problem) -> Node {
        let base = try primary()
        guard peek() == UInt8(ascii: "^") else { return base }
        try operation()
        position += 1
        let start = position
        var negative = false
        if peek() == UInt8(ascii: "-") {
            negative = true
            position += 1
        }
        skipSpaces()
        var digits = 0
        var exponent = 0
        while position < bytes.count, bytes[position] >= 0x30 && bytes[position] <= 0x39 {
            exponent = exponent * 10 + Int(bytes[position] - 0x30)
            digits += 1
            position += 1
            if exponent > 64 { throw problem("an exponent of at most 64", at: start) }
        }
        guard digits > 0 else { throw problem("'^' takes a whole number (x ^ 2)", at: start) }
        if position < bytes.count && bytes[position] == UInt8(ascii: ".") {
            throw problem("'^' takes a whole number (x ^ 2)", at: start)
        }
        return .power(base, negative ? -exponent : exponent)
    }

    mutating func primary() throws(Formula.Problem) -> Node {
        guard let c = peek() else { throw problem("the formula ends where a number or field was expected") }
        if c == UInt8(ascii: "(") {
            let open = position
            position += 1
            let inner = try expression()
            guard peek() == UInt8(ascii: ")") else { throw problem("'(' is never closed", at: open) }
            position += 1
            return inner
        }
        if isDigit(c) || (c == UInt8(ascii: ".") && position + 1 < bytes.count && isDigit(bytes[position + 1])) {
            return try number()
        }
        if isLetter(c) {
            let start = position
            let name = identifier()
            let lower = name.lowercased()
            if ["min", "max", "abs"].contains(lower), peek() == UInt8(ascii: "(") {
                try operation()
                position += 1
                var arguments: [Node] = []
                if peek() != UInt8(ascii: ")") {
                    arguments.append(try expression())
                    while peek() == UInt8(ascii: ",") {
                        try operation()
                        position += 1
                        arguments.append(try expression())
                    }
                }
                guard peek() == UInt8(ascii: ")") else { throw problem("\(lower)( is never closed", at: start) }
                position += 1
                switch lower {
                case "abs":
                    guard arguments.count == 1 else { throw problem("abs takes one value", at: start) }
                    return .absolute(arguments[0])
                default:
                    guard !arguments.isEmpty else { throw problem("\(lower) takes at least one value", at: start) }
                    return lower == "min" ? .minimum(arguments) : .maximum(arguments)
                }
            }
            let normalized = FieldKey.canonical(name)?.rawValue ?? FieldKey.normalize(name)
            let index: Int
            if let existing = fields.firstIndex(of: normalized) {
                index = existing
            } else {
                index = fields.count
                fields.append(normalized)
            }
            references.append((start..<position, index))
            return .field(index)
        }
        throw problem("unexpected '\(describe(c))' where a number or field was expected")
    }

    mutating func number() throws(Formula.Problem) -> Node {
        let start = position
        while position < bytes.count, isDigit(bytes[position]) || bytes[position] == UInt8(ascii: ".") { position += 1 }
        let text = String(decoding: bytes[start..<position], as: UTF8.self)
        guard case .success(let number) = DecimalNumber.parse(Substring(text)) else {
            throw problem("'\(text)' is not a number", at: start)
        }
        return .number(number.fraction)
    }

    /// Letters, digits and `_`, with `-` inside when a letter or digit follows it.
    mutating func identifier() -> String {
        let start = position
        while position < bytes.count {
            let b = bytes[position]
            if isLetter(b) || isDigit(b) || b == UInt8(ascii: "_") {
                position += 1
            } else if b == UInt8(ascii: "-"), position + 1 < bytes.count, isLetter(bytes[position + 1]) || isDigit(bytes[position + 1]) {
                position += 1
            } else {
                break
            }
        }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    /// ASCII letters and any non-ASCII byte (names in other scripts).
    func isLetter(_ b: UInt8) -> Bool { (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b >= 0x80 }

    func describe(_ b: UInt8) -> String {
        b < 0x20 || b == 0x7F ? "control character" : String(decoding: bytes[position..<min(bytes.count, position + 1)], as: UTF8.self)
    }
}
