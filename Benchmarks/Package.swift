// swift-tools-version: 6.1
// Benchmarks live in their own package so that `swift test` at the top never builds them.
// Run: cd Benchmarks && swift package benchmark   (see docs/BENCHMARKS.md)
import PackageDescription

let package = Package(
    name: "prio-benchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "prio", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        // The planning benchmarks' backlogs (issue 8), shared with a tool that writes them as files.
        .target(
            name: "PlanningShapes",
            dependencies: [.product(name: "PrioEngine", package: "prio")],
            path: "Benchmarks/PlanningShapes"
        ),
        .executableTarget(
            name: "planning-shapes",
            dependencies: ["PlanningShapes"],
            path: "Benchmarks/PlanningShapesTool"
        ),
        .executableTarget(
            name: "PrioBenchmarks",
            dependencies: [
                "PlanningShapes",
                .product(name: "PrioEngine", package: "prio"),
                .product(name: "PrioApp", package: "prio"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/PrioBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
