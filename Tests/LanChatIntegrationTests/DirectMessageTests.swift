import Foundation
import LanChatControl
import Testing

/// Direct messages between real daemons on loopback, through the CLI: the recipient reads it as it
/// arrives and in the conversation, the sender too, a third node that stores and relays it reads nothing
/// (and its files hold no trace of the text), and unread counts follow reading.
@Suite("direct messages", .timeLimit(.minutes(1)))
struct DirectMessageTests {
    @Test func onlyTheRecipientAndTheSenderReadIt() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let alice = try await sandbox.startNode("alice")
        let bob = try await sandbox.startNode("bob", peers: [alice])
        let carol = try await sandbox.startNode("carol", peers: [alice])
        for (node, name) in [(alice, "Alice"), (bob, "Bob"), (carol, "Carol")] { try await node.rename(to: name) }
        try await wait(until: {
            Set(try await alice.withControlClient { try $0.request(.who).identities ?? [] }.map(\.name)) == ["Alice", "Bob", "Carol"]
        }, "Alice to know Bob's and Carol's profiles")

        let follower = try sandbox.lanchatStreaming(["follow", "--json"], socket: bob.socketPath)
        try await waitUntilFollowing(follower, sendingThrough: bob)

        let sent = try await sandbox.lanchat(["dm", "Bob", "the secret recipe", "--json"], socket: alice.socketPath)
        #expect(sent.succeeded, "\(sent)")
        try await wait(until: {
            follower.events.contains { $0.type == .dm && $0.body == "the secret recipe" && $0.with?.name == "Alice" && $0.author.name == "Alice" }
        }, "Bob's follow to show Alice's direct message")

        let unread = try await sandbox.lanchat(["dms", "--json"], socket: bob.socketPath)
        #expect(try unread.decoded(ConversationInfo.self).map { [$0.with.name, "\($0.unread)"] } == [["Alice", "1"]])
        let conversation = try await sandbox.lanchat(["dm", "Alice"], socket: bob.socketPath)
        #expect(conversation.stdout.contains("[dm] Alice: the secret recipe"), "\(conversation)")
        let read = try await sandbox.lanchat(["dms", "--json"], socket: bob.socketPath)
        #expect(try read.decoded(ConversationInfo.self).map(\.unread) == [0])
        let mine = try await sandbox.lanchat(["dm", "bob"], socket: alice.socketPath)
        #expect(mine.stdout.contains("[dm to Bob] Alice: the secret recipe"), "\(mine)")

        // Carol holds and relays the sealed entry, and cannot read it.
        let total = try await alice.status().entries
        try await wait(until: { try await carol.status().entries == total }, "Carol to hold every entry Alice holds")
        #expect(try await sandbox.lanchat(["dms", "--json"], socket: carol.socketPath).stdoutLines.isEmpty)
        #expect(try await sandbox.lanchat(["dm", "Alice"], socket: carol.socketPath).stdout.isEmpty)
        for file in ["lanchat.sqlite", "lanchat.sqlite-wal"] {
            let bytes = FileManager.default.contents(atPath: "\(carol.stateDir)/\(file)") ?? Data()
            #expect(bytes.range(of: Data("secret recipe".utf8)) == nil, "the text is in Carol's \(file)")
        }
    }

    @Test func aDirectMessageToNobodyOrToOneselfIsAClearError() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let alice = try await sandbox.startNode("alice")
        try await alice.rename(to: "Alice")
        let nobody = try await sandbox.lanchat(["dm", "Nobody", "hi"], socket: alice.socketPath)
        #expect(nobody.status == ClientExitStatus.notFound.rawValue)
        #expect(nobody.stderr == "lanchat: nobody here is called or has the ID 'Nobody' (see lanchat who)\n")
        let me = try await sandbox.lanchat(["dm", "Alice", "hi"], socket: alice.socketPath)
        #expect(me.status == ClientExitStatus.usage.rawValue)
        #expect(me.stderr.hasPrefix("lanchat: that is you"))
    }
}
