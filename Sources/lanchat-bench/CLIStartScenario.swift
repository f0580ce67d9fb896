import Foundation
import LanChatControl

struct CLIStartResult {
    /// Milliseconds from spawning each run until it was reaped.
    let status: [Double]
    /// `lanchat send` of a few words: the form read without ArgumentParser, and a durable commit.
    let send: [Double]
    let version: [Double]
    /// The same status request from a small C program (scripts/status-request.c); nil when it could
    /// not be compiled, `limitMissing` says why.
    let limit: [Double]?
    let limitMissing: String?
    let binaryMegabytes: Double
    /// The shared libraries `lanchat` loads, as ldd lists them.
    let sharedLibraries: [String]
}

/// What a person waits for at each `lanchat` command: `lanchat status` and `lanchat send` against a running
/// daemon (a lone one: no delivery), from process start to exit, and `lanchat --version`, start-up alone.
/// The limit is the same status request sent by a C program over the same socket: the process start, the
/// socket round trip and the daemon's answer, without the Swift runtime. The commands take turns, run after run, so drift in the shared
/// machine's speed touches each alike.
enum CLIStartScenario {
    static func run(binaries: String, runs: Int) throws -> CLIStartResult {
        let cluster = try BenchCluster(binaries: binaries)
        defer { cluster.stop() }
        let node = try cluster.start()
        let lanchat = "\(binaries)/lanchat"
        var commands = [[lanchat, "--socket", node.socket, "status"], [lanchat, "--socket", node.socket, "send", "start-up", "run"], [lanchat, "--version"]]
        var limitMissing: String?
        do {
            commands.append([try compileStatusRequest(into: cluster.root), node.socket])
        } catch {
            limitMissing = "\(error)"
            print("cli: no C limit: \(error)")
        }
        print("cli: \(runs) runs of each of \(commands.count) commands…")
        var samples = Array(repeating: [Double](), count: commands.count)
        // The first runs read the binaries from disk and fill the daemon's caches; not counted.
        for _ in 0..<5 { for command in commands { _ = try timed(command) } }
        for _ in 0..<runs {
            for (index, command) in commands.enumerated() { samples[index].append(try timed(command)) }
        }
        var file = stat()
        let size = stat(lanchat, &file) == 0 ? Double(file.st_size) : .nan
        let libraries = try lanchat_bench.run("/usr/bin/env", ["ldd", lanchat]).split(separator: "\n").compactMap { line in
            line.split(whereSeparator: \.isWhitespace).first.map(String.init).flatMap { $0.contains(".so") && !$0.hasPrefix("linux-vdso") ? $0 : nil }
        }
        return CLIStartResult(
            status: samples[0], send: samples[1], version: samples[2], limit: commands.count > 3 ? samples[3] : nil, limitMissing: limitMissing,
            binaryMegabytes: size / 1_048_576, sharedLibraries: libraries)
    }

    /// Milliseconds from spawning `command` (its output to /dev/null) until it was reaped; throws unless it succeeded.
    private static func timed(_ command: [String]) throws -> Double {
        let start = nowNanos()
        let outcome = try SpawnedProcess(command).wait(timeout: .seconds(10))
        let elapsed = Double(nowNanos() - start) / 1e6
        guard outcome == .exited(0) else { throw BenchError("\(command.joined(separator: " ")) \(outcome)") }
        return elapsed
    }

    /// Compiled at run time rather than by the Makefile, so that `lanchat-bench --only cli` measures its
    /// limit however the bench was built, and nothing built lands in the work tree.
    private static func compileStatusRequest(into directory: String) throws -> String {
        guard let compiler = which("cc") else { throw BenchError("no C compiler (cc) on PATH") }
        let executable = "\(directory)/status-request"
        try lanchat_bench.run(compiler, ["-O2", "-o", executable, "scripts/status-request.c"])
        return executable
    }
}
