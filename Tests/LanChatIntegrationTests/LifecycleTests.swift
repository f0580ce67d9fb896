import Foundation
import LanChatControl
import LanChatCore
import Testing

@Suite("daemon lifecycle and durability", .timeLimit(.minutes(1)))
struct LifecycleTests {
    @Test("SIGTERM stops cleanly; a restart keeps identity, name and history")
    func restartKeepsEverything() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let first = try await sandbox.startDaemon()

        #expect(try await sandbox.lanchat("send", "one").succeeded)
        #expect(try await sandbox.lanchat("name", "Bob").succeeded)
        #expect(try await sandbox.lanchat("send", "--room", "dev", "two").succeeded)
        let whoamiBefore = try await sandbox.lanchat("whoami", "--json")
        let historyBefore = try await sandbox.lanchat("history", "--json")
        let devBefore = try await sandbox.lanchat("history", "--room", "dev", "--json")
        let roomsBefore = try await sandbox.lanchat("rooms", "--json")
        let idBefore = try #require(try whoamiBefore.decoded(AuthorRef.self).first, "\(whoamiBefore)")
        #expect(idBefore.name == "Bob")
        #expect(historyBefore.stdoutLines.count == 1)
        #expect(devBefore.stdoutLines.count == 1)

        first.signal(SIGTERM)
        let exit = try await first.waitForExit()
        #expect(exit.reason == .exit && exit.status == 0, "lanchatd should exit 0 on SIGTERM; log:\n\(first.log)")
        #expect(!FileManager.default.fileExists(atPath: first.socketPath), "the control socket is left behind")
        #expect(!first.log.contains("Error"), "SIGTERM is a normal stop, not an error; log:\n\(first.log)")

        let down = try await sandbox.lanchat("whoami")
        #expect(down.failedCleanly && down.stderr.contains("daemon not running"), "\(down)")

        let second = try await sandbox.startDaemon()
        let whoamiAfter = try await sandbox.lanchat("whoami", "--json")
        #expect(try whoamiAfter.decoded(AuthorRef.self).first == idBefore, "identity or name changed across a restart")
        #expect(try await sandbox.lanchat("history", "--json").stdout == historyBefore.stdout)
        #expect(try await sandbox.lanchat("history", "--room", "dev", "--json").stdout == devBefore.stdout)
        #expect(try await sandbox.lanchat("rooms", "--json").stdout == roomsBefore.stdout)
        #expect(second.log.contains("loaded identity"), "\(second.log)")
        #expect(!second.log.contains("created identity"), "\(second.log)")

