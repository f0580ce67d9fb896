/// The replication protocol of one node, as a value: events in, directives out. No I/O, no clock,
/// no tasks; `now` is monotonic milliseconds from the caller, randomness comes from a seed.
///
/// - Dissemination: a new entry is pushed by its origin straight to every live peer, one datagram
///   each (on a LAN every node knows every other, so this is the cheapest scheme: redundancy 0); past
///   `directPushPeers` live peers of verified ID, down a relay tree (`RelayTree`), 8 datagrams a node.
/// - Anti-entropy: every ping and ack carries a digest of the sync vector; a difference that
///   persists opens a TCP sync, which repairs whatever push lost, late joiners and partitions.
/// - Liveness, SWIM-style: one probe per period round robin (passing over peers heard within the
///   period), indirect probes through two peers before a silent peer is doubted, and a second probe at
///   once before a doubted peer of verified ID turns suspect; suspicions,
///   refutations and offline news ride on pings and acks (`Membership`), so every node learns of a
///   failure within a number of periods that grows with log N, not N.
/// - Peer exchange: pings and acks carry a few verified peers, so one seed reaches everyone.
public struct Replicator: Sendable {
    public enum Directive: Equatable, Sendable {
        /// The shell encodes it (`Datagram.encoded()`) and sends it over UDP.
        case send(Datagram, to: PeerAddress)
        /// An entry a peer pushed, new to this node, its signature not checked yet: the shell keeps it if
        /// `PushBurst` finds it authentic (among the pushes that arrived with it), stores it, and reports
        /// back with `tipsChanged`, and with `pushesSettled` once each push was stored or found forged or held.
        /// `relayUntil`: it came as a relay, which the shell passes on with `relay` once found authentic.
        case pushed(Entry, from: PeerAddress, relayUntil: UInt64? = nil)
        /// Open a TCP sync with this peer; report back with `syncFinished`.
        case sync(with: PeerAddress)
        /// A peer wants the author's entries after `after.seq`: the shell reads up to `Datagram.maxPushedEntries`
        /// of them (`EntryStore.entries(author:after:limit:)`) and passes them to `serve`.
        case serve(after: EntryKey, to: PeerAddress)
    }

    public let configuration: ReplicationConfiguration
    public let selfID: AuthorID
    /// Every author's tips, as the store holds them: what pings summarise and syncs exchange.
    public private(set) var vector = SyncVector()
    public private(set) var counters = ReplicationCounters()
    private var table: PeerTable
    private var membership: Membership
    private var random: SplitMix64
    private var nextProbeID: UInt32 = 1
    private var unprovenOwnProbes = 0
    private var outstanding: [UInt32: Probe] = [:]
    /// Kept up to date one author at a time, not computed per ping.
    private var digest: UInt64
    private var total: UInt64
    /// Addresses where a handshake proved this node's own ID: its own, or a twin's. Never peers.
    /// `true` where it was a twin: suspicions there are the twin's to refute, or its crash would never be
    /// known (this node would keep clearing it).
    private var selfAddresses: [PeerAddress: Bool] = [:]
    /// A node has a few addresses at most; the set must not grow on claims from others.
    static let maxSelfAddresses = 16
    /// The addresses this machine names this node's (`ownAddresses`), replaced whole each time: they come from the
    /// machine, not from others' claims, so they need no cap, and one the machine no longer has is no longer its.
    private var machineAddresses: Set<PeerAddress> = []
    private var limiter: RateLimiter
    private var lazy = LazyPush()
    /// Wants a node answers in one period at most: what the shell's queue of them needs to hold.
    public static let maxServesPerPeriod = LazyPush.servedPerPeriod
    /// Entries this node relayed lately: a second copy (views differ, so arcs may overlap) goes no further.
    /// Only entries still on their way to the store need it; older ones are held, and held ones are not relayed.
    private var relayed = RecentKeys(capacity: 4096)
    /// Pushes handed to the shell (`.pushed`) and not settled yet: while a stream of pushes is on its way
    /// to the store, the digests differ by what is in flight, which no sync needs to carry.
    public private(set) var pushesInFlight = 0
    /// Whether pushes are shed: from when `maxPushesInFlight` were in flight until a sync leaves this node with
    /// nothing more to fetch. A node taking in more than it can store catches up by sync, which stores a
    /// peer's entries in order and in large transactions; each push it took meanwhile would arrive behind a
    /// gap, wait for the sync, and come again in it.
    public private(set) var shedding = false
    /// Syncs asked for (`.sync`) and not finished yet (`syncFinished`): at most `maxOutboundSyncs`.
    private var outboundSyncs = 0
    /// Ring neighbours a full table had no room for, by address, with the ID each was claimed to be: a claim
    /// takes no live peer's place, so this node syncs with them one at a time, and the sync that proves one
    /// takes it in (`PeerTable.learn(proven:)`). Without it two neighbours whose tables are full of live peers
    /// would never know each other.
    private var ringCandidates: [PeerAddress: AuthorID] = [:]
    private var ringCandidateSyncing: PeerAddress?
    static let maxRingCandidates = 4
    /// The last candidates synced with, whatever came of it: hints name a neighbour again and again, and one the
    /// table could not take in after all (its host holds a place already) or that did not answer is not synced
    /// with again until as many others were.
    private var triedRingCandidates: [PeerAddress] = []
    static let triedRingCandidatesKept = 16
    /// Ring neighbours a full table took in from hints, probed one a period from the next, not when the round
    /// robin comes round to them (over a full table, 1,024 periods).
    private var neighboursToProbe: [PeerAddress] = []
    private var inboundSessions = 0
    private var otherVersions: [PeerAddress: UInt8] = [:]
    /// Opens sealed datagrams (with a network key), or lets plain ones through (without).
    private var opener: DatagramOpener
    /// What sealing adds to each datagram this node sends: none without a network key.
    private let sealOverhead: Int
    private var keyMismatches: [PeerAddress: SealRefusal] = [:]
    /// Peers syncing with this node over a connection they opened (`inboundSyncEstablished`).
    private var heldByInbound: Set<PeerAddress> = []
    /// Whether the store lacks payloads it should have (`payloadsMissing`), when a sync last went to ask
    /// for them, and how many verified peers were asked so far (the next one is asked next).
    private var lacksPayloads = false
    private var payloadSyncAt: UInt64?
    private var payloadSyncsAsked = 0
    static let maxOtherVersions = 64
    /// How many of the nodes hearing a suspicion ping the suspect themselves, on average.
    static let suspicionCheckers: UInt64 = 3
    /// Addresses probed in one period because news named them as this node's without a sync proving them either
    /// way: one a period learns an address soon enough, and made-up suspicions must not make this node ping
    /// whatever addresses their sender chooses.
    static let unprovenOwnProbesPerPeriod = 1
    /// Admitted inbound connections per remote host; holds only hosts with one or more, so at most
    /// `sync.maxInboundSessions` entries.
    private var inboundByHost: [String: Int] = [:]

