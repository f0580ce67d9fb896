import LanChatCore

/// What a sync session needs from the node's store.
public protocol SyncStorage: Sendable {
    func syncVector() async throws -> SyncVector
    /// Authors whose log this node holds forked.
    func forkedAuthors() async throws -> Set<AuthorID>
    /// Which of these entries are held.
    func held(_ positions: [AuthorID: [AuthorTip]]) async throws -> Set<EntryHash>
    /// The positions held at `Checkpoints.seqs(below:)` each author's highest seq.
    func checkpoints(of authors: [AuthorID]) async throws -> Checkpoints
    /// For each author, the seq above which its log forked as `ForkWalk` finds it.
    func forkPoints(_ searches: [AuthorID: ForkSearch]) async throws -> [AuthorID: UInt64]
    /// Entries of one author after a seq, in seq order (every branch of a fork), at most `limit`.
    func entries(author: AuthorID, after seq: UInt64, limit: Int) async throws -> [Entry]
    /// Verified entries from a peer, to store (in one transaction per call).
    func ingest(_ entries: [Entry]) async throws
    /// Entries held without the payload they should have (`PayloadFetch`), at most `limit`: what to ask a peer for.
    func missingPayloads(limit: Int) async throws -> [EntryRef]
    /// Of these entries, the ones held with their payload.
    func wholeEntries(_ refs: [EntryRef]) async throws -> [Entry]
    /// The session that asked for these entries whole completed: stop asking for any the store refused.
    func settleFetch(_ refs: [EntryRef]) async throws
}
