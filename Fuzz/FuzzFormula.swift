// libFuzzer target: the formula parser and its exact arithmetic (issue 24).
// Build and run with scripts/fuzz.sh; compiled into one module with Sources/PrioEngine.
//
// Properties:
// - any bytes either parse or give a problem located inside the formula (offset 0 ... length);
// - a formula that parses evaluates without a trap for field values at the limits of the
//   arithmetic (0, ±1, Int64 and Int128 extremes, tiny fractions), giving a value or a
//   stated failure (missing field, division by zero, too large);
// - substituting values for the field names never traps either.

private let extremes: [Fraction] = [
    Fraction(0), Fraction(1), Fraction(-1), Fraction(2), Fraction(Int.max), Fraction(Int.min),
    Fraction(numerator: Int128.max, denominator: 1), Fraction(numerator: Int128.min, denominator: 1),
    Fraction(numerator: 1, denominator: Int128.max), Fraction(numerator: -Int128(1) << 64, denominator: 3),
    Fraction(numerator: 7, denominator: 1_000_000_000_000_000_000),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = Array(UnsafeBufferPointer(start: data, count: size))
    // The last byte picks the values; the rest is the formula.
    let choice = Int(input.last ?? 0)
    let text = String(decoding: input.dropLast(input.isEmpty ? 0 : 1), as: UTF8.self)
    let formula: Formula
    do {
        formula = try Formula(text)
    } catch {
        if error.offset < 0 || error.offset > text.utf8.count { fatalError("problem outside the formula: \(error)") }
        return 0
    }
    for round in 0..<3 {
        let result = formula.evaluate { i in
            let pick = (choice &+ i &* 7 &+ round &* 3) % (extremes.count + 1)
            return pick == extremes.count ? nil : extremes[pick]
        }
        if case .success(let value) = result, value.denominator <= 0 { fatalError("a fraction with denominator \(value.denominator)") }
    }
    _ = formula.substituted { String($0) }
    return 0
}
