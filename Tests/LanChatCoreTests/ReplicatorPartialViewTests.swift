@testable import LanChatCore
import Testing

/// A network larger than the peer table: a full table keeps this node's ring neighbours (`RingView`), takes a
/// new one of proven ID in the place of the live peer heard from longest ago that is none, and names each
/// recipient the peers nearest its own place.
@Suite("replicator rules: a partial view")
struct ReplicatorPartialViewTests {
    /// A table of 8 and a fanout of 1: two neighbours kept on each side, three of six hints by the ring.
    static func crowdedReplicator() throws -> Replicator {
        try makeReplicator {
            $0.peerTableCapacity = 8
            $0.relayFanout = 1
        }
    }

    static let home = RelayTree.position(of: try! identity(1).id)

    /// An ID whose place on the ring is `offset` from this node's.
    static func placed(_ offset: UInt64) -> AuthorID {
        let position = home &+ offset
        return try! AuthorID(bytes: (0..<8).map { UInt8(truncatingIfNeeded: position >> (56 - 8 * $0)) } + [UInt8](repeating: 7, count: 24))
    }

    static let step: UInt64 = 1 << 59

    /// Eight live peers at 1 to 8 eighths of the ring from this node, the first heard longest ago.
    static func fill(_ node: inout Replicator) {
        for k in 1...8 { node.verify(placed(UInt64(k) * step), at: address(k), now: 10 * UInt64(k)) }
    }

    @Test func aNewNeighbourTakesThePlaceOfThePeerHeardLongestAgoThatIsNone() throws {
        var node = try Self.crowdedReplicator()
        Self.fill(&node)
        try #require(node.peers.count == 8 && node.peers.allSatisfy { $0.state == .alive })

        // Between the fourth and fifth: no neighbour, and nobody offline to make room.
        Self.prove(Self.placed(4 * Self.step + Self.step / 2), at: address(100), to: &node, now: 100)
        #expect(node.peer(at: address(100)) == nil)

        // Next after this node, but only claimed (anyone can claim any place): no live peer's place.
        node.hear(Self.placed(5), at: address(101), now: 105)
        #expect(node.peer(at: address(101)) == nil)
        // Proven: peers 1 and 2 are its neighbours after it, 7 and 8 before; 3 was heard longest ago.
        Self.prove(Self.placed(5), at: address(101), to: &node, now: 110)
        #expect(node.peer(at: address(101)) != nil)
        #expect(node.peer(at: address(3)) == nil)
        #expect(node.footprint.peers == 8)

        // A second proven neighbour from that host: one place a host.
        Self.prove(Self.placed(6), at: PeerAddress(host: address(101).host, port: 7421), to: &node, now: 115)
        #expect(node.peers.filter { $0.address.host == address(101).host }.count == 1)

        // Next before this node: 2 is no neighbour any more, and heard longer ago than 4.
        Self.prove(Self.placed(0 &- 5), at: address(102), to: &node, now: 120)
        #expect(node.peer(at: address(102)) != nil)
        #expect(node.peer(at: address(2)) == nil)
        #expect([1, 4, 5, 6, 7, 8, 101, 102].allSatisfy { node.peer(at: address($0)) != nil })
    }

    /// The peer at `address` synced with this node and proved `id` in the handshake.
    static func prove(_ id: AuthorID, at address: PeerAddress, to node: inout Replicator, now: UInt64) {
        _ = node.admitInbound(from: address.host)
        node.inboundSyncEnded(from: address.host, result: syncResult(id, port: address.port), now: now)
    }

    /// A neighbour named by a hint is kept before it is heard from, and goes first once a probe of it went unanswered.
    @Test func aHintedNeighbourIsKeptUntilItsProbeGoesUnanswered() throws {
        var node = try Self.crowdedReplicator()
        for k in 2...8 { node.verify(Self.placed(UInt64(k) * Self.step), at: address(k), now: 10) }
        node.deliver(.ping(node.probe(hints: [PeerHint(id: Self.placed(5), address: address(50))])), from: Self.placed(2 * Self.step), at: address(2), now: 20)
        try #require(node.peer(at: address(50))?.state == .offline)
        try #require(node.peers.count == 8)

        node.discovered(address(60), source: .mdns)
        #expect(node.peer(at: address(60)) == nil)
        #expect(node.peer(at: address(50)) != nil)

        // Every other peer answers its probes; the hinted one never does.
        let ids = Dictionary(uniqueKeysWithValues: (2...8).map { (address($0), Self.placed(UInt64($0) * Self.step)) })
        for round in 1...12 {
            let now = 20 + UInt64(round) * node.configuration.protocolPeriod
            for case .send(let datagram, let to) in node.tick(now: now) {
                guard case .ping(let ping) = datagram.body, let id = ids[to] else { continue }
                node.deliver(.ack(node.probe(id: ping.id)), from: id, at: to, now: now)
            }
        }
        try #require(node.peers.filter { $0.address != address(50) }.allSatisfy { $0.state == .alive })
        node.discovered(address(60), source: .mdns)
        #expect(node.peer(at: address(60)) != nil)
        #expect(node.peer(at: address(50)) == nil)
    }

