import LanChatCore
import Testing

/// Single-instance behaviour of the replication state machine; many instances together are the simulator's job.
/// The rules one by one are in the `Replicator*RuleTests` files.
@Suite("replicator")
struct ReplicatorTests {
    private let me = try! identity(1)
    private let peer = try! identity(2)
    private let peerAddress = address(2)

    @Test func aPingIsAnsweredAndMakesThePeerAliveButUnverified() throws {
        var instance = try makeReplicator()
        let out = instance.deliver(.ping(instance.probe(id: 9)), from: peer.id, at: peerAddress, now: 100)
        guard case .send(let reply, let to)? = out.first, case .ack(let probe) = reply.body else {
            Issue.record("expected an ack, got \(out)")
            return
        }
        #expect(to == peerAddress && probe.id == 9)
        #expect(instance.peer(at: peerAddress)?.state == .alive)
        #expect(instance.peer(at: peerAddress)?.verifiedID == nil)
        // Unverified: the next tick opens a sync, whose handshake is the only proof of the ID.
        #expect(instance.tick(now: 300).syncs == [peerAddress])
        instance.syncFinished(with: peerAddress, outcome: .completed(syncResult(peer.id, received: 3, sent: 4)), now: 320)
        #expect(instance.peer(at: peerAddress)?.verifiedID == peer.id)
        #expect(instance.counters.syncsCompleted == 1)
        #expect(instance.counters.entriesSyncedIn == 3 && instance.counters.entriesSyncedOut == 4)
    }

    /// Our own ID from an address is only a claim: a sync settles it. Proven with our token, the address
    /// is ours and no peer; proven with another token, a twin runs there, no peer either; not proven,
    /// it stays a peer like any other that failed a sync.
    @Test(arguments: [(Replicator.SyncOutcome.itself, false), (.twin, false), (.failed, true)])
    func ourOwnIDIsCheckedByASync(outcome: Replicator.SyncOutcome, staysAPeer: Bool) throws {
        var instance = try makeReplicator()
        let mine = address(1)
        instance.discovered(mine, source: .configured)
        #expect(instance.deliver(.ping(instance.probe()), from: me.id, at: mine, now: 100).isEmpty, "no ack to our own ID")
        #expect(instance.tick(now: 300).syncs == [mine])
        instance.syncFinished(with: mine, outcome: outcome, now: 320)
        #expect((instance.peer(at: mine) != nil) == staysAPeer)
        instance.discovered(mine, source: .configured)
        #expect(instance.deliver(.ping(instance.probe()), from: me.id, at: mine, now: 2000).isEmpty)
        #expect(instance.tick(now: 2200).syncs == (staysAPeer ? [mine] : []))
        #expect(instance.counters.syncsFailed == 1)
    }

    /// A node that speaks only other versions: its highest version is listed, and it stays a peer.
    @Test func aSyncWithANodeOfOtherVersionsNamesItsVersion() throws {
        var instance = try makeReplicator()
        instance.hear(try identity(2).id, at: address(2), now: 100)
        instance.syncFinished(with: address(2), outcome: .init(.incompatibleVersions(theirs: [3, 4], port: 0)), now: 120)
        #expect(instance.incompatiblePeers.map(\.address) == [address(2)] && instance.incompatiblePeers.map(\.version) == [4])
        #expect(instance.peer(at: address(2))?.state == .suspect)
    }

    @Test func aLocalEntryIsPushedToLivePeersOnlyAndBigOnesAreAnnounced() throws {
        var instance = try makeReplicator()
        instance.hear(peer.id, at: peerAddress, now: 100)
        instance.discovered(address(3), source: .exchange)  // never heard: offline
        let small = Entry.sign(by: me, seq: 1, timestamp: HybridTimestamp(wallMillis: 5, counter: 0), content: .profile(name: "Me"))
        let pushes = instance.published([small], now: 200)
        #expect(pushes.count == 1)
        guard case .send(let datagram, peerAddress)? = pushes.first, case .push = datagram.body else {
            Issue.record("expected one push to the live peer, got \(pushes)")
            return
        }
        let body = String(repeating: "x", count: 4000)
        let big = Entry.sign(by: me, seq: 2, timestamp: HybridTimestamp(wallMillis: 6, counter: 0), links: [small.tip],
                             content: .message(try .init(room: "general", body: body)))
        guard case .send(let announce, _)? = instance.published([big], now: 210).first, case .announce(let key) = announce.body else {
            Issue.record("expected an announce for an entry bigger than a datagram")
            return
        }
        #expect(key == big.key)
        #expect(instance.vector.tips[me.id] == [big.tip])
    }

    @Test func aProbedPeerThatAnswersIsSyncedAtOnce() throws {
        var instance = try makeReplicator()
        instance.discovered(peerAddress, source: .configured)
        let pings = instance.tick(now: 0).sent.filter { $0.to == peerAddress }
        guard case .ping(let probe)? = pings.first?.body else {
            Issue.record("expected a ping to the configured peer, got \(pings)")
            return
        }
        #expect(instance.deliver(.ack(instance.probe(id: probe.id)), from: peer.id, at: peerAddress, now: 5).syncs == [peerAddress])
        // An ack that answers no probe of this node opens nothing before the next period.
        #expect(instance.deliver(.ack(instance.probe(id: probe.id &+ 1)), from: try identity(3).id, at: address(3), now: 6).syncs.isEmpty)
    }

    @Test func aFailedSyncMakesALivePeerSuspect() throws {
        var instance = try makeReplicator()
        instance.hear(peer.id, at: peerAddress, now: 10)
        instance.syncFinished(with: peerAddress, outcome: .failed, now: 20)
        #expect(instance.peer(at: peerAddress)?.state == .suspect)
        #expect(instance.counters.syncsFailed == 1)
    }

    @Test func aPeerThatStoppedAtItsBoundIsSyncedAgainAtOnce() throws {
        var instance = try makeReplicator()
        instance.hear(peer.id, at: peerAddress, now: 10)
        // Verified and in agreement, within the cooldown: only the peer's "more" asks for another round,
        // and it starts as the last one ends, not at the next period.
        #expect(instance.syncFinished(with: peerAddress, outcome: .completed(syncResult(peer.id, more: true)), now: 20).syncs == [peerAddress])
        #expect(instance.syncFinished(with: peerAddress, outcome: .completed(syncResult(peer.id)), now: 25).syncs.isEmpty)
        #expect(instance.tick(now: 30).syncs.isEmpty)
    }
}
