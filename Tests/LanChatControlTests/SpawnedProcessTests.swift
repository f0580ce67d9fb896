import Foundation
import LanChatControl
import Testing

@Suite("programs run for lanchat", .timeLimit(.minutes(1)))
struct SpawnedProcessTests {
    /// Runs `script` under /bin/sh from a Dispatch thread, whose signal mask blocks nearly everything.
    private func run(_ script: String, input: String = "", timeout: Duration = .seconds(10)) async throws -> SpawnedProcess.Outcome {
        try await onDispatch { try SpawnedProcess(["/bin/sh", "-c", script], input: Array(input.utf8)).wait(timeout: timeout) }
    }

    /// Dispatch's threads, not a thread of its own: their signal mask is what the spawned process must not inherit.
    private func onDispatch<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    @Test func itGetsItsInputAndItsExitStatusIsReported() async throws {
        #expect(try await run(#"read line; [ "$line" = "hello" ] && exit 3"#, input: "hello\n") == .exited(3))
        #expect(try await run("cat > /dev/null", input: String(repeating: "x", count: 1 << 20)) == .exited(0))
        #expect(try await run("kill -USR1 $$") == .killed(signal: SIGUSR1))
    }

    /// A descriptor this program holds without close-on-exec (as NIO's listening sockets are) stays here.
    @Test func itDoesNotGetDescriptorsLeftOpenForExec() async throws {
        let leaky = open("/dev/null", O_RDONLY)
        #expect(leaky > 2)
        defer { close(leaky) }
        #expect(try await run("[ -e /proc/$$/fd/\(leaky) ] && exit 7; exit 0") == .exited(0))
        #expect(try await run("[ -e /proc/$$/fd/2 ] && exit 7; exit 0") == .exited(7), "the check itself sees what is open")
    }

    @Test func itStartsWithNoSignalBlockedOrIgnored() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("lanchat-spawn-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("status").path
        signal(SIGUSR2, SIG_IGN)
        defer { signal(SIGUSR2, SIG_DFL) }
        // cp copies its own status: the spawned process, with no shell in between to change its signals.
        let outcome = try await onDispatch { try SpawnedProcess(["cp", "/proc/self/status", file]).wait(timeout: .seconds(10)) }
        #expect(outcome == .exited(0))
        var masks: [String: UInt64] = [:]
        for line in try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n") {
            let parts = line.split(separator: "\t")
            if parts.count == 2 { masks[String(parts[0])] = UInt64(parts[1], radix: 16) }
        }
        #expect(masks["SigBlk:"] == 0)
        let ignored = try #require(masks["SigIgn:"])
        for signal in [SIGUSR2, SIGTERM, SIGINT, SIGPIPE] {
            #expect(ignored & (1 << (signal - 1)) == 0, "signal \(signal) ignored: \(String(ignored, radix: 16))")
        }
    }

    @Test func itIsStoppedAfterItsTimeLimitAndWhatItStartedWithIt() async throws {
        #expect(try await run("sleep 30 & wait", timeout: .milliseconds(200)) == .stopped)
        // A child that does not read a large input is stopped all the same.
        #expect(try await run("sleep 30", input: String(repeating: "x", count: 4 << 20), timeout: .milliseconds(200)) == .stopped)
    }

    @Test func aProgramThatCannotStartIsAnError() {
        #expect(throws: SpawnedProcess.Failure.self) { try SpawnedProcess(["/nonexistent/lanchat-hook"]) }
        #expect(throws: SpawnedProcess.Failure.self) { try SpawnedProcess(["lanchat-no-such-program-on-path"]) }
    }
}
