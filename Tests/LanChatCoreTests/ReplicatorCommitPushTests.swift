import LanChatCore
import Testing

/// A commit of several local entries goes to each peer in as few datagrams as fit them; a `pushes`
/// datagram that arrives is taken in entry by entry, each entry charged to its sender's rate budget.
@Suite("replicator rules: one commit's pushes")
struct ReplicatorCommitPushTests {
    private static func sent(_ directives: [Replicator.Directive]) -> [(body: Datagram.Body, to: PeerAddress)] {
        directives.compactMap { if case .send(let datagram, let to) = $0 { (datagram.body, to) } else { nil } }
    }

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
        let sent = Self.sent(node.published(commit, now: 200))
        #expect(sent.map(\.to).sorted() == [address(2), address(3)])
        #expect(sent.allSatisfy { $0.body == .pushes(commit) })
        #expect(node.counters.pushesOut == 2)
        #expect(node.vector.tips[try identity(1).id] == [commit[2].tip])
    }

    /// Runs are cut where the next entry would not fit, or at the most a datagram carries; an entry too large
    /// for any datagram is announced between them; every entry goes once, in seq order.
    @Test(arguments: [(count: 20, largeAt: nil as Int?), (count: 12, largeAt: 5)])
    func aLargerCommitIsCutIntoDatagramsThatFit(count: Int, largeAt: Int?) throws {
        let author = try identity(1)
        var commit: [Entry] = []
        for seq in 1...UInt64(count) {
            let body = seq == largeAt.map(UInt64.init) ? String(repeating: "x", count: 2000) : "message \(seq) " + String(repeating: "y", count: 150)
            commit.append(signedEntry(by: author, seq: seq, links: commit.last.map { [$0.tip] } ?? [], content: try message(body: body)))
        }
        var node = try makeReplicator()
        node.hear(try identity(2).id, at: address(2), now: 100)
        let bodies = Self.sent(node.published(commit, now: 200)).map(\.body)
        #expect(bodies.flatMap(Self.keys) == commit.map(\.key))
        #expect(bodies.allSatisfy { Datagram(network: testNetwork, sender: author.id, body: $0).encoded().count <= Datagram.maxBytes })
        #expect(bodies.count < count)
        if let largeAt {
            #expect(bodies.contains(.announce(commit[largeAt - 1].key)))
        }
        #expect(bodies.allSatisfy { if case .pushes(let run) = $0 { run.count <= Datagram.maxPushedEntries } else { true } })
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

    /// A datagram of five entries costs its sender five datagrams' budget: packing entries does not buy a
    /// flooder more of the receiver's checks.
    @Test func eachEntryCostsItsSendersRateBudget() throws {
        let author = try identity(3)
        var node = try makeReplicator { $0.datagramsPerPeerPerSecond = 7 }
        let run = chain(of: author, count: 5)
        #expect(node.deliver(.pushes(run), from: author.id, at: address(3), now: 10).contains(.pushed(run[0], from: address(3))))
        // Two tokens left, five asked.
        #expect(node.deliver(.pushes(run), from: author.id, at: address(3), now: 10).isEmpty)
        #expect(node.counters.rateLimited == 1)
        #expect(node.counters.entriesPushedIn == 5)
    }
}
