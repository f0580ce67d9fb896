@testable import LanChatCore
import Testing

/// The relay tree: arcs of the ring handed on, so that every node is sent an entry once, nobody sends more
/// than the fanout for it, and the depth grows with log N.
@Suite("relay tree")
struct RelayTreeTests {
    /// Peers spread over the ring, as IDs (public keys) are.
    private static func peers(_ count: Int, seed: UInt64 = 1) -> [(address: PeerAddress, position: UInt64)] {
        var random = SplitMix64(seed: seed)
        return (1...count).map { (address($0), random.next()) }
    }

    /// Every node knowing every other: walks the tree from an author at `origin`, each recipient planning
    /// within its arc as `Replicator.relay` does. Returns how often each address was sent the entry, the
    /// depth at which each got it, and the most datagrams one node sent.
    private static func walk(_ peers: [(address: PeerAddress, position: UInt64)], origin: UInt64, fanout: Int)
        -> (received: [PeerAddress: Int], depth: [PeerAddress: Int], mostSent: Int)
    {
        let position = Dictionary(uniqueKeysWithValues: peers.map { ($0.address, $0.position) })
        var received: [PeerAddress: Int] = [:]
        var depth: [PeerAddress: Int] = [:]
        var frontier = RelayTree.plan(from: origin, until: nil, peers: peers, fanout: fanout).map { ($0, 1) }
        var mostSent = frontier.count
        while let (send, level) = frontier.popLast() {
            received[send.to, default: 0] += 1
            depth[send.to] = level
            guard let until = send.until, let at = position[send.to] else { continue }
            let next = RelayTree.plan(from: at, until: until, peers: peers.filter { $0.address != send.to }, fanout: fanout)
            mostSent = max(mostSent, next.count)
            frontier += next.map { ($0, level + 1) }
        }
        return (received, depth, mostSent)
    }

    @Test(arguments: [2, 9, 100, 1_000, 10_000])
    func everyPeerIsSentTheEntryOnceWithinLogarithmicDepth(count: Int) {
        let fanout = 8
        let peers = Self.peers(count)
        let (received, depth, mostSent) = Self.walk(peers, origin: 0x8000_0000_0000_0000, fanout: fanout)
        #expect(received.count == count && received.values.allSatisfy { $0 == 1 })
        #expect(mostSent <= fanout)
        // ⌈log8 N⌉ levels of arcs, and the plain pushes of the last.
        var levels = 0
        var reach = 1
        while reach < count {
            reach *= fanout
            levels += 1
        }
        #expect(depth.values.max()! <= max(levels, 1) + 1)
    }

    /// At most `fanout` peers in the arc: a plain push to each; none outside the arc.
    @Test func aSmallArcGetsPlainPushesAndNothingOutsideIt() {
        let inside = [(address(1), UInt64(150)), (address(2), 199)]
        let outside = [(address(3), UInt64(100)), (address(4), 200), (address(5), 50)]
        let sends = RelayTree.plan(from: 100, until: 200, peers: inside + outside, fanout: 4)
        #expect(sends == [RelayTree.Send(to: address(1), until: nil), RelayTree.Send(to: address(2), until: nil)])
    }

    /// An arc that wraps past the top of the ring holds the peers on both sides of zero.
    @Test func anArcWrapsRoundTheTopOfTheRing() {
        let peers = [(address(1), UInt64.max - 5), (address(2), 3), (address(3), 20)]
        let sends = RelayTree.plan(from: .max - 10, until: 10, peers: peers, fanout: 4)
        #expect(sends.map(\.to) == [address(1), address(2)])
    }

    /// A node's place is its ID's first 8 bytes, as every node computes it.
    @Test func aPositionIsTheIDsFirstEightBytes() throws {
        let id = try identity(3).id
        // The first 8 bytes read as one big-endian number, as a machine loads them.
        #expect(RelayTree.position(of: id) == UInt64(bigEndian: id.bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }))
        #expect(RelayTree.position(of: id) != RelayTree.position(of: try identity(4).id))
    }
}
