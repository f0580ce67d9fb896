import Foundation
import LanChatClient
import LanChatControl
import LanChatCore
import Synchronization
import Testing

/// One test's private world: a temporary directory holding daemons' state, sockets and logs, and
/// every process the test started. `cleanup()` (call it from `defer`) ends those processes and
/// removes the directory, whether the test passed or not.
final class Sandbox: Sendable {
    let root: String
    private let children = Mutex<[Process]>([])
    private let starts = Atomic<Int>(0)

    /// The default node's paths; a test with several nodes passes its own.
    var stateDir: String { "\(root)/state" }
    var socketPath: String { "\(root)/sock" }

    init() throws {
        // Directly under /tmp: a socket path must fit in sun_path (108 bytes).
        var template = Array("/tmp/lanchat-it-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw HarnessError("mkdtemp failed: \(String(cString: strerror(errno)))")
        }
        root = String(cString: made)
    }

    func cleanup() {
        ChildProcess.end(children.withLock { $0 })
        try? FileManager.default.removeItem(atPath: root)
    }

    private func track(_ process: Process) {
        children.withLock { $0.append(process) }
    }

    // MARK: Daemons

    /// Starts `lanchatd` without waiting for it: for tests that expect it to fail. With a `launcher`
    /// (a command that ends by executing its arguments, such as `nsenter --net=…`), lanchatd runs under it.
    /// `defaultPort`: no `--port 0`, so that it asks for 7420 (only where nothing else may hold it: a namespace).
    func spawnDaemon(
        stateDir: String? = nil, socket: String? = nil, extraArguments: [String] = [], launcher: [String] = [], defaultPort: Bool = false
    ) throws -> Daemon {
        let stateDir = stateDir ?? self.stateDir
        let socket = socket ?? socketPath
        let number = starts.add(1, ordering: .relaxed).newValue
        let logPath = "\(root)/lanchatd.\(number).log"
        let process = Process()
        let arguments = ["--state-dir", stateDir, "--socket", socket, "--no-mdns"] + (defaultPort ? [] : ["--port", "0"])
            + ["--bind", "127.0.0.1"] + extraArguments
        if let command = launcher.first {
            process.executableURL = URL(fileURLWithPath: command)
            process.arguments = launcher.dropFirst() + [try Binaries.lanchatd().path] + arguments
        } else {
            process.executableURL = try Binaries.lanchatd()
            process.arguments = arguments
        }
        process.environment = ChildProcess.environment
        process.standardInput = FileHandle.nullDevice
        try ChildProcess.spawn {
            guard FileManager.default.createFile(atPath: logPath, contents: nil),
                let log = FileHandle(forWritingAtPath: logPath)
            else { throw HarnessError("cannot create \(logPath)") }
            defer { try? log.close() }
            process.standardOutput = log
            process.standardError = log
            try process.run()
        }
        track(process)
        return Daemon(process: process, stateDir: stateDir, socketPath: socket, logPath: logPath)
    }

    /// Starts `lanchatd` and waits until `lanchat whoami` gets an answer from it.
    func startDaemon(
        stateDir: String? = nil, socket: String? = nil, extraArguments: [String] = [], launcher: [String] = [], defaultPort: Bool = false
    ) async throws -> Daemon {
        let daemon = try spawnDaemon(stateDir: stateDir, socket: socket, extraArguments: extraArguments, launcher: launcher, defaultPort: defaultPort)
        try await daemon.waitUntilReady()
        return daemon
    }

    // MARK: The CLI

    /// Runs `lanchat --socket <socket> <arguments>` to completion.
    func lanchat(_ arguments: [String], socket: String? = nil, stdin: Data? = nil) async throws -> ProcessResult {
        try await ChildProcess.run(try Binaries.lanchat(), ["--socket", socket ?? socketPath] + arguments, stdin: stdin)
    }

    func lanchat(_ arguments: String..., socket: String? = nil) async throws -> ProcessResult {
        try await lanchat(arguments, socket: socket)
    }

    /// Runs `lanchat` with exactly these arguments (no `--socket` added).
    func lanchatRaw(_ arguments: [String]) async throws -> ProcessResult {
        try await ChildProcess.run(try Binaries.lanchat(), arguments)
    }

    /// Starts `lanchat --socket <socket> <arguments>` and leaves it running (for `follow`).
    func lanchatStreaming(_ arguments: [String], socket: String? = nil) throws -> StreamingProcess {
        let child = try StreamingProcess(try Binaries.lanchat(), ["--socket", socket ?? socketPath] + arguments)
        track(child.process)
        return child
    }

    /// Every daemon log this sandbox has written, concatenated.
    func allDaemonLogs() -> Data {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        return names.filter { $0.hasPrefix("lanchatd.") && $0.hasSuffix(".log") }.sorted().reduce(into: Data()) { data, name in
            data.append(FileManager.default.contents(atPath: "\(root)/\(name)") ?? Data())
        }
    }
}

/// A running (or finished) `lanchatd`.
struct Daemon: ControlEndpoint {
    let process: Process
    let stateDir: String
    let socketPath: String
    let logPath: String

    var pid: pid_t { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var log: String { String(decoding: FileManager.default.contents(atPath: logPath) ?? Data(), as: UTF8.self) }

    func waitUntilReady(timeout: Duration = .seconds(20)) async throws {
        let lanchat = try Binaries.lanchat()
        var lastAttempt: ProcessResult?
        try await wait(until: {
            guard process.isRunning else {
                throw HarnessError("lanchatd exited (\(process.terminationReason == .exit ? "code" : "signal") \(process.terminationStatus)) before it was ready; log:\n\(log)")
            }
            guard FileManager.default.fileExists(atPath: socketPath) else { return false }
            let attempt = try await ChildProcess.run(lanchat, ["--socket", socketPath, "whoami"], timeout: .seconds(5))
            lastAttempt = attempt
            return attempt.succeeded
        }, timeout: timeout, "lanchatd on \(socketPath) to answer `lanchat whoami` (last attempt: \(lastAttempt.map { "\($0)" } ?? "none"); log:\n\(log))")
    }

    func signal(_ number: Int32) {
        kill(pid, number)
    }

    /// Waits for the process to end; returns how it ended.
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(10)) async throws -> (reason: Process.TerminationReason, status: Int32) {
        try await wait(until: { !process.isRunning }, timeout: timeout, "lanchatd (pid \(pid)) to exit; log:\n\(log)")
        return (process.terminationReason, process.terminationStatus)
    }

}
