import LanChatControl
import Testing

/// Real daemons: sends that arrive together are committed together, and such a commit goes to the peer in
/// fewer datagrams than it has entries (`pushes`), which the peer takes in whole.
@Suite("one commit's pushes between daemons", .serialized)
struct CommitPushTests {
    @Test func sendsCommittedTogetherReachThePeerInFewerDatagrams() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let author = try await sandbox.startNode("author")
        let peer = try await sandbox.startNode("peer", peers: [author])
        try await wait(until: { try await author.verifiedPeers().count == 1 }, "the author to know the peer")
        let before = (author: try await author.status().counters, peer: try await peer.status().counters)

        // Each on its own connection and thread: the writes that wait while one commit runs are the next commit.
        let count = 32
        let sent = try await withThrowingTaskGroup(of: String?.self) { group in
            for index in 0..<count { group.addTask { try await author.send("together \(index)").id } }
            return try await group.reduce(into: Set<String>()) { if let id = $1 { $0.insert(id) } }
        }
        #expect(sent.count == count)
        try await wait(until: { Set(try await peer.history(limit: 100).compactMap(\.id)).isSuperset(of: sent) }, "the peer to hold all \(count)")

        let after = (author: try await author.status().counters, peer: try await peer.status().counters)
        let datagrams = after.author.pushesOut - before.author.pushesOut
        #expect(datagrams < UInt64(count), "\(count) sends left in \(datagrams) push datagrams")
        #expect(after.peer.entriesPushedIn - before.peer.entriesPushedIn == UInt64(count), "every entry came by push")
        #expect(after.peer.dropped == before.peer.dropped && after.peer.rateLimited == before.peer.rateLimited)
    }
}