    private struct Probe {
        let target: PeerAddress
        let sentAt: UInt64
        var indirectSent = false
        /// The peers asked to probe for us: only they may vouch for the target.
        var helpers: Set<PeerAddress> = []
        /// Set when we probe for someone else: who asked, and their probe ID.
        var onBehalfOf: (requester: PeerAddress, probeID: UInt32)?
    }

    /// `identity` signs this node's refutations, at `incarnation` and above (`startingIncarnation`);
    /// `seed` drives every random choice (probe helpers, hints); `aliveVerifier` checks refutations;
    /// `keys`, the network keys, if the network is closed (the shell seals what this node sends).
    public init(
        configuration: ReplicationConfiguration, identity: LocalIdentity, incarnation: UInt64, seed: UInt64,
        vector: SyncVector = SyncVector(), aliveVerifier: any AliveVerifying = AliveSignatureVerifier(), keys: NetworkKeyRing? = nil
    ) {
        membership = Membership(identity: identity, incarnation: incarnation, configuration: configuration, verifier: aliveVerifier)
        opener = DatagramOpener(ring: keys, network: configuration.network)
        sealOverhead = keys == nil ? 0 : DatagramSealer.overhead
        self.configuration = configuration
        selfID = identity.id
        table = PeerTable(capacity: configuration.peerTableCapacity, ring: RingView(of: identity.id, width: configuration.relayFanout + 1))
        self.vector = vector
        digest = vector.digest
        total = vector.total
        random = SplitMix64(seed: seed)
        limiter = RateLimiter(
            ratePerSecond: configuration.datagramsPerPeerPerSecond, burst: configuration.datagramsPerPeerPerSecond)
    }

    public var peers: [PeerRecord] { table.all.sorted { $0.address < $1.address } }

    /// The incarnation this node refutes suspicions with; it only grows while the node runs.
    public var incarnation: UInt64 { membership.incarnation }

    /// How long a suspicion of a peer lasts unrefuted before it is offline, with the peers known now.
    public var suspicionTimeout: UInt64 { membership.suspicionTimeout(peers: table.records.count) }

    /// The incarnation a node starting now begins at: the wall clock's milliseconds. A run raises its
    /// incarnation at most once a protocol period, far slower than the clock, so a restart begins above
    /// anything the previous run signed, with nothing to store (unless the clock went back).
    public static func startingIncarnation(wallMillis: UInt64) -> UInt64 { min(max(wallMillis, 1), MembershipUpdate.maxIncarnation) }

    /// The size of every bounded structure: whatever peers send, none outgrows its bound.
    public struct Footprint: Equatable, Sendable {
        public static let maxPeers = PeerTable.maxCapacity
        public static let maxSelfAddresses = Replicator.maxSelfAddresses
        /// Probes awaiting an answer; requests to probe for others are refused beyond it.
        public static let maxOutstandingProbes = 4096
        public static let maxRateLimitedSources = RateLimiter.maxTracked
        /// Refutations and suspicions, each queue bounded.
        public static let maxQueuedNews = 2 * GossipQueue.capacity

        public let peers: Int
        public let selfAddresses: Int
        public let outstandingProbes: Int
        public let rateLimitedSources: Int
        public let inboundSessions: Int
        public let inboundHosts: Int
        /// Sending sessions whose subkey and replay window are kept (`DatagramOpener.maxSessions`).
        public let sealedSessions: Int
        /// Membership news waiting to be piggybacked.
        public let queuedNews: Int
    }

    public var footprint: Footprint {
        Footprint(
            peers: table.records.count, selfAddresses: selfAddresses.count, outstandingProbes: outstanding.count,
            rateLimitedSources: limiter.tracked, inboundSessions: inboundSessions,
            inboundHosts: inboundByHost.count, sealedSessions: opener.footprint, queuedNews: membership.queued)
    }

    public func peer(at address: PeerAddress) -> PeerRecord? { table[address] }


    // MARK: Events

    /// A peer address from configuration, mDNS or the store; it is probed and verified like any other.
    public mutating func discovered(_ address: PeerAddress, source: PeerSource) {
        guard !isSelf(address) else { return }
        table.learn(address, source: source)
    }

    /// The addresses this machine says are this node's now: where its socket is bound, or, bound to every address,
    /// its interfaces' with its port. Its own without a sync: a node refutes suspicions of itself only at its own
    /// addresses, and one that learnt them only by syncing with itself left suspicions unrefuted until such a sync
    /// came round. The machine's word beats a twin's proof there: the twin has gone from the address.
    public mutating func ownAddresses(_ addresses: [PeerAddress]) {
        machineAddresses = Set(addresses)
        for address in machineAddresses { table.remove(address) }
    }

    /// This node's own address, by its machine's word or a sync's proof.
    private func isOwn(_ address: PeerAddress) -> Bool { machineAddresses.contains(address) || selfAddresses[address] == false }

    /// This node's own address or a twin's: never a peer.
    private func isSelf(_ address: PeerAddress) -> Bool { machineAddresses.contains(address) || selfAddresses[address] != nil }

    /// A sync proved this node's own ID at the address, with its start token (`twin: false`) or another: never a
    /// peer, never synced with again.
    private mutating func proven(_ address: PeerAddress, twin: Bool) {
        table.remove(address)
        // Full, one of its own addresses gives way (the least, so that every run drops the same): a node refutes
        // only at addresses proven its own, and one whose addresses change (IPv6 temporary addresses) must not
        // run out of room to prove new ones. Twins' addresses stay.
        if selfAddresses[address] == nil, selfAddresses.count >= Self.maxSelfAddresses,
            let dropped = selfAddresses.filter({ !$0.value }).keys.min()
        {
            selfAddresses[dropped] = nil
        }
        if selfAddresses.count < Self.maxSelfAddresses || selfAddresses[address] != nil { selfAddresses[address] = twin }
    }

