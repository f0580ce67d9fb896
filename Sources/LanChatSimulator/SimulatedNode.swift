import LanChatCore

/// One simulated machine: an identity, a store that survives restarts, and, while it is up, a replicator.
struct SimulatedNode {
    let index: Int
    let identity: LocalIdentity
    let address: PeerAddress
    /// Nil for an honest node.
    var adversary: Adversary?
    /// Given when the node first joins; a restarted node starts again from these.
    var seeds: [Int] = []
    var store = SimulatedStore()
    var clock = HybridClock()
    /// Nil before the node joins and while it is down.
    var replicator: Replicator? { didSet { isUp = replicator != nil } }
    /// Kept beside `replicator`, not derived from it when asked: every simulated frame asks, and reading a
    /// derived property of an element of the node array copied the whole node.
    private(set) var isUp = false
    /// Changes whenever the node starts or stops, so timers and syncs of an earlier run are ignored.
    var incarnation = 0
    /// What a replaying adversary captured, to send again.
    var captured: [[UInt8]] = []
    /// Set while a restarted node waits for a sync before its first write (a restored backup must not fork).
    var writesAllowed = true
    /// Publishes that arrived while writes were not allowed yet.
    var waitingPublishes = 0
    /// Hostile datagrams its replicators turned away (malformed or badly signed, over the rate), across restarts.
    var pastRejections = Rejections()

    init(index: Int, identity: LocalIdentity) {
        self.index = index
        self.identity = identity
        address = PeerAddress(host: "10.\(index / 250).\(index % 250).1", port: Simulation.port)
    }

    var id: AuthorID { identity.id }
    /// Its start token: another at every start, and another for a twin of its identity.
    var token: [UInt8] { [index, incarnation].flatMap { value in (0..<8).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } } }
    var isHonest: Bool { adversary == nil }

    /// Signs the next entry of this node's own log at the virtual time, linking every tip it holds of
    /// its own log (so a fork it learnt of is merged), and stores it.
    mutating func write(_ content: EntryContent, now: UInt64) -> Entry {
        let (seq, links) = store.links(for: id)
        let timestamp = clock.tick(wallMillis: Simulation.epochMillis + now)
        let entry = Entry.sign(by: identity, seq: seq, timestamp: timestamp, links: links, content: content)
        _ = store.insert([entry])
        return entry
    }

    /// The state directory comes back from an older copy: the last `lost` entries of its own log are
    /// gone, and the next write reuses their seqs.
    mutating func restoreBackup(losing lost: UInt64) {
        let highest = store.links(for: id).seq - 1
        store.truncate(id, above: highest - min(lost, highest))
    }

    var rejections: Rejections { pastRejections + (replicator.map { Rejections($0.counters) } ?? Rejections()) }
}

/// Datagrams a node refused to act on.
struct Rejections {
    var dropped: UInt64 = 0
    var rateLimited: UInt64 = 0

    init() {}

    init(_ counters: ReplicationCounters) {
        dropped = counters.dropped
        rateLimited = counters.rateLimited
    }

    static func + (lhs: Self, rhs: Self) -> Self {
        var sum = lhs
        sum.dropped += rhs.dropped
        sum.rateLimited += rhs.rateLimited
        return sum
    }
}
