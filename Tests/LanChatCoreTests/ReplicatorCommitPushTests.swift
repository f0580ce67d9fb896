import LanChatCore
import Testing

/// A commit of several local entries goes to each peer in as few datagrams as fit them; a `pushes`
/// datagram that arrives is taken in entry by entry, each entry charged to its sender's rate budget.
@Suite("replicator rules: one commit's pushes")
struct ReplicatorCommitPushTests {
    /// The entries a body carries (or names), in order.
    private static func keys(_ body: Datagram.Body) -> [EntryKey] {
        switch body {
        case .push(let entry): [entry.key]
        case .pushes(let entries): entries.map(\.key)
        case .announce(let key): [key]
        default: []
        }
    }

    @Test func aCommitGoesToEachLivePeerInOneDatagram() throws {
        var node = try makeReplicator()
        node.hear(try identity(2).id, at: address(2), now: 100)
        node.hear(try identity(3).id, at: address(3), now: 100)
        let commit = chain(of: try identity(1), count: 3)
        let sent = node.published(commit, now: 200).sent
        #expect(sent.map(\.to).sorted() == [address(2), address(3)])
        #expect(sent.allSatisfy { $0.body == .pushes(commit) })
        #expect(node.counters.pushesOut == 2)
        #expect(node.vector.tips[try identity(1).id] == [commit[2].tip])
    }

    /// Runs are cut where the next entry would not fit, or at the most a datagram carries; an entry too large
    /// for any datagram is announced between them; every entry goes once, in seq order.
    @Test(arguments: [(count: 20, largeAt: nil as Int?, sealed: false), (count: 12, largeAt: 5, sealed: false), (count: 20, largeAt: nil, sealed: true)])
    func aLargerCommitIsCutIntoDatagramsThatFit(count: Int, largeAt: Int?, sealed: Bool) throws {
        let author = try identity(1)
        var commit: [Entry] = []
        for seq in 1...UInt64(count) {
            let body = seq == largeAt.map(UInt64.init) ? String(repeating: "x", count: 2000) : "message \(seq) " + String(repeating: "y", count: 150)
            commit.append(signedEntry(by: author, seq: seq, links: commit.last.map { [$0.tip] } ?? [], content: try message(body: body)))
        }
        // On a closed network every datagram is sealed, which takes room from the entries.
        let ring = sealed ? NetworkKeyRing([NetworkKey(bytes: [UInt8](repeating: 1, count: 32))!]) : nil
        var node = Replicator(
            configuration: ReplicationConfiguration(network: testNetwork), identity: author, incarnation: 1_000, seed: 7, keys: ring)
        var sealer = ring.map { DatagramSealer(ring: $0, network: testNetwork) }
        let ping = Datagram(network: testNetwork, sender: try identity(2).id, body: .ping(node.probe())).encoded()
        _ = node.receive(sealer?.seal(ping, at: 50) ?? ping, from: address(2), now: 100, wallMillis: 50)
        let bodies = node.published(commit, now: 200).sent.map(\.body)
        #expect(bodies.flatMap(Self.keys) == commit.map(\.key))
        let room = Datagram.maxBytes - (sealed ? DatagramSealer.overhead : 0)
        #expect(bodies.allSatisfy { Datagram(network: testNetwork, sender: author.id, body: $0).encoded().count <= room })
        #expect(bodies.count < count)
        if let largeAt {
            #expect(bodies.contains(.announce(commit[largeAt - 1].key)))
        }
    }

    @Test func eachEntryOfAPushesDatagramGoesOnToBeChecked() throws {
        let author = try identity(3)
        var node = try makeReplicator()
        let run = chain(of: author, count: 3)
        let out = node.deliver(.pushes(run), from: author.id, at: address(3), now: 10)
        #expect(out.filter { if case .pushed = $0 { true } else { false } } == run.map { .pushed($0, from: address(3)) })
        #expect(node.counters.entriesPushedIn == 3)
        #expect(node.pushesInFlight == 3)
    }

    /// A datagram of five entries costs its sender five datagrams' budget, no more: packing entries does not
    /// buy a flooder more of the receiver's checks. A budget of 5 takes one such datagram; of 7, not two.
    @Test(arguments: [5, 7])
    func eachEntryCostsItsSendersRateBudget(budget: Int) throws {
        let author = try identity(3)
        var node = try makeReplicator { $0.datagramsPerPeerPerSecond = Double(budget) }
        let run = chain(of: author, count: 5)
        #expect(node.deliver(.pushes(run), from: author.id, at: address(3), now: 10).contains(.pushed(run[0], from: address(3))))
        #expect(node.deliver(.pushes(run), from: author.id, at: address(3), now: 10).isEmpty)
        #expect(node.counters.rateLimited == 1)
        #expect(node.counters.entriesPushedIn == 5)
    }

    /// Entries of a run the node holds already are duplicates; the rest go on to be checked.
    @Test func aRunWhoseFirstEntriesAreHeldPassesOnTheRest() throws {
        let author = try identity(3)
        let run = chain(of: author, count: 4)
        var node = try makeReplicator(vector: SyncVector(heads: [author.id: run[1].tip]))
        let out = node.deliver(.pushes(run), from: author.id, at: address(3), now: 10)
        #expect(out.filter { if case .pushed = $0 { true } else { false } } == run.suffix(2).map { .pushed($0, from: address(3)) })
        #expect(node.counters.duplicates == 2)
    }

    /// Past `directPushPeers` verified peers, each entry of a commit goes down the relay tree on its own.
    @Test func downTheRelayTreeEachEntryGoesOnItsOwn() throws {
        var node = try makeReplicator { $0.directPushPeers = 2 }
        for n: UInt8 in 2...5 { node.verify(try identity(n).id, at: address(Int(n)), now: 100) }
        let commit = chain(of: try identity(1), count: 3)
        let bodies = node.published(commit, now: 200).sent.map(\.body)
        #expect(!bodies.isEmpty)
        #expect(bodies.allSatisfy { if case .relay = $0 { true } else if case .push = $0 { true } else { false } })
        #expect(Set(bodies.flatMap(Self.keys)) == Set(commit.map(\.key)))
    }
}
