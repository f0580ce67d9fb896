import LanChatCore
import Testing

/// SWIM liveness, rule by rule: a probe unanswered for a period goes indirect through `indirectProbes`
/// helpers; unanswered for two periods, its target is suspect; a suspect silent for `suspectTimeout`
/// is offline. Only the helpers asked may vouch for the target. Default settings: period 200 ms.
@Suite("replicator rules: liveness")
struct ReplicatorLivenessRuleTests {
    /// What reaches the node about the probed peer (address 2) after the first probe, at tick 0.
    enum Answer: Sendable {
        case nothing
        /// The target acks, with the probe's ID or another one.
        case ack(at: UInt64, rightID: Bool = true)
        /// The ack carries the right ID but comes from another address.
        case ackFromElsewhere(at: UInt64)
        /// The target pings us instead of acking.
        case ping(at: UInt64)
        /// An indirect ack (after the indirect probes at tick 200), from a helper asked or another live peer.
        case indirectAck(at: UInt64, fromHelper: Bool)

        var time: UInt64? {
            switch self {
            case .nothing: nil
            case .ack(let at, _), .ackFromElsewhere(let at), .ping(let at), .indirectAck(let at, _): at
            }
        }
    }

    struct SilentPeerCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let answer: Answer
        /// Ticks after the first one (tick 0 sends the probe).
        let ticks: [UInt64]
        let indirectProbes: Int
        let state: PeerState
    }

    static let silentPeerCases: [SilentPeerCase] = [
        .init(testDescription: "silent, just under one period: no indirect probe", answer: .nothing, ticks: [199], indirectProbes: 0, state: .alive),
        .init(testDescription: "silent for one period: indirect probes", answer: .nothing, ticks: [200], indirectProbes: 2, state: .alive),
        .init(testDescription: "silent, just under two periods: still alive", answer: .nothing, ticks: [200, 399], indirectProbes: 2, state: .alive),
        .init(testDescription: "silent for two periods: suspect", answer: .nothing, ticks: [200, 400], indirectProbes: 2, state: .suspect),
        .init(testDescription: "acked within the period", answer: .ack(at: 150), ticks: [200, 400], indirectProbes: 0, state: .alive),
        .init(testDescription: "acked after the indirect probes", answer: .ack(at: 300), ticks: [200, 400], indirectProbes: 2, state: .alive),
        .init(testDescription: "an ack to another probe", answer: .ack(at: 150, rightID: false), ticks: [200, 400], indirectProbes: 2, state: .suspect),
        .init(testDescription: "the probe's ack from another address", answer: .ackFromElsewhere(at: 150), ticks: [200, 400], indirectProbes: 2, state: .suspect),
        .init(testDescription: "a ping is no ack", answer: .ping(at: 300), ticks: [200, 400], indirectProbes: 2, state: .suspect),
        .init(testDescription: "indirect ack from a helper asked", answer: .indirectAck(at: 300, fromHelper: true), ticks: [200, 400], indirectProbes: 2, state: .alive),
        .init(testDescription: "indirect ack from a live peer not asked", answer: .indirectAck(at: 300, fromHelper: false), ticks: [200, 400], indirectProbes: 2, state: .suspect),
    ]

    private let target = address(2)
    private let helpers = (3...6).map(address)

    @Test(arguments: silentPeerCases)
    func aSilentPeerIsProbedIndirectlyThenSuspect(_ scenario: SilentPeerCase) throws {
        var node = try makeReplicator()
        // The target is learned first, so the first tick probes it.
        node.hear(try identity(2).id, at: target, now: 0)
        for (n, helper) in zip(3..., helpers) { node.hear(try identity(UInt8(n)).id, at: helper, now: 0) }
        let first = node.tick(now: 0).sent
        let probeID = try #require(first.lazy.compactMap { body, to in
            if case .ping(let probe) = body, to == target { probe.id } else { nil }
        }.first)

        var asked: [(helper: PeerAddress, probeID: UInt32)] = []
        var answered = false
        for now in scenario.ticks {
            if let at = scenario.answer.time, at < now, !answered {
                answered = true
                try answer(scenario.answer, probeID: probeID, asked: asked, to: &node)
            }
            asked += node.tick(now: now).pingRequests(for: target)
        }
        #expect(asked.count == scenario.indirectProbes)
        // Helpers are live peers other than the target (an address that answered for it is one too).
        #expect(asked.allSatisfy { $0.helper != target && node.peer(at: $0.helper)?.state == .alive })
        #expect(asked.allSatisfy { $0.probeID == probeID })
        #expect(node.peer(at: target)?.state == scenario.state)
    }

    private func answer(
        _ answer: Answer, probeID: UInt32, asked: [(helper: PeerAddress, probeID: UInt32)], to node: inout Replicator
    ) throws {
        let targetID = try identity(2).id
        switch answer {
        case .nothing:
            break
        case .ack(let at, let rightID):
            node.deliver(.ack(node.probe(id: rightID ? probeID : probeID &+ 100)), from: targetID, at: target, now: at)
        case .ackFromElsewhere(let at):
            node.deliver(.ack(node.probe(id: probeID)), from: targetID, at: address(99), now: at)
        case .ping(let at):
            node.hear(targetID, at: target, now: at)
        case .indirectAck(let at, let fromHelper):
            let chosen = Set(asked.map(\.helper))
            let sender = try #require(fromHelper ? asked.first?.helper : helpers.first { !chosen.contains($0) })
            node.deliver(.indirectAck(probeID: probeID, target: target), from: try identity(3).id, at: sender, now: at)
        }
    }

    /// A sync that completes answers this node's probes of the peer still waiting: one sent to a configured
    /// peer that had not started yet would otherwise make it suspect once verified, and as suspicions of
    /// verified peers are cleared only by their signed alives, nodes that started early took later ones
    /// offline. Without a sync, a peer that spoke since the probe but never acked is suspect as ever.
    @Test(arguments: [false, true])
    func aCompletedSyncAnswersTheProbesWaiting(synced: Bool) throws {
        var node = try makeReplicator()
        let targetID = try identity(2).id
        node.discovered(target, source: .configured)
        for (n, helper) in zip(3..., helpers) { node.hear(try identity(UInt8(n)).id, at: helper, now: 0) }
        #expect(node.tick(now: 0).sent.contains { body, to in if case .ping = body { to == target } else { false } })
        if synced { node.verify(targetID, at: target, now: 150) } else { node.hear(targetID, at: target, now: 150) }
        _ = node.tick(now: 200)
        _ = node.tick(now: 400)
        #expect(node.peer(at: target)?.state == (synced ? .alive : .suspect))
    }

    /// A peer of unverified ID held suspect or offline (here by a probe that failed before it had started) is
    /// alive once a sync this node opened proves it; verified while not alive, it would stay so until its
    /// signed alive.
    @Test func aSyncThatProvesASuspectRevivesIt() throws {
        var node = try makeReplicator()
        node.discovered(target, source: .configured)
        for (n, helper) in zip(3..., helpers) { node.hear(try identity(UInt8(n)).id, at: helper, now: 0) }
        for now: UInt64 in [0, 200, 400] { _ = node.tick(now: now) }
        #expect(node.peer(at: target).map { $0.state != .alive } == true)
        node.syncFinished(with: target, outcome: .completed(syncResult(try identity(2).id)), now: 450)
        #expect(node.peer(at: target)?.state == .alive)
        #expect(node.peer(at: target)?.verifiedID == (try identity(2).id))
    }

    struct IndirectAckCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let fromHelper: Bool
        let rightProbe: Bool
        let rightTarget: Bool
        let state: PeerState
    }

    /// Only a helper asked, naming the probe and its target, vouches for the target.
    @Test(arguments: [
        IndirectAckCase(testDescription: "helper, probe and target right", fromHelper: true, rightProbe: true, rightTarget: true, state: .alive),
        IndirectAckCase(testDescription: "from an address never asked", fromHelper: false, rightProbe: true, rightTarget: true, state: .suspect),
        IndirectAckCase(testDescription: "another probe ID", fromHelper: true, rightProbe: false, rightTarget: true, state: .suspect),
        IndirectAckCase(testDescription: "another target", fromHelper: true, rightProbe: true, rightTarget: false, state: .suspect),
    ])
    func indirectAcksCountOnlyFromTheHelpersAsked(_ scenario: IndirectAckCase) throws {
        var node = try makeReplicator()
        node.hear(try identity(2).id, at: target, now: 0)
        node.hear(try identity(3).id, at: helpers[0], now: 0)
        let probeID = try #require(node.tick(now: 0).sent.compactMap { body, _ in
            if case .ping(let probe) = body { probe.id } else { nil }
        }.first)
        let asked = node.tick(now: 200).pingRequests(for: target)
        #expect(asked.map(\.helper) == [helpers[0]])
        // The unknown address becomes a live peer by sending; that does not make it a helper.
        let sender = scenario.fromHelper ? helpers[0] : address(77)
        node.deliver(
            .indirectAck(probeID: scenario.rightProbe ? probeID : probeID &+ 100, target: scenario.rightTarget ? target : helpers[0]),
            from: try identity(3).id, at: sender, now: 300)
        _ = node.tick(now: 400)
        #expect(node.peer(at: target)?.state == scenario.state)
    }

    /// A probe of a peer that is not alive is given up after one period: no indirect probes, no state change.
    @Test(arguments: [PeerState.suspect, .offline])
    func aProbeOfAPeerNotAliveIsJustGivenUp(state: PeerState) throws {
        var node = try makeReplicator()
        for (n, helper) in zip(3..., helpers) { node.hear(try identity(UInt8(n)).id, at: helper, now: 0) }
        if state == .suspect {
            node.hear(try identity(2).id, at: target, now: 0)
            node.syncFinished(with: target, outcome: .failed, now: 0)
        } else {
            node.discovered(target, source: .configured)  // never heard: offline, and pinged every tick
        }
        var asked: [(helper: PeerAddress, probeID: UInt32)] = []
        for now: UInt64 in [0, 200, 400, 600] { asked += node.tick(now: now).pingRequests(for: target) }
        #expect(asked.isEmpty)
        #expect(node.peer(at: target)?.state == state)
    }

    struct OfflineCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        /// When the suspect speaks again, if it does.
        let heardAgainAt: UInt64?
        let tickAt: UInt64
        let state: PeerState
    }

    /// The target, heard at 0, is suspect from tick 400; silence is counted from the last packet.
    @Test(arguments: [
        OfflineCase(testDescription: "silent just under suspectTimeout", heardAgainAt: nil, tickAt: 1999, state: .suspect),
        OfflineCase(testDescription: "silent for suspectTimeout", heardAgainAt: nil, tickAt: 2000, state: .offline),
        OfflineCase(testDescription: "silent long after", heardAgainAt: nil, tickAt: 60_000, state: .offline),
        OfflineCase(testDescription: "heard again as a suspect", heardAgainAt: 1000, tickAt: 2000, state: .alive),
    ])
    func aSilentSuspectGoesOfflineAfterSuspectTimeout(_ scenario: OfflineCase) throws {
        var node = try makeReplicator()
        let peer = try identity(2).id
        node.hear(peer, at: target, now: 0)
        for now: UInt64 in [0, 200, 400] { _ = node.tick(now: now) }
        try #require(node.peer(at: target)?.state == .suspect)
        if let at = scenario.heardAgainAt { node.hear(peer, at: target, now: at) }
        _ = node.tick(now: scenario.tickAt)
        #expect(node.peer(at: target)?.state == scenario.state)
    }
}
