import Foundation

/// Where the `lanchatd` and `lanchat` executables under test live: `$LANCHAT_BIN_DIR`, else next to the
/// test bundle (SwiftPM puts both in `.build/<triple>/debug/`).
enum Binaries {
    static let directory: Result<URL, HarnessError> = locate()

    static func lanchatd() throws -> URL { try directory.get().appendingPathComponent("lanchatd") }
    static func lanchat() throws -> URL { try directory.get().appendingPathComponent("lanchat") }

    private static func locate() -> Result<URL, HarnessError> {
        let environment = ProcessInfo.processInfo.environment
        var candidates: [URL] = []
        if let explicit = environment["LANCHAT_BIN_DIR"], !explicit.isEmpty {
            let url = URL(fileURLWithPath: explicit, isDirectory: true)
            guard containsBinaries(url) else {
                return .failure(HarnessError("LANCHAT_BIN_DIR=\(explicit) does not contain executable lanchatd and lanchat"))
            }
            return .success(url)
        }
        let bundle = Bundle.main.bundleURL.standardizedFileURL
        candidates += [bundle, bundle.deletingLastPathComponent()]
        if let argument0 = CommandLine.arguments.first {
            let executable = URL(
                fileURLWithPath: argument0,
                relativeTo: URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true)
            ).standardizedFileURL.resolvingSymlinksInPath()
            candidates += [executable.deletingLastPathComponent(), executable.deletingLastPathComponent().deletingLastPathComponent()]
        }
        if let found = candidates.first(where: containsBinaries) { return .success(found) }
        return .failure(HarnessError(
            "cannot find lanchatd and lanchat in \(candidates.map(\.path)); run `swift build` first or set LANCHAT_BIN_DIR"))
    }

    private static func containsBinaries(_ directory: URL) -> Bool {
        ["lanchatd", "lanchat"].allSatisfy { FileManager.default.isExecutableFile(atPath: directory.appendingPathComponent($0).path) }
    }
}
