@testable import LanChatCore
import Testing

/// Past `directPushPeers` peers of verified ID, an author pushes down the relay tree, and a node passes a
/// relay on within its arc: to none of the author's or sender's addresses, once, while it does not hold it.
@Suite("replicator rules: relays")
struct ReplicatorRelayRuleTests {
    private let author = address(3)

    /// Peers 2 to 12 verified, 20 heard only; a tree of fanout 3 past 4 verified peers.
    private func node() throws -> Replicator {
        var node = try makeReplicator {
            $0.directPushPeers = 4
            $0.relayFanout = 3
        }
        for n in 2...12 { node.verify(try identity(UInt8(n)).id, at: address(n), now: 0) }
        node.hear(try identity(20).id, at: address(20), now: 0)
        return node
    }

    private func relays(_ out: [Replicator.Directive]) -> [(to: PeerAddress, until: UInt64)] {
        out.sent.compactMap { body, to in if case .relay(_, let until) = body { (to, until) } else { nil } }
    }

    private func plainPushes(_ out: [Replicator.Directive]) -> [PeerAddress] {
        out.sent.compactMap { body, to in if case .push = body { to } else { nil } }
    }

    @Test func pastDirectPushPeersTheAuthorSendsAFanoutOfRelaysAndPushesToPeersOfUnprovenID() throws {
        var node = try node()
        let out = node.published([signedEntry(by: try identity(1), seq: 1, content: try message())], now: 10)
        #expect(relays(out).count == 3)
        #expect(plainPushes(out) == [address(20)])
        #expect(node.counters.pushesOut == 4)
    }

    @Test func atDirectPushPeersOrFewerTheAuthorPushesToEveryPeer() throws {
        var node = try makeReplicator { $0.directPushPeers = 11 }
        for n in 2...12 { node.verify(try identity(UInt8(n)).id, at: address(n), now: 0) }
        let out = node.published([signedEntry(by: try identity(1), seq: 1, content: try message())], now: 10)
        #expect(relays(out).isEmpty && Set(plainPushes(out)) == Set((2...12).map(address)))
    }

    @Test func aRelayGoesOnWithinItsArcOnceAndNeverBackToItsSenderOrAuthor() throws {
        var node = try node()
        let entry = signedEntry(by: try identity(3), seq: 1, content: try message())
        // The whole ring but this node: every verified peer but the sender and the author is in the arc.
        let until = RelayTree.position(of: try identity(1).id)
        let received = node.deliver(.relay(entry, until: until), from: try identity(2).id, at: address(2), now: 10)
        #expect(received.contains(.pushed(entry, from: address(2), relayUntil: until)))
        let out = node.relay(entry, from: address(2), until: until, now: 11)
        let recipients = relays(out).map(\.to) + plainPushes(out)
        #expect(recipients.count == 3 && relays(out).count == 3)
        #expect(!recipients.contains(address(2)) && !recipients.contains(author) && !recipients.contains(address(20)))
        #expect(node.relay(entry, from: address(4), until: until, now: 12).isEmpty)
    }

    @Test func anEntryHeldAlreadyIsNotRelayed() throws {
        var node = try node()
        let entry = signedEntry(by: try identity(3), seq: 1, content: try message())
        node.tipsChanged([entry.author: [entry.tip]])
        #expect(node.relay(entry, from: address(2), until: 0, now: 10).isEmpty)
    }

    /// A relay is checked and stored like a push; what the shell does with its arc waits for the check.
    @Test func aRelayOfAnEntryHeldIsADuplicate() throws {
        var node = try node()
        let entry = signedEntry(by: try identity(3), seq: 1, content: try message())
        node.tipsChanged([entry.author: [entry.tip]])
        #expect(node.deliver(.relay(entry, until: 0), from: try identity(2).id, at: address(2), now: 10).isEmpty)
        #expect(node.counters.duplicates == 1)
    }
}
