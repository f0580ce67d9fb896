import Foundation
import LanChatControl
import Testing

/// Muting and names given here change this machine's views only, nothing the node keeps or relays.
@Suite("lanchat mute and alias", .timeLimit(.minutes(1)))
struct LocalViewTests {
    @Test func aMutedPersonsMessagesAreHiddenHereOnlyUntilUnmuted() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let alice = try await sandbox.startNode("alice")
        let bob = try await sandbox.startNode("bob", peers: [alice])
        try await bob.rename(to: "Bob")
        try await bob.send("before the mute")
        try await wait(until: { try await alice.history().contains { $0.body == "before the mute" } }, "Alice to get Bob's message")

        let muted = try await sandbox.lanchat(["mute", "Bob"], socket: alice.socketPath)
        #expect(muted.succeeded && muted.stdout.contains("Bob [muted]"), "\(muted)")
        let follower = try sandbox.lanchatStreaming(["follow", "--json"], socket: alice.socketPath)
        try await waitUntilFollowing(follower, sendingThrough: alice)
        try await bob.send("while muted")
        let total = try await bob.status().entries
        try await wait(until: { try await alice.status().entries == total }, "Alice's node to store Bob's new message anyway")
        try await alice.send("after Bob's")
        try await wait(until: { follower.events.contains { $0.body == "after Bob's" } }, "Alice's follow to show her own message")
        #expect(!follower.events.contains { $0.author.name == "Bob" }, "\(follower.lines)")
        #expect(try await alice.history().allSatisfy { $0.author.name != "Bob" })
        #expect(try await sandbox.lanchat(["mute", "--json"], socket: alice.socketPath).decoded(IdentityInfo.self).map(\.name) == ["Bob"])

        #expect(try await sandbox.lanchat(["unmute", "Bob"], socket: alice.socketPath).succeeded)
        #expect(try await alice.history().filter { $0.author.name == "Bob" }.map(\.body) == ["before the mute", "while muted"])
        #expect(try await sandbox.lanchat(["mute", "--json"], socket: alice.socketPath).stdoutLines.isEmpty)
    }

    @Test func aNameGivenHereIsShownMarkedAndCanBeTakenBack() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let alice = try await sandbox.startNode("alice")
        let bob = try await sandbox.startNode("bob", peers: [alice])
        try await bob.rename(to: "Robert")
        try await bob.send("hello")
        try await wait(until: { try await alice.history().contains { $0.author.name == "Robert" } }, "Alice to show Robert's message")
        let given = try await sandbox.lanchat(["alias", "Robert", "Bob", "from", "ops"], socket: alice.socketPath)
        #expect(given.succeeded && given.stdout.contains("~Bob from ops"), "\(given)")
        #expect(try await alice.history().map(\.author.name) == ["~Bob from ops"])
        #expect(try await sandbox.lanchat(["alias", "--json"], socket: alice.socketPath).decoded(IdentityInfo.self).map(\.name) == ["~Bob from ops"])
        #expect(try await bob.withControlClient { try $0.request(.who).identities ?? [] }.contains { $0.name == "Robert" }, "only Alice's machine shows it")
        #expect(try await sandbox.lanchat(["alias", "--remove", "~Bob from ops"], socket: alice.socketPath).succeeded)
        #expect(try await alice.history().map(\.author.name) == ["Robert"])
        let bad = try await sandbox.lanchat(["alias", "Robert"], socket: alice.socketPath)
        #expect(bad.status == 2 && bad.stderr == "lanchat: give a name, or --remove to take it back\n", "\(bad)")
    }
}
