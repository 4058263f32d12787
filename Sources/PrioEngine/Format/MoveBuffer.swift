/// A growable buffer whose elements move out into an array without being copied.
///
/// The parser gathers a story's fields, and each half of a big file's stories, in these:
/// moving a value out of an `Array` is not possible, and copying 100,000 stories (or a
/// million fields) retains and releases every string and array they hold.
// Safe to use: it owns its memory (allocated, grown and freed here) and moves each element once.
@safe final class MoveBuffer<Element> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// How many elements the buffer holds.
    private(set) var count = 0

    /// Creates an empty buffer with room for `capacity` elements.
    init(capacity: Int = 16) {
        self.capacity = max(capacity, 1)
        unsafe base = .allocate(capacity: self.capacity)
    }

    deinit {
        unsafe base.deinitialize(count: count)
        unsafe base.deallocate()
    }

    /// True when the buffer holds nothing.
    var isEmpty: Bool { count == 0 }

    /// Adds an element at the end.
    func append(_ element: consuming Element) {
        if count == capacity { reserve(capacity * 2) }
        unsafe (base + count).initialize(to: element)
        count += 1
    }

    /// Makes room for at least `wanted` elements in all.
    func reserve(_ wanted: Int) {
        guard wanted > capacity else { return }
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: wanted)
        unsafe grown.moveInitialize(from: base, count: count)
        unsafe base.deallocate()
        unsafe base = unsafe grown
        capacity = wanted
    }

    /// Moves every element out into an array of exactly their number, after those of
    /// `earlier` (the first half of a file, gathered on another thread): each element moves
    /// once, then `alongside` runs with the half's number (0 for `earlier`'s, 1 for this
    /// buffer's). Big halves do this on two threads. The buffers are empty afterwards and keep
    /// their room for the next use.
    func takeArray(after earlier: MoveBuffer<Element>? = nil,
                   alongside: @Sendable (Int) -> Void = { _ in }) -> [Element]
        where Element: Sendable {
        let first = earlier?.count ?? 0
        let taken = count
        count = 0
        earlier?.count = 0
        let parts = unsafe [Part(from: earlier?.base, count: first), Part(from: base, count: taken)]
        return unsafe [Element](unsafeUninitializedCapacity: first + taken) { buffer, initialized in
            guard let target = buffer.baseAddress else { return }
            unsafe MoveBuffer.place(parts, at: [Part.Pointer(target), Part.Pointer(target + first)], alongside: alongside)
            initialized = first + taken
        }
    }

    /// Moves each part to its place (when it has a `from`), then runs `alongside` with the
    /// part's number: on two threads when both parts hold stories (two halves of a big file).
    private static func place(_ parts: [Part], at places: [Part.Pointer],
                              alongside: @Sendable (Int) -> Void) where Element: Sendable {
        @Sendable func move(_ k: Int) {
            if let from = parts[k].from { unsafe places[k].pointer.moveInitialize(from: from.pointer, count: parts[k].count) }
            alongside(k)
        }
        if parts[0].count > 0 && parts[1].count > 0 {
            _ = concurrentMap(2, move)
        } else {
            move(0)
            move(1)
        }
    }

    /// One buffer's elements, handed to the thread that moves them.
    private struct Part: @unchecked Sendable {
        /// A pointer that may cross to another thread: each thread touches only its own range.
        // Safe to use: it only carries a pointer to the thread that writes its own range.
        @safe struct Pointer: @unchecked Sendable {
            let pointer: UnsafeMutablePointer<Element>
            init(_ pointer: UnsafeMutablePointer<Element>) { unsafe self.pointer = unsafe pointer }
        }
        let from: Pointer?
        let count: Int
        init(from: UnsafeMutablePointer<Element>?, count: Int) {
            self.from = unsafe from.map(Pointer.init)
            self.count = count
        }
    }
}
