@testable import LanChatCore
import Testing

/// A suspicion ends offline at a node only once that node's own probe goes unanswered, and a node told it
/// is suspect answers with its refutation first: whatever news the queues hold, a node that answers the
/// nodes suspecting it stays alive at each of them.
@Suite("replicator rules: suspicions checked first-hand")
struct ReplicatorSuspicionCheckTests {
    private let suspectAddress = address(2)
    private let teller = address(9)

    private func node(peers: ClosedRange<Int> = 2...2) throws -> Replicator {
        var node = Replicator(
            configuration: ReplicationConfiguration(network: testNetwork), identity: try identity(1), incarnation: 1_000, seed: 7)
        node.learnOwnAddress(address(1), now: 0)
        for n in peers { node.verify(try identity(UInt8(n)).id, at: address(n), now: 0) }
        node.hear(try identity(9).id, at: teller, now: 0)
        return node
    }

    private func suspicion(of n: Int) throws -> MembershipUpdate {
        MembershipUpdate(.suspect, subject: try identity(UInt8(n)).id, incarnation: 0, address: address(n))
    }

    /// The pings among `out` to each of `targets`, by probe ID.
    private func pings(in out: [Replicator.Directive], to targets: Set<PeerAddress>) -> [(id: UInt32, to: PeerAddress)] {
        out.sent.compactMap { body, to in
            if case .ping(let probe) = body, targets.contains(to) { (probe.id, to) } else { nil }
        }
    }

    /// Each pinged peer answers with an ack carrying `updates` (none: alive, but no refutation).
    private func answer(_ node: inout Replicator, _ pings: [(id: UInt32, to: PeerAddress)], at now: UInt64, updates: (PeerAddress) throws -> [MembershipUpdate] = { _ in [] }) throws {
        for (id, to) in pings {
            let n = UInt8(to.host.split(separator: ".").last.flatMap { Int($0) } ?? 0)
            node.deliver(.ack(node.probe(id: id, updates: try updates(to))), from: try identity(n).id, at: to, now: now)
        }
    }

