import LanChatCore
import Testing

/// When a replicator opens a sync (announces and digest mismatches) and how many it serves.
/// Default settings: syncCooldown 1000 ms, mismatchGrace 150 ms, stubbornMismatch 5000 ms.
@Suite("replicator rules: syncs")
struct ReplicatorSyncRuleTests {
    private let peerAddress = address(2)

    struct AnnounceCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        /// When the last sync with the peer ended, if ever.
        let syncedAt: UInt64?
        let announcedAt: UInt64
        /// The announced seq; this node holds 2 of that author.
        let seq: UInt64
        let syncs: Bool
    }

    /// An announce of an entry we lack opens a sync, unless one ended less than `syncCooldown` ago.
    @Test(arguments: [
        AnnounceCase(testDescription: "never synced", syncedAt: nil, announcedAt: 1000, seq: 3, syncs: true),
        AnnounceCase(testDescription: "within the cooldown", syncedAt: 1000, announcedAt: 1999, seq: 3, syncs: false),
        AnnounceCase(testDescription: "cooldown over", syncedAt: 1000, announcedAt: 2000, seq: 3, syncs: true),
        AnnounceCase(testDescription: "an entry we hold", syncedAt: nil, announcedAt: 1000, seq: 2, syncs: false),
    ])
    func anAnnounceRespectsTheSyncCooldown(_ scenario: AnnounceCase) throws {
        let author = try identity(3).id
        var node = try makeReplicator(vector: heads([author: 2]))
        let peer = try identity(2).id
        node.hear(peer, at: peerAddress, now: 0)
        if let at = scenario.syncedAt { node.syncFinished(with: peerAddress, outcome: .completed(syncResult(peer)), now: at) }
        let out = node.deliver(.announce(EntryKey(author: author, seq: scenario.seq)), from: peer, at: peerAddress, now: scenario.announcedAt)
        #expect(out.syncs == (scenario.syncs ? [peerAddress] : []))
        #expect(node.counters.syncsStarted == (scenario.syncs ? 1 : 0))
    }

    /// Two nodes that meet each open a sync at first; while the one the peer opened runs, this node opens
    /// none of its own (both would carry the same entries), and it may once that one ends.
    @Test func aPeerSyncingWithUsIsNotSyncedWithTwice() throws {
        var node = try makeReplicator()
        let peer = try identity(2).id
        node.hear(peer, at: peerAddress, now: 0)
        let held = node.inboundSyncEstablished(from: peerAddress.host, port: peerAddress.port)
        #expect(held == peerAddress)
        #expect(node.tick(now: 200).syncs.isEmpty)
        // A second inbound session from the same peer holds nothing more.
        #expect(node.inboundSyncEstablished(from: peerAddress.host, port: peerAddress.port) == nil)
        node.inboundSyncEnded(from: peerAddress.host, held: held, result: nil, now: 300)
        #expect(node.tick(now: 400).syncs == [peerAddress])
    }

    /// A node lacking payloads asks its verified peers in turn, one sync per `payloadRetry`, though
    /// every digest agrees; once the store says nothing is missing, it stops.
    @Test func aNodeLackingPayloadsAsksPeersInTurn() throws {
        var node = try makeReplicator()
        let (first, second) = (address(2), address(3))
        node.verify(try identity(2).id, at: first, now: 0)
        node.verify(try identity(3).id, at: second, now: 0)
        #expect(node.tick(now: 5000).syncs.isEmpty)
        node.payloadsMissing(true)
        let asked = node.tick(now: 5200).syncs
        #expect(asked.count == 1)
        for peer in asked { node.syncFinished(with: peer, outcome: .completed(syncResult(peer == first ? try identity(2).id : try identity(3).id)), now: 5300) }
        node.hear(try identity(2).id, at: first, now: 14_000)
        node.hear(try identity(3).id, at: second, now: 14_000)
        #expect(node.tick(now: 14_100).syncs.isEmpty)  // within payloadRetry
        let next = node.tick(now: 5200 + 10_000).syncs
        #expect(next.count == 1 && next != asked)
        for peer in next { node.syncFinished(with: peer, outcome: .completed(syncResult(peer == first ? try identity(2).id : try identity(3).id)), now: 15_300) }
        node.payloadsMissing(false)
        #expect(node.tick(now: 40_000).syncs.isEmpty)
    }

    @Test func anAnnounceDuringASyncOpensNoSecond() throws {
        let author = try identity(3).id
        var node = try makeReplicator()
        let peer = try identity(2).id
        node.hear(peer, at: peerAddress, now: 0)
        #expect(node.deliver(.announce(EntryKey(author: author, seq: 1)), from: peer, at: peerAddress, now: 10).syncs == [peerAddress])
        #expect(node.deliver(.announce(EntryKey(author: author, seq: 2)), from: peer, at: peerAddress, now: 5000).syncs.isEmpty)
    }

    struct MismatchCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let ours: UInt64
        let theirs: UInt64
        /// How long after the first mismatching ping (at 1000) the tick comes.
        let after: UInt64
        let syncs: Bool
        /// When the last sync ended, before the mismatch began.
        var syncedAt: UInt64 = 0
    }

    /// The side with fewer entries syncs once the mismatch outlasts `mismatchGrace`; the side with more
    /// waits for `stubbornMismatch`, in case the other never comes.
    @Test(arguments: [
        MismatchCase(testDescription: "fewer, within the grace", ours: 2, theirs: 5, after: 149, syncs: false),
        MismatchCase(testDescription: "fewer, grace over", ours: 2, theirs: 5, after: 150, syncs: true),
        MismatchCase(testDescription: "more, grace over", ours: 5, theirs: 2, after: 150, syncs: false),
        MismatchCase(testDescription: "more, just under stubbornMismatch", ours: 5, theirs: 2, after: 4999, syncs: false),
        MismatchCase(testDescription: "more, stubbornMismatch over", ours: 5, theirs: 2, after: 5000, syncs: true),
        MismatchCase(testDescription: "fewer, grace over, within the cooldown", ours: 2, theirs: 5, after: 150, syncs: false, syncedAt: 900),
        MismatchCase(testDescription: "fewer, grace and cooldown over", ours: 2, theirs: 5, after: 900, syncs: true, syncedAt: 900),
    ])
    func aMismatchIsRepairedByTheSideBehindFirst(_ scenario: MismatchCase) throws {
        var node = try makeReplicator(vector: heads([try identity(3).id: scenario.ours]))
        let peer = try identity(2).id
        node.verify(peer, at: peerAddress, now: scenario.syncedAt)
        // The digest differs from ours from 1000 on.
        node.deliver(.ping(node.probe(digest: node.vector.digest &+ 1, total: scenario.theirs)), from: peer, at: peerAddress, now: 1000)
        // A single tick: earlier ones would leave unanswered probes that make the peer suspect.
        #expect(node.tick(now: 1000 + scenario.after).syncs == (scenario.syncs ? [peerAddress] : []))
    }

    /// With equal totals the lower ID asks at once and the higher one waits for `stubbornMismatch`.
    @Test(arguments: [true, false])
    func aTieIsBrokenByID(weAreLower: Bool) throws {
        var node = try makeReplicator(vector: heads([try identity(99).id: 4]))
        let peer = try #require(try (2...40).map { try identity(UInt8($0)).id }.first { (node.selfID < $0) == weAreLower })
        node.verify(peer, at: peerAddress, now: 0)
        node.deliver(.ping(node.probe(digest: node.vector.digest &+ 1, total: 4)), from: peer, at: peerAddress, now: 1000)
        #expect(node.tick(now: 1150).syncs == (weAreLower ? [peerAddress] : []))
    }

    /// Pushes on their way to the store count as held: a peer ahead by no more than them is streaming to
    /// this node, not diverging from it, and neither the grace nor `stubbornMismatch` opens a sync while
    /// they are in flight. Once they settle and the peer is still ahead, it is a divergence.
    @Test(arguments: [(3, false), (2, true)])
    func pushesInFlightAreNoDivergence(inFlight: Int, syncs: Bool) throws {
        let author = try identity(3)
        var node = try makeReplicator(vector: heads([author.id: 2]))
        let peer = try identity(2).id
        node.verify(peer, at: peerAddress, now: 0)
        for seq in UInt64(3)..<UInt64(3 + inFlight) {
            let entry = signedEntry(by: author, seq: seq, links: [tip(seq - 1)], content: try message())
            node.deliver(.push(entry), from: peer, at: peerAddress, now: 900)
        }
        #expect(node.pushesInFlight == inFlight)
        // The peer, five entries in, pings before each tick (so unanswered probes do not make it suspect).
        let ahead = { (node: inout Replicator, now: UInt64) in
            node.deliver(.ping(node.probe(digest: node.vector.digest &+ 1, total: 5)), from: peer, at: peerAddress, now: now)
        }
        ahead(&node, 1000)
        #expect(node.tick(now: 1150).syncs == (syncs ? [peerAddress] : []))
        guard !syncs else { return }
        ahead(&node, 5900)
        var settled = node
        #expect(node.tick(now: 6000).syncs.isEmpty, "stubbornMismatch with pushes in flight")
        settled.pushesSettled(inFlight)
        #expect(settled.tick(now: 6000).syncs == [peerAddress], "settled but not stored: the peer is still ahead")
    }

    /// Three unverified peers: two syncs open at once, the third when one of them ends.
    @Test func atMostTwoSyncsRunAtOnce() throws {
        var node = try makeReplicator()
        let peers = [address(2), address(3), address(4)]
        for (offset, peer) in peers.enumerated() { node.hear(try identity(UInt8(offset + 2)).id, at: peer, now: 0) }
        let first = node.tick(now: 100).syncs
        #expect(first == Array(peers.prefix(node.configuration.maxOutboundSyncs)))
        #expect(node.tick(now: 120).syncs.isEmpty)
        node.syncFinished(with: first[0], outcome: .failed, now: 150)
        #expect(node.tick(now: 200).syncs == [peers[2]])
    }

    @Test func aMismatchThatClearsOpensNoSync() throws {
        var node = try makeReplicator()
        let peer = try identity(2).id
        node.verify(peer, at: peerAddress, now: 0)
        node.deliver(.ping(node.probe(digest: 42, total: 5)), from: peer, at: peerAddress, now: 1000)
        node.hear(peer, at: peerAddress, now: 1100)
        #expect(node.tick(now: 1200).syncs.isEmpty)
    }

    struct AdmissionCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let maxSessions: Int
        /// `true`: a connection asks to be admitted; `false`: the oldest admitted one ends.
        let events: [Bool]
        /// What each admission answered, in order.
        let admitted: [Bool]
        let refused: UInt64
    }

    /// At most `sync.maxInboundSessions` inbound syncs at once; refusals are counted; an ended one frees its slot.
    @Test(arguments: [
        AdmissionCase(testDescription: "up to the bound", maxSessions: 2, events: [true, true], admitted: [true, true], refused: 0),
        AdmissionCase(testDescription: "beyond the bound", maxSessions: 2, events: [true, true, true, true], admitted: [true, true, false, false], refused: 2),
        AdmissionCase(testDescription: "a slot freed", maxSessions: 2, events: [true, true, true, false, true, true], admitted: [true, true, false, true, false], refused: 2),
        AdmissionCase(testDescription: "bound zero", maxSessions: 0, events: [true], admitted: [false], refused: 1),
    ])
    func inboundSyncsAreAdmittedUpToTheBound(_ scenario: AdmissionCase) throws {
        var node = try makeReplicator { $0.sync.maxInboundSessions = scenario.maxSessions }
        var answers: [Bool] = []
        for admit in scenario.events {
            if admit { answers.append(node.admitInbound()) } else { node.inboundSyncEnded(from: nil, result: nil, now: 10) }
        }
        #expect(answers == scenario.admitted)
        #expect(node.counters.inboundSyncsRefused == scenario.refused)
        #expect(node.footprint.inboundSessions == answers.filter { $0 }.count - scenario.events.filter { !$0 }.count)
    }

    struct InboundEndCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let host: String?
        let port: UInt16
        let more: Bool
        /// Whether the peer's listening address joins the table, verified.
        let learned: Bool
    }

    /// A proven inbound peer is counted; its listening address (connection host, hello port) is verified,
    /// and if it stopped at its bound this node syncs back at once.
    @Test(arguments: [
        InboundEndCase(testDescription: "host and port known", host: "10.0.0.2", port: 7420, more: false, learned: true),
        InboundEndCase(testDescription: "peer has more", host: "10.0.0.2", port: 7420, more: true, learned: true),
        InboundEndCase(testDescription: "no listening port", host: "10.0.0.2", port: 0, more: false, learned: false),
        InboundEndCase(testDescription: "no host", host: nil, port: 7420, more: false, learned: false),
    ])
    func aProvenInboundPeerIsVerifiedAtItsListeningAddress(_ scenario: InboundEndCase) throws {
        var node = try makeReplicator()
        let peer = try identity(2).id
        let admitted = node.admitInbound()
        #expect(admitted)
        let out = node.inboundSyncEnded(from: scenario.host, result: syncResult(peer, port: scenario.port, received: 5, more: scenario.more), now: 10)
        #expect(node.counters.inboundSyncs == 1 && node.counters.entriesSyncedIn == 5)
        let listening = PeerAddress(host: "10.0.0.2", port: 7420)
        #expect(out.syncs == (scenario.more ? [listening] : []))
        #expect(node.peer(at: listening)?.verifiedID == (scenario.learned ? peer : nil))
        #expect(node.peers.count == (scenario.learned ? 1 : 0))
        #expect(node.tick(now: 20).syncs.isEmpty)
    }
}
