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

    /// A commit larger than one turn's chunk reaches a follower whole and in commit order, and a commit made
    /// while its chunks are still being shown comes after it.
    @Test func aLargeCommitIsShownWholeAndInOrder() async throws {
        try await withNode { node in
            let peer = try LocalIdentity(seed: [UInt8](repeating: 9, count: 32))
            var log: [Entry] = []
            for seq in 1...UInt64(Node.showChunk * 2 + 10) {
                log.append(Entry.sign(
                    by: peer, seq: seq, timestamp: HybridTimestamp(wallMillis: 1_000 + seq, counter: 0), links: log.last.map { [$0.tip] } ?? [],
                    content: .message(try .init(room: "general", body: "m\(seq)"))))
            }
            let count = log.count
            let events = node.subscribe(room: nil)
            _ = try await node.ingest(Array(log.dropLast(5)))
            _ = try await node.ingest(Array(log.suffix(5)))
            let bodies = try await withDeadline(.seconds(30)) {
                var bodies: [String] = []
                for await batch in events {
                    bodies += batch.map { $0.body ?? "" }
                    if bodies.count >= count { break }
                }
                return bodies
            }
            #expect(bodies == (1...count).map { "m\($0)" })
        }
    }
}
