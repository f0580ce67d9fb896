/// The replication protocol of one node, as a value: events in, directives out. No I/O, no clock,
/// no tasks; `now` is monotonic milliseconds from the caller, randomness comes from a seed.
///
/// - Dissemination: a new entry is pushed by its origin straight to every live peer, one datagram
///   each (on a LAN every node knows every other, so this is the cheapest scheme: redundancy 0).
/// - Anti-entropy: every ping and ack carries a digest of the version vector; a difference that
///   persists opens a TCP sync, which repairs whatever push lost, late joiners and partitions.
/// - Liveness, SWIM-style: one probe per period round robin, indirect probes through two peers
///   before a silent peer turns suspect, and offline after `suspectTimeout` of silence.
/// - Peer exchange: pings and acks carry a few verified peers, so one seed reaches everyone.
public struct Replicator: Sendable {
    public struct Configuration: Sendable {
        public var network: String
        public var selfID: AuthorID
        public var protocolPeriod: UInt64 = 200
        public var indirectProbes = 2
        public var suspectTimeout: UInt64 = 2000
        /// A digest mismatch must last this long before a sync: a push in flight is not a divergence.
        public var mismatchGrace: UInt64 = 150
        public var syncCooldown: UInt64 = 1000
        /// After this long, a node syncs even when the peer has more entries and should have come to it.
        public var stubbornMismatch: UInt64 = 5000
        public var hintsPerProbe = 6
        /// Datagrams accepted per second from one address (and as a burst); beyond, they are dropped unread.
        public var datagramsPerPeerPerSecond = 20_000.0
        public var seed: UInt64

        public init(network: String, selfID: AuthorID, seed: UInt64) {
            self.network = network
            self.selfID = selfID
            self.seed = seed
        }
    }

    public enum Directive: Equatable, Sendable {
        /// The shell encodes it (`Datagram.encoded()`) and sends it over UDP.
        case send(Datagram, to: PeerAddress)
        /// Verified entries from a push, to be stored; report back with `headsAdvanced`.
        case store([Entry], from: PeerAddress)
        /// Open a TCP sync with this peer; report back with `syncFinished`.
        case sync(with: PeerAddress)
    }

    public let configuration: Configuration
    public private(set) var vector = VersionVector()
    public private(set) var counters = ReplicationCounters()
    private var table = PeerTable()
    private var random: SplitMix64
    private var nextProbeID: UInt32 = 1
    private var outstanding: [UInt32: Probe] = [:]
    private var cachedDigest: UInt64?
    /// The vector's authors in order, kept as they arrive so a digest never sorts.
    private var sortedAuthors: [AuthorID] = []
    private var selfAddresses: Set<PeerAddress> = []
    /// A node has a few addresses at most; the set must not grow on claims from others.
    static let maxSelfAddresses = 16
    private var limiter: RateLimiter

    private struct Probe {
        let target: PeerAddress
        let sentAt: UInt64
        var indirectSent = false
        /// The peers asked to probe for us: only they may vouch for the target.
        var helpers: Set<PeerAddress> = []
        /// Set when we probe for someone else: who asked, and their probe ID.
        var onBehalfOf: (requester: PeerAddress, probeID: UInt32)?
    }

    public init(configuration: Configuration, vector: VersionVector = VersionVector()) {
        self.configuration = configuration
        self.vector = vector
        sortedAuthors = vector.heads.keys.sorted()
        random = SplitMix64(seed: configuration.seed)
        limiter = RateLimiter(
            ratePerSecond: configuration.datagramsPerPeerPerSecond, burst: configuration.datagramsPerPeerPerSecond)
    }

    public var peers: [PeerRecord] { table.all.sorted { $0.address < $1.address } }

    public func peer(at address: PeerAddress) -> PeerRecord? { table[address] }

