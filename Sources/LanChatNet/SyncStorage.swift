import LanChatCore

/// What a sync session needs from the node's store.
public protocol SyncStorage: Sendable {
    func syncVector() async throws -> SyncVector
    /// Entries of one author after a seq, in seq order, at most `limit`.
    func entries(author: AuthorID, after seq: UInt64, limit: Int) async throws -> [Entry]
    /// Verified entries from a peer, to store (in one transaction per call).
    func ingest(_ entries: [Entry]) async throws
}
