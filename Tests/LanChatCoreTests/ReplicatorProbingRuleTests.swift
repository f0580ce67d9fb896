import LanChatCore
import Testing

/// Who a replicator pings: every peer once per round in rotation, configured peers that never answered
/// every tick, and targets other nodes ask it to probe (answering them with an indirect ack).
@Suite("replicator rules: probing")
struct ReplicatorProbingRuleTests {
    private func pinged(_ out: [Replicator.Directive]) -> [PeerAddress] {
        out.sent.compactMap { if case .ping = $0.body { $0.to } else { nil } }
    }

    /// Of three configured peers, one answered: it is pinged once per round, the other two every tick.
    @Test func configuredPeersThatNeverAnsweredArePingedEveryTick() throws {
        var node = try makeReplicator()
        let peers = [address(3), address(4), address(5)]
        for peer in peers { node.discovered(peer, source: .configured) }
        node.hear(try identity(3).id, at: peers[0], now: 0)
        var rounds: [[PeerAddress]] = []
        for now: UInt64 in [0, 200, 400] { rounds.append(pinged(node.tick(now: now))) }
        #expect(rounds.allSatisfy { Set($0).isSuperset(of: peers[1...]) })
        #expect(rounds.joined().filter { $0 == peers[0] }.count == 1)
    }

    /// Round robin covers every known address, offline ones included, once per round.
    @Test(arguments: [1, 2, 5])
    func everyPeerIsProbedOncePerRound(peers: Int) throws {
        var node = try makeReplicator()
        let addresses = (3..<3 + peers).map(address)
        for peer in addresses { node.discovered(peer, source: .exchange) }  // offline: never heard
        var probed: [PeerAddress] = []
        for tick in 0..<peers { probed += pinged(node.tick(now: UInt64(tick) * 200)) }
        #expect(probed.sorted() == addresses)
    }

    enum TargetAnswer: Sendable { case acks, acksAnotherProbe, silent }

    /// Asked to probe a target, the node pings it under its own probe ID and, if the target acks that
    /// probe, tells the requester with the requester's probe ID. A request to probe one of our addresses is ignored.
    @Test(arguments: [(false, TargetAnswer.acks, true), (false, .acksAnotherProbe, false), (false, .silent, false), (true, .acks, false)])
    func aProbeForAnotherIsReportedToIt(targetIsUs: Bool, answer: TargetAnswer, reported: Bool) throws {
        var node = try makeReplicator()
        let (requester, target) = (address(2), targetIsUs ? address(1) : address(3))
        node.learnOwnAddress(address(1), now: 0)
        let out = node.deliver(.pingRequest(probeID: 77, target: target), from: try identity(2).id, at: requester, now: 10)
        let probeIDs = out.sent.compactMap { if case .ping(let probe) = $0.body, $0.to == target { probe.id } else { nil } }
        #expect(probeIDs.count == (targetIsUs ? 0 : 1))
        var reply: [Replicator.Directive] = []
        if let id = probeIDs.first, answer != .silent {
            reply = node.deliver(.ack(node.probe(id: answer == .acks ? id : id &+ 1)), from: try identity(3).id, at: target, now: 20)
        }
        let indirectAcks = reply.sent.filter { $0.body == .indirectAck(probeID: 77, target: target) && $0.to == requester }
        #expect(indirectAcks.count == (reported ? 1 : 0))
    }
}
