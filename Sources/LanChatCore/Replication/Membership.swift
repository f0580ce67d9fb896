/// SWIM's membership rules for one node (with Lifeguard's suspicion timeout that grows with log N):
/// suspicions of peers whose ID is verified are told to others on pings and acks, and become offline
/// only when `suspicionTimeout` passes without the suspect's refutation, an alive signed by it with a
/// higher incarnation than the one suspected. This node refutes suspicions of itself the same way.
struct Membership: Sendable {
    /// Alive signatures checked per source in one period: made-up incarnations cost their sender's share.
    static let aliveChecksPerSource = Datagram.maxUpdates
    /// Suspicions taken from one source in one period: a node that slanders everyone gets no further than
    /// this, and every suspicion it starts is refuted long before it runs out.
    static let suspicionsPerSource = 1
    /// Sources counted per period, so the maps stay small; beyond, news from new sources waits for the next.
    static let sourcesPerPeriod = 64
    static let raisesPerPeriod = 8
    /// Suspects probed in one period before their suspicion may end offline: enough for the few failures at a
    /// time a network sees, few enough that a partition's hundreds of suspects do not make a burst of pings.
    static let checksPerPeriod = 4

    let identity: LocalIdentity
    private let configuration: ReplicationConfiguration
    private let verifier: any AliveVerifying
    private(set) var incarnation: UInt64
    /// Raises of this node's incarnation in this period: at most `raisesPerPeriod` (40 a second at the default
    /// period), so a flood of suspicions cannot push it past the wall-clock start of the next run (1,000 a
    /// second). A suspicion that needs one more waits for the next period, at the address it named.
    private var raises = 0
    private var raiseWaiting: PeerAddress?
    /// The signature of this node's alive at its incarnation: signed once per incarnation, whatever
    /// addresses suspicions name (the address is not signed).
    private var ownSignature: (incarnation: UInt64, signature: [UInt8])?
    /// Refutations have half of each datagram's room first: they are what keeps a live node from being taken
    /// offline. Suspicions have the other half, so that a burst of refutations (after a partition heals)
    /// does not hold back the news of a failure; whatever room is left goes to refutations again.
    private var refutations = GossipQueue()
    private var suspicions = GossipQueue()
    private var checks: [String: Int] = [:]
    private var suspicionsTaken: [String: Int] = [:]
    /// Peers of verified ID this node took offline itself, oldest first, with when. Once one has stood a
    /// suspicion timeout unrefuted (a live peer's refutation comes back within it, so what stands is a failure,
    /// not the loss of a few probes), each datagram tells one of the standing failures again, in turn, for
    /// `standingMillis`. News of a failure is acted on only by the failed node's verifiers (the peers that synced
    /// with it), which may be a few of a thousand; the queued news goes out λ·log N times and can die out before
    /// it meets them all, and a verifier it missed held the failed node for as long as its own round robin took
    /// to come to it. Told again and again by every node that confirmed it, the failure keeps reaching nodes
    /// until the window ends (Serf's push-pull in miniature: a standing record beside SWIM's rumours).
    private var confirmed: [(address: PeerAddress, since: UInt64)] = []
    /// Those told now, and the one told last.
    private var standing: [PeerAddress] = []
    private var standingTurn = 0

    init(identity: LocalIdentity, incarnation: UInt64, configuration: ReplicationConfiguration, verifier: any AliveVerifying) {
        self.identity = identity
        self.incarnation = min(max(incarnation, 1), MembershipUpdate.maxIncarnation)
        self.configuration = configuration
        self.verifier = verifier
    }

    var queued: Int { refutations.count + suspicions.count }

    /// How long a failure this node confirmed is told again: as long as a round robin over a full peer table
    /// takes, after which every node that holds the failed peer has probed it itself.
    private var standingMillis: UInt64 { UInt64(PeerTable.capacity(configured: configuration.peerTableCapacity)) * configuration.protocolPeriod }

    /// How long a suspicion lasts before it is offline: long enough for the news to reach the suspect and
    /// its refutation to come back, which takes a number of periods growing with log N.
    func suspicionTimeout(peers: Int) -> UInt64 {
        max(configuration.suspectTimeout, configuration.suspicionMultiplier * UInt64(Self.log2(peers + 1)) * configuration.protocolPeriod)
    }