    private var digest: UInt64 {
        mutating get {
            if let cachedDigest { return cachedDigest }
            let value = VersionVector.digest(sortedAuthors: sortedAuthors, heads: vector.heads)
            cachedDigest = value
            return value
        }
    }

    // MARK: Events

    /// A peer address from configuration, mDNS or the store; it is probed and verified like any other.
    public mutating func discovered(_ address: PeerAddress, source: PeerSource) {
        guard !selfAddresses.contains(address) else { return }
        table.learn(address, source: source)
    }

    /// mDNS no longer sees the service; the address stays if it is known another way.
    public mutating func lost(_ address: PeerAddress, source: PeerSource) {
        table.update(address) { $0.sources.remove(source) }
        if table[address]?.sources.isEmpty == true { table.remove(address) }
    }

    /// Called once per `protocolPeriod`.
    public mutating func tick(now: UInt64) -> [Directive] {
        var out: [Directive] = []
        advanceProbes(now: now, &out)
        for address in table.suspects where age(of: table[address]?.lastSeen ?? 0, now) >= configuration.suspectTimeout {
            table.update(address) { $0.state = .offline }
        }
        // A configured peer that never answered is asked every period: if the first ping was lost,
        // waiting for the rotation to come round could leave this node cut off for a long time.
        for target in table.unheardConfigured.sorted() + [table.nextToProbe()].compactMap({ $0 }) {
            let id = allocateProbeID()
            outstanding[id] = Probe(target: target, sentAt: now)
            send(.ping(makeProbe(id: id, for: target)), to: target, &out)
        }
        scheduleSyncs(now: now, &out)
        return out
    }

    /// Decodes (verifying any entry inside) and handles a datagram; malformed input is counted and dropped.
    public mutating func receive(_ bytes: [UInt8], from address: PeerAddress, now: UInt64) -> [Directive] {
        // Before decoding: a flood costs the flooder's budget, not a signature check per datagram.
        guard limiter.allow(address, now: now) else {
            counters.datagramsIn += 1
            counters.rateLimited += 1
            return []
        }
        do {
            return receive(try Datagram.decode(bytes), from: address, now: now)
        } catch {
            counters.datagramsIn += 1
            counters.dropped += 1
            return []
        }
    }

    /// For callers holding a decoded (so verified) datagram, like the simulator.
    public mutating func receive(_ datagram: Datagram, from address: PeerAddress, now: UInt64) -> [Directive] {
        counters.datagramsIn += 1
        guard datagram.network == configuration.network else {
            counters.otherNetwork += 1
            return []
        }
        if datagram.sender == configuration.selfID {
            // Our own packet came back: that address is us; never probe it again. The sender field is
            // only a claim, so a peer whose ID was proven at that address is never dropped for it.
            if table[address]?.verifiedID == nil, selfAddresses.count < Self.maxSelfAddresses {
                selfAddresses.insert(address)
                table.remove(address)
            }
            return []
        }
        var out: [Directive] = []
        heard(from: address, claiming: datagram.sender, now: now)
        switch datagram.body {
        case .ping(let probe):
            send(.ack(makeProbe(id: probe.id, for: address)), to: address, &out)
            observe(probe, from: address, now: now)
        case .ack(let probe):
            if let pending = outstanding[probe.id], pending.target == address {
                outstanding[probe.id] = nil
                if let origin = pending.onBehalfOf {
                    send(.indirectAck(probeID: origin.probeID, target: address), to: origin.requester, &out)
                }
            }
            observe(probe, from: address, now: now)
        case .pingRequest(let probeID, let target):
            guard !selfAddresses.contains(target) else { break }
            let id = allocateProbeID()
            outstanding[id] = Probe(target: target, sentAt: now, indirectSent: true, onBehalfOf: (address, probeID))
            send(.ping(makeProbe(id: id, for: target)), to: target, &out)
        case .indirectAck(let probeID, let target):
            if let pending = outstanding[probeID], pending.target == target, pending.helpers.contains(address) {
                outstanding[probeID] = nil
                table.update(target) { record in
                    record.state = .alive
                    record.lastSeen = now
                }
            }
        case .push(let entry):
            counters.entriesPushedIn += 1
            if entry.seq <= vector[entry.author] {
                counters.duplicates += 1
            } else {
                out.append(.store([entry], from: address))
            }
        case .announce(let key):
            // Within the cooldown, the next scheduled sync (digests differ by then) fetches it.
            if key.seq > vector[key.author], let record = table[address], isCooled(record, now) {
                requestSync(with: address, now: now, &out)
            }
        }
        return out
    }

