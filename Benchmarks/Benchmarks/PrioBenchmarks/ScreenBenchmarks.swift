import Benchmark
import Foundation
import PrioApp
import PrioEngine

/// The interactive screen at 100,000 stories, driven through the in-memory terminal.
func screenBenchmarks() {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prio-bench-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("big.md").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(BacklogGenerator.markdown(count: storyCount)))

    Benchmark("screen: first frame at 100k (load + render)") { benchmark in
        for _ in benchmark.scaledIterations {
            let session = Session(file: try BacklogFile.load(path), width: 120, height: 40)
            blackHole(session.render())
        }
    }

    /// One key and the redraw after it, per measured iteration, on a session opened once.
    func keyBenchmark(_ name: String, keys: [Key], warmUp: [Key] = []) {
        guard let file = try? BacklogFile.load(path) else {
            fatalError("cannot open \(path)")
        }
        let session = Session(file: file, width: 120, height: 40)
        session.send(warmUp)
        _ = session.render()
        let box = SessionBox(session)
        Benchmark("screen: key + redraw at 100k: \(name)",
                  configuration: .init(timeUnits: .microseconds, maxIterations: 2_000)) { benchmark in
            for _ in benchmark.scaledIterations {
                _ = box.session.update(.key(keys[box.counter % keys.count]))
                box.counter += 1
                blackHole(box.session.render())
            }
        }
    }

    keyBenchmark("cursor j/k", keys: [.character("j"), .character("j"), .character("k")])
    keyBenchmark("page down/up", keys: [.pageDown, .pageDown, .pageUp])
    keyBenchmark("reorder J/K", keys: [.character("J"), .character("K")], warmUp: [.pageDown])
    keyBenchmark("undo after a move", keys: [.character("J"), .character("u")], warmUp: [.pageDown])
    // Cycle through every strategy once so each ranking is computed; then switching is what is timed.
    keyBenchmark("strategy switch (after the first)", keys: [.character("s")],
                 warmUp: Array(repeating: .character("s"), count: StrategyRegistry.all.count))
}

/// Lets the benchmark closure reach a session; benchmarks run one at a time.
final class SessionBox: @unchecked Sendable {
    let session: Session
    var counter = 0

    init(_ session: Session) {
        self.session = session
    }
}

extension Session {
    /// Sends keys; these keys ask for no effects (no file is written while benchmarking).
    func send(_ keys: [Key]) {
        for key in keys { _ = update(.key(key)) }
    }
}
