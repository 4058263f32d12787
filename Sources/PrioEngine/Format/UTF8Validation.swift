#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte offsets where invalid UTF-8 starts, at most `limit` of them; empty for valid text.
func invalidUTF8Offsets(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 100) -> [Int] {
    var bad: [Int] = []
    var i = 0
    let n = bytes.count
    while i < n {
        // Fast path: eight ASCII bytes at a time.
        if i + 8 <= n {
            let word = UnsafeRawPointer(bytes.baseAddress! + i).loadUnaligned(as: UInt64.self)
            if word & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
        }
        let b0 = bytes[i]
        if b0 < 0x80 {
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
            let b1 = bytes[i + 1]
            ok = b1 >= minSecond && b1 <= maxSecond
            var k = 2
            while ok && k < length {
                ok = bytes[i + k] & 0xC0 == 0x80
                k += 1
            }
        }
        if ok {
            i += length
        } else {
            bad.append(i)
            if bad.count >= limit { return bad }
            // Skip to the next line: one report per line is enough.
            while i < n && bytes[i] != 0x0A { i += 1 }
        }
    }
    return bad
}

/// `invalidUTF8Offsets` for a big file on two threads: the halves split at a line start, so
/// the offsets are those one pass would find (one per line, in order, at most `limit`).
func invalidUTF8OffsetsInParallel(_ bytes: UnsafeBufferPointer<UInt8>, limit: Int = 100) -> [Int] {
    let n = bytes.count
    guard n >= 1 << 21, let base = bytes.baseAddress,
          let newline = memchr(base + n / 2, 0x0A, n - n / 2) else {
        return invalidUTF8Offsets(bytes, limit: limit)
    }
    let split = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
    let shared = SharedBytes(bytes: bytes)
    let halves = concurrentMap(2) { half in
        half == 0
            ? invalidUTF8Offsets(UnsafeBufferPointer(rebasing: shared.bytes[0..<split]), limit: limit)
            : invalidUTF8Offsets(UnsafeBufferPointer(rebasing: shared.bytes[split..<n]), limit: limit).map { $0 + split }
    }
    return Array((halves[0] + halves[1]).prefix(limit))
}

/// Bytes that outlive the threads reading them (the caller waits for both).
struct SharedBytes: @unchecked Sendable {
    let bytes: UnsafeBufferPointer<UInt8>
}