    /// mDNS no longer sees the service; the address stays if it is known another way.
    public mutating func lost(_ address: PeerAddress, source: PeerSource) {
        table.update(address) { $0.sources.remove(source) }
        if table[address]?.sources.isEmpty == true { table.remove(address) }
    }

    /// Called once per `protocolPeriod`.
    public mutating func tick(now: UInt64) -> [Directive] {
        var out: [Directive] = []
        membership.newPeriod()
        lazy.newPeriod()
        unprovenOwnProbes = 0
        advanceProbes(now: now, &out)
        let checks = membership.expireSuspicions(now: now, in: &table)
        // A configured peer that never answered is asked every period: if the first ping was lost,
        // waiting for the rotation to come round could leave this node cut off for a long time.
        let heardSince = now - min(configuration.protocolPeriod, now)
        // Only a peer of proven ID is passed over: the ack to this node's own probe is what first syncs with
        // one, and hearing a twin's pings (this node's own ID) must not keep the sync that proves it away.
        let next = table.nextToProbe { record in record.verifiedID != nil && record.lastSeen.map { $0 > heardSince } ?? false }
        for target in table.unheardConfigured.sorted() + [next].compactMap({ $0 }) { probe(target, now: now, &out) }
        if let fresh = neighboursToProbe.first {
            neighboursToProbe.removeFirst()
            if let record = table[fresh], record.lastSeen == nil, !isProbing(fresh) { probe(fresh, now: now, &out) }
        }
        // After the round robin: a suspect it probed anyway is checked by that probe.
        var checked = 0
        for suspect in checks where checked < Membership.checksPerPeriod && !isProbing(suspect) {
            checked += 1
            probe(suspect, now: now, &out)
        }
        askForWanted(now: now, &out)
        scheduleSyncs(now: now, &out)
        syncWithARingCandidate(&out)
        askForPayloads(now: now, &out)
        return out
    }

    /// A claim this node's full table had no room for: kept to sync with if it would be a ring neighbour.
    private mutating func noRoom(for address: PeerAddress, claiming id: AuthorID) {
        guard ringCandidates[address] == nil, ringCandidates.count < Self.maxRingCandidates, !triedRingCandidates.contains(address),
            !table.holds(host: address.host), table.wouldKeep(address, id: id)
        else { return }
        ringCandidates[address] = id
    }

    private mutating func syncWithARingCandidate(_ out: inout [Directive]) {
        guard ringCandidateSyncing == nil, outboundSyncs < configuration.maxOutboundSyncs,
            let address = ringCandidates.keys.min()
        else { return }
        guard table[address] == nil, !heldByInbound.contains(address) else {
            ringCandidates[address] = nil
            return
        }
        ringCandidateSyncing = address
        triedRingCandidates.append(address)
        if triedRingCandidates.count > Self.triedRingCandidatesKept { triedRingCandidates.removeFirst() }
        counters.syncsStarted += 1
        outboundSyncs += 1
        out.append(.sync(with: address))
    }

    /// What the store said when a sync last asked it: whether it lacks payloads it should have (held
    /// header-only, never deleted). Until it says no more, this node keeps asking peers in turn.
    public mutating func payloadsMissing(_ missing: Bool) {
        lacksPayloads = missing
    }

    private mutating func askForPayloads(now: UInt64, _ out: inout [Directive]) {
        guard lacksPayloads, payloadSyncAt.map({ age(of: $0, now) >= configuration.payloadRetry }) ?? true else { return }
        let peers = table.inRotationOrder.filter { $0.verifiedID != nil && $0.state != .offline && !$0.syncing }
        guard !peers.isEmpty else { return }
        payloadSyncAt = now
        payloadSyncsAsked += 1
        requestSync(with: peers[payloadSyncsAsked % peers.count].address, now: now, &out)
    }

    /// Opens (with a network key), decodes and handles a datagram;
    /// malformed input is counted and dropped. `wallMillis`: the wall clock, against which a closed
    /// network's datagrams must have been sent within 5 minutes.
    /// `link`: the interface the datagram came in on (IPV6_RECVPKTINFO), where the shell knows it.
    public mutating func receive(_ sealed: [UInt8], from address: PeerAddress, link: String? = nil, now: UInt64, wallMillis: UInt64 = 0) -> [Directive] {
        // Before anything else: without the key, a datagram costs one failed tag check and changes nothing.
        let bytes: [UInt8]
        switch opener.open(sealed, at: wallMillis) {
        case .opened(let plain): bytes = plain
        case .refused(let refusal):
            counters.datagramsIn += 1
            if refusal == .replayed || refusal == .stale { counters.replayed += 1 } else { counters.unauthenticated += 1 }
            // What doctor can name: another key, none, or a clock far off (not a forgery, nor a replay).
            if refusal != .forged, refusal != .replayed, keyMismatches[address] != nil || keyMismatches.count < Self.maxOtherVersions {
                keyMismatches[address] = refusal
            }
            return []
        }
        // Before decoding: a flood costs the flooder's budget, not a signature check per datagram.
        guard limiter.allow(address, now: now) else {
            counters.datagramsIn += 1
            counters.rateLimited += 1
            return []
        }
        if shedding, let push = Datagram.pushHeading(bytes) { return shed(push, from: address, link: address.zone ?? link, now: now) }
        do {
            return receive(try Datagram.decode(bytes), from: address, link: address.zone ?? link, now: now)
        } catch .unsupportedVersion(let version) {
            counters.datagramsIn += 1
            counters.otherVersion += 1
            speaksOtherVersions([version], at: address)
            return []
        } catch {
            counters.datagramsIn += 1
            counters.dropped += 1
            return []
        }
    }

    /// A node at `address` speaks only these protocol versions, none of this node's (its datagrams, or
    /// its sync hello or reply, said so): not an attack, and worth saying in `peers` and `doctor`. Its
    /// highest version is kept, for a bounded number of addresses.
    public mutating func speaksOtherVersions(_ versions: [UInt8], at address: PeerAddress) {
        guard let highest = versions.max(), otherVersions[address] != nil || otherVersions.count < Self.maxOtherVersions else { return }
        otherVersions[address] = highest
    }

