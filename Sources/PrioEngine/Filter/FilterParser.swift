/// Why a filter expression cannot be used, at a place in it.
public struct FilterError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong, in one line.
    public var message: String
    /// Where, as a UTF-8 offset into the expression.
    public var offset: Int

    /// A problem at an offset.
    public init(_ message: String, at offset: Int) {
        self.message = message
        self.offset = offset
    }

    /// The 1-based column of the problem in `expression`, counting Unicode scalars.
    public func column(in expression: String) -> Int {
        let utf8 = expression.utf8
        let end = utf8.index(utf8.startIndex, offsetBy: min(max(0, offset), utf8.count))
        return expression.unicodeScalars[..<end].count + 1
    }

    /// The problem as prio prints it: `LABEL:1:COL: MESSAGE`, then the expression and a caret
    /// under the column (`--where:1:8: unknown field 'pionts' (did you mean 'points'?)`).
    public func rendered(_ expression: String, label: String = "--where") -> [String] {
        let column = column(in: expression)
        let shown = String(expression.unicodeScalars.map { $0 == "\t" || $0.value < 0x20 ? " " : Character($0) })
        return ["\(label):1:\(column): \(message)", "  " + shown, "  " + String(repeating: " ", count: column - 1) + "^"]
    }

    public var description: String { message }
}

/// What a filter may name, from one backlog: the workflow (statuses compare in its order)
/// and the custom fields in use, for "unknown field" and its did-you-mean.
public struct FilterVocabulary: Sendable {
    /// The workflow statuses compare by.
    public var workflow: Workflow
    /// The custom fields known: declared with `- fields:` or used by a story (normalised).
    public var customFields: Set<String>

    /// A vocabulary from its parts.
    public init(workflow: Workflow = .standard, customFields: Set<String> = []) {
        self.workflow = workflow
        self.customFields = customFields
    }

    /// The vocabulary of a backlog (one pass over the stories that have custom fields).
    public init(_ backlog: Backlog) {
        workflow = backlog.workflow
        var custom = Set(backlog.header.declaredFields)
        for story in backlog.stories where story.hasCustomFields {
            for field in story.fields where field.canonicalKey == nil { custom.insert(field.key) }
        }
        customFields = custom
    }

    /// Every name a filter may use, for a did-you-mean.
    var names: [String] { FilterField.builtInNames + customFields.sorted() }
}

extension BacklogHeader {
    /// The custom fields the header declares with `- fields:`, normalised.
    var declaredFields: [String] {
        settings.filter { $0.key == "fields" }.flatMap { $0.value.split(separator: ",") }
            .map { FieldKey.normalize($0) }.filter { !$0.isEmpty }
    }
}

extension FilterExpression {
    /// The most parentheses and `not`s an expression may nest (a hostile one cannot overflow the stack).
    public static let maxDepth = 64
    /// The longest expression read, in bytes.
    public static let maxLength = 4_096

    /// Parses an expression; an unknown field, a value of the wrong type or a syntax error is
    /// a `FilterError` at its place, unknown fields with a did-you-mean.
    public static func parse(_ text: String, vocabulary: FilterVocabulary) throws(FilterError) -> FilterExpression {
        let parsed = try parseCollecting(text, vocabulary: vocabulary)
        if let first = parsed.unknown.first { throw first }
        return parsed.expression
    }

    /// Parses an expression, returning unknown fields as problems beside it instead of
    /// throwing (a saved view in the header warns: a field may come with the next story).
    public static func parseCollecting(_ text: String, vocabulary: FilterVocabulary) throws(FilterError)
        -> (expression: FilterExpression, unknown: [FilterError]) {
        guard text.utf8.count <= maxLength else {
            throw FilterError("the filter is longer than \(maxLength) bytes", at: maxLength)
        }
        var parser = FilterParser(Array(text.utf8), vocabulary: vocabulary)
        let expression = try parser.parseAll()
        return (expression, parser.unknown)
    }
}

/// The recursive-descent reader of the filter language, over UTF-8 bytes.
///
/// ```
/// expr    := and ("or" and)*
/// and     := unary ("and" unary)*
/// unary   := "not" unary | primary
/// primary := "(" expr ")" | FIELD [OP value]
/// value   := "quoted text" | words up to and, or, ")" or the end
/// ```
struct FilterParser {
    let bytes: [UInt8]
    let vocabulary: FilterVocabulary
    var position = 0
    var depth = 0
    var unknown: [FilterError] = []

    init(_ bytes: [UInt8], vocabulary: FilterVocabulary) {
        self.bytes = bytes
        self.vocabulary = vocabulary
    }