        // The log carries on where it stopped.
        let next = try await sandbox.lanchat("send", "--json", "three")
        let nextID = try #require(try next.decoded(ChatEvent.self).first?.id, "\(next)")
        #expect(Shapes.seq(ofMessageID: nextID) == 5, "profile 1, message 2, profile 3, message 4, so the next is 5: \(nextID)")
    }

    @Test("kill -9 right after send returns loses nothing")
    func killNineLosesNothing() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let first = try await sandbox.startDaemon()
        let whoamiBefore = try await sandbox.lanchat("whoami", "--json")
        let me = try #require(try whoamiBefore.decoded(AuthorRef.self).first, "\(whoamiBefore)")

        let count = 50
        var highestSeq = 0
        for index in 1...count {
            let sent = try await sandbox.lanchat("send", "--json", "durable \(index)")
            try #require(sent.succeeded, "send \(index): \(sent)")
            let id = try #require(try sent.decoded(ChatEvent.self).first?.id, "\(sent)")
            let seq = try #require(Shapes.seq(ofMessageID: id), "\(id)")
            #expect(seq > highestSeq, "seqs increase")
            highestSeq = seq
        }
        first.signal(SIGKILL)
        let exit = try await first.waitForExit()
        #expect(exit.reason == .uncaughtSignal && exit.status == SIGKILL)

        _ = try await sandbox.startDaemon()
        let whoamiAfter = try await sandbox.lanchat("whoami", "--json")
        #expect(try whoamiAfter.decoded(AuthorRef.self).first == me, "identity or default name changed after kill -9")

        let history = try await sandbox.lanchat("history", "--limit", "100", "--json")
        #expect(history.succeeded, "\(history)")
        let events = try history.decoded(ChatEvent.self)
        #expect(events.compactMap(\.body) == (1...count).map { "durable \($0)" }, "acknowledged messages were lost: \(history)")
        #expect(events.compactMap { $0.id.flatMap(Shapes.seq) }.max() == highestSeq)

        let next = try await sandbox.lanchat("send", "--json", "after the crash")
        #expect(next.succeeded, "\(next)")
        let nextID = try #require(try next.decoded(ChatEvent.self).first?.id, "\(next)")
        #expect(Shapes.seq(ofMessageID: nextID) == highestSeq + 1, "the log continues at \(highestSeq + 1), got \(nextID)")

        let status = try await sandbox.lanchat("status", "--json")
        #expect(try status.decoded(StatusInfo.self).first?.entries == count + 2, "50 messages, a profile and the new message")
    }

    @Test("a second daemon on the same state directory is refused")
    func secondDaemonIsRefused() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let first = try await sandbox.startDaemon()
        #expect(try await sandbox.lanchat("send", "before").succeeded)
        let me = try await sandbox.lanchat("whoami", "--json").stdout

        // Same state directory; the same socket, too, so a daemon that got further would steal it.
        let startedAt = ContinuousClock.now
        let second = try sandbox.spawnDaemon(stateDir: first.stateDir, socket: first.socketPath)
        let exit = try await second.waitForExit(timeout: .seconds(10))
        let took = ContinuousClock.now - startedAt
        #expect(exit.reason == .exit && exit.status != 0, "second lanchatd: \(exit); log:\n\(second.log)")
        #expect(took < .seconds(5), "refusing took \(took)")
        let message = second.log.lowercased()
        #expect(message.contains("lock") || message.contains("another lanchatd"), "log:\n\(second.log)")
        #expect(second.log.split(separator: "\n").count == 1, "one clear line; log:\n\(second.log)")

        // The first one keeps serving, on its socket.
        #expect(first.isRunning)
        #expect(FileManager.default.fileExists(atPath: first.socketPath))
        #expect(try await sandbox.lanchat("whoami", "--json").stdout == me)
        #expect(try await sandbox.lanchat("send", "after").succeeded)
        let history = try await sandbox.lanchat("history", "--json")
        #expect(try history.decoded(ChatEvent.self).compactMap(\.body) == ["before", "after"])

        // A second daemon with its own socket is refused just the same.
        let third = try sandbox.spawnDaemon(stateDir: first.stateDir, socket: "\(sandbox.root)/other.sock")
        let thirdExit = try await third.waitForExit()
        #expect(thirdExit.reason == .exit && thirdExit.status != 0, "\(third.log)")
        #expect(!FileManager.default.fileExists(atPath: "\(sandbox.root)/other.sock"))
        #expect(first.isRunning)
    }
}

@Suite("lanchatd configuration errors", .timeLimit(.minutes(1)))
struct DaemonConfigurationErrorTests {
    @Test("a bad environment value or flag stops lanchatd with one line naming it, exit 2")
    func badValues() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        // No --no-mdns: it would hide a bad LANCHAT_NO_MDNS (the environment has LANCHAT_NO_MDNS=1 otherwise).
        let base = ["--state-dir", "\(sandbox.root)/state", "--socket", "\(sandbox.root)/d.sock"]
        let cases: [(arguments: [String], environment: [String: String], names: String)] = [
            ([], ["LANCHAT_PORT": "many"], "LANCHAT_PORT"),
            ([], ["LANCHAT_NO_MDNS": "perhaps"], "LANCHAT_NO_MDNS"),
            (["--socket-mode", "0666"], [:], "--socket-mode"),
            (["--peer", "nohost"], ["LANCHAT_PEERS": "a:1"], "--peer"),
            (["--port", "many"], [:], "The value 'many' is invalid for '--port"),
            (["--no-such-option"], [:], "Unknown option '--no-such-option'"),
        ]
        for testCase in cases {
            let result = try await ChildProcess.run(
                try Binaries.lanchatd(), base + testCase.arguments,
                timeout: .seconds(10), environment: ChildProcess.environment.merging(testCase.environment) { $1 })
            #expect(result.failedCleanly && result.status == 2, "\(result)")
            #expect(result.stderrLines.count == 1 && result.stderr.hasPrefix("lanchatd: \(testCase.names)"), "\(result)")
        }
        #expect(!FileManager.default.fileExists(atPath: "\(sandbox.root)/d.sock"))
    }
}
