import Foundation
import LanChatControl
import LanChatCore
import Synchronization

/// What one finished child process did.
struct ProcessResult: Sendable, CustomStringConvertible {
    let command: [String]
    let reason: Process.TerminationReason
    /// The exit code, or the signal number when `reason` is `.uncaughtSignal`.
    let status: Int32
    let stdout: String
    let stderr: String
    let timedOut: Bool

    var succeeded: Bool { !timedOut && reason == .exit && status == 0 }
    var failedCleanly: Bool { !timedOut && reason == .exit && status != 0 }
    var stdoutLines: [String] { Self.lines(stdout) }
    var stderrLines: [String] { Self.lines(stderr) }

    var description: String {
        let how = timedOut ? "timed out and was killed" : reason == .exit ? "exited \(status)" : "died of signal \(status)"
        return "`\(command.joined(separator: " "))` \(how); stdout: \(stdout.prefix(2000).debugDescription); stderr: \(stderr.prefix(2000).debugDescription)"
    }

    /// Every stdout line as a JSON object (for `--json` output).
    func jsonObjects() throws -> [[String: Any]] {
        try stdoutLines.map(jsonObject)
    }

    /// Every stdout line decoded as the control protocol's type `T`.
    func decoded<T: Decodable>(_ type: T.Type) throws -> [T] {
        try stdoutLines.map { try ControlJSON.decode(T.self, from: $0) }
    }

    private static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }
}

func jsonObject(_ line: String) throws -> [String: Any] {
    guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
        throw HarnessError("not a JSON object: \(line.prefix(300))")
    }
    return object
}

