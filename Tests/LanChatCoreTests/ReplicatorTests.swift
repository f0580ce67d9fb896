import LanChatCore
import Testing

/// Single-instance behaviour of the replication state machine; many instances together are the simulator's job.
@Suite("replicator")
struct ReplicatorTests {
    private let me = try! identity(1)
    private let peer = try! identity(2)
    private let peerAddress = PeerAddress(host: "10.0.0.2", port: 7420)

    private func replicator(network: String = "lanchat") -> Replicator {
        Replicator(configuration: .init(network: network, selfID: me.id, seed: 7))
    }

    private func ping(from sender: LocalIdentity, network: String = "lanchat", digest: UInt64 = 0, total: UInt64 = 0) -> Datagram {
        Datagram(network: network, sender: sender.id, body: .ping(.init(id: 9, digest: digest, total: total, hints: [])))
    }

    @Test func aPingIsAnsweredAndMakesThePeerAliveButUnverified() {
        var instance = replicator()
        let out = instance.receive(ping(from: peer), from: peerAddress, now: 100)
        guard case .send(let reply, let to)? = out.first, case .ack(let probe) = reply.body else {
            Issue.record("expected an ack, got \(out)")
            return
        }
        #expect(to == peerAddress && probe.id == 9)
        #expect(instance.peer(at: peerAddress)?.state == .alive)
        #expect(instance.peer(at: peerAddress)?.verifiedID == nil)
        // Unverified: the next tick opens a sync, whose handshake is the only proof of the ID.
        #expect(instance.tick(now: 300).contains(.sync(with: peerAddress)))
        instance.syncFinished(with: peerAddress, outcome: .completed(id: peer.id, more: false), now: 320)
        #expect(instance.peer(at: peerAddress)?.verifiedID == peer.id)
    }

    @Test func otherNetworksAndOurOwnEchoesAreIgnored() {
        var instance = replicator()
        #expect(instance.receive(ping(from: peer, network: "other"), from: peerAddress, now: 100).isEmpty)
        #expect(instance.counters.otherNetwork == 1)
        #expect(instance.peer(at: peerAddress) == nil)
        let mine = PeerAddress(host: "10.0.0.1", port: 7420)
        instance.discovered(mine, source: .configured)
        #expect(instance.receive(ping(from: me), from: mine, now: 100).isEmpty)
        #expect(instance.peer(at: mine) == nil)
        instance.discovered(mine, source: .configured)
        #expect(instance.peer(at: mine) == nil)
    }

    @Test func aPushIsStoredOnceAndDuplicatesAreCounted() throws {
        var instance = replicator()
        let entry = Entry.sign(by: peer, seq: 1, timestamp: HybridTimestamp(wallMillis: 5, counter: 0), content: .profile(name: "Bob"))
        let push = Datagram(network: "lanchat", sender: peer.id, body: .push(entry))
        #expect(instance.receive(push.encoded(), from: peerAddress, now: 100) == [.store([entry], from: peerAddress)])
        instance.headsAdvanced([peer.id: 1])
        #expect(instance.receive(push.encoded(), from: peerAddress, now: 110).isEmpty)
        #expect(instance.counters.duplicates == 1)
    }

    @Test func aLocalEntryIsPushedToLivePeersOnlyAndBigOnesAreAnnounced() throws {
        var instance = replicator()
        _ = instance.receive(ping(from: peer), from: peerAddress, now: 100)
        instance.discovered(PeerAddress(host: "10.0.0.3", port: 7420), source: .exchange)  // never heard: offline
        let small = Entry.sign(by: me, seq: 1, timestamp: HybridTimestamp(wallMillis: 5, counter: 0), content: .profile(name: "Me"))
        let pushes = instance.published(small, now: 200)
        #expect(pushes.count == 1)
        guard case .send(let datagram, peerAddress)? = pushes.first, case .push = datagram.body else {
            Issue.record("expected one push to the live peer, got \(pushes)")
            return
        }
        let body = String(repeating: "x", count: 4000)
        let big = Entry.sign(by: me, seq: 2, timestamp: HybridTimestamp(wallMillis: 6, counter: 0),
                             content: .message(try .init(room: "general", body: body)))
        guard case .send(let announce, _)? = instance.published(big, now: 210).first, case .announce(let key) = announce.body else {
            Issue.record("expected an announce for an entry bigger than a datagram")
            return
        }
        #expect(key == big.key)
        #expect(instance.vector[me.id] == 2)
    }

    @Test func aLastingDigestMismatchOpensASyncFromTheSideThatIsBehind() {
        var instance = replicator()
        _ = instance.receive(ping(from: peer), from: peerAddress, now: 10)
        instance.syncFinished(with: peerAddress, outcome: .completed(id: peer.id, more: false), now: 20)
        // The peer has 5 entries we lack; within the grace period nothing happens, after it a sync.
        _ = instance.receive(ping(from: peer, digest: 42, total: 5), from: peerAddress, now: 1100)
        #expect(!instance.tick(now: 1200).contains(.sync(with: peerAddress)))
        #expect(instance.tick(now: 1300).contains(.sync(with: peerAddress)))
    }
}
