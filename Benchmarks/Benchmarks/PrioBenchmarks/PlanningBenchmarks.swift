import Benchmark
import Foundation
import PlanningShapes
import PrioApp
import PrioEngine

/// `plan` and `forecast` on the shapes of issue 8, and the screen with a forecast in its
/// detail pane (sprints, done stories in them, dependencies) at 100,000 stories.
func planningBenchmarks() {
    let strategy = WSJFStrategy()
    for shape in PlanningShape.allCases {
        let box = BacklogBox(shape)
        Benchmark("forecast: \(shape.rawValue) (\(shape.count / 1_000)k)") { benchmark in
            let backlog = box.backlog
            guard let velocity = Planner.velocity(backlog) else { fatalError("the shape must have a velocity") }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try Planner.forecast(backlog, velocity: velocity, strategy: strategy))
            }
        }
        Benchmark("plan: \(shape.rawValue) (\(shape.count / 1_000)k)") { benchmark in
            let backlog = box.backlog
            let sprint = backlog.header.sprints.last?.name ?? "Sprint 1"
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                blackHole(try Planner.plan(backlog, sprint: sprint, capacity: DecimalNumber(30), strategy: strategy))
            }
        }
        if shape == .generated {
            // Many stories per sprint: every story is placed (about 250 sprints).
            Benchmark("forecast at 2,000 pts per sprint: \(shape.rawValue) (\(shape.count / 1_000)k)") { benchmark in
                let backlog = box.backlog
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    blackHole(try Planner.forecast(backlog, velocity: Fraction(2_000), strategy: strategy))
                }
            }
        }
    }

    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("prio-bench-planning-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("generated.md").path
    _ = FileManager.default.createFile(atPath: path, contents: Data(PlanningShape.generated.markdown()))

    Benchmark("screen with a forecast: first frame at 100k (load + render)") { benchmark in
        for _ in benchmark.scaledIterations {
            let session = try Session(path: path, width: 120, height: 40, environment: [:])
            blackHole(session.render())
        }
    }

    func keyBenchmark(_ name: String, keys: [Key], warmUp: [Key] = []) {
        guard let session = try? Session(path: path, width: 120, height: 40, environment: [:]) else {
            fatalError("cannot open \(path)")
        }
        session.send(warmUp)
        // On a story the forecast places (not done, in no sprint), so that its forecast is made.
        while let story = session.state.selectedStory, session.state.backlog.workflow.isDone(story) || story.value(of: .sprint) != nil {
            session.send([.character("j")])
        }
        _ = session.render()
        let box = SessionBox(session)
        Benchmark("screen with a forecast: key + redraw at 100k: \(name)",
                  configuration: .init(timeUnits: .microseconds, maxIterations: 2_000)) { benchmark in
            for _ in benchmark.scaledIterations {
                _ = box.session.handle(keys[box.counter % keys.count])
                box.counter += 1
                blackHole(box.session.render())
            }
        }
    }

    keyBenchmark("cursor j/k", keys: [.character("j"), .character("j"), .character("k")])
    keyBenchmark("reorder J/K", keys: [.character("J"), .character("K")], warmUp: [.pageDown])
    keyBenchmark("undo after a move", keys: [.character("J"), .character("u")], warmUp: [.pageDown])
    keyBenchmark("strategy switch (after the first)", keys: [.character("s")],
                 warmUp: Array(repeating: .character("s"), count: StrategyRegistry.all.count))
    keyBenchmark("planning: P in, Esc out", keys: [.character("P"), .escape])
    keyBenchmark("planning: Space adds or removes a story", keys: [.character(" ")], warmUp: [.character("P")])
}

/// Makes a shape's backlog on first use, so that filtering benchmarks does not build them all.
final class BacklogBox: @unchecked Sendable {
    let shape: PlanningShape
    lazy var backlog: Backlog = shape.backlog()

    init(_ shape: PlanningShape) {
        self.shape = shape
    }
}
