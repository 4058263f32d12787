/// An exact rational number with a positive denominator: how prio keeps scores.
///
/// Scores are compared exactly, so `6/2` and `15/5` tie and `0.1 + 0.2` equals `0.3`.
public struct Fraction: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The numerator.
    public let numerator: Int128
    /// The denominator, always above zero.
    public let denominator: Int128

    /// Creates `numerator / denominator`; the denominator must not be zero.
    public init(numerator: Int128, denominator: Int128) {
        precondition(denominator != 0, "zero denominator")
        if denominator < 0 {
            self.numerator = -numerator
            self.denominator = -denominator
        } else {
            self.numerator = numerator
            self.denominator = denominator
        }
    }

    /// `numerator / denominator`, or nil when the denominator is zero or the sign cannot move
    /// to the numerator (`Int128.min` has no negation): the arithmetic's one gate, so that an
    /// overflow is a result too large, never a trap.
    init?(exactly numerator: Int128, _ denominator: Int128) {
        guard denominator != 0 else { return nil }
        if denominator < 0 && (numerator == Int128.min || denominator == Int128.min) { return nil }
        self.init(numerator: numerator, denominator: denominator)
    }

    /// Creates a whole number.
    public init(_ value: Int) {
        self.init(numerator: Int128(value), denominator: 1)
    }

    /// The nearest `Double`.
    public var doubleValue: Double {
        if let n = Int64(exactly: numerator), let d = Int64(exactly: denominator) { return Double(n) / Double(d) }
        return Double(numerator) / Double(denominator)
    }

    /// Exact equality of the values (1/2 == 2/4).
    public static func == (lhs: Fraction, rhs: Fraction) -> Bool {
        compare(lhs, rhs) == 0
    }

    public func hash(into hasher: inout Hasher) {
        let divisor = gcd(numerator.magnitude, denominator.magnitude)
        hasher.combine(numerator / Int128(divisor))
        hasher.combine(denominator / Int128(divisor))
    }

    public static func < (lhs: Fraction, rhs: Fraction) -> Bool {
        compare(lhs, rhs) < 0
    }

    /// -1, 0 or 1 as `lhs` is below, equal to or above `rhs`; exact, never overflows.
    public static func compare(_ lhs: Fraction, _ rhs: Fraction) -> Int {
        // Fast paths: one denominator (whole points, one decimal scale), or all parts in 64 bits.
        if lhs.denominator == rhs.denominator {
            return lhs.numerator < rhs.numerator ? -1 : (lhs.numerator == rhs.numerator ? 0 : 1)
        }
        if let a = Int64(exactly: lhs.numerator), let b = Int64(exactly: rhs.denominator),
           let c = Int64(exactly: rhs.numerator), let d = Int64(exactly: lhs.denominator) {
            let left = a.multipliedFullWidth(by: b)
            let right = c.multipliedFullWidth(by: d)
            if left.high != right.high { return left.high < right.high ? -1 : 1 }
            if left.low != right.low { return left.low < right.low ? -1 : 1 }
            return 0
        }
        let left = lhs.numerator.multipliedFullWidth(by: rhs.denominator)
        let right = rhs.numerator.multipliedFullWidth(by: lhs.denominator)
        if left.high != right.high { return left.high < right.high ? -1 : 1 }
        if left.low != right.low { return left.low < right.low ? -1 : 1 }
        return 0
    }

    /// The sum, or nil on overflow.
    public func adding(_ other: Fraction) -> Fraction? {
        if denominator == other.denominator {
            let (n, overflow) = numerator.addingReportingOverflow(other.numerator)
            if !overflow { return Fraction(numerator: n, denominator: denominator) }
        }
        return retryingReduced(self, other) { x, y in
            guard let a = mul(x.numerator, y.denominator),
                  let b = mul(y.numerator, x.denominator),
                  let d = mul(x.denominator, y.denominator) else { return nil }
            let (n, overflow) = a.addingReportingOverflow(b)
            return overflow ? nil : Fraction(exactly: n, d)
        }
    }

    /// The product, or nil on overflow.
    public func multiplied(by other: Fraction) -> Fraction? {
        retryingReduced(self, other) { x, y in
            guard let n = mul(x.numerator, y.numerator),
                  let d = mul(x.denominator, y.denominator) else { return nil }
            return Fraction(exactly: n, d)
        }
    }

    /// The quotient, or nil on overflow or division by zero.
    public func divided(by other: Fraction) -> Fraction? {
        guard other.numerator != 0 else { return nil }
        return retryingReduced(self, other) { x, y in
            guard let n = mul(x.numerator, y.denominator),
                  let d = mul(x.denominator, y.numerator) else { return nil }
            return Fraction(exactly: n, d)
        }
    }

    /// The same value in lowest terms.
    public func reduced() -> Fraction {
        let divisor = gcd(numerator.magnitude, denominator.magnitude)
        guard divisor > 1 else { return self }
        return Fraction(numerator: numerator / Int128(divisor), denominator: denominator / Int128(divisor))
    }

    /// The value with two decimals, as scores are shown: `3.20`.
    public var formatted: String { formatFixed(doubleValue, decimals: 2) }

    public var description: String { formatted }
}

/// Runs `op`; when it overflows, runs it again on the operands in lowest terms.
/// Reducing costs 128-bit divisions, so it is done only when needed.
private func retryingReduced(_ a: Fraction, _ b: Fraction, _ op: (Fraction, Fraction) -> Fraction?) -> Fraction? {
    if let result = op(a, b) { return result }
    return op(a.reduced(), b.reduced())?.reduced()
}

private func mul(_ a: Int128, _ b: Int128) -> Int128? {
    let (r, overflow) = a.multipliedReportingOverflow(by: b)
    return overflow ? nil : r
}

private func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
    var (x, y) = (a, b)
    while y != 0 { (x, y) = (y, x % y) }
    return x == 0 ? 1 : x
}

/// Formats a number with a fixed count of decimals, without Foundation.
func formatFixed(_ value: Double, decimals: Int) -> String {
    guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
    let factor = pow10Double(decimals)
    let scaled = (abs(value) * factor).rounded()
    guard scaled < 1e18 else { return String(value) }
    let whole = UInt64(scaled)
    let divisor = UInt64(factor)
    let intPart = whole / divisor
    let fracPart = whole % divisor
    var text = String(intPart)
    if decimals > 0 {
        let frac = String(fracPart)
        text += "." + String(repeating: "0", count: decimals - frac.count) + frac
    }
    return (value < 0 && scaled != 0 ? "-" : "") + text
}
