import Foundation
import LanChatControl
import LanChatCore
import LanChatStore
import Testing

/// A message held without its text and without a signed delete (a relay had dropped the text) is not
/// taken as deleted: a sync fetches the text from a peer that has it.
@Suite("missing text fetched from a peer", .timeLimit(.minutes(1)))
struct PayloadFetchTests {
    @Test("c holds a message header-only, a holds it whole: after c syncs with a, c shows the text")
    func headerOnlyTextIsFetched() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        // Someone who wrote once and left: a holds the message whole, c got only its header from a relay.
        let message = Entry.sign(
            by: LocalIdentity.generate(), seq: 1, timestamp: HybridTimestamp(wallMillis: WallClock.nowMillis(), counter: 0),
            content: .message(try .init(room: "general", body: "the text a relay dropped 0x7E57")))
        for (name, held) in [("a", message), ("c", message.withoutPayload)] {
            let stateDir = sandbox.nodePaths(name).stateDir
            try FileManager.default.createDirectory(atPath: stateDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            let store = try EntryStore(path: "\(stateDir)/lanchat.sqlite")
            _ = try await store.insert([held])
            #expect(try await store.tally().payloadsMissing == (held.payload == nil ? 1 : 0))
            store.close()
        }

        let a = try await sandbox.startNode("a")
        let c = try await sandbox.startNode("c", peers: [a])
        let id = message.key.text
        try await wait(
            until: { try await c.history().first { $0.id == id }?.body == "the text a relay dropped 0x7E57" }, timeout: .seconds(30),
            "c to show the text it lacked")
        // Counted once the session that fetched it completes.
        try await wait(until: { try await c.status().counters.payloadsFetched == 1 }, timeout: .seconds(30), "c to count the fetch")
        #expect(try await c.status().storage.payloadsMissing == 0)
    }
}