    mutating func parseAll() throws(FilterError) -> FilterExpression {
        skipSpaces()
        guard position < bytes.count else {
            throw FilterError("an empty filter: write a comparison like 'points <= 3'", at: 0)
        }
        let expression = try parseOr()
        skipSpaces()
        if position < bytes.count {
            if bytes[position] == UInt8(ascii: ")") { throw FilterError("')' closes no '('", at: position) }
            throw FilterError("expected 'and', 'or' or the end, got '\(wordAt(position))'", at: position)
        }
        return expression
    }

    mutating func parseOr() throws(FilterError) -> FilterExpression {
        var parts = [try parseAnd()]
        while takeKeyword("or") { parts.append(try parseAnd()) }
        return parts.count == 1 ? parts[0] : .any(parts)
    }

    mutating func parseAnd() throws(FilterError) -> FilterExpression {
        var parts = [try parseUnary()]
        while takeKeyword("and") { parts.append(try parseUnary()) }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    mutating func parseUnary() throws(FilterError) -> FilterExpression {
        skipSpaces()
        let start = position
        if takeKeyword("not") {
            try enter(at: start)
            defer { depth -= 1 }
            return .not(try parseUnary())
        }
        return try parsePrimary()
    }

    mutating func enter(at offset: Int) throws(FilterError) {
        depth += 1
        if depth > FilterExpression.maxDepth {
            throw FilterError("the filter nests more than \(FilterExpression.maxDepth) levels", at: offset)
        }
    }

    mutating func parsePrimary() throws(FilterError) -> FilterExpression {
        skipSpaces()
        guard position < bytes.count else {
            throw FilterError("expected a field name at the end, like 'points' or 'status'", at: position)
        }
        if bytes[position] == UInt8(ascii: "(") {
            let open = position
            position += 1
            try enter(at: open)
            defer { depth -= 1 }
            let inner = try parseOr()
            skipSpaces()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ")") else {
                throw FilterError("'(' is never closed", at: open)
            }
            position += 1
            return inner
        }
        let fieldStart = position
        let word = readName()
        guard !word.isEmpty else {
            throw FilterError("expected a field name, got '\(wordAt(position))'", at: position)
        }
        if ["and", "or"].contains(word.lowercased()) {
            throw FilterError("expected a field name before '\(word)'", at: fieldStart)
        }
        let field = FilterField(word)
        checkKnown(field, word, at: fieldStart)
        skipSpaces()
        let opStart = position
        guard let op = try readOperator() else {
            if position < bytes.count, bytes[position] != UInt8(ascii: ")"), !atKeyword("and"), !atKeyword("or") {
                throw FilterError("expected an operator (=, !=, <, <=, >, >=, ~) after '\(word)', got '\(wordAt(position))'",
                                  at: position)
            }
            return .has(field)
        }
        skipSpaces()
        let valueStart = position
        let text = try readValue()
        guard let text else { throw FilterError("expected a value after '\(op.rawValue)'", at: valueStart) }
        let literal = FilterLiteral(text)
        try check(field, op, literal, word: word, opAt: opStart, valueAt: valueStart)
        return .compare(field, op, literal)
    }

    /// Notes a field no story has and the header does not declare.
    mutating func checkKnown(_ field: FilterField, _ word: String, at offset: Int) {
        guard case .custom(let key) = field, !vocabulary.customFields.contains(key) else { return }
        let hint = Suggestion.closest(to: word, among: vocabulary.names).map { " (did you mean '\($0)'?)" } ?? ""
        unknown.append(FilterError("unknown field '\(word)'\(hint)", at: offset))
    }

    /// Refuses a comparison its field's type cannot make (`points = many`, `tags < x`).
    func check(_ field: FilterField, _ op: FilterOperator, _ literal: FilterLiteral,
               word: String, opAt: Int, valueAt: Int) throws(FilterError) {
        if op == .contains {
            if field == .ready { throw FilterError("ready is yes or no: use = or !=", at: opAt) }
            return
        }
        switch StoryFilter.kind(of: field) {
        case .number:
            guard literal.number != nil else {
                throw FilterError("\(word) compares numbers; '\(literal.text)' is not a number", at: valueAt)
            }
        case .moscow:
            guard literal.moscow != nil else {
                throw FilterError("unknown MoSCoW value '\(literal.text)' (use must, should, could or wont)", at: valueAt)
            }
        case .status:
            if op.orders, !vocabulary.workflow.contains(Status(parsing: literal.text)) {
                let message = vocabulary.workflow.unknownStatusMessage(literal.text) ?? "unknown status '\(literal.text)'"
                throw FilterError(message, at: valueAt)
            }
        case .id, .ids:
            guard literal.id != nil else { throw FilterError("'\(literal.text)' is not a story ID (like S-12)", at: valueAt) }
            if case .ids = StoryFilter.kind(of: field), op.orders {
                throw FilterError("\(word) is a list: use =, != or ~", at: opAt)
            }
        case .flag:
            guard !op.orders, StoryFilter.yesNo(literal.folded) != nil else {
                throw FilterError("ready is yes or no: write 'ready', 'not ready' or 'ready = no'", at: op.orders ? opAt : valueAt)
            }
        case .list:
            if op.orders { throw FilterError("\(word) is a list: use =, != or ~", at: opAt) }
        case .text:
            break
        }
    }

