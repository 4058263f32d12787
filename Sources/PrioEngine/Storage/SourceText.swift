#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFileMap

/// The bytes of a loaded file, shared by the backlog and its stories: an array, or the file
/// itself mapped read-only (`MappedFile`, for the commands that only read).
final class SourceText: Sendable {
    private let array: [UInt8]
    private let mapping: MappedFile?

    /// No bytes (a backlog made in memory).
    static let empty = SourceText([])

    init(_ bytes: [UInt8]) {
        array = bytes
        mapping = nil
    }

    init(mapping: MappedFile) {
        array = []
        self.mapping = mapping
    }

    /// A second box of the same bytes (each half of a big file gets its own, so that the two
    /// threads that make and read its stories never count references on one object).
    init(sharing other: SourceText) {
        array = other.array
        mapping = other.mapping
    }

    /// The bytes, for the length of `body`.
    @inline(__always)
    func withBytes<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R {
        if let mapping { return try body(mapping.bytes) }
        return try array.withUnsafeBufferPointer { (buffer) throws(E) -> R in try body(buffer) }
    }

    /// True when the bytes are the file mapped (`MappedFile`), not an array.
    var isMapped: Bool { mapping != nil }

    /// How many bytes.
    var count: Int { mapping?.bytes.count ?? array.count }

    /// The bytes as an array (a copy, for a mapped file).
    var bytes: [UInt8] { mapping.map { Array($0.bytes) } ?? array }

    /// True when the bytes are `other`'s.
    func equals(_ other: [UInt8]) -> Bool {
        if mapping == nil { return array == other }
        return withBytes { mine in
            other.withUnsafeBufferPointer { theirs in
                guard mine.count == theirs.count else { return false }
                guard let x = mine.baseAddress, let y = theirs.baseAddress else { return true }
                return memcmp(x, y, mine.count) == 0
            }
        }
    }

    /// True when `range` of these bytes holds what `otherRange` of `other`'s does.
    func bytesEqual(_ range: Range<Int>, _ other: SourceText, _ otherRange: Range<Int>) -> Bool {
        withBytes { a in
            other.withBytes { b in
                range.upperBound <= a.count && otherRange.upperBound <= b.count
                    && a[range].elementsEqual(b[otherRange])
            }
        }
    }

    /// True when both hold the same buffer (one file's bytes, boxed once per half of a big file).
    func isSame(as other: SourceText) -> Bool {
        if self === other { return true }
        return withBytes { a in other.withBytes { b in a.count == b.count && a.baseAddress == b.baseAddress } }
    }
}

/// A regular file mapped read-only under a read lease (see `CFileMap`): its bytes stay as they
/// were when mapped, even when another program writes or truncates the file meanwhile (the
/// mapping then turns into a private copy first). Unmapped when the last story lets go.
final class MappedFile: @unchecked Sendable {
    // Unchecked: `bytes` is read-only memory that stays valid and unchanged until deinit.
    let bytes: UnsafeBufferPointer<UInt8>
    private let slot: Int32

    /// Maps the file open on `fd` (read-only), or nil when it cannot be leased or mapped (then
    /// `fd` is still the caller's, to read instead; on success it belongs to the mapping).
    init?(fd: Int32, limit: Int) {
        var length = 0
        var slot: Int32 = -1
        guard let base = prio_filemap_map(fd, limit, &length, &slot) else { return nil }
        bytes = UnsafeBufferPointer(start: base, count: length)
        self.slot = slot
    }

    deinit {
        prio_filemap_release(slot)
    }

    /// Turns every mapping into a private copy and lets its lease go, as when another program
    /// opens a mapped file for writing (for tests); returns how many were mapped.
    static func copyAllForTesting() -> Int {
        Int(prio_filemap_copy_all())
    }
}
