/// One value per numeric field key, in the order of `FieldKey.numericKeys` (kept inline: a
/// ranking makes one set per story). A test holds the count to the numeric keys'.
typealias NumericSlots<Element> = InlineArray<9, Element>

/// A story's numeric fields, read once.
public struct StoryNumbers: Sendable {
    private var slots = NumericSlots<DecimalNumber?>(repeating: nil)

    /// No numbers.
    public init() {}

    /// A numeric field by key (nil for keys that are not numeric).
    public subscript(key: FieldKey) -> DecimalNumber? {
        get {
            let slot = FieldKey.numericSlots[key.order]
            return slot < 0 ? nil : slots[slot]
        }
        set {
            let slot = FieldKey.numericSlots[key.order]
            if slot >= 0 { slots[slot] = newValue }
        }
    }

    /// Business value.
    public var value: DecimalNumber? { self[.value] }
    /// Story points.
    public var points: DecimalNumber? { self[.points] }

    /// A number, or its fallback, and which key gave it.
    public func number(_ key: FieldKey, fallback: FieldKey) -> (DecimalNumber, FieldKey)? {
        if let n = self[key] { return (n, key) }
        if let n = self[fallback] { return (n, fallback) }
        return nil
    }
}

/// A set of numeric field keys, as bits (bit `FieldKey.order`, as a story's key bits).
public struct NumericKeys: OptionSet, Sendable {
    public let rawValue: UInt32

    public init(rawValue: UInt32) {
        self.rawValue = rawValue
    }

    /// The bit of one key (no bit for keys that are not numeric).
    @inline(__always)
    public init(_ key: FieldKey) {
        rawValue = FieldKey.numericSlots[key.order] < 0 ? 0 : 1 << UInt32(key.order)
    }

    /// The bits of several keys.
    public init(_ keys: [FieldKey]) {
        rawValue = keys.reduce(0) { $0 | NumericKeys($1).rawValue }
    }

    /// Every numeric key.
    public static let all = NumericKeys(FieldKey.numericKeys)
}

/// Where each numeric field's value starts in a story's field lines, as the parser found it:
/// the offset from the lines' start plus one (0 when the story lacks the field), so that ranking
/// reads a number without scanning the lines. One slot per numeric key.
struct NumberSites: Sendable, Equatable {
    private var slots = NumericSlots<UInt16>(repeating: 0)

    /// A slot with this bit holds a small whole number itself (in the other 15 bits); one
    /// without holds where the value starts in the story's field lines, plus one (0 when absent).
    static let smallBit: UInt16 = 0x8000

    /// The field lines of a story whose sites are noted are shorter than this.
    static let maximumOffset = 0x7FFE

    /// The slot for a value at `offset` in the field lines, or for the whole number `small`.
    static func slot(offset: Int, small: Int?) -> UInt16 {
        if let small, (0..<Int(smallBit)).contains(small) { return smallBit | UInt16(small) }
        return UInt16(offset + 1)
    }

    /// The whole number a slot holds itself, or nil.
    @inline(__always)
    static func smallValue(_ slot: UInt16) -> Int? {
        slot & smallBit != 0 ? Int(slot & ~smallBit) : nil
    }

    /// The slot of a key (see `smallBit`); 0 for a key that is not numeric.
    subscript(key: FieldKey) -> UInt16 {
        get {
            let slot = FieldKey.numericSlots[key.order]
            return slot < 0 ? 0 : slots[slot]
        }
        set {
            let slot = FieldKey.numericSlots[key.order]
            if slot >= 0 { slots[slot] = newValue }
        }
    }

    static func == (lhs: NumberSites, rhs: NumberSites) -> Bool {
        FieldKey.numericKeys.allSatisfy { lhs[$0] == rhs[$0] }
    }
}

/// A title or description set in a session, shared by copies of the story until one changes it.
///
/// Changed only through `Story.editSessionText`, in place only when one story holds it (so no
/// other story, and no other thread, can see the change); otherwise a copy is made.
final class SessionText: @unchecked Sendable {
    var title: String?
    var description: String?

    init(title: String?, description: String?) {
        self.title = title
        self.description = description
    }
}
