import LanChatControl
import Testing

/// Real daemons told to push down the relay tree past 2 peers: a message's author sends a few datagrams,
/// the nodes it reaches pass it on once its signature checks, and every node gets it by push.
@Suite("relay tree between daemons", .serialized)
struct PushTreeTests {
    @Test func aMessageGoesDownTheRelayTreeToEveryNode() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let tree = ["--direct-push-peers", "2"]
        let author = try await sandbox.startNode("n0", extraArguments: tree)
        var nodes = [author]
        for index in 1...10 { nodes.append(try await sandbox.startNode("n\(index)", peers: [author], extraArguments: tree)) }
        // Peer exchange and syncs: every node knows the other ten by proven ID, so each arc's holder knows its peers.
        for (index, node) in nodes.enumerated() {
            try await wait(until: { try await node.verifiedPeers().count == 10 }, timeout: .seconds(30), "node \(index) to know the 10 others")
        }
        let before = try await counters(of: nodes)
        let sent = try await author.send("down the tree")
        for (index, node) in nodes.enumerated().dropFirst() {
            try await wait(until: { try await node.history().contains { $0.id == sent.id } }, "node \(index) to hold the message")
        }
        let after = try await counters(of: nodes)
        let sentByAuthor = after[0].pushesOut - before[0].pushesOut
        #expect((1...8).contains(sentByAuthor), "the author sent \(sentByAuthor) pushes for one message to 10 peers")
        let relayed = (1...10).reduce(0) { $0 + after[$1].pushesOut - before[$1].pushesOut }
        #expect(relayed >= 10 - sentByAuthor, "the others passed it on \(relayed) times")
        for index in 1...10 {
            #expect(after[index].entriesPushedIn > before[index].entriesPushedIn, "node \(index) got the message by sync, not down the tree")
        }
    }

    private func counters(of nodes: [Daemon]) async throws -> [StatusInfo.Counters] {
        var counters: [StatusInfo.Counters] = []
        for node in nodes { counters.append(try await node.status().counters) }
        return counters
    }
}
