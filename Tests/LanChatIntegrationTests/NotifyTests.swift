import Foundation
import LanChatControl
import Testing

/// `lanchat notify` against two daemons, with a stand-in for notify-send that records its arguments.
@Suite("lanchat notify", .timeLimit(.minutes(1)))
struct NotifyTests {
    /// A stand-in for notify-send: each call appends its arguments, each ended by a unit separator, then
    /// a record separator. Returns its path and a reader of the calls so far.
    private func standIn(in sandbox: Sandbox) throws -> (path: String, calls: () -> [[String]]) {
        let path = "\(sandbox.root)/notify-send", record = "\(sandbox.root)/notifications"
        let script = "#!/bin/sh\nprintf '%s\\037' \"$@\" >> '\(record)'\nprintf '\\036' >> '\(record)'\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(script.utf8), attributes: [.posixPermissions: 0o755]) else {
            throw HarnessError("cannot write \(path)")
        }
        return (path, {
            let text = (try? String(contentsOfFile: record, encoding: .utf8)) ?? ""
            return text.split(separator: "\u{1e}").map { $0.split(separator: "\u{1f}", omittingEmptySubsequences: false).dropLast().map(String.init) }
        })
    }

    private func timesFollowing(_ notifier: StreamingProcess) -> Int {
        notifier.lines.count { $0.contains("following the daemon") }
    }

    /// Alice's and Bob's nodes, and `lanchat notify` following Alice's with the stand-in.
    private func notifyingAlice(in sandbox: Sandbox) async throws -> (
        alice: Daemon, bob: Daemon, aliceID: String, notifier: StreamingProcess, calls: () -> [[String]]
    ) {
        let (alice, bob) = try await sandbox.startAliceAndBob()
        let (command, calls) = try standIn(in: sandbox)
        let notifier = try sandbox.lanchatStreaming(["notify", "--notify-command", command], socket: alice.socketPath)
        try await wait(until: { timesFollowing(notifier) == 1 }, "lanchat notify to follow Alice's daemon; it printed \(notifier.lines)")
        return (alice, bob, try await alice.whoami().id, notifier, calls)
    }

    @Test func aMentionAndADirectMessageEachNotifyOncePerConversationAtMostEveryFiveSeconds() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let (alice, bob, aliceID, _, calls) = try await notifyingAlice(in: sandbox)

        try await bob.mention(aliceID, as: "Alice", "look")
        try await bob.directMessage(to: "Alice", "psst")
        try await bob.mention(aliceID, as: "Alice", "again, right away")
        try await bob.send("nothing for Alice")
        try await alice.directMessage(to: "Bob", "what Alice wrote notifies nobody")
        try await bob.mention(aliceID, as: "Alice", "over here", room: "dev")
        try await wait(until: { calls().contains { $0.last == "@Alice over here" } }, "the notification of the mention in dev; calls: \(calls())")

        let shown = calls()
        #expect(shown.allSatisfy { $0.prefix(3) == ["--app-name=lanchat", "--category=im.received", "--"] }, "\(shown)")
        #expect(Set(shown.map { $0.suffix(2) }) == [["Bob in #general", "@Alice look"], ["Bob (direct message)", "psst"], ["Bob in #dev", "@Alice over here"]],
                "\(shown)")
        #expect(shown.count == 3, "the second mention in general, within 5 s of the first, is held back: \(shown)")
    }

    @Test func itFollowsTheDaemonAgainAfterARestart() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let (alice, bob, aliceID, notifier, calls) = try await notifyingAlice(in: sandbox)

        alice.signal(SIGTERM)
        try await alice.waitForExit()
        let bobPort = try await bob.port()
        let again = try await sandbox.startDaemon(stateDir: alice.stateDir, socket: alice.socketPath, extraArguments: ["--peer", "127.0.0.1:\(bobPort)"])
        let port = try await again.port()
        try await wait(until: { timesFollowing(notifier) == 2 }, timeout: .seconds(30), "lanchat notify to follow the restarted daemon; it printed \(notifier.lines)")
        try await wait(until: { try await bob.verifiedPeers().contains { $0.address.hasSuffix(":\(port)") } }, "Bob to reach the restarted Alice")

        try await bob.mention(aliceID, as: "Alice", "welcome back")
        try await wait(until: { calls().contains { $0.last == "@Alice welcome back" } }, "the notification after the restart; calls: \(calls())")
        #expect(notifier.process.isRunning)
    }
}
