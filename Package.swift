// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "prio",
    products: [
        .executable(name: "prio", targets: ["prio"]),
        .library(name: "PrioEngine", targets: ["PrioEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // The engine: model, file format, strategies, import and export. No terminal code.
        .target(
            name: "PrioEngine",
            resources: [.embedInCode("sample-backlog.md")]
        ),
        // The command line: parses arguments, calls the engine, prints.
        .executableTarget(
            name: "prio",
            dependencies: [
                "PrioEngine",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "PrioEngineTests",
            dependencies: [
                "PrioEngine",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "PrioCLITests",
            dependencies: ["prio", "PrioEngine"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
