/// The stories ready to go, by rank position, with their point keys: what the forecast asks
/// is the first one at or after a position whose key is below a bound.
protocol AvailableStories {
    /// The first position at or after `from` whose key is below `bound`.
    func first(from: Int, below bound: Int32) -> Int?
    /// Position `p` (with key `key`) is no longer available.
    mutating func remove(_ p: Int, key: Int32)
    /// Position `p` becomes available with key `key`.
    mutating func insert(_ p: Int, key: Int32)
}

extension MinKeyTree: AvailableStories {
    mutating func remove(_ p: Int, key: Int32) { update(p, MinKeyTree.none) }
    mutating func insert(_ p: Int, key: Int32) { update(p, key) }
}

/// The available stories as one bit set per point key k, holding the positions whose key is
/// at most k: the first position below a bound is the first set bit of one set from a word
/// on, and a change touches one bit in each set above the key. For backlogs with few distinct
/// point values (the usual 1, 2, 3, 5, 8, 13).
struct KeyBitsets: AvailableStories, Sendable {
    static let maxKeys = 64
    private let words: Int
    private let keys: Int
    private var bits: [UInt64]

    init(count: Int, keys: Int) {
        words = (count + 63) / 64
        self.keys = keys
        bits = [UInt64](repeating: 0, count: max(1, words * keys))
    }

    func first(from: Int, below bound: Int32) -> Int? {
        guard bound > 0, keys > 0 else { return nil }
        let layer = Int(min(Int32(keys), bound)) - 1
        var w = from >> 6
        guard w < words else { return nil }
        let keys = self.keys
        return unsafe bits.withUnsafeBufferPointer { all in
            // Word w of layer k is at w * keys + k: a change touches one cache line.
            var word = unsafe all[w &* keys &+ layer] & (~0 << UInt64(from & 63))
            while true {
                if word != 0 { return w << 6 + word.trailingZeroBitCount }
                w &+= 1
                if w == words { return nil }
                word = unsafe all[w &* keys &+ layer]
            }
        }
    }

    mutating func remove(_ p: Int, key: Int32) { set(p, key: key, to: false) }

    mutating func insert(_ p: Int, key: Int32) { set(p, key: key, to: true) }

    /// Sets or clears position `p`'s bit in every layer from its key up.
    @inline(__always)
    private mutating func set(_ p: Int, key: Int32, to on: Bool) {
        guard key >= 0 else { return }
        let bit = UInt64(1) << UInt64(p & 63)
        let start = (p >> 6) &* keys
        let keys = self.keys
        unsafe bits.withUnsafeMutableBufferPointer { all in
            var i = start &+ Int(key)
            let end = start &+ keys
            while i < end {
                if on { unsafe all[i] |= bit } else { unsafe all[i] &= ~bit }
                i &+= 1
            }
        }
    }
}

/// A segment tree of keys (points ranks) over rank positions: finds the first position at or
/// after a cursor whose key is below a bound in O(log n).
struct MinKeyTree {
    static let none = Int32.max
    private var size: Int
    private var nodes: [Int32]

    init(count: Int) {
        size = 1
        while size < count { size *= 2 }
        nodes = [Int32](repeating: MinKeyTree.none, count: 2 * size)
    }

    /// Sets a leaf before `build`.
    mutating func set(_ position: Int, _ key: Int32) {
        nodes[size + position] = key
    }

    /// Computes the inner nodes from the leaves.
    mutating func build() {
        var i = size - 1
        while i >= 1 {
            nodes[i] = min(nodes[2 * i], nodes[2 * i + 1])
            i -= 1
        }
    }

    /// Changes a leaf and the nodes above it.
    mutating func update(_ position: Int, _ key: Int32) {
        var i = size + position
        nodes[i] = key
        i /= 2
        while i >= 1 {
            let smallest = min(nodes[2 * i], nodes[2 * i + 1])
            // Nodes above an unchanged one are unchanged too.
            if nodes[i] == smallest { break }
            nodes[i] = smallest
            i /= 2
        }
    }

    /// The first position at or after `from` whose key is below `bound`.
    func first(from: Int, below bound: Int32) -> Int? {
        guard from < size else { return nil }
        var i = size + from
        while true {
            if nodes[i] < bound {
                while i < size {
                    i *= 2
                    if nodes[i] >= bound { i += 1 }
                }
                return i - size
            }
            // Up while this node is a right child, then over to the right sibling.
            while i & 1 == 1 {
                if i == 1 { return nil }
                i /= 2
            }
            i += 1
        }
    }
}
