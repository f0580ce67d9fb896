/// How this node currently sees a peer.
public enum PeerState: String, Sendable, CaseIterable {
    case alive, suspect, offline
}

/// How a peer's address became known; a peer may be known several ways at once.
public enum PeerSource: String, Sendable, CaseIterable, Comparable {
    case configured, exchange, mdns, inbound, remembered

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// What the replication instance knows about one peer address.
public struct PeerRecord: Sendable, Equatable {
    public let address: PeerAddress
    /// The ID the peer's packets claim; shown to no one until verified.
    public internal(set) var claimedID: AuthorID?
    /// Set only after a sync handshake in which the peer signed our challenge.
    public internal(set) var verifiedID: AuthorID?
    public internal(set) var state: PeerState = .offline
    /// Monotonic milliseconds of the last packet from this address.
    public internal(set) var lastSeen: UInt64?
    /// The interface the last packet from this address came in on, where the shell could tell: link-local
    /// addresses of that link may be named to this peer.
    public internal(set) var link: String?
    /// The link this peer is reached over: its address's own zone, or the interface it was heard on.
    var reachedOver: String? { address.zone ?? link }
    public internal(set) var sources: Set<PeerSource>
    /// Total entries the peer reported in its last ping or ack.
    public internal(set) var reportedTotal: UInt64?
    /// The highest incarnation the peer signed an alive for, as far as this node heard; 0 before any.
    public internal(set) var incarnation: UInt64 = 0
    /// Where a suspicion's time runs from: the silence this node saw, or when news of it arrived.
    var suspectedSince: UInt64?
    /// Since when this node's own evidence says the peer is silent (two probes it sent went unanswered, a
    /// sync failed and the probe after it too). A suspicion goes offline only while this holds, nothing heard
    /// from the peer since.
    var silentSince: UInt64?
    /// When the first of those went unanswered: a doubt, probed again at once (`Membership.suspect`).
    var doubtedSince: UInt64?
    /// The peer's signature of its alive at `incarnation`, to answer suspicions of older incarnations with.
    var aliveSignature: [UInt8]?
    /// A probe of this node's own went unanswered before anything was heard from it: a hint's address that
    /// may be stale, no longer kept as a ring neighbour (`RingView.mayBeThere`).
    var unanswered = false

    /// The ID the peer proved, or else the one its packets claim: its place on the ring, and whom news names.
    var knownID: AuthorID? { verifiedID ?? claimedID }

    var mismatchSince: UInt64?
    var lastSyncAt: UInt64?
    var syncing = false
    var resyncRequested = false

    init(address: PeerAddress, source: PeerSource) {
        self.address = address
        self.sources = [source]
    }

    /// A datagram from the peer's own address. It revives a peer of unverified ID; a verified one held
    /// suspect or offline stays so until its signed alive, because news about it is judged by incarnation and
    /// first-hand contact carries none: reviving it here would have the same suspicion taken again and again.
    mutating func sawAlive(at now: UInt64) {
        lastSeen = now
        guard verifiedID == nil || state == .alive else { return }
        state = .alive
        suspectedSince = nil
    }
}

/// Bounded map of peers by address, with a stable rotation for probing and the small sets the
/// periodic work needs, so a tick costs O(suspects + sync candidates), not O(peers).
///
/// A network larger than the table is seen through a partial view: whatever peers come first fill it, and
/// after that only this node's ring neighbours (`RingView`) take the place of others, so that every node comes
/// to know the peers next to it on the relay tree's ring, which its arcs of the tree end at.
struct PeerTable: Sendable {
    static let maxCapacity = 1024

    let capacity: Int
    /// This node's place on the ring, and the places of the peers of known ID; nil: no ring (a table of the
    /// tests alone).
    private(set) var ring: RingView?

    init(capacity: Int = Self.maxCapacity, ring: RingView? = nil) {
        self.capacity = Self.capacity(configured: capacity)
        self.ring = ring
    }

    /// A configured capacity as a table has it: at least 1, at most `maxCapacity`.
    static func capacity(configured: Int) -> Int { min(max(configured, 1), maxCapacity) }

