import LanChatCore
import Testing

/// How peers come and go besides liveness: peer exchange (hints), a node that moved to another address,
/// and a service that mDNS no longer sees.
@Suite("replicator rules: peers")
struct ReplicatorPeerRuleTests {
    private let recipient = address(2)

    /// Hints name only verified peers that are not offline, and never the recipient itself.
    @Test func hintsNameVerifiedPeersThatAreNotOfflineAndNotTheRecipient() throws {
        var node = try makeReplicator()
        let (verified, unverified, gone) = ([address(3), address(4)], address(5), address(6))
        node.verify(try identity(2).id, at: recipient, now: 10)
        for (n, peer) in zip(3..., verified) { node.verify(try identity(UInt8(n)).id, at: peer, now: 10) }
        node.hear(try identity(5).id, at: unverified, now: 10)
        node.verify(try identity(6).id, at: gone, now: 10)
        node.silence(gone, now: 10)
        _ = node.tick(now: 10 + node.suspicionTimeout)
        try #require(node.peer(at: gone)?.state == .offline)

        var hinted: Set<PeerAddress> = []
        for id in UInt32(1)...20 {
            for (body, _) in node.deliver(.ping(node.probe(id: id)), from: try identity(2).id, at: recipient, now: 3000 + UInt64(id)).sent {
                guard case .ack(let probe) = body else { continue }
                #expect(probe.hints.count <= node.configuration.hintsPerProbe)
                for hint in probe.hints {
                    #expect(node.peer(at: hint.address)?.verifiedID == hint.id)
                    hinted.insert(hint.address)
                }
            }
        }
        #expect(hinted == Set(verified))
    }

    struct HintCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        /// The hinted address and the ID it is said to hold: "peer" (identity 7) or "me".
        let address: PeerAddress
        let claimsOurID: Bool
        /// The claimed ID recorded for the address afterwards, if it is in the table: "peer", "me" or "known".
        let recorded: String?
    }

    /// A hint adds an unknown address as an offline `.exchange` peer with the hinted ID as a claim; it never
    /// adds our own address or a twin's, nor rewrites what a known address claims. Our own ID at an address
    /// not known as ours is kept as a claim, to sync with: its handshake tells our own address from a twin's.
    @Test(arguments: [
        HintCase(testDescription: "an unknown address", address: address(7), claimsOurID: false, recorded: "peer"),
        HintCase(testDescription: "our own ID elsewhere", address: address(7), claimsOurID: true, recorded: "me"),
        HintCase(testDescription: "our own address", address: address(1), claimsOurID: false, recorded: nil),
        HintCase(testDescription: "our own ID at our own address", address: address(1), claimsOurID: true, recorded: nil),
        HintCase(testDescription: "our own ID at a twin's address", address: address(8), claimsOurID: true, recorded: nil),
        HintCase(testDescription: "a known address", address: address(3), claimsOurID: false, recorded: "known"),
    ])
    func hintsAddUnknownPeersAsClaims(_ scenario: HintCase) throws {
        var node = try makeReplicator()
        let (me, peer, known) = (try identity(1).id, try identity(7).id, try identity(3).id)
        node.learnOwnAddress(address(1), now: 5)
        node.hear(me, at: address(8), now: 5)
        node.syncFinished(with: address(8), outcome: .twin, now: 6)
        node.hear(known, at: address(3), now: 5)
        let hint = PeerHint(id: scenario.claimsOurID ? me : peer, address: scenario.address)
        node.deliver(.ack(node.probe(hints: [hint])), from: try identity(2).id, at: recipient, now: 10)
        let record = node.peer(at: scenario.address)
        #expect(record?.claimedID == scenario.recorded.map { ["peer": peer, "me": me, "known": known][$0]! })
        #expect(record?.verifiedID == nil)
        if scenario.recorded == "peer" || scenario.recorded == "me" {
            #expect(record?.state == .offline && record?.sources == [.exchange])
        }
    }

    struct MoveCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        /// The state of the old address when the ID is proven at the new one.
        let oldState: PeerState
        /// Whether the proof comes from an inbound sync rather than one this node opened.
        let inbound: Bool
    }

    /// A node proving its ID at a new address removes the old addresses of that ID that are offline.
    @Test(arguments: [PeerState.alive, .suspect, .offline].flatMap { state in
        [false, true].map { MoveCase(testDescription: "old address \(state), proof \($0 ? "inbound" : "outbound")", oldState: state, inbound: $0) }
    })
    func aMovedPeerLeavesNoOfflineTwin(_ scenario: MoveCase) throws {
        var node = try makeReplicator()
        let peer = try identity(2).id
        let (old, new) = (address(2), PeerAddress(host: "10.0.0.9", port: 7420))
        node.verify(peer, at: old, now: 10)
        if scenario.oldState != .alive { node.silence(old, now: 10) }
        if scenario.oldState == .offline { _ = node.tick(now: 10 + node.suspicionTimeout) }
        try #require(node.peer(at: old)?.state == scenario.oldState)

        if scenario.inbound {
            _ = node.admitInbound()
            node.inboundSyncEnded(from: new.host, result: syncResult(peer, port: new.port), now: 5000)
        } else {
            node.verify(peer, at: new, now: 5000)
        }
        #expect(node.peer(at: new)?.verifiedID == peer)
        #expect((node.peer(at: old) == nil) == (scenario.oldState == .offline))
    }

    /// mDNS losing a service removes an address known only through mDNS.
    @Test(arguments: [
        ([PeerSource.mdns], true), ([.mdns, .configured], false), ([.mdns, .remembered], false), ([.configured], false),
    ] as [([PeerSource], Bool)])
    func aLostServiceLeavesAddressesKnownAnotherWay(sources: [PeerSource], removed: Bool) throws {
        var node = try makeReplicator()
        for source in sources { node.discovered(address(3), source: source) }
        node.lost(address(3), source: .mdns)
        #expect((node.peer(at: address(3)) == nil) == removed)
    }
}
