import Foundation
import LanChatClient
import LanChatControl
import Testing

/// Mentions name people by ID, so a rename shows in them everywhere; unread counts are per room and
/// per local user, and a mention of me is counted apart.
@Suite("mentions and unread rooms", .timeLimit(.minutes(1)))
struct MentionTests {
    @Test func aMentionShowsTheCurrentNameAndCountsAsMineUntilRead() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let alice = try await sandbox.startNode("alice")
        let bob = try await sandbox.startNode("bob", peers: [alice])
        try await alice.rename(to: "Alice")
        let aliceID = try await alice.whoami().id
        try await wait(until: { try await bob.withControlClient { try $0.request(.who).identities ?? [] }.contains { $0.name == "Alice" } },
                       "Bob's node to know Alice")

        let sent = try await bob.withControlClient {
            try $0.request(.send(body: "@Alice look", mentions: [MentionSpan(offset: 0, length: 6, id: aliceID)]))
        }
        #expect(sent.message?.mentions == [MentionSpan(offset: 0, length: 6, id: aliceID, name: "Alice")])
        _ = try await bob.send("and this", room: "ops")
        try await wait(until: { try await alice.history(room: "ops").count == 1 }, "both of Bob's messages to reach Alice")

        let rooms = try await sandbox.lanchat(["rooms", "--json"], socket: alice.socketPath).decoded(RoomInfo.self)
        #expect(rooms.map { [$0.name, "\($0.unread)", "\($0.mentions)"] } == [["general", "1", "1"], ["ops", "1", "0"]])

        try await alice.rename(to: "Alicia")
        let shown = try #require(try await alice.history().last)
        #expect(shown.body == "@Alicia look" && shown.mentionsMe == true, "\(shown)")
        #expect(shown.mentions == [MentionSpan(offset: 0, length: 7, id: aliceID, name: "Alicia")])
        try await wait(until: { try await bob.history().last?.body == "@Alicia look" }, "Bob's node to show the new name in place")
        #expect(try await bob.history().last?.mentionsMe == nil)

        // Reading one room clears it for this user alone.
        _ = try await alice.withControlClient { try $0.request(.markRead(room: "general")) }
        let after = try await alice.withControlClient { try $0.request(.rooms).rooms ?? [] }
        #expect(after.map { [$0.name, "\($0.unread)", "\($0.mentions)"] } == [["general", "0", "0"], ["ops", "1", "0"]])
        let human = try await sandbox.lanchat(["rooms"], socket: alice.socketPath)
        #expect(human.stdout.contains("UNREAD") && human.stdout.contains("MENTIONS"), "\(human)")
    }

    @Test func aMentionThatIsNotWholeIsRefusedWithAClearError() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let alice = try await sandbox.startNode("alice")
        let aliceID = try await alice.whoami().id
        let refused = await #expect(throws: ClientError.self) {
            try await alice.withControlClient { try $0.request(.send(body: "@Al", mentions: [MentionSpan(offset: 1, length: 99, id: aliceID)])) }
        }
        #expect(refused?.status == .usage && refused?.description.contains("mentions") == true, "\(String(describing: refused))")
        #expect(try await alice.history().isEmpty)
    }
}