    /// A local entry was committed: push it to every peer that is not offline.
    public mutating func published(_ entry: Entry, now: UInt64) -> [Directive] {
        headsAdvanced([entry.author: entry.seq])
        let fits = entry.encoded.count + Datagram.pushOverhead(network: configuration.network) <= Datagram.maxBytes
        let datagram = Datagram(
            network: configuration.network, sender: configuration.selfID, body: fits ? .push(entry) : .announce(entry.key))
        var out: [Directive] = []
        for record in table.inRotationOrder where record.state != .offline {
            out.append(.send(datagram, to: record.address))
            counters.datagramsOut += 1
            counters.pushesOut += 1
        }
        return out
    }

    /// The store committed entries; these are the new contiguous heads of their authors.
    public mutating func headsAdvanced(_ heads: [AuthorID: UInt64]) {
        for (author, seq) in heads where seq > vector[author] {
            if vector[author] == 0 {
                sortedAuthors.insert(author, at: sortedAuthors.firstIndex { author < $0 } ?? sortedAuthors.endIndex)
            }
            vector.advance(author, to: seq)
            cachedDigest = nil
        }
    }

    public enum SyncOutcome: Equatable, Sendable {
        /// The peer proved it holds `id`; `more` if it stopped at its per-session bound.
        case completed(id: AuthorID, more: Bool)
        case failed
    }

    public mutating func syncFinished(with address: PeerAddress, outcome: SyncOutcome, now: UInt64) {
        if case .failed = outcome { counters.syncsFailed += 1 }
        table.update(address) { record in
            record.syncing = false
            record.lastSyncAt = now
            // It answered pings but not TCP: it may be gone; let the probes decide.
            if case .failed = outcome, record.state == .alive { record.state = .suspect }
            if case .completed(let id, let more) = outcome {
                record.verifiedID = id
                record.claimedID = id
                record.resyncRequested = more
                // The sync just reconciled us; a stale mismatch must not trigger another.
                record.mismatchSince = nil
            }
        }
        if case .completed(let id, _) = outcome { table.dropStale(id, keeping: address) }
    }

    /// A peer opened a sync to us and proved its ID; its listening address is now verified too.
    /// `more`: it stopped at its per-session bound, so we come back for the rest.
    public mutating func inboundSyncVerified(_ address: PeerAddress, id: AuthorID, more: Bool = false, now: UInt64) {
        guard !selfAddresses.contains(address), table.learn(address, source: .inbound) else { return }
        heard(from: address, claiming: id, now: now)
        table.update(address) { record in
            record.verifiedID = id
            record.lastSyncAt = now
            record.resyncRequested = record.resyncRequested || more
        }
        table.dropStale(id, keeping: address)
    }

    // MARK: Liveness

    private mutating func heard(from address: PeerAddress, claiming id: AuthorID, now: UInt64) {
        guard table.learn(address, source: .inbound) else { return }
        table.update(address) { record in
            // A different key at a known address: what we verified no longer holds.
            if record.verifiedID != nil, record.verifiedID != id { record.verifiedID = nil }
            record.claimedID = id
            record.state = .alive
            record.lastSeen = now
        }
    }

