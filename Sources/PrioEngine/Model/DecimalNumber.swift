/// An exact decimal number as written in a backlog: `13`, `0.5`, `-2.25`.
///
/// Stored as `mantissa / 10^scale`, so sums and products of user numbers are exact
/// and scores that are equal in arithmetic compare equal.
public struct DecimalNumber: Sendable, Hashable, CustomStringConvertible {
    /// The digits as an integer.
    public let mantissa: Int128
    /// How many of the digits are after the decimal point.
    public let scale: Int

    /// The most digits a number may have.
    public static let maxDigits = 30

    /// Creates `mantissa / 10^scale`.
    public init(mantissa: Int128, scale: Int) {
        self.mantissa = mantissa
        self.scale = scale
    }

    /// Creates an integer.
    public init(_ value: Int) {
        self.init(mantissa: Int128(value), scale: 0)
    }

    /// Why a text is not a number, for error messages.
    public enum ParseFailure: Error, Sendable, Equatable {
        case notANumber
        case tooManyDigits
    }

    /// Parses `-?digits(.digits)?`; no exponents, no `inf` or `NaN`.
    public static func parse(_ text: Substring) -> Result<DecimalNumber, ParseFailure> {
        if let plain = unsafe text.utf8.withContiguousStorageIfAvailable({ unsafe parsePlain($0) }), let plain {
            return .success(plain)
        }
        var utf8 = text.utf8[...]
        var negative = false
        if utf8.first == UInt8(ascii: "-") {
            negative = true
            utf8 = utf8.dropFirst()
        } else if utf8.first == UInt8(ascii: "+") {
            utf8 = utf8.dropFirst()
        }
        var mantissa: Int128 = 0
        var digits = 0
        var significant = 0
        var scale = 0
        var seenPoint = false
        var digitsAfterPoint = 0
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                if mantissa != 0 || byte != UInt8(ascii: "0") { significant += 1 }
                if significant > maxDigits { return .failure(.tooManyDigits) }
                mantissa = mantissa * 10 + Int128(byte - UInt8(ascii: "0"))
                if seenPoint {
                    digitsAfterPoint += 1
                    scale += 1
                    if scale > maxDigits { return .failure(.tooManyDigits) }
                }
            case UInt8(ascii: "."):
                if seenPoint || digits == 0 { return .failure(.notANumber) }
                seenPoint = true
            default:
                return .failure(.notANumber)
            }
        }
        if digits == 0 || (seenPoint && digitsAfterPoint == 0) { return .failure(.notANumber) }
        return .success(DecimalNumber(mantissa: negative ? -mantissa : mantissa, scale: scale))
    }

    /// The fast path of `parse`: up to 18 plain digits with at most one point and no sign;
    /// nil for anything else (which `parse` then reads the long way).
    @inline(__always)
    static func parsePlain(_ bytes: UnsafeBufferPointer<UInt8>) -> DecimalNumber? {
        guard bytes.count <= 18 else { return nil }
        var small: Int64 = 0
        var scale = 0
        var seenPoint = false
        var digitsAfter = 0
        var digits = 0
        for unsafe byte in unsafe bytes {
            if byte >= 0x30 && byte <= 0x39 {
                small = small &* 10 &+ Int64(byte &- 0x30)
                digits += 1
                if seenPoint { digitsAfter += 1; scale += 1 }
            } else if byte == 0x2E && !seenPoint && digits > 0 {
                seenPoint = true
            } else {
                return nil
            }
        }
        guard digits > 0 && (!seenPoint || digitsAfter > 0) else { return nil }
        return DecimalNumber(mantissa: Int128(small), scale: scale)
    }

    /// The number when it is a whole number from 0 to 32,767 (a story's number slot holds it).
    var smallWhole: Int? {
        scale == 0 && mantissa >= 0 && mantissa < 0x8000 ? Int(mantissa) : nil
    }

    /// Parses a string; nil when it is not a number.
    public init?(_ text: String) {
        guard case .success(let value) = DecimalNumber.parse(text[...]) else { return nil }
        self = value
    }

    /// A fraction rounded half away from zero to `decimals` places; nil when it does not fit.
    public init?(rounding value: Fraction, decimals: Int) {
        guard let factor = pow10(decimals) else { return nil }
        let (scaled, overflow) = value.numerator.multipliedReportingOverflow(by: factor)
        guard !overflow else { return nil }
        let d = value.denominator
        let quotient = scaled / d
        let remainder = scaled % d
        var mantissa = quotient
        // Round half away from zero: compare twice the remainder with the denominator.
        if remainder.magnitude * 2 >= d.magnitude { mantissa += scaled < 0 ? -1 : 1 }
        // No trailing zeros: 10.00 is 10, as a user would write it.
        var scale = decimals
        while scale > 0 && mantissa % 10 == 0 {
            mantissa /= 10
            scale -= 1
        }
        self.init(mantissa: mantissa, scale: scale)
    }

    /// True when the number is zero.
    public var isZero: Bool { mantissa == 0 }

    /// True when the number is below zero.
    public var isNegative: Bool { mantissa < 0 }

    /// The nearest `Double`.
    public var doubleValue: Double {
        if let small = Int64(exactly: mantissa) { return Double(small) / pow10Double(scale) }
        return Double(mantissa) / pow10Double(scale)
    }

    /// The number written canonically: no trailing zeros after the point, no leading zeros.
    public var description: String {
        var m = mantissa
        var s = scale
        while s > 0 && m % 10 == 0 {
            m /= 10
            s -= 1
        }
        let negative = m < 0
        let digits = String(m.magnitude)
        guard s > 0 else { return (negative ? "-" : "") + digits }
        let padded = String(repeating: "0", count: max(0, s + 1 - digits.count)) + digits
        let split = padded.index(padded.endIndex, offsetBy: -s)
        return (negative ? "-" : "") + padded[..<split] + "." + padded[split...]
    }

    /// The exact value as a fraction.
    public var fraction: Fraction {
        Fraction(numerator: mantissa, denominator: pow10(scale) ?? 1)
    }
}

/// 10^n as an `Int128`, or nil when it overflows.
func pow10(_ n: Int) -> Int128? {
    var result: Int128 = 1
    for _ in 0..<n {
        let (next, overflow) = result.multipliedReportingOverflow(by: 10)
        if overflow { return nil }
        result = next
    }
    return result
}

func pow10Double(_ n: Int) -> Double {
    var result = 1.0
    for _ in 0..<n { result *= 10 }
    return result
}
