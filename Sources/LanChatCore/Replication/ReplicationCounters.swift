/// What the replication instance has seen and done, for `lanchat status` and the benchmarks.
public struct ReplicationCounters: Sendable, Equatable {
    public var datagramsIn: UInt64 = 0
    public var datagramsOut: UInt64 = 0
    public var pushesOut: UInt64 = 0
    public var entriesPushedIn: UInt64 = 0
    public var duplicates: UInt64 = 0
    /// Malformed, oversized or badly signed datagrams: dropped, never acted on.
    public var dropped: UInt64 = 0
    public var otherNetwork: UInt64 = 0
    /// Datagrams dropped unread because their sender exceeded its rate.
    public var rateLimited: UInt64 = 0
    public var syncsStarted: UInt64 = 0
    public var syncsFailed: UInt64 = 0

    public var dictionary: [String: UInt64] {
        [
            "datagramsIn": datagramsIn, "datagramsOut": datagramsOut, "pushesOut": pushesOut,
            "entriesPushedIn": entriesPushedIn, "duplicates": duplicates, "dropped": dropped,
            "otherNetwork": otherNetwork, "rateLimited": rateLimited, "syncsStarted": syncsStarted, "syncsFailed": syncsFailed,
        ]
    }
}
