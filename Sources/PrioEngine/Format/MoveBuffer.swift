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

    /// Creates an empty buffer with room for `capacity` elements.
    init(capacity: Int = 16) {
        self.capacity = max(capacity, 1)
        base = .allocate(capacity: self.capacity)
    }

    deinit {
        base.deinitialize(count: count)
        base.deallocate()
    }

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
        base.deallocate()
        base = grown
        capacity = wanted
    }

    /// Changes every element in place.
    func updateEach(_ body: (inout Element) -> Void) {
        for i in 0..<count { body(&base[i]) }
    }

    /// Moves every element out into an array of exactly their number, after those of
    /// `earlier` (the first half of a file, gathered on another thread): each element moves
    /// once. The buffers are empty afterwards and keep their room for the next use.
    func takeArray(after earlier: MoveBuffer<Element>? = nil) -> [Element] {
        let first = earlier?.count ?? 0
        let taken = count
        count = 0
        return [Element](unsafeUninitializedCapacity: first + taken) { buffer, initialized in
            guard let target = buffer.baseAddress else { return }
            if let earlier {
                target.moveInitialize(from: earlier.base, count: first)
                earlier.count = 0
            }
            (target + first).moveInitialize(from: base, count: taken)
            initialized = first + taken
        }
    }
}
