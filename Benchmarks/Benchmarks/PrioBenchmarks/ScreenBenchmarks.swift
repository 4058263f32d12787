import Benchmark
import Foundation
import PrioApp
import PrioEngine

/// The interactive screen at 100,000 stories, driven through the in-memory terminal.
func screenBenchmarks() {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prio-bench-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("big.md").path
    FileManager.default.createFile(atPath: path, contents: Data(BacklogGenerator.markdown(count: storyCount)))

    Benchmark("screen: first frame at 100k (load + render)") { benchmark in
        for _ in benchmark.scaledIterations {
            let session = try Session(path: path, width: 120, height: 40, environment: [:])
            blackHole(session.render())
        }
    }

    /// One key and the redraw after it, `count` times in a row.
    func keyBenchmark(_ name: String, keys: [Key], warmUp: [Key] = []) {
        Benchmark("screen: key + redraw at 100k: \(name)", configuration: .init(maxIterations: 200)) { benchmark in
            let session = try Session(path: path, width: 120, height: 40, environment: [:])
            session.send(warmUp)
            _ = session.render()
            benchmark.startMeasurement()
            for i in benchmark.scaledIterations {
                _ = session.handle(keys[i % keys.count])
                blackHole(session.render())
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

extension Session {
    func send(_ keys: [Key]) {
        for key in keys { _ = handle(key) }
    }
}
