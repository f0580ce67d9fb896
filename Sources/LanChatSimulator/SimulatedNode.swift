import LanChatCore

/// One simulated machine: an identity, a log that survives restarts, and, while it is up, a replicator.
struct SimulatedNode {
    let index: Int
    let identity: LocalIdentity
    let address: PeerAddress
    /// Given when the node first joins; a restarted node starts again from these.
    var seeds: [Int] = []
    var log = SimulatedLog()
    var clock = HybridClock()
    /// Nil before the node joins and while it is down.
    var replicator: Replicator?
    /// Changes whenever the node starts or stops, so timers and syncs of an earlier run are ignored.
    var incarnation = 0
    private(set) var lastSeq: UInt64 = 0

    init(index: Int, identity: LocalIdentity) {
        self.index = index
        self.identity = identity
        address = PeerAddress(host: "10.\(index / 250).\(index % 250).1", port: Simulation.port)
    }

    var id: AuthorID { identity.id }
    var isUp: Bool { replicator != nil }

    /// Signs the next entry of this node's own log at the virtual time and stores it.
    mutating func write(_ content: EntryContent, now: UInt64) -> Entry {
        lastSeq += 1
        let timestamp = clock.tick(wallMillis: Simulation.epochMillis + now)
        let entry = Entry.sign(by: identity, seq: lastSeq, timestamp: timestamp, content: content)
        _ = log.insert([(index, entry)])
        return entry
    }
}
