import LanChatCore

/// What a sync session needs from the node's store.
public protocol SyncStorage: Sendable {
    func versionVector() async throws -> VersionVector
    /// Encoded entries of one author after a seq, in seq order.
    func encodedEntries(author: AuthorID, after seq: UInt64, limit: Int) async throws -> [[UInt8]]
    /// Verified entries from a peer, to store (in one transaction per call).
    func ingest(_ entries: [Entry]) async throws
}
