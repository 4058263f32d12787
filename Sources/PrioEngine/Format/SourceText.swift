/// The bytes of a loaded file, shared by the backlog and its stories (one box, so that a
/// story holds one reference to its file's bytes rather than a copy of its own).
package final class SourceText: Sendable {
    private let array: [UInt8]

    /// No bytes (a backlog made in memory).
    static let empty = SourceText([])

    package init(_ bytes: [UInt8]) {
        array = bytes
    }

    /// A second box of the same bytes (each half of a big file gets its own, so that the two
    /// threads that make and read its stories never count references on one object).
    init(sharing other: SourceText) {
        array = other.array
    }

    /// The bytes, for the length of `body`.
    @inline(__always)
    package func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        try unsafe array.withUnsafeBufferPointer { (buffer) throws(E) -> R in try unsafe body(buffer) }
    }

    /// How many bytes.
    package var count: Int { array.count }

    /// The bytes as an array.
    package var bytes: [UInt8] { array }

    /// True when the bytes are `other`'s.
    package func equals(_ other: [UInt8]) -> Bool { array == other }

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