    private mutating func advanceProbes(now: UInt64, _ out: inout [Directive]) {
        for (id, probe) in outstanding.sorted(by: { $0.key < $1.key }) {
            let age = age(of: probe.sentAt, now)
            let targetAlive = table[probe.target]?.state == .alive
            if !probe.indirectSent, targetAlive, age >= configuration.protocolPeriod {
                outstanding[id]?.indirectSent = true
                let helpers = table.sample(configuration.indirectProbes, using: &random) {
                    $0.state == .alive && $0.address != probe.target
                }
                outstanding[id]?.helpers = Set(helpers.map(\.address))
                for helper in helpers {
                    send(.pingRequest(probeID: id, target: probe.target), to: helper.address, &out)
                }
            } else if age >= 2 * configuration.protocolPeriod || (!targetAlive && age >= configuration.protocolPeriod) {
                outstanding[id] = nil
                if probe.onBehalfOf == nil, targetAlive {
                    table.update(probe.target) { $0.state = .suspect }
                }
            }
        }
    }

    private mutating func allocateProbeID() -> UInt32 {
        defer { nextProbeID &+= 1 }
        return nextProbeID
    }

    private mutating func makeProbe(id: UInt32, for recipient: PeerAddress) -> Datagram.Probe {
        let hints = table.sample(configuration.hintsPerProbe, using: &random) {
            $0.state != .offline && $0.verifiedID != nil && $0.address != recipient
        }.map { PeerHint(id: $0.verifiedID!, address: $0.address) }  // verifiedID is non-nil by the filter
        return Datagram.Probe(id: id, digest: digest, total: vector.total, hints: hints)
    }

    // MARK: Anti-entropy

    private mutating func observe(_ probe: Datagram.Probe, from address: PeerAddress, now: UInt64) {
        for hint in probe.hints where hint.id != configuration.selfID && !selfAddresses.contains(hint.address) {
            if table[hint.address] == nil, table.learn(hint.address, source: .exchange) {
                table.update(hint.address) { $0.claimedID = hint.id }
            }
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

    private mutating func scheduleSyncs(now: UInt64, _ out: inout [Directive]) {
        let myTotal = vector.total
        for address in table.syncCandidates.sorted() {
            guard let record = table[address], !record.syncing else { continue }
            let cooled = isCooled(record, now)
            var diverged = false
            if let since = record.mismatchSince, age(of: since, now) >= configuration.mismatchGrace {
                // The side with fewer entries asks (the sync runs both ways); a tie is broken by ID;
                // a divergence that outlasts `stubbornMismatch` is repaired by whoever notices.
                let theirs = record.reportedTotal ?? 0
                let peerID = record.claimedID ?? configuration.selfID
                let ours = theirs > myTotal || (theirs == myTotal && configuration.selfID < peerID)
                diverged = ours || age(of: since, now) >= configuration.stubbornMismatch
            }
            if record.resyncRequested || (cooled && (record.verifiedID == nil || diverged)) {
                requestSync(with: address, now: now, &out)
            }
        }
    }

    /// Milliseconds since `time`; zero if a caller's clock went backwards, never a trap.
    private func age(of time: UInt64, _ now: UInt64) -> UInt64 { now - min(time, now) }

    private func isCooled(_ record: PeerRecord, _ now: UInt64) -> Bool {
        record.lastSyncAt.map { age(of: $0, now) >= configuration.syncCooldown } ?? true
    }

    private mutating func requestSync(with address: PeerAddress, now: UInt64, _ out: inout [Directive]) {
        guard let record = table[address], !record.syncing else { return }
        table.update(address) { record in
            record.syncing = true
            record.resyncRequested = false
            record.lastSyncAt = now
        }
        counters.syncsStarted += 1
        out.append(.sync(with: address))
    }

    private mutating func send(_ body: Datagram.Body, to address: PeerAddress, _ out: inout [Directive]) {
        out.append(.send(Datagram(network: configuration.network, sender: configuration.selfID, body: body), to: address))
        counters.datagramsOut += 1
    }
}
