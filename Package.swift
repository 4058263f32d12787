// swift-tools-version: 6.2
import PackageDescription

/// A release build links the Swift runtime (and FoundationEssentials, which swift-argument-parser
/// uses; no module of prio's imports Foundation) into the `prio` binary: a process then starts
/// without shared libraries' symbols to look up and calls the runtime directly
/// (docs/BENCHMARKS.md, "Linked in" and "Binary size"). Only the `prio` executable asks for it
/// (`unsafeFlags` on a library target would keep PrioEngine from being a versioned dependency
/// of another package); the libraries compile as usual. Debug builds, and so the tests, stay
/// dynamic.
let staticRuntime: [SwiftSetting] = [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]

let package = Package(
    name: "prio",
    products: [
        .executable(name: "prio", targets: ["prio"]),
        .library(name: "PrioEngine", targets: ["PrioEngine"]),
        .library(name: "PrioStorage", targets: ["PrioStorage"]),
        .library(name: "PrioApp", targets: ["PrioApp"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.1"),
    ],
    targets: [
        // The engine: model, file format, strategies, planning, import and export, merge. Pure:
        // no file, process or clock access (those are PrioStorage's), no terminal code.
        .target(
            name: "PrioEngine",
            resources: [.embedInCode("sample-backlog.md")],
            // Every use of an unsafe construct is marked `unsafe` (each is a pointer into a
            // file's bytes or a buffer the code owns, for speed); the compiler warns on any other.
            swiftSettings: [.strictMemorySafety()]
        ),
        // Around the engine: files (atomic saves, locks, recovery files), git and the other
        // programs prio runs, the clock.
        .target(name: "PrioStorage", dependencies: ["PrioEngine", "CFileMap", "CSpawn"]),
        // A file mapped read-only under a read lease, and the signal handler that turns the
        // mapping into a private copy when another program writes the file (C: async-signal-safe).
        .target(name: "CFileMap"),
        // The posix_spawn file actions glibc declares only for _GNU_SOURCE (change the child's
        // folder, close the descriptors it would inherit), for PrioStorage's ChildProcess.
        .target(name: "CSpawn"),
        // The interactive app: state, update, views into an in-memory cell grid. No ncurses.
        // It depends on the pure engine only, so it cannot reach a file, a process or the clock:
        // it asks for them as effects, which PrioRuntime carries out.
        .target(
            name: "PrioApp", dependencies: ["PrioEngine"],
            swiftSettings: [.enableUpcomingFeature("MemberImportVisibility")]
        ),
        // The runner: carries out the app's effects on files, recovery files and the clock.
        .target(name: "PrioRuntime", dependencies: ["PrioApp", "PrioEngine", "PrioStorage"]),
        // Crash-time recovery (C: async-signal-safe): a fatal signal writes the unsaved work the
        // screen prepared while idle to a new recovery file, puts the terminal back, then dies.
        .target(name: "CCrashSave"),
        // The C module for ncursesw, with a shim for what Swift cannot import.
        .systemLibrary(name: "CNcursesw", path: "Sources/CNcursesw"),
        // glibc's malloc.h (mallopt), which the Glibc module leaves out: the executable's memory policy.
        .systemLibrary(name: "CMalloc", path: "Sources/CMalloc"),
        // The only code that talks to the terminal: ncurses in, cell grid out.
        .target(name: "PrioTerminal", dependencies: ["PrioApp", "PrioRuntime", "PrioStorage", "CNcursesw", "CCrashSave"]),
        // The command line: parses arguments, calls the engine, prints.
        .executableTarget(
            name: "prio",
            dependencies: [
                "PrioEngine",
                "PrioStorage",
                "PrioApp",
                "PrioTerminal",
                "CMalloc",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: staticRuntime,
            linkerSettings: [
                .unsafeFlags(["-static-stdlib", "-use-ld=lld"], .when(configuration: .release)),
                // FoundationEssentials (which ArgumentParser imports `internal`ly) uses these two,
                // and a static link is not told so by the import (full Foundation's brought them).
                .linkedLibrary("_FoundationCollections", .when(platforms: [.linux], configuration: .release)),
                .linkedLibrary("_FoundationCShims", .when(platforms: [.linux], configuration: .release)),
            ]
        ),
        .testTarget(
            name: "PrioEngineTests",
            dependencies: [
                "PrioEngine", "PrioStorage",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["FuzzRegressions"]
        ),
        // Test data shared by the app and runtime tests.
        .target(name: "PrioTestFixtures", path: "Tests/Fixtures"),
        .testTarget(
            name: "PrioAppTests",
            dependencies: [
                "PrioApp", "PrioEngine", "PrioTestFixtures",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Snapshots"]
        ),
        .testTarget(
            name: "PrioRuntimeTests",
            dependencies: ["PrioRuntime", "PrioApp", "PrioEngine", "PrioStorage", "PrioTestFixtures"]
        ),
        .testTarget(
            name: "PrioCLITests",
            dependencies: ["prio", "PrioEngine", "PrioStorage"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
