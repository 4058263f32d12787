import Dispatch
import Synchronization

/// `(0..<count).map(body)` with the calls spread over the cores; the results in index order.
///
/// The one way the engine runs independent work in parallel (rankings, halves of a ranking,
/// versions of a file, pairs of strategies).
func concurrentMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 1 else { return (0..<count).map(body) }
    let results = Mutex<[T?]>([T?](repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: count) { i in
        let result = body(i)
        results.withLock { $0[i] = result }
    }
    return results.withLock { $0 }.compactMap { $0 }
}
