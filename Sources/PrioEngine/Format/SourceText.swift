/// The bytes of a loaded file, shared by the backlog and its stories (one box, so that a
/// story holds one reference to its file's bytes rather than a copy of its own): an array, or
/// bytes that an owner keeps valid and unchanged for as long as it lives (a file PrioStorage
/// mapped, for the commands that only read).
// Safe to use: its external bytes are read only through `withBytes`, while the owner it holds keeps them.
@safe package final class SourceText: Sendable {
    private let array: [UInt8]
    // Safe to hold: `owner` keeps these bytes valid and unchanged until it is released with this box.
    private nonisolated(unsafe) let external: UnsafeBufferPointer<UInt8>?
    private let owner: (any AnyObject & Sendable)?

    /// No bytes (a backlog made in memory).
    static let empty = SourceText([])

    package init(_ bytes: [UInt8]) {
        array = bytes
        unsafe external = nil
        owner = nil
    }

    /// Bytes that `owner` keeps valid and unchanged for as long as it lives.
    package init(unsafe bytes: UnsafeBufferPointer<UInt8>, owner: any AnyObject & Sendable) {
        array = []
        unsafe external = bytes
        self.owner = owner
    }

    /// A second box of the same bytes (each half of a big file gets its own, so that the two
    /// threads that make and read its stories never count references on one object).
    init(sharing other: SourceText) {
        array = other.array
        unsafe external = other.external
        owner = other.owner
    }

    /// The bytes, for the length of `body`.
    @inline(__always)
    package func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        if let external = unsafe external { return try unsafe body(external) }
        return try unsafe array.withUnsafeBufferPointer { (buffer) throws(E) -> R in try unsafe body(buffer) }
    }

    /// True when the bytes are another owner's (a mapped file), not an array.
    package var isMapped: Bool { owner != nil }

    /// How many bytes.
    package var count: Int { unsafe external?.count ?? array.count }

    /// The bytes as an array (a copy, for a mapped file).
    package var bytes: [UInt8] { unsafe external.map { unsafe Array($0) } ?? array }

    /// True when the bytes are `other`'s.
    package func equals(_ other: [UInt8]) -> Bool {
        if owner == nil { return array == other }
        return unsafe withBytes { mine in unsafe mine.elementsEqual(other) }
    }

    /// True when `range` of these bytes holds what `otherRange` of `other`'s does.
    func bytesEqual(_ range: Range<Int>, _ other: SourceText, _ otherRange: Range<Int>) -> Bool {
        unsafe withBytes { a in
            unsafe other.withBytes { b in
                unsafe range.upperBound <= a.count && otherRange.upperBound <= b.count
                    && a[range].elementsEqual(b[otherRange])
            }
        }
    }

    /// True when both hold the same buffer (one file's bytes, boxed once per half of a big file).
    func isSame(as other: SourceText) -> Bool {
        if self === other { return true }
        return unsafe withBytes { a in unsafe other.withBytes { b in unsafe a.count == b.count && a.baseAddress == b.baseAddress } }
    }
}