    mutating func newPeriod() {
        checks = [:]
        suspicionsTaken = [:]
        raises = 0
        if let address = raiseWaiting {
            raiseWaiting = nil
            refute(incarnation, at: address)
        }
    }

    // MARK: What this node sees itself

    /// This node's own evidence (an unanswered probe, a failed sync) against a peer not offline: silent since
    /// `since`. Against a peer of verified ID it is first only a doubt, and the caller probes the peer again at
    /// once (returns true); silent through that probe too, a live peer becomes suspect, and a suspect one is
    /// confirmed silent, for this node, so that its suspicion may end offline. Against a peer of unverified ID,
    /// one unanswered probe is enough.
    ///
    /// Why doubt first: at 10 % loss about 2 % of probes fail falsely, and every suspicion or offline told costs
    /// each verifier of the suspect two pieces of news to carry, the suspicion and its refutation. A second probe
    /// makes a false suspicion about fifty times rarer, for two periods more to detect a crash. (A suspect's
    /// probes go without indirect ones, so two in a row fail far more often: about 4 % at 10 % loss.)
    @discardableResult
    mutating func suspect(_ address: PeerAddress, since: UInt64, in table: inout PeerTable) -> Bool {
        guard let record = table[address], record.state != .offline,
            // Already found silent, nothing heard since: nothing to add.
            record.silentSince.map({ $0 < record.lastSeen ?? 0 }) ?? true
        else { return false }
        let doubtedSince = record.doubtedSince.flatMap { $0 >= record.lastSeen ?? 0 ? $0 : nil }
        if record.verifiedID != nil, doubtedSince == nil {
            table.update(address) { $0.doubtedSince = since }
            return true
        }
        table.update(address) { record in
            // Silent since the first unanswered probe, if nothing was heard after it; that doubt is spent.
            record.silentSince = doubtedSince ?? since
            record.doubtedSince = nil
            guard record.state == .alive else { return }
            record.state = .suspect
            record.suspectedSince = since
        }
        if record.state == .alive, let id = record.verifiedID {
            tell(MembershipUpdate(.suspect, subject: id, incarnation: record.incarnation, address: address))
        }
        return false
    }

    /// Suspects that stayed unrefuted for `suspicionTimeout` go offline, and others are told, if this node's own
    /// probe found them silent too. Returns the expired suspects to probe, longest waiting first (the caller
    /// probes `checksPerPeriod` of them at most, passing over those it is probing already):
    /// a suspicion taken on others' word, or one the suspect spoke after, ends offline only once this node's
    /// own probe goes unanswered. A node that answers this node is never taken offline here, however much
    /// news (slander, refutations that queues of news were too full to carry) went by.
    mutating func expireSuspicions(now: UInt64, in table: inout PeerTable) -> [PeerAddress] {
        let timeout = suspicionTimeout(peers: table.records.count)
        let expired = table.suspects.compactMap { address -> PeerRecord? in
            table[address].flatMap { now - min($0.suspectedSince ?? $0.lastSeen ?? 0, now) >= timeout ? $0 : nil }
        }
        var unchecked: [PeerRecord] = []
        // Sorted, so that news goes out in the same order in every run.
        for record in expired.sorted(by: { $0.address < $1.address }) {
            guard let silent = record.silentSince, silent >= record.lastSeen ?? 0 else {
                unchecked.append(record)
                continue
            }
            table.update(record.address) { $0.state = .offline }
            if let id = record.verifiedID {
                tell(MembershipUpdate(.offline, subject: id, incarnation: record.incarnation, address: record.address))
                confirmed.removeAll { $0.address == record.address }
                confirmed.append((record.address, now))
            }
        }
        // What came back (its alive) or was forgotten is no longer a failure to tell, nor what is past the window.
        let window = timeout + standingMillis
        confirmed.removeAll { now - min($0.since, now) >= window || table[$0.address]?.state != .offline }
        standing = confirmed.filter { now - min($0.since, now) >= timeout }.map(\.address)
        let longestWaiting = unchecked.sorted { ($0.suspectedSince ?? 0, $0.address) < ($1.suspectedSince ?? 0, $1.address) }
        return longestWaiting.map(\.address)
    }