    struct CheckCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let refutes: Bool
    }

    /// This node's own probe of a verified peer, unanswered directly and through the helpers, only doubts it: the
    /// peer is probed again at once and no one is told. An ack to that probe ends the doubt without any news;
    /// silence through it too makes the peer suspect, and that suspicion is told. (The other peer answers.)
    @Test(arguments: [false, true])
    func aVerifiedPeerIsProbedTwiceBeforeItIsSuspected(answersTheSecond: Bool) throws {
        var node = try node()
        var probes: [(id: UInt32, to: PeerAddress)] = []
        var states: [PeerState] = []
        for now in stride(from: UInt64(0), through: 1_000, by: 200) {
            let out = node.tick(now: now)
            try answer(&node, pings(in: out, to: [teller]), at: now + 10)
            let mine = pings(in: out, to: [suspectAddress])
            probes += mine
            if answersTheSecond, now > 0 { try answer(&node, mine, at: now + 10) }
            states.append(try #require(node.peer(at: suspectAddress)?.state))
            if now == 400 { #expect(node.footprint.queuedNews == 0, "a doubt is told to no one") }
        }
        try #require(probes.count >= 2)
        #expect(probes[0].id != probes[1].id)
        #expect(states.prefix(3) == [.alive, .alive, .alive])
        #expect(states.last == (answersTheSecond ? .alive : .suspect))
        #expect(node.footprint.queuedNews == (answersTheSecond ? 0 : 1))
    }

    /// A doubt is spent by the suspicion it confirms, and a refutation ends any doubt: silent again later, the peer
    /// is doubted anew, not suspected on the strength of the old one.
    @Test func aDoubtIsSpentOnceAndARefutationEndsIt() throws {
        let peerID = try identity(2).id
        var table = PeerTable()
        _ = table.learn(suspectAddress, source: .configured)
        table.update(suspectAddress) { record in
            record.verifiedID = peerID
            record.state = .alive
            record.lastSeen = 0
        }
        var membership = Membership(
            identity: try identity(1), incarnation: 1_000, configuration: ReplicationConfiguration(network: testNetwork),
            verifier: AliveSignatureVerifier())
        #expect(membership.suspect(suspectAddress, since: 100, in: &table), "the first unanswered probe: a doubt")
        #expect(!membership.suspect(suspectAddress, since: 500, in: &table))
        #expect(table[suspectAddress]?.state == .suspect && table[suspectAddress]?.silentSince == 100)
        let refutation = MembershipUpdate.alive(by: try identity(2), incarnation: 1, address: suspectAddress, network: testNetwork)
        membership.apply(refutation, at: suspectAddress, from: teller, now: 600, in: &table)
        #expect(table[suspectAddress]?.state == .alive)
        #expect(membership.suspect(suspectAddress, since: 900, in: &table), "silent again: a new doubt")
        #expect(table[suspectAddress]?.state == .alive)
    }

    /// A probe this node makes for another's `pingRequest` is not its own: while one is waiting for the doubted
    /// peer, the doubt is still probed again, or nothing would ever confirm it.
    @Test func aDoubtIsProbedAgainWhileAnotherNodesProbeOfThePeerWaits() throws {
        var node = try node(peers: 2...4)
        let first = pings(in: node.tick(now: 0), to: [suspectAddress])
        try #require(first.count == 1)
        try answer(&node, pings(in: node.tick(now: 200), to: [address(3), address(4), teller]), at: 210)
        let forTeller = node.deliver(.pingRequest(probeID: 77, target: suspectAddress), from: try identity(9).id, at: teller, now: 300)
        try #require(pings(in: forTeller, to: [suspectAddress]).count == 1)
        let again = pings(in: node.tick(now: 400), to: [suspectAddress])
        #expect(again.count == 1 && again.allSatisfy { $0.id != first[0].id })
        #expect(node.peer(at: suspectAddress)?.state == .alive)
    }

    /// The suspicion came from another node, and the suspect answered this node's first probe (with no
    /// refutation: its queue was full, say). At the timeout it is probed again instead of going offline; an
    /// ack with its refutation makes it alive, silence makes it offline a period later.
    @Test(arguments: [CheckCase(testDescription: "silent when checked", refutes: false), CheckCase(testDescription: "refutes when checked", refutes: true)])
    func aSuspicionOnOthersWordIsCheckedBeforeItEndsOffline(_ check: CheckCase) throws {
        var node = try node()
        let told = node.deliver(.ack(node.probe(updates: [try suspicion(of: 2)])), from: try identity(9).id, at: teller, now: 10)
        try answer(&node, pings(in: told, to: [suspectAddress]), at: 20)
        #expect(node.peer(at: suspectAddress)?.state == .suspect)

        let timeout = node.suspicionTimeout
        let expired = node.tick(now: 10 + timeout)
        #expect(node.peer(at: suspectAddress)?.state == .suspect)
        let checks = pings(in: expired, to: [suspectAddress])
        try #require(checks.count == 1)
        // The check tells the suspect what this node holds against it.
        #expect(expired.sent.first { $0.to == suspectAddress }.map { [$0.body].updates.first?.kind } == .suspect)
        if check.refutes {
            let refutation = MembershipUpdate.alive(by: try identity(2), incarnation: 1, address: suspectAddress, network: testNetwork)
            try answer(&node, checks, at: 20 + timeout) { _ in [refutation] }
        }
        // Silent, it is probed once more, and is offline when that probe goes unanswered too.
        _ = node.tick(now: 10 + timeout + 200)
        #expect(node.peer(at: suspectAddress)?.state == (check.refutes ? .alive : .suspect))
        _ = node.tick(now: 10 + timeout + 400)
        #expect(node.peer(at: suspectAddress)?.state == (check.refutes ? .alive : .offline))
    }

    /// Checks are few per period: a partition's many suspects do not make a burst of pings. The rest wait.
    @Test func expiredSuspicionsAreCheckedAFewPerPeriod() throws {
        let suspects = 2...8
        var node = try node(peers: suspects)
        let addresses = Set(suspects.map(address))
        for n in suspects {
            // From another teller each: one source's suspicions are taken once a period.
            let from = address(20 + n)
            node.hear(try identity(UInt8(20 + n)).id, at: from, now: 5)
            let told = node.deliver(.ack(node.probe(updates: [try suspicion(of: n)])), from: try identity(UInt8(20 + n)).id, at: from, now: 10)
            try answer(&node, pings(in: told, to: addresses), at: 20)
        }
        #expect(suspects.allSatisfy { node.peer(at: address($0))?.state == .suspect })
        let timeout = node.suspicionTimeout
        // The period's round-robin probe may be one of them, besides the checks.
        let first = pings(in: node.tick(now: 10 + timeout), to: addresses)
        #expect((Membership.checksPerPeriod...Membership.checksPerPeriod + 1).contains(first.count))
        #expect(Set(first.map(\.to)).count == first.count)
        // The checked ones are silent: probed once more a period later, while the others get their checks, and
        // offline when that probe goes unanswered too.
        let second = pings(in: node.tick(now: 10 + timeout + 200), to: addresses)
        let waiting = addresses.subtracting(first.map(\.to))
        #expect(addresses.isSubset(of: second.map(\.to)))
        #expect(addresses.allSatisfy { node.peer(at: $0)?.state == .suspect })
        _ = node.tick(now: 10 + timeout + 400)
        #expect(first.allSatisfy { node.peer(at: $0.to)?.state == .offline })
        #expect(waiting.allSatisfy { node.peer(at: $0)?.state == .suspect })
    }

    /// The ack to a ping that suspects this node carries its refutation first, and once, however much news of
    /// others waits in its queue.
    @Test func theAckToASuspicionOfThisNodeCarriesItsRefutationFirst() throws {
        var node = try node(peers: 2...9)
        let others = try (2...9).map { MembershipUpdate.alive(by: try identity(UInt8($0)), incarnation: 1, address: address($0), network: testNetwork) }
        node.deliver(.ack(node.probe(updates: others)), from: try identity(9).id, at: teller, now: 10)
        let me = try identity(1).id
        let suspected = MembershipUpdate(.suspect, subject: me, incarnation: 1_000, address: address(1))
        let out = node.deliver(.ping(node.probe(updates: [suspected])), from: try identity(9).id, at: teller, now: 20)
        let ack = try #require(out.sent.first { if case .ack = $0.body { $0.to == teller } else { false } })
        let updates = [ack.body].updates
        #expect(updates.first?.subject == me && updates.first?.kind == .alive && updates.first?.incarnation == 1_001)
        #expect(updates.filter { $0.address == address(1) }.count == 1)
        #expect(Set(updates.map(\.address)).count == updates.count)
    }

    /// Corrections take the place of queued news: an ack with two of them, news about its recipient and a full
    /// queue still carries no more than `Datagram.maxUpdates`, and decodes (a receiver refuses more whole).
    @Test func anAckWithCorrectionsStaysWithinTheUpdatesADatagramMayCarry() throws {
        var node = try node(peers: 2...9)
        let others = try (2...9).map { MembershipUpdate.alive(by: try identity(UInt8($0)), incarnation: 1, address: address($0), network: testNetwork) }
        node.deliver(.ack(node.probe(updates: others)), from: try identity(9).id, at: teller, now: 10)
        let tellerSuspected = MembershipUpdate(.suspect, subject: try identity(9).id, incarnation: 1, address: teller)
        node.deliver(.ack(node.probe(updates: [tellerSuspected])), from: try identity(2).id, at: address(2), now: 15)
        try #require(node.peer(at: teller)?.state == .suspect)
        let me = MembershipUpdate(.suspect, subject: try identity(1).id, incarnation: 1_000, address: address(1))
        let stale = MembershipUpdate(.suspect, subject: try identity(3).id, incarnation: 0, address: address(3))
        let out = node.deliver(.ping(node.probe(updates: [me, stale])), from: try identity(9).id, at: teller, now: 20)
        let ack = try #require(out.sent.first { if case .ack = $0.body { $0.to == teller } else { false } })
        let updates = [ack.body].updates
        #expect(updates.prefix(2).map(\.kind) == [.alive, .alive] && updates.contains { $0.address == teller && $0.kind == .suspect })
        #expect(updates.count <= Datagram.maxUpdates)
        let datagram = Datagram(network: testNetwork, sender: try identity(1).id, body: ack.body)
        #expect((try? Datagram.decode(datagram.encoded())) == datagram)
    }
}
