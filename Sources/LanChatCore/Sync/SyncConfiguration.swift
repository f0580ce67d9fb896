/// The bounds of one sync session, the same in the daemon and the simulator.
public struct SyncConfiguration: Equatable, Sendable {
    /// Entries sent per session at most; the peer comes back for the rest (`done(more: true)`).
    public var maxEntriesPerSession = 50_000
    /// Entries verified and stored together, one transaction each. A commit costs about as much as a
    /// thousand inserts, so catch-up runs about 30% faster at 5,000 than at 2,000; a receiver holds at most three
    /// batches (reading, verifying, storing), about 10 MB.
    public var batchSize = 5000
    /// A session still running after this long (milliseconds) is cancelled whole.
    public var sessionTimeout: UInt64 = 120_000
    /// Inbound sessions running at once at most; more are refused so a burst of peers cannot exhaust a node.
    public var maxInboundSessions = 32

    public init() {}
}
