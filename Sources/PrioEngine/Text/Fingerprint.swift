/// A short fingerprint of some bytes (their count and 64-bit FNV-1a hash), to tell versions apart.
public func fingerprint(_ bytes: [UInt8]) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in bytes {
        hash ^= UInt64(byte)
        hash = hash &* 0x100_0000_01b3
    }
    let hex = String(hash, radix: 16)
    return "\(bytes.count)-" + String(repeating: "0", count: 16 - hex.count) + hex
}