    /// Addresses of nodes that speak other protocol versions, with the highest they speak (bounded).
    public var incompatiblePeers: [(address: PeerAddress, version: UInt8)] {
        otherVersions.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// Addresses whose datagrams were refused for their key: sent unsealed where this node requires a
    /// key, or sealed under a key this node lacks (bounded, like `incompatiblePeers`).
    public var keyMismatchedPeers: [(address: PeerAddress, refusal: SealRefusal)] {
        keyMismatches.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
    }

    /// What every datagram's heading must pass before its body counts: this network, and a sender other
    /// than this node's own ID, which is then heard from.
    private mutating func accepts(network: String, sender: AuthorID, from address: PeerAddress, link: String?, now: UInt64) -> Bool {
        counters.datagramsIn += 1
        guard network == configuration.network else {
            counters.otherNetwork += 1
            return false
        }
        if sender == selfID {
            // Our own ID from an address not known to carry it: our own packet come back, or a twin (this
            // identity on another machine). Only a handshake tells which (`syncFinished`), so the address
            // is synced with like any unverified peer. The sender field is only a claim, so a peer whose
            // ID was proven at that address is never dropped for it.
            if !isSelf(address), table[address]?.verifiedID == nil { heard(from: address, on: link, claiming: selfID, now: now) }
            return false
        }
        heard(from: address, on: link, claiming: sender, now: now)
        return true
    }

    /// A push datagram while shedding: its entries count as shed unread, whatever they hold (a duplicate, even
    /// a malformed one); its heading counts as any datagram's.
    private mutating func shed(_ push: (network: String, sender: AuthorID, entries: Int), from address: PeerAddress, link: String?, now: UInt64) -> [Directive] {
        guard accepts(network: push.network, sender: push.sender, from: address, link: link, now: now) else { return [] }
        // As for `pushes` taken: each further entry costs its sender's budget too.
        guard push.entries == 1 || limiter.allow(address, cost: push.entries - 1, now: now) else {
            counters.rateLimited += 1
            return []
        }
        counters.entriesPushedIn += UInt64(push.entries)
        counters.pushesShed += UInt64(push.entries)
        return []
    }

    private mutating func receive(_ datagram: Datagram, from address: PeerAddress, link: String?, now: UInt64) -> [Directive] {
        guard accepts(network: datagram.network, sender: datagram.sender, from: address, link: link, now: now) else { return [] }
        var out: [Directive] = []
        switch datagram.body {
        case .ping(let probe):
            // News first, so that a refutation it calls for goes back in this very ack.
            let corrections = learn(probe.updates, from: address, on: link, now: now, &out)
            send(.ack(makeProbe(id: probe.id, for: address, claiming: datagram.sender, correcting: corrections)), to: address, &out)
            observe(probe, from: address, on: link, now: now)
        case .ack(let probe):
            _ = learn(probe.updates, from: address, on: link, now: now, &out)
            let answered = outstanding[probe.id].map { $0.target == address } ?? false
            if answered, let pending = outstanding.removeValue(forKey: probe.id), let origin = pending.onBehalfOf {
                send(.indirectAck(probeID: origin.probeID, target: address), to: origin.requester, &out)
            }
            observe(probe, from: address, on: link, now: now)
            // A peer this node chose to probe answered: the first sync need not wait for the next period.
            if answered { considerSync(with: address, now: now, &out) }
        case .pingRequest(let probeID, let named):
            guard let target = admitted(named, from: address, on: link), !isSelf(target),
                outstanding.count < Footprint.maxOutstandingProbes
            else { break }
            let id = allocateProbeID()
            outstanding[id] = Probe(target: target, sentAt: now, indirectSent: true, onBehalfOf: (address, probeID))
            send(.ping(makeProbe(id: id, for: target)), to: target, &out)
        case .indirectAck(let probeID, let named):
            if let target = admitted(named, from: address, on: link), let pending = outstanding[probeID], pending.target == target, pending.helpers.contains(address) {
                outstanding[probeID] = nil
                table.update(target) { $0.sawAlive(at: now) }
            }
        case .push(let entry):
            pushed(entry, from: address, relayUntil: nil, &out)
        case .pushes(let entries):
            // The datagram passed the rate limit as one; each further entry costs its sender's budget too.
            guard limiter.allow(address, cost: entries.count - 1, now: now) else {
                counters.rateLimited += 1
                break
            }
            for entry in entries { pushed(entry, from: address, relayUntil: nil, &out) }
        case .relay(let entry, let until):
            pushed(entry, from: address, relayUntil: until, &out)
        case .announce(let key):
            // Within the cooldown, the next scheduled sync (digests differ by then) fetches it.
            if key.seq > vector.highestSeq(of: key.author), let record = table[address], isCooled(record, now) {
                requestSync(with: address, now: now, &out)
            }
        case .want(let keys):
            // Only a peer whose ID a sync proved is answered, so a spoofed want cannot aim entries at a stranger; at a
            // member it aims a few entries a period at most (`LazyPush.mayServe`), each key charged as a datagram.
            guard let record = table[address], record.verifiedID != nil, record.state != .offline else { break }
            guard keys.count == 1 || limiter.allow(address, cost: keys.count - 1, now: now) else {
                counters.rateLimited += 1
                break
            }
            for key in keys where lazy.mayServe(key, to: address) { out.append(.serve(after: key, to: address)) }
        }
        // Not only at ticks: a want whose grace ended between two is asked at the next datagram, a period sooner.
        askForWanted(now: now, &out)
        return out
    }

    /// Wants whose grace is over, each to the peer that named what this node lacks.
    private mutating func askForWanted(now: UInt64, _ out: inout [Directive]) {
        // Pushes on their way to the store may be what is wanted: the want waits for them to settle.
        guard lazy.isWanting, pushesInFlight == 0, !shedding else { return }
        let asks = lazy.due(now: now, grace: configuration.pullGrace, holding: { vector.highestSeq(of: $0) }) { address in
            table[address].map { $0.state != .offline } ?? false
        }
        for (address, keys) in asks {
            counters.wantsOut += 1
            send(.want(keys), to: address, &out)
        }
    }

    /// The entries a peer's want asked for, read from the store: pushed to it, as its author's node pushes them.
    public mutating func serve(_ entries: [Entry], to address: PeerAddress) -> [Directive] {
        counters.entriesServed += UInt64(entries.count)
        return push(pushBodies(entries).map { ($0, address) })
    }

    private mutating func pushed(_ entry: Entry, from address: PeerAddress, relayUntil: UInt64?, _ out: inout [Directive]) {
        counters.entriesPushedIn += 1
        // A different entry at a seq already held (a fork) comes by sync, where it is seen.
        if entry.seq <= vector.highestSeq(of: entry.author) {
            counters.duplicates += 1
        } else if shedding || pushesInFlight >= configuration.maxPushesInFlight {
            shedding = true
            counters.pushesShed += 1
        } else {
            pushesInFlight += 1
            out.append(.pushed(entry, from: address, relayUntil: relayUntil))
        }
    }

    /// Local entries were committed (one or more commits, in seq order): push them to every peer that is not offline,
    /// or, with more than `directPushPeers` of verified ID, to those of unverified ID and down a relay tree to
    /// the rest.
    public mutating func published(_ entries: [Entry], now: UInt64) -> [Directive] {
        guard let last = entries.last else { return [] }
        // A local entry links every tip its author had: the last committed is the one tip now.
        tipsChanged([last.author: [last.tip]])
        let live = table.inRotationOrder.filter { $0.state != .offline }
        let ringed = ring()
        guard ringed.count > configuration.directPushPeers else {
            return push(pushBodies(entries).flatMap { body in live.map { (body, $0.address) } })
        }
        return entries.flatMap { publishedDownTree($0, ringed: ringed, live: live) }
    }

    /// Local entries, in seq order, as datagrams to each peer: consecutive entries that fit one datagram together,
    /// an entry that fits alone as a push, a larger one announced.
    private func pushBodies(_ entries: [Entry]) -> [Datagram.Body] {
        let room = Datagram.maxBytes - sealOverhead
        let network = configuration.network
        var bodies: [Datagram.Body] = []
        var run: [Entry] = []
        var runBytes = Datagram.pushesOverhead(network: network)
        func endRun() {
            if run.count == 1 { bodies.append(.push(run[0])) } else if run.count > 1 { bodies.append(.pushes(run)) }
            run.removeAll()
            runBytes = Datagram.pushesOverhead(network: network)
        }
        for entry in entries {
            let size = entry.encoded.count
            guard fitsAPush(size) else {
                endRun()
                bodies.append(.announce(entry.key))
                continue
            }
            if let previous = run.last,
                run.count == Datagram.maxPushedEntries || runBytes + size > room || !Datagram.chains(entry, after: previous)
            {
                endRun()
            }
            run.append(entry)
            runBytes += size
        }
        endRun()
        return bodies
    }

    /// Whether an entry of `size` encoded bytes fits a push or a relay (sealed, on a closed network).
    private func fitsAPush(_ size: Int) -> Bool {
        size + Datagram.pushOverhead(network: configuration.network) + sealOverhead <= Datagram.maxBytes
    }

    /// One local entry among more than `directPushPeers` verified peers: down the relay tree, and pushed to
    /// the live peers of unverified ID.
    private mutating func publishedDownTree(
        _ entry: Entry, ringed: [(address: PeerAddress, position: UInt64)], live: [PeerRecord]
    ) -> [Directive] {
        guard fitsAPush(entry.encoded.count) else { return push(live.map { (.announce(entry.key), $0.address) }) }
        relayed.insert(entry.key)
        let plan = RelayTree.plan(from: RelayTree.position(of: selfID), until: nil, peers: ringed, fanout: configuration.relayFanout)
        return push(plan.map { ($0.body(for: entry), $0.to) } + live.filter { $0.verifiedID == nil }.map { (.push(entry), $0.address) })
    }

    /// A relayed entry the shell found authentic: passed on within the arc from this node to `until`, to
    /// none of its author's or sender's addresses, once, and only while this node does not hold it.
    public mutating func relay(_ entry: Entry, from sender: PeerAddress, until: UInt64, now: UInt64) -> [Directive] {
        guard entry.seq > vector.highestSeq(of: entry.author), relayed.insert(entry.key) else { return [] }
        let ringed = ring { $0.address == sender || $0.verifiedID == entry.author }
        let plan = RelayTree.plan(from: RelayTree.position(of: selfID), until: until, peers: ringed, fanout: configuration.relayFanout)
        return push(plan.map { ($0.body(for: entry), $0.to) })
    }

    /// The live peers of verified ID, with their places on the relay tree's ring, but those `leftOut` names.
    private func ring(leavingOut leftOut: (PeerRecord) -> Bool = { _ in false }) -> [(address: PeerAddress, position: UInt64)] {
        table.inRotationOrder.compactMap { record in
            guard record.state != .offline, let id = record.verifiedID, !leftOut(record) else { return nil }
            return (record.address, RelayTree.position(of: id))
        }
    }

    /// Sends datagrams that carry an entry (or name one), counted as pushes.
    private mutating func push(_ datagrams: [(body: Datagram.Body, to: PeerAddress)]) -> [Directive] {
        var out: [Directive] = []
        for (body, address) in datagrams { send(body, to: address, &out) }
        counters.pushesOut += UInt64(datagrams.count)
        return out
    }

    /// The store committed entries; these are the new tips of their authors.
    public mutating func tipsChanged(_ tips: [AuthorID: [AuthorTip]]) {
        for (author, authorTips) in tips.sorted(by: { $0.key < $1.key }) where vector.tips[author] ?? [] != authorTips.sorted() {
            let highest = vector.highestSeq(of: author)
            digest &-= SyncVector.digestTerm(author, vector.tips[author] ?? [])
            total &-= highest
            vector.setTips(of: author, to: authorTips)
            digest &+= SyncVector.digestTerm(author, vector.tips[author] ?? [])
            total &+= vector.highestSeq(of: author)
            if vector.highestSeq(of: author) > highest { lazy.grew(EntryKey(author: author, seq: vector.highestSeq(of: author))) }
        }
    }

    public enum SyncOutcome: Equatable, Sendable {
        /// The peer proved its ID; `result.peerHasMore` if it stopped at its per-session bound.
        case completed(SyncResult)
        case failed
        /// The peer proved this node's own ID with this node's start token: the address is this node's.
        case itself
        /// The peer proved this node's own ID with another start token: a twin runs at the address.
        case twin
        /// The peer speaks none of this node's protocol versions, but these.
        case otherVersions([UInt8])

        /// What a sync that ended in `failure` tells the replicator.
        public init(_ failure: SyncFailure) {
            switch failure {
            case .itself: self = .itself
            case .twin: self = .twin
            case .incompatibleVersions(let theirs, _): self = .otherVersions(theirs)
            default: self = .failed
            }
        }
    }

    /// A sync this node opened (after a `.sync` directive) has ended. If the peer stopped at its
    /// per-session bound, the next sync starts at once: a catch-up does not idle until the next period.
    @discardableResult
    public mutating func syncFinished(with address: PeerAddress, outcome: SyncOutcome, now: UInt64) -> [Directive] {
        outboundSyncs = max(0, outboundSyncs - 1)
        if address == ringCandidateSyncing {
            ringCandidateSyncing = nil
            ringCandidates[address] = nil
            if case .completed(let result) = outcome, result.peer != selfID {
                table.learn(address, source: .exchange, id: result.peer, proven: true)
            }
        }
        switch outcome {
        case .completed(let result): syncCompleted(result)
        case .itself, .twin:
            // This node's own ID, proven there: never a peer, never synced with again.
            counters.syncsFailed += 1
            proven(address, twin: outcome == .twin)
            return []
        case .otherVersions(let versions):
            counters.syncsFailed += 1
            speaksOtherVersions(versions, at: address)
        case .failed: counters.syncsFailed += 1
        }
        table.update(address) { record in
            record.syncing = false
            record.lastSyncAt = now
            guard case .completed(let result) = outcome else { return }
            // Proven there now: a suspicion taken while its ID was unverified (a probe that expired during a
            // long sync, another node's word) ends here, or it would last until the peer's signed alive.
            if record.verifiedID == nil { record.sawAlive(at: now) }
            record.verifiedID = result.peer
            record.claimedID = result.peer
            record.resyncRequested = result.peerHasMore
            // The sync just reconciled us; a stale mismatch must not trigger another.
            record.mismatchSince = nil
        }
        guard case .completed(let result) = outcome else {
            // It answered pings but no sync: it may be gone (or speak another version); let the probes decide.
            var out: [Directive] = []
            if membership.suspect(address, since: table[address]?.lastSeen ?? now, in: &table), !isProbing(address) { probe(address, now: now, &out) }
            return out
        }
        table.dropStale(result.peer, keeping: address)
        syncAnswersProbes(of: address)
        var out: [Directive] = []
        considerSync(with: address, now: now, &out)
        return out
    }

    /// A peer opens a TCP connection to us from `host`: whether to serve it. At most
    /// `sync.maxInboundSessions` at once, and `maxInboundSessionsPerHost` from one host, so idle
    /// connections from one address cannot take every slot. Every admitted connection is ended with
    /// `inboundSyncEnded`, given the same host.
    public mutating func admitInbound(from host: String? = nil) -> Bool {
        guard inboundSessions < configuration.sync.maxInboundSessions,
            host.map({ inboundByHost[$0, default: 0] < configuration.maxInboundSessionsPerHost }) ?? true
        else {
            counters.inboundSyncsRefused += 1
            return false
        }
        inboundSessions += 1
        if let host { inboundByHost[host, default: 0] += 1 }
        return true
    }

    /// An admitted inbound sync passed its handshake: the peer listens at `port` on `host`. While it runs,
    /// this node opens no sync of its own to that address: two nodes that meet would otherwise each open
    /// one, and both would carry the same entries. Returns the address held, for `inboundSyncEnded`.
    public mutating func inboundSyncEstablished(from host: String?, port: UInt16) -> PeerAddress? {
        guard let host, port > 0 else { return nil }
        let address = PeerAddress(host: host, port: port)
        guard let record = table[address], !record.syncing else { return nil }
        table.update(address) { $0.syncing = true }
        heldByInbound.insert(address)
        return address
    }

    /// An admitted inbound connection closed; `held` is what `inboundSyncEstablished` returned, if it
    /// was called. With a result, the peer proved its ID in the handshake: its listening address (the
    /// connection's host and the port from its hello) is verified too, and if it stopped at its bound
    /// we come back for the rest, at once.
    @discardableResult
    public mutating func inboundSyncEnded(from host: String?, held: PeerAddress? = nil, result: SyncResult?, now: UInt64) -> [Directive] {
        // Never below zero, whatever a caller does: a negative count would admit more than the bound.
        inboundSessions = max(0, inboundSessions - 1)
        if let host, let count = inboundByHost[host] { inboundByHost[host] = count > 1 ? count - 1 : nil }
        if let held, heldByInbound.remove(held) != nil { table.update(held) { $0.syncing = false } }
        guard let result else { return [] }
        syncCompleted(result)
        counters.inboundSyncs += 1
        guard let host, result.peerPort > 0 else { return [] }
        let address = PeerAddress(host: host, port: result.peerPort)
        guard !isSelf(address), table.learn(address, source: .inbound, id: result.peer, proven: true) else { return [] }
        heard(from: address, on: nil, claiming: result.peer, now: now)
        table.update(address) { record in
            record.verifiedID = result.peer
            record.lastSyncAt = now
            record.resyncRequested = record.resyncRequested || result.peerHasMore
        }
        table.dropStale(result.peer, keeping: address)
        syncAnswersProbes(of: address)
        var out: [Directive] = []
        if result.peerHasMore { considerSync(with: address, now: now, &out) }
        return out
    }

    /// A completed sync proves the peer there, both ways, better than an ack: this node's probes of it still
    /// waiting are answered. One sent before the peer had started would otherwise make it suspect once
    /// verified, and a verified suspect stays so until its signed alive: at 0 % loss, nodes that started
    /// early took later ones offline.
    private mutating func syncAnswersProbes(of address: PeerAddress) {
        outstanding = outstanding.filter { $0.value.target != address || $0.value.onBehalfOf != nil }
        table.update(address) { $0.doubtedSince = nil }
    }

    /// A sync, opened by either side, completed: counted, and if the peer had nothing more, this node caught up.
    private mutating func syncCompleted(_ result: SyncResult) {
        if !result.peerHasMore { shedding = false }
        counters.syncsCompleted += 1
        counters.entriesSyncedIn += UInt64(result.received)
        counters.entriesSyncedOut += UInt64(result.sent)
    }

    /// `count` pushes the shell is done with: stored (after `tipsChanged`), found forged (`forged` of them,
    /// counted as dropped), or found held by then (`held`: a sync brought them first, counted as duplicates).
    public mutating func pushesSettled(_ count: Int, forged: Int = 0, held: Int = 0) {
        counters.dropped += UInt64(forged)
        counters.duplicates += UInt64(held)
        pushesInFlight = max(0, pushesInFlight - count)
    }

    /// Of pushes waiting in the shell, those this node does not hold by now: while they waited, a sync may
    /// have brought them, and checking or storing them again would only cost.
    public func notHeld(_ pushes: [Entry]) -> [Entry] {
        pushes.filter { $0.seq > vector.highestSeq(of: $0.author) }
    }

    /// What the shell moved, so one counters value reports everything.
    public mutating func countTraffic(
        datagramBytesOut: Int = 0, syncBytesIn: Int = 0, sendErrors: Int = 0, payloadsFetched: Int = 0, unauthenticatedSyncs: Int = 0
    ) {
        counters.unauthenticated += UInt64(unauthenticatedSyncs)
        counters.payloadsFetched += UInt64(payloadsFetched)
        counters.datagramBytesOut += UInt64(datagramBytesOut)
        counters.sendErrors += UInt64(sendErrors)
        counters.syncBytesIn += UInt64(syncBytesIn)
    }

    // MARK: Liveness

    private mutating func heard(from address: PeerAddress, on link: String?, claiming id: AuthorID, now: UInt64) {
        guard table.learn(address, source: .inbound, id: id) else { return noRoom(for: address, claiming: id) }
        table.update(address) { record in
            // Only a peer of proven ID: an unauthenticated datagram claiming its address must not move it to another link.
            if let link, record.verifiedID != nil { record.link = link }
            // A different key at a known address: what we verified no longer holds.
            if record.verifiedID != nil, record.verifiedID != id { record.verifiedID = nil }
            record.claimedID = id
            record.sawAlive(at: now)
        }
    }

    private mutating func advanceProbes(now: UInt64, _ out: inout [Directive]) {
        var doubted: [PeerAddress] = []
        for (id, probe) in outstanding.sorted(by: { $0.key < $1.key }) {
            let age = age(of: probe.sentAt, now)
            let targetAlive = table[probe.target]?.state == .alive
            if !probe.indirectSent, targetAlive, age >= configuration.protocolPeriod {
                outstanding[id]?.indirectSent = true
                let helpers = table.sample(configuration.indirectProbes, using: &random) {
                    $0.state == .alive && $0.address != probe.target && probe.target.mayBeNamed(to: $0.address, onLink: $0.reachedOver)
                }
                outstanding[id]?.helpers = Set(helpers.map(\.address))
                for helper in helpers {
                    send(.pingRequest(probeID: id, target: probe.target), to: helper.address, &out)
                }
            } else if age >= 2 * configuration.protocolPeriod || (!targetAlive && age >= configuration.protocolPeriod) {
                outstanding[id] = nil
                // Silent since the probe, or since it last spoke if that was later and only the ack was lost.
                let since = max(probe.sentAt, table[probe.target]?.lastSeen ?? 0)
                guard probe.onBehalfOf == nil else { continue }
                if membership.suspect(probe.target, since: since, in: &table) { doubted.append(probe.target) }
                table.update(probe.target) { if $0.lastSeen == nil { $0.unanswered = true } }
            }
        }
        for target in doubted where !isProbing(target) { probe(target, now: now, &out) }
    }

    private mutating func allocateProbeID() -> UInt32 {
        defer { nextProbeID &+= 1 }
        return nextProbeID
    }

    /// `claiming`: the recipient's ID, if its datagram said it; `correcting`: alives the recipient missed, told
    /// before anything else.
    private mutating func makeProbe(
        id: UInt32, for recipient: PeerAddress, claiming recipientID: AuthorID? = nil, correcting: [MembershipUpdate] = []
    ) -> Datagram.Probe {
        let hints = hints(for: recipient, claiming: recipientID)
        let bare = Datagram.Probe(id: id, digest: digest, total: total, hints: hints, recent: lazy.names())
        let corrections = Array(correcting.prefix(2))
        let room = Datagram.maxBytes - sealOverhead - Datagram.pushOverhead(network: configuration.network) - bare.encodedSize
            - corrections.reduce(0) { $0 + $1.encodedSize }
        let updates = corrections + membership.piggyback(for: recipient, after: corrections, budget: room, table: table)
        return Datagram.Probe(id: id, digest: digest, total: total, hints: hints, updates: updates, recent: bare.recent)
    }

    /// Live peers of verified ID, at random; with the table full (a network larger than it), half of them the
    /// peers nearest the recipient's place on the ring, so that every node comes to know its ring neighbours, a
    /// newcomer this node has no room for too.
    private mutating func hints(for recipient: PeerAddress, claiming recipientID: AuthorID?) -> [PeerHint] {
        let link = table.link(to: recipient)
        let nameable = { (record: PeerRecord) in
            record.state != .offline && record.verifiedID != nil && record.address != recipient && record.address.mayBeNamed(to: recipient, onLink: link)
        }
        var near: [PeerAddress] = []
        if table.isFull, let ring = table.ring, let id = table[recipient]?.knownID ?? recipientID {
            near = ring.nearest(configuration.hintsPerProbe / 2, to: RelayTree.position(of: id)) { table[$0].map(nameable) ?? false }
        }
        let random = table.sample(configuration.hintsPerProbe - near.count, using: &random) { nameable($0) && !near.contains($0.address) }
        // verifiedID is non-nil by `nameable`
        return (near.compactMap { table[$0] } + random).map { PeerHint(id: $0.verifiedID!, address: $0.address) }
    }

    /// Membership news a peer piggybacked; news naming an address `AddressPolicy` refuses is counted and dropped.
    /// Returns the alives the source missed (`Membership.Answer.correction`).
    private mutating func learn(
        _ updates: [MembershipUpdate], from source: PeerAddress, on link: String?, now: UInt64, _ out: inout [Directive]
    ) -> [MembershipUpdate] {
        var corrections: [MembershipUpdate] = []
        for update in updates {
            // News about a peer this node does not know by that ID at that address changes nothing. The address is
            // looked up as admitted: a link-local one is known here with the zone of the link it came over.
            guard let address = admitted(update.address, from: source, on: link) else { continue }
            if update.subject == selfID, !isSelf(address) {
                // Suspected at an address not proven this node's: it may be a twin's (this identity on another
                // machine), and refuting there would keep a twin that is gone alive everywhere. The address is
                // probed instead: this node's own ping comes back to it, or the twin answers, and the sync that
                // follows tells which, so that the next suspicion there is refuted or left to the twin.
                if update.kind != .alive {
                    keepClaim(selfID, at: address)
                    if unprovenOwnProbes < Self.unprovenOwnProbesPerPeriod, !isProbing(address) {
                        unprovenOwnProbes += 1
                        probe(address, now: now, &out)
                    }
                }
                continue
            }
            guard update.subject == selfID
                ? isOwn(address) : table[address]?.knownID == update.subject
            else { continue }
            // Every node that hears a suspicion checking for itself would cost N pings a suspicion; each checks with
            // a chance of `suspicionCheckers` in N, so that a few do, whatever N is.
            let answer = membership.apply(update, at: address, from: source, now: now, in: &table)
            // A refutation of this node first: it is what the sender most needs to hear from it.
            if let correction = answer.correction { corrections.insert(correction, at: correction.subject == selfID ? 0 : corrections.count) }
            if answer.mayCheck, random.next() % UInt64(max(table.records.count, 1)) < Self.suspicionCheckers, !isProbing(address) {
                probe(address, now: now, &out)
            }
        }
        return corrections
    }

    /// Whether a probe of this node's own is waiting for `target`: one made for another's `pingRequest` says
    /// nothing here when it goes unanswered, so it is no reason to leave a doubt or a check unprobed.
    private func isProbing(_ target: PeerAddress) -> Bool {
        outstanding.values.contains { $0.target == target && $0.onBehalfOf == nil }
    }

    private mutating func probe(_ target: PeerAddress, now: UInt64, _ out: inout [Directive]) {
        let id = allocateProbeID()
        outstanding[id] = Probe(target: target, sentAt: now)
        send(.ping(makeProbe(id: id, for: target)), to: target, &out)
    }

    // MARK: Anti-entropy

    private mutating func observe(_ probe: Datagram.Probe, from address: PeerAddress, on link: String?, now: UInt64) {
        // A hint naming this node's own ID is kept too, like a datagram claiming it: the sync with the address
        // tells this node's own from a twin's. Twins learn each other's address no other way, and a twin's must
        // be known for suspicions there to be left to it, or this node would keep a crashed twin alive everywhere.
        for hint in probe.hints {
            guard let hinted = admitted(hint.address, from: address, on: link), !isSelf(hinted) else { continue }
            keepClaim(hint.id, at: hinted)
        }
        // Only a peer of proven ID steers wants. This node's own entries are not asked back: a restored backup
        // recovers them by sync, which looks for forks.
        if table[address]?.verifiedID != nil {
            lazy.named(probe.recent.filter { $0.author != selfID && $0.seq > vector.highestSeq(of: $0.author) }, by: address, now: now)
        }
        let matches = probe.digest == digest
        table.update(address) { record in
            record.reportedTotal = probe.total
            if matches {
                record.mismatchSince = nil
            } else if record.mismatchSince == nil {
                record.mismatchSince = now
            }
        }
    }

    /// An address named as `id`'s, new to this node: kept as an offline peer claiming it, to probe and sync with
    /// (a ring neighbour in a full table at once, one a period), or, if it would be a ring neighbour and there is
    /// no room, to sync with (`noRoom`).
    private mutating func keepClaim(_ id: AuthorID, at address: PeerAddress) {
        guard table[address] == nil else { return }
        guard table.learn(address, source: .exchange, id: id) else { return noRoom(for: address, claiming: id) }
        if table.isFull, neighboursToProbe.count < Self.maxRingCandidates, table.wouldKeep(address, id: id) { neighboursToProbe.append(address) }
    }

    /// An address a peer named, in canonical form, if `AddressPolicy` lets this node send to it; counted if not.
    /// `link`: the interface the naming datagram came in on.
    private mutating func admitted(_ named: PeerAddress, from source: PeerAddress, on link: String?) -> PeerAddress? {
        switch AddressPolicy.check(named, from: source, link: link) {
        case .success(let address): return address
        case .failure:
            counters.addressesRefused += 1
            return nil
        }
    }

    private mutating func scheduleSyncs(now: UInt64, _ out: inout [Directive]) {
        for address in table.syncCandidates.sorted() { considerSync(with: address, now: now, &out) }
    }

    /// Syncs with a peer that asked to come back for more, that was never synced with, or whose
    /// digest has differed for too long. Also called when a probed peer answers, so a node that starts
    /// does not wait a period for its first sync.
    private mutating func considerSync(with address: PeerAddress, now: UInt64, _ out: inout [Directive]) {
        guard table.syncCandidates.contains(address), let record = table[address], !record.syncing else { return }
        let cooled = isCooled(record, now)
        var diverged = false
        if let since = record.mismatchSince, age(of: since, now) >= configuration.mismatchGrace {
            // The side with fewer entries asks (the sync runs both ways), counting pushes on their way to
            // the store as held: a stream of pushes is no divergence. A tie is broken by ID. A divergence
            // that outlasts `stubbornMismatch` is repaired by whoever notices, once nothing is in flight.
            let theirs = record.reportedTotal ?? 0
            let peerID = record.claimedID ?? selfID
            let ours = theirs > total &+ UInt64(pushesInFlight) || (theirs == total && selfID < peerID)
            diverged = ours || (age(of: since, now) >= configuration.stubbornMismatch && pushesInFlight == 0)
        }
        if record.resyncRequested || (cooled && (record.verifiedID == nil || diverged)) {
            requestSync(with: address, now: now, &out)
        }
    }

    /// Milliseconds since `time`; zero if a caller's clock went backwards, never a trap.
    private func age(of time: UInt64, _ now: UInt64) -> UInt64 { now - min(time, now) }

    private func isCooled(_ record: PeerRecord, _ now: UInt64) -> Bool {
        record.lastSyncAt.map { age(of: $0, now) >= configuration.syncCooldown } ?? true
    }

    private mutating func requestSync(with address: PeerAddress, now: UInt64, _ out: inout [Directive]) {
        // Also where the record was dropped and learnt again while the peer's inbound sync runs, or learnt while
        // this node syncs with it as a ring candidate.
        guard let record = table[address], !record.syncing, !heldByInbound.contains(address), address != ringCandidateSyncing,
            outboundSyncs < configuration.maxOutboundSyncs
        else { return }
        table.update(address) { record in
            record.syncing = true
            record.resyncRequested = false
            record.lastSyncAt = now
        }
        counters.syncsStarted += 1
        outboundSyncs += 1
        out.append(.sync(with: address))
    }

    private mutating func send(_ body: Datagram.Body, to address: PeerAddress, _ out: inout [Directive]) {
        out.append(.send(Datagram(network: configuration.network, sender: selfID, body: body), to: address))
        counters.datagramsOut += 1
    }
}

extension RelayTree.Send {
    /// What the recipient is sent: a relay to pass on within its arc, or a plain push.
    func body(for entry: Entry) -> Datagram.Body {
        until.map { .relay(entry, until: $0) } ?? .push(entry)
    }
}
