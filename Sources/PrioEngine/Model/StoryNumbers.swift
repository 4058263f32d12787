/// A story's numeric fields, read once.
public struct StoryNumbers: Sendable {
    public var value: DecimalNumber?
    public var timeCriticality: DecimalNumber?
    public var riskReduction: DecimalNumber?
    public var size: DecimalNumber?
    public var effort: DecimalNumber?
    public var points: DecimalNumber?
    public var reach: DecimalNumber?
    public var impact: DecimalNumber?
    public var confidence: DecimalNumber?

    /// No numbers.
    public init() {}

    /// A numeric field by key (nil for keys that are not numeric).
    public subscript(key: FieldKey) -> DecimalNumber? {
        get {
            switch key {
            case .value: value
            case .timeCriticality: timeCriticality
            case .riskReduction: riskReduction
            case .size: size
            case .effort: effort
            case .points: points
            case .reach: reach
            case .impact: impact
            case .confidence: confidence
            default: nil
            }
        }
        set {
            switch key {
            case .value: value = newValue
            case .timeCriticality: timeCriticality = newValue
            case .riskReduction: riskReduction = newValue
            case .size: size = newValue
            case .effort: effort = newValue
            case .points: points = newValue
            case .reach: reach = newValue
            case .impact: impact = newValue
            case .confidence: confidence = newValue
            default: break
            }
        }
    }

    /// A number, or its fallback, and which key gave it.
    public func number(_ key: FieldKey, fallback: FieldKey) -> (DecimalNumber, FieldKey)? {
        if let n = self[key] { return (n, key) }
        if let n = self[fallback] { return (n, fallback) }
        return nil
    }
}

/// A set of numeric field keys, as bits.
public struct NumericKeys: OptionSet, Sendable {
    public let rawValue: UInt16

    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// The bit of one key (no bit for keys that are not numeric).
    @inline(__always)
    public init(_ key: FieldKey) {
        rawValue = NumericKeys.bits[key.order]
    }

    private static let bits: [UInt16] = FieldKey.allCases.map {
        FieldKey.numeric.contains($0) ? 1 << UInt16($0.order) : 0
    }

    /// The bits of several keys.
    public init(_ keys: [FieldKey]) {
        rawValue = keys.reduce(0) { $0 | NumericKeys($1).rawValue }
    }

    /// Every numeric key.
    public static let all = NumericKeys(Array(FieldKey.numeric))
}

/// Where each numeric field's value starts in a story's field lines, as the parser found it:
/// the offset from the lines' start plus one (0 when the story lacks the field), so that ranking
/// reads a number without scanning the lines. Nine slots, for the numeric keys (orders 2 to 10).
struct NumberSites: Sendable, Equatable {
    private var slots: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0, 0, 0, 0)

    /// The first and last `FieldKey.order` of the numeric keys.
    static let orders = 2...10

    /// The numeric key of an order, or nil.
    @inline(__always)
    static func key(order: Int) -> FieldKey? {
        switch order {
        case 2: .value
        case 3: .timeCriticality
        case 4: .riskReduction
        case 5: .size
        case 6: .effort
        case 7: .points
        case 8: .reach
        case 9: .impact
        case 10: .confidence
        default: nil
        }
    }

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

    /// The slot of the key with this order (see `smallBit`).
    subscript(order: Int) -> UInt16 {
        get {
            guard NumberSites.orders.contains(order) else { return 0 }
            return unsafe withUnsafeBytes(of: slots) { unsafe $0.load(fromByteOffset: (order - 2) * 2, as: UInt16.self) }
        }
        set {
            guard NumberSites.orders.contains(order) else { return }
            unsafe withUnsafeMutableBytes(of: &slots) { unsafe $0.storeBytes(of: newValue, toByteOffset: (order - 2) * 2, as: UInt16.self) }
        }
    }

    static func == (lhs: NumberSites, rhs: NumberSites) -> Bool {
        NumberSites.orders.allSatisfy { lhs[$0] == rhs[$0] }
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
