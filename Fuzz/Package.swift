// swift-tools-version:5.4
// 5.4, not 6.0: from 5.5 on, SwiftPM links each executable with `--defsym main=<module>_main`, which
// a fuzzer built with -parse-as-library (its main is libFuzzer's) does not define, so linking fails.
import PackageDescription

// libFuzzer executables, one per decoder of network or control-socket input, kept out of the main
// package: libFuzzer brings its own `main`. Built and run by `make fuzz`; see README.md ("Fuzzing").
// What each one checks is `FuzzTarget.check` in the main package's LanChatFuzzChecks, which
// `make test` also runs over Fuzz/corpus and Fuzz/crashes.
let fuzzers = ["entry", "entry-signed", "datagram", "sealed-datagram", "sync-frame", "sync-vector", "control-request"]

let checks: Target.Dependency = .product(name: "LanChatFuzzChecks", package: "lanchat")

let package = Package(
    name: "lanchat-fuzz",
    dependencies: [
        .package(name: "lanchat", path: ".."),
    ],
    targets: fuzzers.map { .executableTarget(name: "fuzz-\($0)", dependencies: [checks]) } + [
        // Writes Fuzz/corpus from the project's encoders (`make fuzz-seeds`); built without libFuzzer.
        .executableTarget(name: "fuzz-seeds", dependencies: [checks]),
    ]
)