    private(set) var records: [PeerAddress: PeerRecord] = [:]
    private var rotation: [PeerAddress] = []
    private var cursor = 0
    private(set) var suspects: Set<PeerAddress> = []
    /// Configured peers that have never answered.
    private(set) var unheardConfigured: Set<PeerAddress> = []
    private var byVerifiedID: [AuthorID: Set<PeerAddress>] = [:]
    /// Alive peers that are unverified, diverged or asked for another round: each may need a sync.
    private(set) var syncCandidates: Set<PeerAddress> = []
    /// Records held offline: where a full table finds room first.
    private var offline: Set<PeerAddress> = []
    /// Addresses held per host, so that a host's one place is looked up, not searched for.
    private var addressesPerHost: [String: Int] = [:]
    /// This node's ring neighbours as the table stands; nil once a change may have moved them. Every hint of an
    /// address new to a full table asks, and records change far more often than whether they may be there.
    private var neighbourCache: RingView.Neighbours?

    subscript(address: PeerAddress) -> PeerRecord? { records[address] }

    /// The link `address` is reached over, known or not.
    func link(to address: PeerAddress) -> String? { self[address]?.reachedOver ?? address.zone }

    var all: Dictionary<PeerAddress, PeerRecord>.Values { records.values }

    /// Every record in the stable order peers were learned: deterministic, and no sort per call.
    var inRotationOrder: [PeerRecord] { rotation.compactMap { records[$0] } }

    /// Changes a known record and keeps the derived sets right; a no-op for unknown addresses.
    mutating func update(_ address: PeerAddress, _ change: (inout PeerRecord) -> Void) {
        guard var record = records[address] else { return }
        let verifiedBefore = record.verifiedID
        let idBefore = record.knownID
        let mayBeThereBefore = RingView.mayBeThere(record)
        change(&record)
        if verifiedBefore != record.verifiedID {
            if let verifiedBefore { byVerifiedID[verifiedBefore]?.remove(address) }
            if let id = record.verifiedID { byVerifiedID[id, default: []].insert(address) }
        }
        if idBefore != record.knownID {
            if let idBefore { ring?.remove(address, id: idBefore) }
            if let id = record.knownID { ring?.insert(address, id: id) }
            neighbourCache = nil
        }
        if mayBeThereBefore != RingView.mayBeThere(record) { neighbourCache = nil }
        records[address] = record
        reindex(record)
    }

    var isFull: Bool { records.count >= capacity }

    /// Whether any address of `host` is in the table.
    func holds(host: String) -> Bool { addressesPerHost[host] != nil }

    /// Whether a peer at `address` with `id` is, or would be, one of this node's ring neighbours.
    mutating func wouldKeep(_ address: PeerAddress, id: AuthorID) -> Bool {
        guard let neighbours = neighbours() else { return false }
        return neighbours.addresses.contains(address) || neighbours.wouldInclude(RingView.Place(position: RelayTree.position(of: id), address: address))
    }

    private mutating func neighbours() -> RingView.Neighbours? {
        if let neighbourCache { return neighbourCache }
        neighbourCache = ring?.neighbours(in: records)
        return neighbourCache
    }

    /// Adds an address, or a source to a known one; `id`, the ID it claims, `proven` if a handshake proved it.
    /// When full, the longest-silent unconfigured offline peer makes room, none of this node's ring neighbours;
    /// a newcomer of proven ID that would be one, from a host that has no other address here, may take the place
    /// of the live peer heard from longest ago that is none and not syncing. Otherwise the newcomer is not added.
    /// A claim alone never costs a live peer its place: IDs are chosen freely, so anyone could claim places next
    /// to this node's; a proven one costs its prover a handshake from an address of its own, and a host one place.
    @discardableResult
    mutating func learn(_ address: PeerAddress, source: PeerSource, id: AuthorID? = nil, proven: Bool = false) -> Bool {
        if var record = records[address] {
            record.sources.insert(source)
            records[address] = record
            reindex(record)
            return true
        }
        if isFull {
            guard let victim = victim(making: address, room: id, proven: proven, neighbours: neighbours()) else { return false }
            remove(victim)
        }
        var record = PeerRecord(address: address, source: source)
        record.claimedID = id
        if let id { ring?.insert(address, id: id) }
        records[address] = record
        addressesPerHost[address.host, default: 0] += 1
        neighbourCache = nil
        rotation.append(address)
        reindex(record)
        return true
    }

