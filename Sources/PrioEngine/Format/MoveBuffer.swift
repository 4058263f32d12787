import Dispatch

/// A growable buffer whose elements move out into an array without being copied.
///
/// The parser gathers a story's fields, and each half of a big file's stories, in these:
/// moving a value out of an `Array` is not possible, and copying 100,000 stories (or a
/// million fields) retains and releases every string and array they hold.
final class MoveBuffer<Element> {
    private var base: UnsafeMutablePointer<Element>
    private var capacity: Int
    /// How many elements the buffer holds.
    private(set) var count = 0
    /// False while the elements are written into a window of memory another owner allocated.
    private var ownsMemory = true

    /// Creates an empty buffer with room for `capacity` elements.
    init(capacity: Int = 16) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    /// Creates an empty buffer that writes into `capacity` elements of memory at `window`,
    /// which its owner keeps for as long as the buffer lives. An element past the window
    /// moves the buffer into memory of its own, so a wrong guess costs time, never memory
    /// that is not the buffer's.
    init(window: UnsafeMutablePointer<Element>, capacity: Int) {
        base = window
        self.capacity = capacity
        ownsMemory = false
    }

    deinit {
        base.deinitialize(count: count)
        if ownsMemory { base.deallocate() }
    }

    /// True while the elements are still in the window the buffer was made with.
    var isInWindow: Bool { !ownsMemory }

    /// True when the buffer holds nothing.
    var isEmpty: Bool { count == 0 }

    /// Adds an element at the end.
    func append(_ element: consuming Element) {
        if count == capacity { reserve(capacity * 2) }
        (base + count).initialize(to: element)
        count += 1
    }

    /// Makes room for at least `wanted` elements in all.
    func reserve(_ wanted: Int) {
        guard wanted > capacity else { return }
        let grown = UnsafeMutablePointer<Element>.allocate(capacity: wanted)
        grown.moveInitialize(from: base, count: count)
        if ownsMemory { base.deallocate() }
        base = grown
        capacity = wanted
        ownsMemory = true
    }

    /// Moves the elements out of the window into memory of the buffer's own (nothing to do
    /// when they are there already).
    func leaveWindow() {
        if !ownsMemory { reserve(max(capacity, 1) + 1) }
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
        let parts = [Part(from: earlier?.base, count: first), Part(from: base, count: taken)]
        return [Element](unsafeUninitializedCapacity: first + taken) { buffer, initialized in
            guard let target = buffer.baseAddress else { return }
            MoveBuffer.place(parts, at: [Part.Pointer(target), Part.Pointer(target + first)], alongside: alongside)
            initialized = first + taken
        }
    }

    /// Joins two windows of one allocation, `earlier`'s at its start and this buffer's after
    /// it: this buffer's elements move down to follow `earlier`'s (usually a short way: the
    /// windows are sized from a count of the headings), then `alongside` runs as in `takeArray`. Both buffers are empty afterwards; the elements belong to the allocation.
    /// Returns how many elements it holds from its start, or nil (moving nothing) when either
    /// buffer left its window.
    func joinWindows(after earlier: MoveBuffer<Element>,
                     alongside: @Sendable (Int) -> Void) -> Int? where Element: Sendable {
        guard isInWindow, earlier.isInWindow else { return nil }
        let first = earlier.count, taken = count
        let target = earlier.base + first
        // The windows do not overlap, so this buffer's starts at or after `earlier`'s last element.
        precondition(base >= target, "a later window lies after the earlier one")
        if base != target { target.moveInitialize(from: base, count: taken) }
        count = 0
        earlier.count = 0
        let parts = [Part(from: nil, count: first), Part(from: nil, count: taken)]
        MoveBuffer.place(parts, at: [Part.Pointer(earlier.base), Part.Pointer(target)], alongside: alongside)
        return first + taken
    }

    /// Moves each part to its place (when it has a `from`), then runs `alongside` with the
    /// part's number: big parts on two threads.
    private static func place(_ parts: [Part], at places: [Part.Pointer],
                              alongside: @Sendable (Int) -> Void) where Element: Sendable {
        @Sendable func move(_ k: Int) {
            if let from = parts[k].from { places[k].pointer.moveInitialize(from: from.pointer, count: parts[k].count) }
            alongside(k)
        }
        if min(parts[0].count, parts[1].count) >= MoveBuffer.parallelCount {
            DispatchQueue.concurrentPerform(iterations: 2, execute: move)
        } else {
            move(0)
            move(1)
        }
    }

    /// Halves of at least this many elements move on two threads.
    static var parallelCount: Int { 4096 }

    /// One buffer's elements, handed to the thread that moves them.
    private struct Part: @unchecked Sendable {
        /// A pointer that may cross to another thread: each thread touches only its own range.
        struct Pointer: @unchecked Sendable {
            let pointer: UnsafeMutablePointer<Element>
            init(_ pointer: UnsafeMutablePointer<Element>) { self.pointer = pointer }
        }
        let from: Pointer?
        let count: Int
        init(from: UnsafeMutablePointer<Element>?, count: Int) {
            self.from = from.map(Pointer.init)
            self.count = count
        }
    }
}
