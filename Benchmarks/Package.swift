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
        .executableTarget(
            name: "PrioBenchmarks",
            dependencies: [
                .product(name: "PrioEngine", package: "prio"),
                .product(name: "PrioApp", package: "prio"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/PrioBenchmarks",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),
    ]
)