    // MARK: What others say

    /// What a piece of news calls for besides what it changed here.
    struct Answer {
        /// It was a suspicion of a peer this node held alive: a probe of the peer by this node would tell it
        /// of the suspicion and bring its refutation back in the ack.
        var mayCheck = false
        /// It was a suspicion of an older incarnation than this node knows: not taken, and the sender, who
        /// missed the refutation, is owed the peer's newer alive (in the ack, if the news came on a ping).
        /// Or it was a suspicion of this node: the sender is owed its refutation.
        var correction: MembershipUpdate?
    }

    /// News from `source`, about the peer at `address` (already admitted by `AddressPolicy`).
    @discardableResult
    mutating func apply(_ update: MembershipUpdate, at address: PeerAddress, from source: PeerAddress, now: UInt64, in table: inout PeerTable) -> Answer {
        if update.subject == identity.id {
            // First-hand: the reply to the node that says so carries the refutation, ahead of all queued news.
            return Answer(correction: update.kind == .alive ? nil : refute(update.incarnation, at: address))
        }
        guard let record = table[address], record.knownID == update.subject else { return Answer() }
        guard record.verifiedID != nil else {
            // A peer of unverified ID: no one gossips about it and its first datagram revives it, so taking a
            // suspicion of it costs nothing if it is there, and spares a probe of every such peer if it is not.
            if update.kind != .alive, record.state == .alive {
                table.update(address) { record in
                    record.state = .suspect
                    record.suspectedSince = now
                }
            }
            return Answer()
        }
        switch update.kind {
        case .suspect, .offline:
            guard record.state == .alive, Self.spend(&suspicionsTaken, Self.suspicionsPerSource, on: source) else { return Answer() }
            guard update.incarnation >= record.incarnation else {
                let newer = record.aliveSignature.map {
                    MembershipUpdate(kind: .alive, subject: update.subject, incarnation: record.incarnation, address: address, signature: $0)
                }
                return Answer(mayCheck: true, correction: newer)
            }
            table.update(address) { record in
                record.state = .suspect
                record.suspectedSince = now
            }
            // Held at this node's own incarnation: an unsigned claim never raises what a refutation must beat.
            tell(MembershipUpdate(.suspect, subject: update.subject, incarnation: record.incarnation, address: address))
            return Answer(mayCheck: true)
        case .alive:
            // A replay or old news is dropped before its signature costs anything.
            guard update.incarnation > record.incarnation, Self.spend(&checks, Self.aliveChecksPerSource, on: source),
                verifier.verify(update, network: configuration.network)
            else { return Answer() }
            table.update(address) { record in
                record.incarnation = update.incarnation
                record.aliveSignature = update.signature
                record.state = .alive
                record.suspectedSince = nil
                // Signed after this node's probe went unanswered: that silence, and any doubt, is over.
                record.silentSince = nil
                record.doubtedSince = nil
            }
            tell(MembershipUpdate(
                kind: .alive, subject: update.subject, incarnation: update.incarnation, address: address, signature: update.signature))
            return Answer()
        }
    }

    /// Suspected at `suspected`: tell everyone this node is alive, at a higher incarnation if that one is
    /// not higher already. Receivers hold a suspicion at the incarnation they knew, never above this node's.
    /// Returns the refutation, or nil when it waits for the next period's raises.
    @discardableResult
    private mutating func refute(_ suspected: UInt64, at address: PeerAddress) -> MembershipUpdate? {
        if suspected >= incarnation {
            guard incarnation < MembershipUpdate.maxIncarnation else { return nil }
            guard raises < Self.raisesPerPeriod else {
                raiseWaiting = address
                return nil
            }
            incarnation += 1
            raises += 1
        }
        if ownSignature?.incarnation != incarnation {
            ownSignature = (incarnation, MembershipUpdate.alive(by: identity, incarnation: incarnation, address: address, network: configuration.network).signature)
        }
        let alive = MembershipUpdate(kind: .alive, subject: identity.id, incarnation: incarnation, address: address, signature: ownSignature?.signature ?? [])
        tell(alive)
        return alive
    }

