import Benchmark
import PrioEngine

/// The scale: 100,000 stories, made by the deterministic generator.
let storyCount = 100_000

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .peakMemoryResident],
        timeUnits: .milliseconds,
        maxDuration: .seconds(20),
        maxIterations: 25
    )

    screenBenchmarks()
    planningBenchmarks()

    let markdown = BacklogGenerator.markdown(count: storyCount)
    let csv = BacklogGenerator.csv(count: storyCount)
    let backlog: Backlog
    do {
        backlog = try BacklogParser.parse(markdown, path: "generated.md").backlog
    } catch {
        fatalError("the generated backlog must parse: \(error)")
    }

    Benchmark("parse 100k stories") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try BacklogParser.parse(markdown, path: "generated.md"))
        }
    }

    for strategy in StrategyRegistry.all {
        Benchmark("rank 100k stories: \(strategy.name)") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(Ranking(backlog, strategy: strategy))
            }
        }
    }

    Benchmark("write 100k stories") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(BacklogWriter.write(backlog))
        }
    }

    Benchmark("write 100k stories after one edit") { benchmark in
        var edited = backlog
        try edited.update(at: storyCount / 2) { (story: inout Story) throws(FieldProblem) in
            try story.setField("value", "99")
        }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            blackHole(BacklogWriter.write(edited))
        }
    }

    Benchmark("import 100k CSV rows") { benchmark in
        for _ in benchmark.scaledIterations {
            var target = Backlog(name: "Import")
            blackHole(try Importer.importStories(csv, format: .csv, path: "in.csv", into: &target))
        }
    }

    for strategy in [WSJFStrategy() as any Strategy, ValueEffortStrategy()] {
        Benchmark("rank and export top 10 of 100k as markdown: \(strategy.name)") { benchmark in
            for _ in benchmark.scaledIterations {
                let ranking = Ranking(backlog, strategy: strategy)
                blackHole(Exporter.export(ranking, format: .markdown, top: 10, date: "2026-11-23", sourceName: "b.md"))
            }
        }
    }
}
