/// A story's stable identifier such as `S-12`: a prefix, a dash and a number.
///
/// IDs are never renumbered; new stories continue the backlog's prefix.
public struct StoryID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The letters before the dash (`S`, `WEB`).
    public let prefix: String
    /// The number after the dash.
    public let number: Int

    /// Creates an ID from its parts.
    public init(prefix: String, number: Int) {
        self.prefix = prefix
        self.number = number
    }

    /// Parses `PREFIX-NUMBER`, where the prefix starts with a letter and holds letters,
    /// digits or `_`, and the number has at most 9 digits.
    public init?(_ text: Substring) {
        let utf8 = text.utf8
        guard let dash = utf8.lastIndex(of: UInt8(ascii: "-")) else { return nil }
        let prefix = utf8[utf8.startIndex..<dash]
        let digits = utf8[utf8.index(after: dash)...]
        guard let first = prefix.first, isASCIILetter(first),
              prefix.allSatisfy({ isASCIILetter($0) || isASCIIDigit($0) || $0 == UInt8(ascii: "_") }),
              !digits.isEmpty, digits.count <= 9, digits.allSatisfy(isASCIIDigit)
        else { return nil }
        var number = 0
        for d in digits { number = number * 10 + Int(d - UInt8(ascii: "0")) }
        self.prefix = String(text[text.startIndex..<dash])
        self.number = number
    }

    /// Parses a string.
    public init?(_ text: String) {
        self.init(text[...])
    }

    public var description: String { "\(prefix)-\(number)" }

    public static func < (lhs: StoryID, rhs: StoryID) -> Bool {
        (lhs.prefix, lhs.number) < (rhs.prefix, rhs.number)
    }
}

@inline(__always) func isASCIILetter(_ b: UInt8) -> Bool {
    (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
}

@inline(__always) func isASCIIDigit(_ b: UInt8) -> Bool {
    b >= 0x30 && b <= 0x39
}
