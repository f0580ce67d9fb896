import Foundation
import LanChatControl

struct CLIStartResult {
    /// Milliseconds from spawning each run until it was reaped.
    let status: [Double]
    let version: [Double]
    /// The same status request from a small C program (scripts/status-request.c); nil when it could
    /// not be compiled, `limitMissing` says why.
    let limit: [Double]?
    let limitMissing: String?
    let binaryMegabytes: Double
    /// The shared libraries `lanchat` loads, as ldd lists them.
    let sharedLibraries: [String]
}

/// What a person waits for at each `lanchat` command: `lanchat status` against a running daemon, from
/// process start to exit, and `lanchat --version`, start-up alone. The limit is the same request sent
/// by a C program over the same socket: the process start, the socket round trip and the daemon's
/// answer, without the Swift runtime. The commands take turns, run after run, so drift in the shared
/// machine's speed touches each alike.
enum CLIStartScenario {
    static func run(binaries: String, runs: Int) throws -> CLIStartResult {
        let cluster = try BenchCluster(binaries: binaries)
        defer { cluster.stop() }
        let node = try cluster.start()
        let lanchat = "\(binaries)/lanchat"
        var commands: [(arguments: [String], status: Int32)] = [([lanchat, "--socket", node.socket, "status"], 0), ([lanchat, "--version"], 0)]
        var limitMissing: String?
        do {
            commands.append(([try compileStatusRequest(into: cluster.root), node.socket], 0))
        } catch {
            limitMissing = "\(error)"
            print("cli: no C limit: \(error)")
        }
        print("cli: \(runs) runs of each of \(commands.count) commands…")
        var samples = Array(repeating: [Double](), count: commands.count)
        try withOutputDiscarded {
            // The first runs read the binaries from disk and fill the daemon's caches; not counted.
            for _ in 0..<5 { for (command, status) in commands { _ = try timed(command, exitingWith: status) } }
            for _ in 0..<runs {
                for (index, (command, status)) in commands.enumerated() { samples[index].append(try timed(command, exitingWith: status)) }
            }
        }
        var file = stat()
        let size = stat(lanchat, &file) == 0 ? Double(file.st_size) : .nan
        let libraries = try lanchat_bench.run("/usr/bin/env", ["ldd", lanchat]).split(separator: "\n").compactMap { line in
            line.split(whereSeparator: \.isWhitespace).first.map(String.init).flatMap { $0.contains(".so") && !$0.hasPrefix("linux-vdso") ? $0 : nil }
        }
        return CLIStartResult(
            status: samples[0], version: samples[1], limit: commands.count > 2 ? samples[2] : nil, limitMissing: limitMissing,
            binaryMegabytes: size / 1_048_576, sharedLibraries: libraries)
    }

    /// Milliseconds from spawning `command` until it was reaped; throws unless it exited with `status`.
    private static func timed(_ command: [String], exitingWith status: Int32) throws -> Double {
        let start = nowNanos()
        let outcome = try SpawnedProcess(command).wait(timeout: .seconds(10))
        let elapsed = Double(nowNanos() - start) / 1e6
        guard outcome == .exited(status) else { throw BenchError("\(command.joined(separator: " ")) \(outcome)") }
        return elapsed
    }

    /// Runs `body` with standard output and error on /dev/null, which the commands it starts inherit: the
    /// status tables and version lines of hundreds of runs. A failed run is still told by its exit status.
    private static func withOutputDiscarded(_ body: () throws -> Void) throws {
        fflush(nil)
        let saved = (dup(STDOUT_FILENO), dup(STDERR_FILENO))
        let null = open("/dev/null", O_WRONLY)
        guard saved.0 >= 0, saved.1 >= 0, null >= 0 else { throw BenchError("cannot redirect output: \(String(cString: strerror(errno)))") }
        dup2(null, STDOUT_FILENO)
        dup2(null, STDERR_FILENO)
        close(null)
        defer {
            dup2(saved.0, STDOUT_FILENO)
            dup2(saved.1, STDERR_FILENO)
            close(saved.0)
            close(saved.1)
        }
        try body()
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
