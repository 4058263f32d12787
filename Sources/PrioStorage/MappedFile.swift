#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CFileMap
import PrioEngine

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
