#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte offsets where invalid UTF-8 starts, at most `limit` of them; empty for valid text.
func invalidUTF8Offsets(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 100) -> [Int] {
    unsafe checkText(bytes, limit: limit).invalidUTF8
}

/// What one look at every byte of a text finds before it is parsed.
struct TextCheck: Sendable {
    /// Byte offsets where invalid UTF-8 starts, at most the limit asked for.
    var invalidUTF8: [Int] = []
    /// True when a line (the first one included) starts with `<`: it may be a git conflict
    /// marker, for `BacklogParser.conflictMarkers` to tell (false means none is there).
    var lineStartsWithLess = false
}

/// Checks that a text is UTF-8 (offsets of at most `limit` invalid places), and whether a
/// line starts with `<` (see `TextCheck`), in one pass.
func checkText(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 100) -> TextCheck {
    var bad: [Int] = []
    var less = false
    var i = 0
    let n = bytes.count
    guard let base = bytes.baseAddress else { return TextCheck() }
    let highs: UInt64 = 0x8080_8080_8080_8080
    while i < n {
        // Fast path: eight ASCII bytes at a time (a `<` among them is looked at closer).
        if i + 8 <= n {
            let word = unsafe UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
            if word & highs == 0 {
                if !less && bytesEqual(to: 0x3C, in: word) != 0 {
                    for k in i..<(i + 8) where unsafe base[k] == 0x3C && (k == 0 || base[k - 1] == 0x0A) { less = true }
                }
                i += 8
                continue
            }
        }
        let b0 = unsafe bytes[i]
        if b0 < 0x80 {
            if unsafe b0 == 0x3C && (i == 0 || base[i - 1] == 0x0A) { less = true }
            i += 1
            continue
        }
        let length: Int
        var minSecond: UInt8 = 0x80
        var maxSecond: UInt8 = 0xBF
        switch b0 {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; minSecond = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; maxSecond = 0x9F
        case 0xF0: length = 4; minSecond = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; maxSecond = 0x8F
        default: length = 0
        }
        var ok = length > 0 && i + length <= n
        if ok {
            let b1 = unsafe bytes[i + 1]
            ok = b1 >= minSecond && b1 <= maxSecond
            var k = 2
            while ok && k < length {
                ok = unsafe bytes[i + k] & 0xC0 == 0x80
                k += 1
            }
        }
        if ok {
            i += length
        } else {
            bad.append(i)
            // The rest is not looked at: a file with invalid UTF-8 is refused for it alone.
            if bad.count >= limit { return TextCheck(invalidUTF8: bad, lineStartsWithLess: true) }
            // Skip to the next line: one report per line is enough.
            while unsafe i < n && bytes[i] != 0x0A { i += 1 }
        }
    }
    return TextCheck(invalidUTF8: bad, lineStartsWithLess: less)
}

/// `checkText` for a big file on two threads: the halves split at a line start, so the
/// offsets are those one pass would find (one per line, in order, at most `limit`).
func checkTextInParallel(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 100) -> TextCheck {
    let n = bytes.count
    guard n >= twoThreadBytes, let base = bytes.baseAddress,
          let newline = unsafe memchr(base + n / 2, 0x0A, n - n / 2) else {
        return unsafe checkText(bytes, limit: limit)
    }
    let split = unsafe base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
    let shared = unsafe SharedBytes(bytes: bytes)
    let halves = concurrentMap(2) { half in
        if half == 0 { return unsafe checkText(UnsafeBufferPointer(rebasing: shared.bytes[0..<split]), limit: limit) }
        var second = unsafe checkText(UnsafeBufferPointer(rebasing: shared.bytes[split..<n]), limit: limit)
        second.invalidUTF8 = second.invalidUTF8.map { $0 + split }
        return second
    }
    return TextCheck(invalidUTF8: Array((halves[0].invalidUTF8 + halves[1].invalidUTF8).prefix(limit)),
                     lineStartsWithLess: halves[0].lineStartsWithLess || halves[1].lineStartsWithLess)
}

/// Bytes that outlive the threads reading them (the caller waits for both).
// Safe to use: the caller keeps the bytes alive until both threads are done.
@safe struct SharedBytes: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
}
