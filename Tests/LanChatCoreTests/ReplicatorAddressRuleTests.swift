import LanChatCore
import Testing

/// Which addresses a replicator keeps: its own (bounded, never at a verified peer's expense), a bounded
/// peer table that makes room only from long-silent unconfigured offline peers, and nothing from other networks.
@Suite("replicator rules: addresses")
struct ReplicatorAddressRuleTests {
    /// Syncs proving our own ID at `claims` addresses: `maxSelfAddresses` of them are remembered as ours
    /// (rediscovering them adds nothing); past that, each newly proven one takes the place of the least (here
    /// the first proven), which becomes an ordinary address again.
    @Test(arguments: [1, 15, 16, 17, 40])
    func ourOwnAddressesAreCapped(claims: Int) throws {
        var node = try makeReplicator()
        let claimed = (100..<100 + claims).map(address)
        for source in claimed { node.learnOwnAddress(source, now: 10) }
        for source in claimed { node.discovered(source, source: .configured) }
        #expect(node.footprint.selfAddresses == min(claims, Replicator.Footprint.maxSelfAddresses))
        let refused = claimed.filter { node.peer(at: $0) == nil }
        #expect(refused == Array(claimed.suffix(Replicator.Footprint.maxSelfAddresses)))
    }

    /// An unverified peer's address that echoes our ID is checked by a sync like any claim; a verified
    /// peer stays what it proved.
    @Test(arguments: [false, true])
    func ourIDClaimedAtAPeerIsCheckedOnlyIfUnverified(verified: Bool) throws {
        var node = try makeReplicator()
        let (me, peer) = (try identity(1).id, try identity(2).id)
        if verified { node.verify(peer, at: address(2), now: 10) } else { node.hear(peer, at: address(2), now: 10) }
        #expect(node.deliver(.ping(node.probe()), from: me, at: address(2), now: 20).isEmpty)
        #expect(node.peer(at: address(2))?.verifiedID == (verified ? peer : nil))
        #expect(node.peer(at: address(2))?.claimedID == (verified ? peer : me))
    }

    /// Once the cap is reached, a claim of our ID leaves a known peer where it is.
    @Test func aClaimBeyondTheCapEvictsNoOne() throws {
        var node = try makeReplicator()
        let me = try identity(1).id
        for n in 0..<Replicator.Footprint.maxSelfAddresses { node.learnOwnAddress(address(100 + n), now: 10) }
        node.hear(try identity(2).id, at: address(2), now: 10)
        node.deliver(.ping(node.probe()), from: me, at: address(2), now: 20)
        #expect(node.peer(at: address(2)) != nil)
    }

    enum Filler: Sendable { case alive, configured }

    struct EvictionCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        /// The two peers that may be evicted: heard at 10 and 20, then left suspect or taken offline.
        let offline: Bool
        let olderConfigured: Bool
        let newerConfigured: Bool
        /// Which of the two makes room ("older", "newer"), or nil if the newcomer is refused.
        let evicted: String?
    }

    /// A full table (1,024): the longest-silent unconfigured offline peer makes room; with none, the newcomer is refused.
    @Test(arguments: [
        EvictionCase(testDescription: "the longest silent offline peer goes", offline: true, olderConfigured: false, newerConfigured: false, evicted: "older"),
        EvictionCase(testDescription: "a configured peer stays", offline: true, olderConfigured: true, newerConfigured: false, evicted: "newer"),
        EvictionCase(testDescription: "nobody unconfigured and offline: refused", offline: true, olderConfigured: true, newerConfigured: true, evicted: nil),
        EvictionCase(testDescription: "suspects are not offline: refused", offline: false, olderConfigured: false, newerConfigured: false, evicted: nil),
    ])
    func aFullPeerTableMakesRoomOnlyFromSilentUnconfiguredPeers(_ scenario: EvictionCase) throws {
        var node = try makeReplicator()
        let peer = try identity(2).id
        let (older, newer, newcomer) = (address(1), address(2), address(5000))
        node.hear(peer, at: older, now: 10)
        node.hear(peer, at: newer, now: 20)
        if scenario.olderConfigured { node.discovered(older, source: .configured) }
        if scenario.newerConfigured { node.discovered(newer, source: .configured) }
        // Every other slot holds a live peer: never evictable.
        for n in 10..<10 + Replicator.Footprint.maxPeers - 2 { node.hear(peer, at: address(n), now: 30) }
        for victim in [older, newer] { node.syncFinished(with: victim, outcome: .failed, now: 30) }  // now suspects
        if scenario.offline { _ = node.tick(now: 20 + node.suspicionTimeout) }
        try #require(node.peer(at: older)?.state == (scenario.offline ? .offline : .suspect))
        try #require(node.peers.count == Replicator.Footprint.maxPeers)

        node.discovered(newcomer, source: .mdns)
        #expect(node.footprint.peers == Replicator.Footprint.maxPeers)
        #expect((node.peer(at: newcomer) != nil) == (scenario.evicted != nil))
        #expect((node.peer(at: older) == nil) == (scenario.evicted == "older"))
        #expect((node.peer(at: newer) == nil) == (scenario.evicted == "newer"))
    }

    static let otherNetworkBodies: [Datagram.Body] = [
        .ping(Datagram.Probe(id: 1, digest: 0, total: 9, hints: [])),
        .ack(Datagram.Probe(id: 1, digest: 0, total: 9, hints: [])),
        .pingRequest(probeID: 1, target: address(3)),
        .indirectAck(probeID: 1, target: address(3)),
        .push(signedEntry(by: try! identity(2), content: .profile(name: "Bob"))),
        .announce(EntryKey(author: try! identity(2).id, seq: 4)),
    ]

    /// Whatever it carries, a datagram of another network is counted and does nothing else.
    @Test(arguments: otherNetworkBodies)
    func otherNetworksAreIgnored(body: Datagram.Body) throws {
        var node = try makeReplicator()
        #expect(node.deliver(body, from: try identity(2).id, at: address(2), now: 100, network: "other").isEmpty)
        #expect(node.counters.otherNetwork == 1)
        #expect(node.peers.isEmpty)
        // The same datagram on our network is acted on: the sender becomes a peer.
        node.deliver(body, from: try identity(2).id, at: address(2), now: 100)
        #expect(node.peers.map(\.address) == [address(2)])
    }
}
