import Dispatch
import Synchronization

/// `(0..<count).map(body)` with the calls spread over the cores; the results in index order.
///
/// The one way the engine runs independent work in parallel (rankings, halves of a ranking,
/// versions of a file, pairs of strategies).
package func concurrentMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
    guard count > 1 else { return (0..<count).map(body) }
    let results = Mutex<[T?]>([T?](repeating: nil, count: count))
    DispatchQueue.concurrentPerform(iterations: count) { i in
        let result = body(i)
        results.withLock { $0[i] = result }
    }
    return results.withLock { $0 }.compactMap { $0 }
}

/// Collections of at least this many items (stories, rows, IDs) are worked on in two halves:
/// the one threshold for parallel work in the engine.
let twoThreadCount = 20_000

/// The same threshold for work measured in bytes (a file's text): a story takes about 100
/// bytes, so a file this big holds about `twoThreadCount` stories.
let twoThreadBytes = twoThreadCount * 100

/// `body` on the halves of `0..<count`, each on its own thread, results in order; one range on
/// this thread when `count` is below `threshold`. The one way big loops over stories split.
func inHalves<T: Sendable>(_ count: Int, from threshold: Int = twoThreadCount, _ body: @Sendable (Range<Int>) -> T) -> [T] {
    guard count >= max(2, threshold) else { return [body(0..<count)] }
    let halves = [0..<count / 2, count / 2..<count]
    return concurrentMap(2) { body(halves[$0]) }
}
