import LanChatControl
import LanChatCore
@testable import LanChatDaemon
import Testing

@Suite("Node's entries from peers")
struct NodeIngestTests {
    /// A profile that came header-only names its author in `who` once its text comes.
    @Test func aFilledProfileRenamesItsAuthor() async throws {
        try await withNode { node in
            let peer = try LocalIdentity(seed: [UInt8](repeating: 8, count: 32))
            let profile = Entry.sign(
                by: peer, seq: 1, timestamp: HybridTimestamp(wallMillis: 1_000, counter: 0), links: [], content: try .profile(validating: "Bob", dmKey: nil))
            _ = try await node.ingest([profile.withoutPayload])
            #expect(try await node.who().first { $0.id == peer.id.text }?.name != "Bob")
            _ = try await node.ingest([profile])
            #expect(try await node.who().first { $0.id == peer.id.text }?.name == "Bob")
        }
    }
}