enum ChildProcess {
    /// The environment children run with: ours without anything that would point them at a real
    /// daemon, systemd or the network.
    static let environment: [String: String] = {
        var environment = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("LANCHAT_") && key != "NOTIFY_SOCKET" && key != "JOURNAL_STREAM" && key != "INVOCATION_ID"
        }
        environment["LANCHAT_NO_MDNS"] = "1"
        environment["AVAHI_COMPAT_NOWARN"] = "1"
        return environment
    }()

    /// Foundation's `Process.run()` on Linux closes every inherited descriptor it sees when it builds
    /// the spawn, but a pipe or socket another thread creates meanwhile leaks into the child. A leaked
    /// pipe end keeps `readDataToEndOfFile` waiting until that (maybe long-lived) child exits, and a leaked
    /// termination socket hides another child's exit. So pipes are made and processes spawned under one lock.
    private static let spawnLock = NSLock()

    ///
    /// A child also inherits the spawning thread's signal mask, and Dispatch's worker threads block
    /// nearly every signal (SIGTERM included), so the mask is cleared around the spawn: children start
    /// as they would from a shell or systemd.
    static func spawn<T>(_ body: () throws -> T) rethrows -> T {
        spawnLock.lock()
        defer { spawnLock.unlock() }
        var none = sigset_t()
        var previous = sigset_t()
        sigemptyset(&none)
        pthread_sigmask(SIG_SETMASK, &none, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }

    /// Sends SIGTERM to `processes`, then SIGKILL to any still there after `grace`, and waits a bounded
    /// time for each to be gone. Foundation has been seen to miss a child's exit (a zombie it never
    /// reaps), after which `waitUntilExit` spins forever and `isRunning` stays true; a zombie has ended,
    /// so it counts as gone, and the run goes on whatever Foundation believes.
    static func end(_ processes: [Process], grace: TimeInterval = 3) {
        let running = processes.filter(hasNotEnded)
        for process in running { kill(process.processIdentifier, SIGTERM) }
        waitForEnd(of: running, seconds: grace)
        for process in running where hasNotEnded(process) { kill(process.processIdentifier, SIGKILL) }
        waitForEnd(of: running, seconds: grace)
    }

    private static func waitForEnd(of processes: [Process], seconds: TimeInterval) {
        let deadline = Date().addingTimeInterval(seconds)
        while processes.contains(where: hasNotEnded), Date() < deadline { usleep(10_000) }
    }

    /// Running as Foundation sees it, and not a zombie as the kernel sees it.
    private static func hasNotEnded(_ process: Process) -> Bool {
        guard process.isRunning else { return false }
        let stat = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8)) ?? ""
        // The state is the field after the command's closing parenthesis.
        guard let close = stat.lastIndex(of: ")") else { return false }
        return !stat[close...].hasPrefix(") Z")
    }

    /// Standard input from an unlinked temporary file: nothing the child does can make us block or
    /// get SIGPIPE, and the file goes away with the last descriptor.
    static func inputFile(_ data: Data) throws -> FileHandle {
        var template = Array("/tmp/lanchat-it-stdin-XXXXXX".utf8CString)
        let descriptor = mkstemp(&template)
        guard descriptor >= 0 else { throw HarnessError("mkstemp failed: \(String(cString: strerror(errno)))") }
        unlink(&template)
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: data)
        try handle.seek(toOffset: 0)
        return handle
    }

    /// Runs a process to completion, feeding it `stdin` (or /dev/null) and collecting both outputs.
    /// It is killed if it runs longer than `timeout`.
    static func run(
        _ executable: URL, _ arguments: [String], stdin: Data? = nil, timeout: Duration = .seconds(20),
        environment: [String: String] = environment
    ) async throws -> ProcessResult {
        try await DedicatedThread.run {
            let process = Process()
            process.executableURL = executable
            process.arguments = arguments
            process.environment = environment
            let input = try stdin.map(inputFile) ?? FileHandle.nullDevice
            let (output, errors) = try spawn {
                let output = Pipe()
                let errors = Pipe()
                process.standardOutput = output
                process.standardError = errors
                process.standardInput = input
                try process.run()
                return (output, errors)
            }
            try? input.close()

            // The limit and the second reader each wait on a thread of their own (`DedicatedThread`): on Dispatch's
            // pool, which grows slowly while its threads block, they waited behind other tests' waits, and so did
            // Foundation's notice that the child ended, and children that had exited were killed at their limit.
            let timedOut = Atomic<Bool>(false)
            let finished = DispatchSemaphore(value: 0)
            let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
            DedicatedThread.start {
                guard finished.wait(timeout: .now() + seconds) == .timedOut, process.isRunning else { return }
                timedOut.store(true, ordering: .sequentiallyConsistent)
                kill(process.processIdentifier, SIGKILL)
            }

            let outputRead = DispatchSemaphore(value: 0)
            let collected = SharedData()
            DedicatedThread.start {
                collected.append(output.fileHandleForReading.readDataToEndOfFile())
                outputRead.signal()
            }
            let errorData = errors.fileHandleForReading.readDataToEndOfFile()
            outputRead.wait()
            process.waitUntilExit()
            finished.signal()
            return ProcessResult(
                command: [executable.lastPathComponent] + arguments, reason: process.terminationReason,
                status: process.terminationStatus, stdout: String(decoding: collected.value, as: UTF8.self),
                stderr: String(decoding: errorData, as: UTF8.self), timedOut: timedOut.load(ordering: .sequentiallyConsistent))
        }
    }
}

/// A long-running child (`lanchat follow`) whose stdout is collected as it arrives.
final class StreamingProcess: Sendable {
    let process: Process
    let command: [String]
    private let output = SharedData()

    init(_ executable: URL, _ arguments: [String]) throws {
        command = [executable.lastPathComponent] + arguments
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ChildProcess.environment
        process.standardInput = FileHandle.nullDevice
        let pipe = try ChildProcess.spawn {
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            return pipe
        }
        pipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let data = handle.availableData
            if data.isEmpty {
                handle.readabilityHandler = nil
            } else {
                output.append(data)
            }
        }
    }

    /// The complete lines written so far (stdout and stderr interleaved).
    var lines: [String] {
        let text = String(decoding: output.value, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // the part after the last newline is not a complete line yet
        return lines.filter { !$0.isEmpty }
    }

    /// The complete lines that decode as chat events (what `follow --json` prints).
    var events: [ChatEvent] {
        lines.compactMap { try? ControlJSON.decode(ChatEvent.self, from: $0) }
    }
}

/// Bytes appended by one thread and read by others.
final class SharedData: Sendable {
    private let storage = Mutex<Data>(Data())
    func append(_ data: Data) { storage.withLock { $0.append(data) } }
    var value: Data { storage.withLock { $0 } }
}