    // MARK: Scanning

    mutating func skipSpaces() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x09 || bytes[position] == 0x0A
                || bytes[position] == 0x0D { position += 1 }
    }

    /// True when a byte ends a word: a space, a parenthesis, an operator or a quote.
    func endsWord(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "="), UInt8(ascii: "!"),
             UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "~"), UInt8(ascii: "\""), UInt8(ascii: "'"): true
        default: false
        }
    }

    /// A field name: letters, digits, `-`, `_` and non-ASCII characters.
    mutating func readName() -> String {
        let start = position
        while position < bytes.count, !endsWord(bytes[position]) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// The word at an offset, for messages (`')'`, `'3'`, or "the end").
    func wordAt(_ offset: Int) -> String {
        guard offset < bytes.count else { return "the end" }
        var end = offset + 1
        if !endsWord(bytes[offset]) { while end < bytes.count, !endsWord(bytes[end]) { end += 1 } }
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        return String(decoding: bytes[offset..<end], as: UTF8.self)
    }

    /// True when the keyword (any case) starts here as a whole word.
    func atKeyword(_ keyword: StaticString) -> Bool {
        let count = keyword.utf8CodeUnitCount
        guard position + count <= bytes.count else { return false }
        let word = unsafe keyword.utf8Start
        for i in 0..<count where unsafe bytes[position + i] | 0x20 != word[i] { return false }
        return position + count == bytes.count || endsWord(bytes[position + count])
    }

    /// Takes the keyword when it comes next.
    mutating func takeKeyword(_ keyword: StaticString) -> Bool {
        skipSpaces()
        guard atKeyword(keyword) else { return false }
        position += keyword.utf8CodeUnitCount
        return true
    }

    /// An operator, nil when none comes next; `==`, `=>` and a lone `!` are errors.
    mutating func readOperator() throws(FilterError) -> FilterOperator? {
        let start = position
        var end = position
        while end < bytes.count, "=!<>~".utf8.contains(bytes[end]) { end += 1 }
        guard end > start else { return nil }
        let written = String(decoding: bytes[start..<end], as: UTF8.self)
        guard let op = FilterOperator(rawValue: written) else {
            let hint = written == "==" ? " (use '=')" : written == "=<" ? " (use '<=')" : written == "=>" ? " (use '>=')" : ""
            throw FilterError("unknown operator '\(written)'\(hint); use =, !=, <, <=, >, >= or ~", at: start)
        }
        position = end
        return op
    }

    /// A value: a quoted text (`"` or `'`, `\` escapes the next character), or the words up to
    /// `and`, `or`, `)` or the end, joined by single spaces; nil when there is none.
    mutating func readValue() throws(FilterError) -> String? {
        guard position < bytes.count else { return nil }
        let quote = bytes[position]
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
            let open = position
            position += 1
            var out: [UInt8] = []
            while position < bytes.count, bytes[position] != quote {
                if bytes[position] == UInt8(ascii: "\\"), position + 1 < bytes.count { position += 1 }
                out.append(bytes[position])
                position += 1
            }
            guard position < bytes.count else { throw FilterError("this quote is never closed", at: open) }
            position += 1
            return String(decoding: out, as: UTF8.self)
        }
        var words: [String] = []
        while true {
            skipSpaces()
            guard position < bytes.count, bytes[position] != UInt8(ascii: ")"), bytes[position] != UInt8(ascii: "("),
                  !atKeyword("and"), !atKeyword("or") else { break }
            let start = position
            while position < bytes.count, !" \t\r\n()".utf8.contains(bytes[position]) { position += 1 }
            words.append(String(decoding: bytes[start..<position], as: UTF8.self))
        }
        return words.isEmpty ? nil : words.joined(separator: " ")
    }
}
