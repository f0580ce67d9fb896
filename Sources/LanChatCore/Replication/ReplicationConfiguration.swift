/// Every setting of the replication protocol, datagrams and sync alike: one value feeds the daemon
/// and the simulator, so the two never drift apart. Times are milliseconds.
public struct ReplicationConfiguration: Equatable, Sendable {
    public var network: String
    public var protocolPeriod: UInt64 = 200
    public var indirectProbes = 2
    /// How long a suspicion lasts unrefuted before the peer is offline, at least; in a larger network
    /// `suspicionMultiplier` × ⌈log2 N⌉ periods, the time news takes to reach a suspect and its refutation to come back.
    public var suspectTimeout: UInt64 = 2000
    public var suspicionMultiplier: UInt64 = 4
    /// Each piece of membership news is sent on `gossipMultiplier` × ⌈log2 N⌉ pings and acks (SWIM's λ log N).
    public var gossipMultiplier = 3
    /// Pieces of news one ping or ack carries at most, besides what the sender holds against its recipient.
    public var updatesPerProbe = 6
    /// Pushes on their way to the store (checked or not) at most; beyond, pushes are shed until a sync
    /// catches this node up (`Replicator.shedding`).
    public var maxPushesInFlight = 10_000
    /// A digest mismatch must last this long before a sync: a push in flight is not a divergence.
    public var mismatchGrace: UInt64 = 150
    /// How long after a probe named an entry this node lacks it asks for it (`LazyPush`): a push or relay of
    /// it may still be on its way.
    public var pullGrace: UInt64 = 100
    public var syncCooldown: UInt64 = 1000
    /// Syncs this node opens at once. A node behind everyone would otherwise ask every peer, and each
    /// would send it the same entries; one sync brings what that peer holds, the next one the rest.
    public var maxOutboundSyncs = 2
    /// After this long, a node syncs even when the peer has more entries and should have come to it.
    public var stubbornMismatch: UInt64 = 5000
    /// While this node lacks payloads it should have, it syncs with one peer after another this often,
    /// digests agreeing or not, to ask for them: a quiet network would otherwise never open a sync.
    public var payloadRetry: UInt64 = 10_000
    /// With more live peers of verified ID than this, an author pushes down a relay tree (`RelayTree`) instead
    /// of to each: a burst of one datagram per peer costs the author 3 µs or more each, all before the last
    /// leaves, and past a few hundred it no longer fits the socket's send buffer (docs/BENCHMARKS.md).
    public var directPushPeers = 256
    /// Datagrams a node sends for one entry it relays (or publishes, above `directPushPeers`).
    public var relayFanout = 8
    public var hintsPerProbe = 6
    /// Peers a node keeps at most (`PeerTable`); in a larger network it keeps a partial view. Lowered only to
    /// simulate networks larger than the table with fewer nodes.
    public var peerTableCapacity = 1024
    /// Datagrams accepted per second from one host, whatever its port (`PeerAddress.floodSource`), and as a
    /// burst; beyond, they are dropped unread.
    public var datagramsPerPeerPerSecond = 20_000.0
    public var sync = SyncConfiguration()
    /// Inbound sync connections served at once from one host (the total is `sync.maxInboundSessions`).
    public var maxInboundSessionsPerHost = 4

    public init(network: String) {
        self.network = network
    }
}
