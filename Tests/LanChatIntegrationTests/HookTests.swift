import Foundation
import LanChatControl
import Testing

/// `lanchatd --on-mention` and `--on-dm` with two daemons: each mention of Alice and each direct message
/// she receives runs its hook once with the event on stdin, and a hook that hangs delays nothing.
@Suite("lanchatd hooks", .timeLimit(.minutes(1)))
struct HookTests {
    /// The events a hook appended to `path`, one JSON line each.
    private func events(in path: String) -> [ChatEvent] {
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { try? ControlJSON.decode(ChatEvent.self, from: $0) }
    }

    @Test func aMentionAndADirectMessageReceivedEachRunTheirHookOnce() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let mentions = "\(sandbox.root)/mentions.jsonl", directMessages = "\(sandbox.root)/dms.jsonl"
        let (alice, bob) = try await sandbox.startAliceAndBob(
            aliceArguments: ["--on-mention", "cat >> '\(mentions)'", "--on-dm", "cat >> '\(directMessages)'"])
        let aliceID = try await alice.whoami().id

        try await bob.mention(aliceID, as: "Alice", "look")
        try await bob.send("nothing for Alice")
        try await bob.directMessage(to: "Alice", "psst")
        try await alice.directMessage(to: "Bob", "what Alice wrote runs no hook")
        try await bob.directMessage(to: "Alice", "last")
        try await wait(until: { events(in: directMessages).contains { $0.body == "last" } }, "the hook of Bob's last direct message")

        let mentioned = events(in: mentions)
        #expect(mentioned.map(\.type) == [.message] && mentioned.first?.body == "@Alice look", "\(mentioned)")
        #expect(mentioned.first?.mentionsMe == true && mentioned.first?.author.name == "Bob")
        let received = events(in: directMessages)
        #expect(received.map(\.type) == [.dm, .dm] && Set(received.compactMap(\.body)) == ["psst", "last"], "\(received)")
        #expect(received.allSatisfy { $0.author.name == "Bob" && $0.with?.name == "Bob" })
    }

    @Test func aHookThatHangsIsStoppedAndDelaysNothing() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let stopped = "\(sandbox.root)/stopped", directMessages = "\(sandbox.root)/dms.jsonl"
        // A shell cannot trap a signal it started with ignored: the trap shows SIGTERM reached it.
        let (alice, bob) = try await sandbox.startAliceAndBob(aliceArguments: [
            "--on-mention", "trap 'echo SIGTERM >> \(stopped); exit 1' TERM; sleep 30 & wait",
            "--on-dm", "cat >> '\(directMessages)'", "--hook-timeout", "1",
        ])
        let aliceID = try await alice.whoami().id
        let follower = try sandbox.lanchatStreaming(["follow", "--json"], socket: alice.socketPath)
        try await waitUntilFollowing(follower, sendingThrough: alice)

        // Two hang, the third waits for one of them to end.
        for round in 1...3 { try await bob.mention(aliceID, as: "Alice", "round \(round)") }
        try await bob.send("right after")
        try await wait(until: { follower.events.contains { $0.body == "right after" } }, "Alice's follow to show the message after the mentions")
        try await bob.directMessage(to: "Alice", "psst")
        try await wait(until: { events(in: directMessages).contains { $0.body == "psst" } }, "the direct message's hook, once a run ended")
        try await wait(until: {
            ((try? String(contentsOfFile: stopped, encoding: .utf8)) ?? "").split(separator: "\n").count == 3
        }, "each of the three hung hooks to be stopped")
        try await wait(until: { alice.log.components(separatedBy: "ran longer than 1 s").count - 1 == 3 }, "Alice's log to say so, three times")
        #expect(alice.isRunning)
    }
}