    /// One of the sender's `allowance` for this period, if it has any left.
    /// Charged to the sender's host (`PeerAddress.floodSource`): one host sending from many ports would
    /// otherwise take every one of the period's sources, and honest refutations would go unchecked.
    private static func spend(_ spent: inout [String: Int], _ allowance: Int, on sender: PeerAddress) -> Bool {
        let source = sender.floodSource
        guard spent[source] != nil || spent.count < Self.sourcesPerPeriod, spent[source, default: 0] < allowance else { return false }
        spent[source, default: 0] += 1
        return true
    }

    /// Queues news for others; an alive replaces what the other queue held about the address.
    private mutating func tell(_ update: MembershipUpdate) {
        if update.kind == .alive {
            suspicions.remove(update.address)
            refutations.enqueue(update)
        } else {
            refutations.remove(update.address)
            suspicions.enqueue(update)
        }
    }

    // MARK: What goes out

    /// The news for a datagram to `recipient`, within `budget` bytes: first what this node holds against the
    /// recipient itself, so that it can refute, then the least-sent news of the queues, none about the addresses
    /// of the `corrections` the datagram carries already, and fewer for each of them.
    mutating func piggyback(for recipient: PeerAddress, after corrections: [MembershipUpdate], budget: Int, table: PeerTable) -> [MembershipUpdate] {
        var about: [MembershipUpdate] = []
        if let record = table[recipient], let id = record.verifiedID, record.state != .alive {
            about.append(MembershipUpdate(record.state == .offline ? .offline : .suspect, subject: id, incarnation: record.incarnation, address: recipient))
        }
        let limit = configuration.gossipMultiplier * Self.log2(table.records.count + 1)
        let room = { (taken: [MembershipUpdate]) in budget - (about + taken).reduce(0) { $0 + $1.encodedSize } }
        // The corrections take the place of queued news: with the one about the recipient, a datagram never
        // carries more than `Datagram.maxUpdates`, beyond which a receiver refuses it whole.
        let most = max(0, min(configuration.updatesPerProbe, Datagram.maxUpdates - 1) - corrections.count)
        var excluded = Set([recipient] + corrections.map(\.address))
        let link = table.link(to: recipient)
        var queued = refutations.take(for: recipient, onLink: link, limit: limit, maxCount: (most + 1) / 2, budget: room([]), excluding: &excluded)
        queued += suspicions.take(for: recipient, onLink: link, limit: limit, maxCount: most - queued.count, budget: room(queued), excluding: &excluded)
        queued += refutations.take(for: recipient, onLink: link, limit: limit, maxCount: most - queued.count, budget: room(queued), excluding: &excluded)
        // One standing failure where the datagram has a place left (by default it has: `most` leaves one).
        if corrections.count + about.count + queued.count < Datagram.maxUpdates,
            let failure = nextStanding(for: recipient, onLink: link, excluding: excluded, table: table), failure.encodedSize <= room(queued)
        {
            queued.append(failure)
        }
        return about + queued
    }

    /// The next of the standing failures, in turn, that may be told to `recipient` and is not told already. None
    /// about the recipient's own ID: the failed node back at another address would probe the old one for each.
    private mutating func nextStanding(
        for recipient: PeerAddress, onLink link: String?, excluding excluded: Set<PeerAddress>, table: PeerTable
    ) -> MembershipUpdate? {
        let recipientID = table[recipient]?.knownID
        for _ in 0..<standing.count {
            standingTurn = (standingTurn + 1) % standing.count
            let address = standing[standingTurn]
            guard !excluded.contains(address), address.mayBeNamed(to: recipient, onLink: link), let record = table[address],
                record.state == .offline, let id = record.verifiedID, id != recipientID
            else { continue }
            return MembershipUpdate(.offline, subject: id, incarnation: record.incarnation, address: address)
        }
        return nil
    }

    /// ⌈log2 n⌉, at least 1.
    private static func log2(_ n: Int) -> Int { max(1, Int.bitWidth - (n - 1).leadingZeroBitCount) }
}
