// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "lanchat",
    products: [
        .executable(name: "lanchatd", targets: ["lanchatd"]),
        .executable(name: "lanchat", targets: ["lanchat"]),
        // Libraries for the fuzzing package under Fuzz/, which depends on this one by path.
        .library(name: "LanChatCore", targets: ["LanChatCore"]),
        .library(name: "LanChatControl", targets: ["LanChatControl"]),
        .library(name: "LanChatFuzzChecks", targets: ["LanChatFuzzChecks"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
    ],
    targets: [
        .target(name: "LanChatCore", dependencies: [
            .product(name: "Crypto", package: "swift-crypto"),
            // scrypt, for identity backups (`IdentityBackup`).
            .product(name: "_CryptoExtras", package: "swift-crypto"),
            .product(name: "Collections", package: "swift-collections"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .target(name: "LanChatStore", dependencies: [
            "LanChatCore",
            .product(name: "GRDB", package: "GRDB.swift"),
            .product(name: "GRDBSQLite", package: "GRDB.swift"),
        ]),
        .systemLibrary(
            name: "CDNSSD",
            pkgConfig: "avahi-compat-libdns_sd",
            providers: [.apt(["libavahi-compat-libdnssd-dev"])]),
        .target(name: "LanChatNet", dependencies: [
            "LanChatCore", "CDNSSD",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
        ]),
        // The control protocol's types: FoundationEssentials only, so clients link neither Crypto, Logging, ICU nor the store.
        .target(name: "LanChatControl"),
        .target(name: "LanChatClient", dependencies: ["LanChatControl"]),
        // What `lanchat chat` knows and shows, with no I/O: the model and the screen as rows of styled text.
        .target(name: "LanChatChat", dependencies: ["LanChatControl"]),
        // ncursesw with its wide-character API, for the full-screen chat.
        .systemLibrary(
            name: "CNcurses",
            pkgConfig: "ncursesw",
            providers: [.apt(["libncurses-dev"])]),
        // The terminal the full-screen chat draws through: text widths, keys, drawing, and the
        // terminal given back however the process ends.
        .target(name: "LanChatTerminal", dependencies: ["CNcurses"]),
        // What each fuzz target (Fuzz/) checks, shared with the tests that replay its corpus and crashes.
        .target(name: "LanChatFuzzChecks", dependencies: ["LanChatCore", "LanChatControl"]),
        .target(name: "LanChatSimulator", dependencies: [
            "LanChatCore",
            .product(name: "Collections", package: "swift-collections"),
        ]),
        .target(name: "LanChatDaemon", dependencies: [
            "LanChatControl", "LanChatCore", "LanChatStore", "LanChatNet",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
            .product(name: "NIOPosix", package: "swift-nio"),
            .product(name: "Logging", package: "swift-log"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),
        // The Swift runtime and Foundation (GRDB and Crypto import it) linked into the binary: it runs with
        // Debian's libraries alone, on a machine without the toolchain, and its idle RSS is 4 MB lower than
        // with them shared (docs/BENCHMARKS.md, Footprint). The static libraries do not name their own dependencies.
        .executableTarget(
            name: "lanchatd",
            dependencies: [
                "LanChatDaemon", "LanChatControl",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: [
                .unsafeFlags(["-static-stdlib"]),
                .linkedLibrary("CoreFoundation"), .linkedLibrary("_FoundationICU"), .linkedLibrary("_FoundationCollections"),
                .linkedLibrary("_FoundationCShims"),
            ]),
        // The Swift runtime and FoundationEssentials linked into the binary: every command is a new
        // process, and one that loads no shared Swift libraries starts in half the time. None of its
        // targets imports full Foundation, whose ICU would add 40 MB (docs/BENCHMARKS.md, CLI start-up).
        .executableTarget(
            name: "lanchat",
            dependencies: [
                "LanChatClient", "LanChatControl", "LanChatChat", "LanChatTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            linkerSettings: [
                .unsafeFlags(["-static-stdlib"]),
                // FoundationEssentials' own dependencies, which its static library does not name.
                .linkedLibrary("_FoundationCollections"), .linkedLibrary("_FoundationCShims"),
            ]),
        // A receiving node's delivery path in one thread, for the benchmark to count its instructions under callgrind.
        .executableTarget(name: "lanchat-cost", dependencies: ["LanChatCore", "LanChatStore"]),
        .executableTarget(name: "lanchat-bench", dependencies: [
            "LanChatClient", "LanChatControl", "LanChatCore", "LanChatStore", "LanChatSimulator", "LanChatNet",
            .product(name: "NIOCore", package: "swift-nio"),
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "LanChatCoreTests", dependencies: ["LanChatCore"]),
        .testTarget(name: "LanChatStoreTests", dependencies: ["LanChatStore"]),
        .testTarget(name: "LanChatNetTests", dependencies: ["LanChatNet", "LanChatCore", "LanChatControl"]),
        .testTarget(name: "LanChatSimulatorTests", dependencies: ["LanChatSimulator", "LanChatCore"]),
        .testTarget(name: "LanChatControlTests", dependencies: ["LanChatControl"]),
        .testTarget(name: "LanChatClientTests", dependencies: ["LanChatClient", "LanChatControl"]),
        .testTarget(name: "LanChatChatTests", dependencies: ["LanChatChat", "LanChatControl"]),
        .testTarget(name: "LanChatDaemonTests", dependencies: [
            "LanChatDaemon", "LanChatControl", "LanChatCore", "LanChatStore",
            .product(name: "Logging", package: "swift-log"),
        ]),
        .testTarget(name: "LanChatFuzzChecksTests", dependencies: ["LanChatFuzzChecks"]),
        .testTarget(name: "LanChatBenchTests", dependencies: ["lanchat-bench"]),
        .testTarget(name: "LanChatTerminalTests", dependencies: ["LanChatTerminal", "CNcurses"]),
        // Fixtures/: the state each release left behind, which StateFormatTests opens.
        .testTarget(
            name: "LanChatIntegrationTests", dependencies: ["LanChatClient", "LanChatControl", "LanChatCore", "LanChatStore"],
            exclude: ["Fixtures"]),
    ]
)
