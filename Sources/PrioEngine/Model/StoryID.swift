/// A story's stable identifier such as `S-12`: a prefix, a dash and a number.
///
/// IDs are never renumbered; new stories continue the backlog's prefix.
public struct StoryID: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The letters before the dash (`S`, `WEB`).
    public let prefix: String
    /// The number after the dash.
    public let number: Int
    /// How many digits the number is written with (`US-007` has 3); leading zeros pad to it.
    public let width: Int

    /// The highest number an ID may have: 18 digits (`S-999999999999999999`), what `init?(_:)`
    /// reads. No command writes an ID above it.
    public static let highestNumber = 999_999_999_999_999_999

    /// Creates an ID from its parts; `width` pads the number with leading zeros.
    public init(prefix: String, number: Int, width: Int = 0) {
        self.prefix = prefix
        self.number = number
        self.width = width
    }

    /// Parses `PREFIX-NUMBER`, where the prefix starts with a letter and holds letters,
    /// digits or `_`, and the number has at most 18 digits. Zero-padded numbers (`US-007`)
    /// keep their padding; `US-007` and `US-7` are the same ID.
    public init?(_ text: Substring) {
        self.init(utf8: text.utf8)
    }

    /// Parses `PREFIX-NUMBER` from UTF-8 bytes (the parser reads IDs without making a string).
    init?<Bytes: BidirectionalCollection<UInt8>>(utf8: Bytes) {
        guard let dash = utf8.lastIndex(of: UInt8(ascii: "-")) else { return nil }
        let prefix = utf8[utf8.startIndex..<dash]
        let digits = utf8[utf8.index(after: dash)...]
        guard let first = prefix.first, isASCIILetter(first),
              prefix.allSatisfy({ isASCIILetter($0) || isASCIIDigit($0) || $0 == UInt8(ascii: "_") }),
              !digits.isEmpty, digits.count <= 18, digits.allSatisfy(isASCIIDigit)
        else { return nil }
        var number = 0
        for d in digits { number = number * 10 + Int(d - UInt8(ascii: "0")) }
        self.prefix = String(decoding: prefix, as: UTF8.self)
        self.number = number
        self.width = digits.first == UInt8(ascii: "0") && digits.count > 1 ? digits.count : 0
    }

    /// Parses a string.
    public init?(_ text: String) {
        self.init(text[...])
    }

    public var description: String {
        // Written into the string's own storage (small IDs stay in the string, no allocation).
        unsafe String(unsafeUninitializedCapacity: writtenCount) { unsafe write(into: $0) }
    }

    /// Appends the ID's UTF-8 bytes as written (`S-12`, `US-007`) to `out`: a list of 100,000
    /// IDs is written without a string per ID.
    public func write(to out: inout [UInt8]) {
        let start = out.count
        let count = writtenCount
        out.append(contentsOf: repeatElement(0, count: count))
        let written = unsafe out.withUnsafeMutableBufferPointer { buffer in
            unsafe write(into: UnsafeMutableBufferPointer(rebasing: buffer[start...]))
        }
        out.removeLast(count - written)
    }

    /// The most bytes `write(into:)` writes.
    private var writtenCount: Int { prefix.utf8.count + 2 + max(width, 20) }

    /// Writes the ID's UTF-8 bytes into `buffer` (at least `writtenCount` long); returns how
    /// many. The one rule of how an ID is written: the prefix, a dash, the number padded with
    /// zeros to its width.
    private func write(into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var i = 0
        for byte in prefix.utf8 {
            unsafe buffer[i] = byte
            i += 1
        }
        unsafe buffer[i] = UInt8(ascii: "-")
        i += 1
        if number < 0 {
            unsafe buffer[i] = UInt8(ascii: "-")
            i += 1
        }
        var digits = 0
        var n = number.magnitude
        repeat {
            digits += 1
            n /= 10
        } while n > 0
        for _ in 0..<max(0, width - digits) {
            unsafe buffer[i] = UInt8(ascii: "0")
            i += 1
        }
        n = number.magnitude
        var k = i + digits - 1
        repeat {
            unsafe buffer[k] = UInt8(ascii: "0") + UInt8(n % 10)
            n /= 10
            k -= 1
        } while n > 0
        return i + digits
    }

    /// Equal when prefix and number are: `US-007` is `US-7`.
    public static func == (lhs: StoryID, rhs: StoryID) -> Bool {
        lhs.number == rhs.number && lhs.prefix == rhs.prefix
    }

    /// Hashes the number and the prefix's length: equal IDs hash equally, and hashing no string
    /// keeps the maps and sets of 100,000 IDs that merges, diffs and the screen build cheap.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(number)
        hasher.combine(prefix.utf8.count)
    }

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
