/// What the replication instance has seen and done, for `lanchat status` and the benchmarks.
public struct ReplicationCounters: Sendable, Equatable {
    public var datagramsIn: UInt64 = 0
    public var datagramsOut: UInt64 = 0
    public var pushesOut: UInt64 = 0
    public var entriesPushedIn: UInt64 = 0
    public var duplicates: UInt64 = 0
    /// `want` datagrams sent: entries a peer's probe named and no push brought (`LazyPush`).
    public var wantsOut: UInt64 = 0
    /// Entries read from the store and pushed to peers that wanted them.
    public var entriesServed: UInt64 = 0
    /// Pushes set aside unchecked while this node took in more than it could store (`Replicator.shedding`):
    /// unread then, so a malformed push or a duplicate counts here, not as dropped or duplicate.
    public var pushesShed: UInt64 = 0
    /// Malformed, oversized or badly signed datagrams: dropped, never acted on (but see `pushesShed`).
    public var dropped: UInt64 = 0
    public var otherNetwork: UInt64 = 0
    /// Datagrams of another protocol version: a node running another lanchat release.
    public var otherVersion: UInt64 = 0
    /// Datagrams refused before reading: unsealed where a network key is required, sealed under a key
    /// this node lacks, or forged. Sync connections refused for the same reasons count here too.
    public var unauthenticated: UInt64 = 0
    /// Sealed datagrams whose counter this node had already accepted: a capture played back.
    public var replayed: UInt64 = 0
    /// Datagrams dropped unread because their sender exceeded its rate.
    public var rateLimited: UInt64 = 0
    /// Addresses named by peers (hints, ping requests, indirect acks) that `AddressPolicy` refused.
    public var addressesRefused: UInt64 = 0
    /// Datagrams the UDP socket would not send (no route, a broadcast address, a firewall): counted, never fatal.
    public var sendErrors: UInt64 = 0
    public var syncsStarted: UInt64 = 0
    public var syncsFailed: UInt64 = 0
    public var syncsCompleted: UInt64 = 0
    public var inboundSyncs: UInt64 = 0
    public var inboundSyncsRefused: UInt64 = 0
    public var entriesSyncedIn: UInt64 = 0
    public var entriesSyncedOut: UInt64 = 0
    public var datagramBytesOut: UInt64 = 0
    public var syncBytesIn: UInt64 = 0
    /// Payloads of entries held without them, fetched from peers in syncs (`PayloadFetch`).
    public var payloadsFetched: UInt64 = 0

    public init() {}
}