    /// Whom a full table drops for a newcomer (`learn`), if anyone.
    private func victim(making address: PeerAddress, room id: AuthorID?, proven: Bool, neighbours: RingView.Neighbours?) -> PeerAddress? {
        let evictable = { (record: PeerRecord) in
            !record.sources.contains(.configured) && !(neighbours?.addresses.contains(record.address) ?? false)
        }
        let heardFirst = { (one: PeerRecord, other: PeerRecord) in (one.lastSeen ?? 0, one.address) < (other.lastSeen ?? 0, other.address) }
        if let silent = offline.lazy.compactMap({ records[$0] }).filter(evictable).min(by: heardFirst) { return silent.address }
        let newcomer = id.map { RingView.Place(position: RelayTree.position(of: $0), address: address) }
        guard proven, let newcomer, neighbours?.wouldInclude(newcomer) == true, !holds(host: address.host) else { return nil }
        return records.values.filter { evictable($0) && !$0.syncing }.min(by: heardFirst)?.address
    }

    mutating func remove(_ address: PeerAddress) {
        if let id = records[address]?.verifiedID { byVerifiedID[id]?.remove(address) }
        if let id = records[address]?.knownID { ring?.remove(address, id: id) }
        unheardConfigured.remove(address)
        guard records.removeValue(forKey: address) != nil, let index = rotation.firstIndex(of: address) else { return }
        rotation.remove(at: index)
        if cursor > index { cursor -= 1 }
        suspects.remove(address)
        syncCandidates.remove(address)
        offline.remove(address)
        neighbourCache = nil
        addressesPerHost[address.host]! -= 1
        if addressesPerHost[address.host] == 0 { addressesPerHost[address.host] = nil }
    }

    /// A node proved its ID at `address`: older records of the same ID that went offline are the
    /// same node at an address it left (a restart on a new port, a new DHCP lease).
    mutating func dropStale(_ id: AuthorID, keeping address: PeerAddress) {
        let stale = (byVerifiedID[id] ?? []).filter { $0 != address && records[$0]?.state == .offline }
        for other in stale.sorted() { remove(other) }
    }

    /// The next peer to probe, round robin, so every peer is probed once per round; one that `wasHeard`
    /// (within the period) is passed over as probed already, and if all were, none is probed.
    mutating func nextToProbe(passingOver wasHeard: (PeerRecord) -> Bool) -> PeerAddress? {
        for _ in 0..<rotation.count {
            if cursor >= rotation.count { cursor = 0 }
            defer { cursor += 1 }
            if let record = records[rotation[cursor]], !wasHeard(record) { return record.address }
        }
        return nil
    }

    /// Up to `count` distinct records chosen at random among those matching, looking at a bounded
    /// number of candidates so that the cost does not grow with the table.
    func sample(_ count: Int, using random: inout SplitMix64, where matches: (PeerRecord) -> Bool) -> [PeerRecord] {
        guard !rotation.isEmpty, count > 0 else { return [] }
        var chosen: [PeerRecord] = []
        var seen: Set<PeerAddress> = []
        for _ in 0..<min(rotation.count, count * 4) {
            let address = rotation[Int(random.next() % UInt64(rotation.count))]
            guard seen.insert(address).inserted, let record = records[address], matches(record) else { continue }
            chosen.append(record)
            if chosen.count == count { break }
        }
        return chosen
    }

    private mutating func reindex(_ record: PeerRecord) {
        if record.lastSeen == nil && record.sources.contains(.configured) {
            unheardConfigured.insert(record.address)
        } else {
            unheardConfigured.remove(record.address)
        }
        if record.state == .suspect { suspects.insert(record.address) } else { suspects.remove(record.address) }
        if record.state == .offline { offline.insert(record.address) } else { offline.remove(record.address) }
        let wantsSync = record.state == .alive
            && (record.verifiedID == nil || record.mismatchSince != nil || record.resyncRequested)
        if wantsSync { syncCandidates.insert(record.address) } else { syncCandidates.remove(record.address) }
    }
}
