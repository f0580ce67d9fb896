@testable import LanChatCore
import Synchronization
import Testing

/// Membership news, rule by rule: what a suspicion, an offline report and an alive do to a verified peer,
/// what a node does when it is suspected itself, and how much of it a datagram carries.
@Suite("replicator rules: membership")
struct ReplicatorMembershipRuleTests {
    /// The suspect: a verified peer at address 2. The teller: another peer at address 9.
    private let suspectAddress = address(2)
    private let teller = address(9)

    /// The node under test at address 1, proven its own, with peer 2 verified at 0 and peer 9 heard; `verifier`
    /// checks alives.
    private func nodeKnowingTheSuspect(verifier: any AliveVerifying = AliveSignatureVerifier()) throws -> Replicator {
        var node = Replicator(
            configuration: ReplicationConfiguration(network: testNetwork), identity: try identity(1), incarnation: 1_000,
            seed: 7, aliveVerifier: verifier)
        node.learnOwnAddress(address(1), now: 0)
        node.verify(try identity(2).id, at: suspectAddress, now: 0)
        node.hear(try identity(9).id, at: teller, now: 0)
        return node
    }

    private func suspicion(of n: UInt8, _ incarnation: UInt64 = 0, kind: MembershipUpdate.Kind = .suspect) throws -> MembershipUpdate {
        MembershipUpdate(kind, subject: try identity(n).id, incarnation: incarnation, address: address(Int(n)))
    }

    private func alive(of n: UInt8, _ incarnation: UInt64) throws -> MembershipUpdate {
        .alive(by: try identity(n), incarnation: incarnation, address: address(Int(n)), network: testNetwork)
    }

    private func tell(_ node: inout Replicator, _ updates: [MembershipUpdate], at now: UInt64, from: PeerAddress? = nil) throws -> [Replicator.Directive] {
        node.deliver(.ack(node.probe(updates: updates)), from: try identity(9).id, at: from ?? teller, now: now)
    }

    /// It also probes the suspect at once: the ping tells the suspect, whose ack can bring the refutation back.
    @Test func aSuspicionFromAnotherNodeMakesAVerifiedPeerSuspectAndIsPassedOn() throws {
        var node = try nodeKnowingTheSuspect()
        let out = try tell(&node, [try suspicion(of: 2)], at: 10)
        #expect(node.peer(at: suspectAddress)?.state == .suspect)
        let ping = try #require(out.sent.first { if case .ping = $0.body { $0.to == suspectAddress } else { false } })
        let suspectID = try identity(2).id
        #expect([ping.body].updates.filter { $0.subject == suspectID }.map(\.kind) == [.suspect])
        let passedOn = node.tick(now: 200).news
        #expect(passedOn.contains { $0.subject == (try? identity(2).id) && $0.kind == .suspect })
    }

    /// A peer heard but never verified is suspected on others' word too (its next datagram revives it, as
    /// no gossip is about it), but the news is not passed on, and an alive about it is not even checked.
    @Test func newsAboutAnUnverifiedPeerIsTakenForItselfOnly() throws {
        let counter = CountingAliveVerifier()
        var node = try nodeKnowingTheSuspect(verifier: counter)
        node.hear(try identity(3).id, at: address(3), now: 0)  // heard, never verified
        _ = try tell(&node, [try suspicion(of: 3)], at: 10)
        #expect(node.peer(at: address(3))?.state == .suspect)
        #expect(node.footprint.queuedNews == 0)
        #expect(!node.tick(now: 200).news.contains { $0.address == address(3) })
        _ = try tell(&node, [try alive(of: 3, 5)], at: 210)
        #expect(counter.count == 0 && node.peer(at: address(3))?.state == .suspect)
        node.hear(try identity(3).id, at: address(3), now: 220)
        #expect(node.peer(at: address(3))?.state == .alive)
    }