    /// A full table of live peers has no room for a neighbour it is only told of, so this node syncs with it
    /// (one such sync at a time), and the sync that proves the ID takes it in; one that fails leaves it out, and
    /// hints naming it again do not bring another sync. Nor does a neighbour whose host holds a place already.
    @Test(arguments: [true, false])
    func aNeighbourThereIsNoRoomForIsSyncedWith(proves: Bool) throws {
        var node = try Self.crowdedReplicator()
        Self.fill(&node)
        let hints = [
            PeerHint(id: Self.placed(4 * Self.step + 3), address: address(40)), PeerHint(id: Self.placed(5), address: address(50)),
            PeerHint(id: Self.placed(6), address: PeerAddress(host: address(1).host, port: 7421)),
        ]
        node.deliver(.ping(node.probe(hints: hints)), from: Self.placed(Self.step), at: address(1), now: 100)
        #expect(node.peer(at: address(50)) == nil)

        let syncs = node.tick(now: 200).compactMap { directive -> PeerAddress? in
            guard case .sync(let address) = directive else { return nil }
            return address
        }
        #expect(syncs == [address(50)])
        node.syncFinished(with: address(50), outcome: proves ? .completed(syncResult(Self.placed(5))) : .failed, now: 300)
        #expect(node.peer(at: address(50))?.verifiedID == (proves ? Self.placed(5) : nil))
        #expect((node.peer(at: address(3)) == nil) == proves)
        node.deliver(.ping(node.probe(hints: hints)), from: Self.placed(Self.step), at: address(1), now: 350)
        #expect(!node.tick(now: 400).contains { if case .sync = $0 { true } else { false } })
    }

    /// A neighbour a full table takes in from a hint is probed in the next period, not when the round robin
    /// comes round to it.
    @Test func aHintedNeighbourIsProbedAtOnce() throws {
        var node = try Self.crowdedReplicator()
        for k in 2...8 { node.verify(Self.placed(UInt64(k) * Self.step), at: address(k), now: 10) }
        let far = PeerHint(id: Self.placed(4 * Self.step + Self.step / 2), address: address(40))
        node.deliver(.ping(node.probe(hints: [far])), from: Self.placed(2 * Self.step), at: address(2), now: 20)
        try #require(node.peers.count == 8)
        // The far claim, never heard from, is the one offline peer: it makes room.
        let near = PeerHint(id: Self.placed(5), address: address(50))
        node.deliver(.ping(node.probe(hints: [near])), from: Self.placed(2 * Self.step), at: address(2), now: 30)
        try #require(node.peer(at: address(50)) != nil && node.peer(at: address(40)) == nil)

        let pinged = node.tick(now: 1_000).compactMap { directive -> PeerAddress? in
            guard case .send(let datagram, let to) = directive, case .ping = datagram.body else { return nil }
            return to
        }
        #expect(pinged.contains(address(50)))
    }

    /// With the table full, an ack names the recipient the peers nearest its place, two after it and one before.
    @Test func aFullTableNamesEachRecipientItsNearestPeers() throws {
        var node = try Self.crowdedReplicator()
        let recipient = 4 * Self.step
        let near: [UInt64] = [recipient + 1, recipient + 2, recipient - 1]
        let others: [UInt64] = [recipient + 3, recipient - 2, Self.step, 2 * Self.step]
        for (n, offset) in (near + others).enumerated() { node.verify(Self.placed(offset), at: address(n + 1), now: 10) }
        node.verify(Self.placed(recipient), at: address(100), now: 10)
        try #require(node.peers.count == 8)

        let out = node.deliver(.ping(node.probe()), from: Self.placed(recipient), at: address(100), now: 20)
        let hints = out.compactMap { directive -> [PeerHint]? in
            guard case .send(let datagram, to: address(100)) = directive, case .ack(let ack) = datagram.body else { return nil }
            return ack.hints
        }.first ?? []
        #expect(hints.count == 6)
        #expect(Set(hints.prefix(3).map(\.id)) == Set(near.map(Self.placed)))
        #expect(!hints.contains { $0.address == address(100) })
    }
}