    struct TimeoutCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let refutedWith: UInt64?
        let tickAfterTimeout: Int64
        let state: PeerState
    }

    static let timeoutCases: [TimeoutCase] = [
        .init(testDescription: "unrefuted, just before the timeout: suspect", refutedWith: nil, tickAfterTimeout: -1, state: .suspect),
        .init(testDescription: "unrefuted at the timeout: offline", refutedWith: nil, tickAfterTimeout: 0, state: .offline),
        .init(testDescription: "refuted at a higher incarnation: alive", refutedWith: 5, tickAfterTimeout: 0, state: .alive),
    ]

    /// The suspicion's time runs from when the news came (10), not from when the suspect was last heard (0).
    /// Unrefuted, the node's own probes of the suspect (the one the news made, and the one its silence made) go
    /// unanswered in the periods between.
    @Test(arguments: timeoutCases)
    func aSuspicionBecomesOfflineOnlyAfterItsTimeoutUnrefuted(_ scenario: TimeoutCase) throws {
        var node = try nodeKnowingTheSuspect()
        _ = try tell(&node, [try suspicion(of: 2)], at: 10)
        if let incarnation = scenario.refutedWith { _ = try tell(&node, [try alive(of: 2, incarnation)], at: 20) }
        let last = UInt64(10 + Int64(node.suspicionTimeout) + scenario.tickAfterTimeout)
        if scenario.refutedWith == nil { for now in stride(from: UInt64(200), to: last, by: 200) { _ = node.tick(now: now) } }
        _ = node.tick(now: last)
        #expect(node.peer(at: suspectAddress)?.state == scenario.state)
    }

    struct RefutationCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        /// The alive that follows a suspicion at incarnation 7 (the node knew 7 from an earlier alive).
        let alive: @Sendable () throws -> MembershipUpdate
        let clears: Bool
    }

    static let refutationCases: [RefutationCase] = [
        .init(testDescription: "signed, higher incarnation", alive: { .alive(by: try identity(2), incarnation: 8, address: address(2), network: testNetwork) }, clears: true),
        .init(testDescription: "signed, same incarnation (a replay)", alive: { .alive(by: try identity(2), incarnation: 7, address: address(2), network: testNetwork) }, clears: false),
        .init(testDescription: "signed, lower incarnation", alive: { .alive(by: try identity(2), incarnation: 6, address: address(2), network: testNetwork) }, clears: false),
        .init(testDescription: "signed by another identity", alive: {
            let forged = MembershipUpdate.alive(by: try identity(3), incarnation: 8, address: address(2), network: testNetwork)
            return MembershipUpdate(kind: .alive, subject: try identity(2).id, incarnation: 8, address: address(2), signature: forged.signature)
        }, clears: false),
        .init(testDescription: "unsigned", alive: {
            MembershipUpdate(kind: .alive, subject: try identity(2).id, incarnation: 8, address: address(2), signature: [UInt8](repeating: 0, count: 64))
        }, clears: false),
        .init(testDescription: "signed for another network", alive: { .alive(by: try identity(2), incarnation: 8, address: address(2), network: "other") }, clears: false),
        .init(testDescription: "another incarnation than signed", alive: {
            let signed = MembershipUpdate.alive(by: try identity(2), incarnation: 8, address: address(2), network: testNetwork)
            return MembershipUpdate(kind: .alive, subject: try identity(2).id, incarnation: 9, address: address(2), signature: signed.signature)
        }, clears: false),
    ]

    @Test(arguments: refutationCases)
    func onlyASignedAliveOfAHigherIncarnationClearsASuspicion(_ scenario: RefutationCase) throws {
        var node = try nodeKnowingTheSuspect()
        _ = try tell(&node, [try alive(of: 2, 7)], at: 5)
        _ = try tell(&node, [try suspicion(of: 2, 7)], at: 10)
        try #require(node.peer(at: suspectAddress)?.state == .suspect)
        _ = try tell(&node, [try scenario.alive()], at: 20)
        #expect((node.peer(at: suspectAddress)?.state == .alive) == scenario.clears)
        #expect(node.peer(at: suspectAddress)?.incarnation == (scenario.clears ? 8 : 7))
    }

    /// A suspicion of an incarnation older than one the peer already refuted is old news: not taken; the
    /// sender missed the refutation, so an ack gives it the newer alive; and the node may probe the peer
    /// itself (certainly with two peers), for the peer may have gone down since.
    @Test func aSuspicionOfAnOlderIncarnationIsNotTakenButAnsweredAndChecked() throws {
        var node = try nodeKnowingTheSuspect()
        let refutation = try alive(of: 2, 7)
        _ = try tell(&node, [refutation], at: 5)
        let out = node.deliver(.ping(node.probe(updates: [try suspicion(of: 2, 6)])), from: try identity(9).id, at: teller, now: 10)
        #expect(node.peer(at: suspectAddress)?.state == .alive)
        #expect(out.sent.contains { if case .ping = $0.body { $0.to == suspectAddress } else { false } })
        let ack = out.sent.first { if case .ack = $0.body { $0.to == teller } else { false } }
        #expect(ack.map { [$0.body].updates.first } == refutation)
    }

    /// First-hand contact from a verified suspect does not clear the suspicion (only its refutation does),
    /// but the node tells it what it holds against it, in its ack, so that it can refute.
    @Test func aVerifiedSuspectThatPingsIsToldItIsSuspected() throws {
        var node = try nodeKnowingTheSuspect()
        _ = try tell(&node, [try suspicion(of: 2, 0, kind: .offline)], at: 10)
        let answer = node.deliver(.ping(node.probe()), from: try identity(2).id, at: suspectAddress, now: 20)
        #expect(node.peer(at: suspectAddress)?.state == .suspect)
        let told = answer.news.first
        #expect(told?.subject == (try identity(2).id) && told?.kind == .suspect && told?.address == suspectAddress)
    }

    /// The node suspected (at its own incarnation or above) raises its incarnation, at most
    /// `Membership.raisesPerPeriod` times a period however often it is told (one more waits for the next
    /// period), and its ack carries the signed alive; a suspicion of an older one is answered at the
    /// incarnation it has.
    @Test func aSuspectedNodeRefutesWithASignedAliveOfAHigherIncarnation() throws {
        var node = try nodeKnowingTheSuspect()
        let me = try identity(1).id
        let suspected = MembershipUpdate(.suspect, subject: me, incarnation: 1_000, address: address(1))
        let answer = node.deliver(.ping(node.probe(updates: [suspected])), from: try identity(9).id, at: teller, now: 10)
        let refutation = try #require(answer.news.first { $0.subject == me })
        #expect(refutation.kind == .alive && refutation.incarnation == 1_001 && refutation.isSignedAlive(network: testNetwork))
        #expect(refutation.address == address(1))

        for _ in 1...Membership.raisesPerPeriod {
            let again = MembershipUpdate(.suspect, subject: me, incarnation: node.incarnation, address: address(1))
            _ = node.deliver(.ping(node.probe(updates: [again])), from: try identity(9).id, at: teller, now: 20)
        }
        let limit = 1_000 + UInt64(Membership.raisesPerPeriod)
        #expect(node.incarnation == limit)
        let next = node.tick(now: 200)
        #expect(node.incarnation == limit + 1)
        #expect(next.news.contains { $0.subject == me && $0.incarnation == limit + 1 })

        let old = MembershipUpdate(.suspect, subject: me, incarnation: 3, address: address(1))
        let oldAnswer = node.deliver(.ping(node.probe(updates: [old])), from: try identity(9).id, at: teller, now: 220)
        #expect(node.incarnation == limit + 1)
        #expect(oldAnswer.news.first { $0.subject == me }?.incarnation == limit + 1)
    }

    /// Where a sync proved a twin (this identity on another machine), suspicions of this node's ID are the
    /// twin's: refuting them would keep a crashed twin alive everywhere. Elsewhere this node refutes still.
    @Test func aSuspicionAtATwinsAddressIsLeftToTheTwin() throws {
        var node = try nodeKnowingTheSuspect()
        let me = try identity(1).id
        let twin = address(50)
        node.hear(me, at: twin, now: 5)
        node.syncFinished(with: twin, outcome: .twin, now: 6)
        let atTwin = MembershipUpdate(.suspect, subject: me, incarnation: 1_000, address: twin)
        let answer = node.deliver(.ping(node.probe(updates: [atTwin])), from: try identity(9).id, at: teller, now: 10)
        #expect(!answer.news.contains { $0.subject == me } && node.incarnation == 1_000)
        let atOwn = MembershipUpdate(.suspect, subject: me, incarnation: 1_000, address: address(1))
        let refuted = node.deliver(.ping(node.probe(updates: [atOwn])), from: try identity(9).id, at: teller, now: 20)
        #expect(refuted.news.contains { $0.subject == me && $0.kind == .alive } && node.incarnation == 1_001)
    }

    /// A suspicion of this node's ID at an address not proven its own is not refuted: it may be a twin's, and the
    /// twin gone. The address is kept as a peer claiming this ID and probed, for the sync that follows to tell;
    /// once proven this node's own, a suspicion there is refuted.
    @Test func aSuspicionAtAnAddressNotProvenOwnIsProbedNotRefuted() throws {
        var node = try nodeKnowingTheSuspect()
        let me = try identity(1).id
        let elsewhere = address(60)
        let suspected = MembershipUpdate(.suspect, subject: me, incarnation: 1_000, address: elsewhere)
        let out = node.deliver(.ping(node.probe(updates: [suspected])), from: try identity(9).id, at: teller, now: 10)
        #expect(!out.news.contains { $0.subject == me } && node.incarnation == 1_000)
        #expect(out.sent.contains { body, to in if case .ping = body { to == elsewhere } else { false } })
        #expect(node.peer(at: elsewhere)?.claimedID == me)
        node.learnOwnAddress(elsewhere, now: 20)
        let again = node.deliver(.ping(node.probe(updates: [suspected])), from: try identity(9).id, at: teller, now: 30)
        #expect(again.news.contains { $0.subject == me && $0.kind == .alive } && node.incarnation == 1_001)
    }

    /// The addresses the machine names this node's own (where its socket is bound) are its own without a sync: a
    /// suspicion there is refuted at once, and none is a peer, however many there are (they are not capped like
    /// claims from others). Each naming replaces the last: an address the machine no longer has is not its own.
    @Test func addressesTheMachineNamesOwnAreRefutedAtWithoutASync() throws {
        var node = try makeReplicator()
        let me = try identity(1).id
        let named = (100..<130).map(address)
        node.discovered(named[0], source: .configured)
        node.hear(try identity(9).id, at: teller, now: 0)
        node.ownAddresses(named)
        for address in named { node.discovered(address, source: .mdns) }
        #expect(named.allSatisfy { node.peer(at: $0) == nil })
        let suspicion = { (at: PeerAddress) in MembershipUpdate(.suspect, subject: me, incarnation: 1_000, address: at) }
        let out = node.deliver(.ping(node.probe(updates: [suspicion(named[0])])), from: try identity(9).id, at: teller, now: 10)
        #expect(out.news.contains { $0.subject == me && $0.kind == .alive } && node.incarnation == 1_001)
        #expect(!out.sent.contains { _, to in named.contains(to) })
        // The machine moved on from the first address: a suspicion there is probed, as at any unproven address.
        node.ownAddresses(Array(named.dropFirst()))
        let later = MembershipUpdate(.suspect, subject: me, incarnation: 1_001, address: named[0])
        let again = node.deliver(.ping(node.probe(updates: [later])), from: try identity(9).id, at: teller, now: 20)
        // (The first refutation, still queued, may ride along; no new one is made.)
        #expect(!again.news.contains { $0.subject == me && $0.incarnation > 1_001 } && node.incarnation == 1_001)
        #expect(again.sent.contains { body, to in if case .ping = body { to == named[0] } else { false } })
    }

    /// Suspicions naming this node's ID at many unproven addresses make one probe a period, not one each: made-up
    /// news must not turn the node into a source of pings to addresses its sender chooses.
    @Test func suspicionsAtUnprovenAddressesMakeOneProbeAPeriod() throws {
        var node = try nodeKnowingTheSuspect()
        let me = try identity(1).id
        let named = (60..<60 + Datagram.maxUpdates).map(address)
        let suspicions = named.map { MembershipUpdate(.suspect, subject: me, incarnation: 1_000, address: $0) }
        let pinged = { (out: [Replicator.Directive]) in
            out.sent.filter { body, to in if case .ping = body { named.contains(to) } else { false } }.count
        }
        #expect(pinged(node.deliver(.ack(node.probe(updates: suspicions)), from: try identity(9).id, at: teller, now: 10)) == 1)
        #expect(pinged(node.deliver(.ack(node.probe(updates: suspicions)), from: try identity(9).id, at: teller, now: 20)) == 0)
        _ = node.tick(now: 200)
        #expect(pinged(node.deliver(.ack(node.probe(updates: suspicions)), from: try identity(9).id, at: teller, now: 210)) == 1)
        #expect(named.allSatisfy { node.peer(at: $0)?.claimedID == me })
    }

    /// An alive that would change nothing costs no signature check; a source gets
    /// `Membership.aliveChecksPerSource` checks per period, however many alives it sends.
    @Test func aliveChecksAreSpentOnlyOnNewsAndBoundedPerSource() throws {
        let counter = CountingAliveVerifier()
        var node = try nodeKnowingTheSuspect(verifier: counter)
        for n in 3...12 { node.verify(try identity(UInt8(n)).id, at: address(n), now: 0) }
        _ = try tell(&node, [try alive(of: 2, 7)], at: 10)
        _ = try tell(&node, [try alive(of: 2, 7), try alive(of: 2, 5)], at: 20)  // a replay and old news
        #expect(counter.count == 1)
        // Eight more: the source has seven checks left in this period; peer 10's alive is dropped unchecked.
        _ = try tell(&node, try (3...10).map { try alive(of: UInt8($0), 1) }, at: 30)
        #expect(counter.count == Membership.aliveChecksPerSource)
        #expect(node.peer(at: address(9))?.incarnation == 1 && node.peer(at: address(10))?.incarnation == 0)
        _ = node.tick(now: 200)
        _ = try tell(&node, try (10...11).map { try alive(of: UInt8($0), 1) }, at: 210)
        #expect(counter.count == Membership.aliveChecksPerSource + 2)
    }

    /// A period's suspicions are taken one per sending host, whatever port each datagram comes from: a slanderer
    /// changing its port for each datagram would otherwise take every source of the period.
    @Test func suspicionsFromManyPortsOfOneHostCountAsOneSource() throws {
        var node = try nodeKnowingTheSuspect()
        for n in 3...4 { node.verify(try identity(UInt8(n)).id, at: address(n), now: 0) }
        for (port, suspect) in zip(UInt16(40_000)..., UInt8(2)...4) {
            _ = try tell(&node, [try suspicion(of: suspect)], at: 10, from: PeerAddress(host: "10.0.0.99", port: port))
        }
        #expect((2...4).map { node.peer(at: address($0))?.state } == [.suspect, .alive, .alive])
    }

    /// Each piece of news goes out at most λ·⌈log2(N+1)⌉ times, at most `updatesPerProbe` of them (and one
    /// about the recipient) per datagram, and no datagram outgrows `Datagram.maxBytes`, sealed or not, on a
    /// network of the longest name, with every probe naming as many grown logs as it may (`recent`).
    @Test(arguments: [false, true])
    func piggybackedNewsIsBoundedPerDatagramAndInAll(sealed: Bool) throws {
        let peers = 60
        let longestName = String(repeating: "n", count: NetworkName.maxBytes)
        var configuration = ReplicationConfiguration(network: longestName)
        configuration.suspectTimeout = 1_000_000  // nothing goes offline: only suspicions circulate
        let ring = sealed ? NetworkKeyRing([NetworkKey(bytes: [UInt8](repeating: 1, count: 32))!]) : nil
        var sealer = ring.map { DatagramSealer(ring: $0, network: longestName) }
        var node = Replicator(configuration: configuration, identity: try identity(1), incarnation: 1_000, seed: 7, keys: ring)
        // What arrives goes in sealed where the network has a key, as the shell receives it.
        func tell(_ body: Datagram.Body, from sender: AuthorID, at address: PeerAddress) {
            let plain = Datagram(network: longestName, sender: sender, body: body).encoded()
            var bytes = plain
            if var open = sealer {
                bytes = open.seal(plain, at: 0)
                sealer = open
            }
            _ = node.receive(bytes, from: address, now: 10)
        }
        // Long host names, so that the byte budget binds before the count does.
        let host = { (n: Int) in PeerAddress(host: "fd00:0:0:0:0:0:\(String(n, radix: 16)):1", port: 7420) }
        for n in 2..<(2 + peers) {
            tell(.ping(node.probe()), from: try identity(UInt8(n)).id, at: host(n))
            node.syncFinished(with: host(n), outcome: .completed(syncResult(try identity(UInt8(n)).id)), now: 10)
        }
        let news = try (2..<(2 + peers)).map { MembershipUpdate(.suspect, subject: try identity(UInt8($0)).id, incarnation: 0, address: host($0)) }
        // Each from another peer: one source's suspicions are taken once a period (`Membership.suspicionsPerSource`).
        for (index, update) in news.enumerated() {
            let teller = 2 + (index + 1) % peers
            tell(.ack(node.probe(updates: [update])), from: try identity(UInt8(teller)).id, at: host(teller))
        }
        var sent: [AuthorID: Int] = [:]
        let writers = try (2..<(2 + Datagram.maxRecent + 1)).map { try identity(UInt8($0)).id }
        for period in 1...400 {
            node.tipsChanged(Dictionary(uniqueKeysWithValues: writers.map { ($0, [tip(UInt64(period))]) }))
            let out = node.tick(now: UInt64(period) * 200)
            for case .send(let datagram, _) in out {
                guard case .ping(let probe) = datagram.body else { continue }
                #expect(probe.recent.count == Datagram.maxRecent)
                #expect(probe.updates.count <= configuration.updatesPerProbe + 1)
                #expect(datagram.encoded().count + (sealed ? DatagramSealer.overhead : 0) <= Datagram.maxBytes)
                for update in probe.updates { sent[update.subject, default: 0] += 1 }
            }
        }
        let limit = configuration.gossipMultiplier * 6  // ⌈log2(61 + 1)⌉ = 6
        #expect(sent.count == peers)
        // Its own queue's sends, and at most one more each time the peer was the recipient (probed once a round).
        #expect(sent.values.allSatisfy { $0 <= limit + 400 / peers + 1 })
        #expect(node.footprint.queuedNews == 0)
    }

    /// A peer of proven ID heard from within the current period is passed over by the round robin; one of
    /// unproven ID is probed all the same, as the ack to a probe of its own is what first syncs with it.
    @Test func aVerifiedPeerHeardWithinThePeriodIsNotProbed() throws {
        var node = try makeReplicator()
        node.verify(try identity(2).id, at: address(2), now: 0)
        node.verify(try identity(3).id, at: address(3), now: 0)
        node.hear(try identity(4).id, at: address(4), now: 0)
        func pinged(at now: UInt64) -> [PeerAddress] {
            node.tick(now: now).sent.compactMap { body, to in if case .ping = body { to } else { nil } }
        }
        var probed: [PeerAddress] = []
        for round in UInt64(1)...3 {
            node.hear(try identity(2).id, at: address(2), now: round * 200 - 10)
            probed += pinged(at: round * 200)
        }
        #expect(!probed.contains(address(2)) && probed.contains(address(3)) && probed.contains(address(4)))
        for n: UInt8 in 2...4 { node.hear(try identity(n).id, at: address(Int(n)), now: 790) }
        #expect(pinged(at: 800) == [address(4)])
    }

    /// A failure this node confirmed itself is told again once it has stood a suspicion timeout unrefuted, one to
    /// a datagram, for the standing window: a verifier of the failed node that every copy of the news missed
    /// still hears of it.
    /// Peer 3 keeps pinging, so the node's acks carry its news; peer 2 falls silent and goes offline here.
    @Test func aConfirmedFailureIsToldAgainUntilItsWindowEnds() throws {
        var node = try nodeKnowingTheSuspect()
        node.verify(try identity(3).id, at: address(3), now: 0)
        let period = ReplicationConfiguration(network: testNetwork).protocolPeriod
        var now: UInt64 = 10
        /// Peer 3 pings, and the ack it gets back carries this news about peer 2.
        func newsAboutTheSuspect() throws -> [MembershipUpdate.Kind] {
            let answer = node.deliver(.ping(node.probe()), from: try identity(3).id, at: address(3), now: now)
            _ = node.deliver(.ping(node.probe()), from: try identity(9).id, at: teller, now: now)
            return answer.news.filter { $0.address == suspectAddress }.map(\.kind)
        }
        node.silence(suspectAddress, now: now)
        while node.peer(at: suspectAddress)?.state != .offline, now < 400 * period {
            now += period
            _ = try newsAboutTheSuspect()
            _ = node.tick(now: now)
        }
        try #require(node.peer(at: suspectAddress)?.state == .offline)
        let offlineAt = now
        // The queue tells the offline a bounded number of times (λ·log N), then holds nothing more.
        while node.footprint.queuedNews > 0, now < offlineAt + 100 * period {
            now += period
            _ = try newsAboutTheSuspect()
            _ = node.tick(now: now)
        }
        try #require(node.footprint.queuedNews == 0)
        // Not told again until it has stood a suspicion timeout unrefuted.
        while now + period < offlineAt + node.suspicionTimeout {
            now += period
            _ = node.tick(now: now)
            #expect(try newsAboutTheSuspect().isEmpty)
        }
        now = offlineAt + node.suspicionTimeout
        _ = node.tick(now: now)
        for _ in 0..<5 {
            #expect(try newsAboutTheSuspect() == [.offline])
            now += period
            _ = node.tick(now: now)
        }
        // To the window's last period, and no more after it.
        let window = UInt64(PeerTable.maxCapacity) * period
        now = offlineAt + node.suspicionTimeout + window - period
        _ = node.tick(now: now)
        #expect(try newsAboutTheSuspect() == [.offline])
        now += period
        _ = node.tick(now: now)
        #expect(try newsAboutTheSuspect().isEmpty)
    }

    /// Two standing failures are told in turn, one to a datagram; and the recipient is never told one about
    /// its own ID (the failed node back at another address).
    @Test func standingFailuresAreToldInTurnAndNeverToTheFailedNodeItself() throws {
        var node = try nodeKnowingTheSuspect()
        node.verify(try identity(3).id, at: address(3), now: 0)
        node.verify(try identity(4).id, at: address(4), now: 0)
        let period = ReplicationConfiguration(network: testNetwork).protocolPeriod
        var now: UInt64 = 10
        /// Peer `n` pings from `at`; what the datagrams back to it say.
        func keepAlive(_ n: UInt8, _ at: PeerAddress) throws -> [MembershipUpdate] {
            node.deliver(.ping(node.probe()), from: try identity(n).id, at: at, now: now).sent.filter { $0.to == at }.map(\.body).updates
        }
        node.silence(suspectAddress, now: now)
        node.silence(address(4), now: now)
        // Both go offline, then stand a suspicion timeout, while peers 3 and 9 keep pinging.
        var offline: UInt64?
        while now < 400 * period {
            now += period
            _ = try keepAlive(3, address(3))
            _ = try keepAlive(9, teller)
            _ = node.tick(now: now)
            if offline == nil, node.peer(at: suspectAddress)?.state == .offline, node.peer(at: address(4))?.state == .offline { offline = now }
            if let offline, now >= offline + node.suspicionTimeout + 50 * period { break }
        }
        try #require(offline != nil && node.footprint.queuedNews == 0)
        let failed: Set<PeerAddress> = [suspectAddress, address(4)]
        let told = try (0..<4).map { _ in try keepAlive(3, address(3)).filter { failed.contains($0.address) } }
        try #require(told.allSatisfy { $0.count == 1 && $0[0].kind == .offline })
        #expect(Set(told.map { $0[0].address }) == failed && told[0][0].address != told[1][0].address)
        // Peer 4's ID pinging from a new address is told of peer 2 only, never of itself.
        let fromItself = try (0..<4).map { _ in try keepAlive(4, address(5)).filter { failed.contains($0.address) }.map(\.address) }
        #expect(fromItself.allSatisfy { $0 == [suspectAddress] })
    }
}

/// Counts the alive signatures it is asked to check.
final class CountingAliveVerifier: AliveVerifying {
    private let checks = Atomic<Int>(0)

    var count: Int { checks.load(ordering: .relaxed) }

    func verify(_ alive: MembershipUpdate, network: String) -> Bool {
        checks.add(1, ordering: .relaxed)
        return alive.isSignedAlive(network: network)
    }
}
