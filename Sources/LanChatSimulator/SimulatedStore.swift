import LanChatCore

/// One node's entries as its SQLite store keeps them: unique by author and seq, with each author's
/// contiguous head. It answers what the sync machine asks a store (its sync vector, an author's entries
/// after a seq) and survives the node's restarts.
struct SimulatedStore {
    private struct AuthorLog {
        var entries: [UInt64: Entry] = [:]
        var head: UInt64 = 0
    }

    private var logs: [AuthorID: AuthorLog] = [:]
    private(set) var vector = VersionVector()
    /// An order-independent sum over the hashes of every entry held: two stores holding the same
    /// entries have the same one (different ones collide with chance 2⁻⁶⁴).
    private(set) var fingerprint: UInt64 = 0
    private(set) var count = 0
    /// Kept up to date as heads move: a node answers a sync vector for every sync, and rebuilding it
    /// (a hash per author) each time was most of a 1,000-node run.
    private(set) var syncVector = SyncVector()

    /// Stores the entries not held yet (the first one seen wins at a seq, as `INSERT OR IGNORE` does);
    /// returns those, and the new heads of the authors they touched, for `Replicator.headsAdvanced`.
    mutating func insert(_ entries: [Entry]) -> (fresh: [Entry], heads: [AuthorID: UInt64]) {
        var fresh: [Entry] = []
        var touched: Set<AuthorID> = []
        for entry in entries where logs[entry.author]?.entries[entry.seq] == nil {
            logs[entry.author, default: AuthorLog()].entries[entry.seq] = entry
            fingerprint &+= Self.fingerprint(of: entry)
            count += 1
            fresh.append(entry)
            touched.insert(entry.author)
        }
        var heads: [AuthorID: UInt64] = [:]
        for author in touched {
            var log = logs[author]!  // touched authors were just written
            while log.entries[log.head + 1] != nil { log.head += 1 }
            logs[author] = log
            if log.head > vector[author], let entry = log.entries[log.head] {
                vector.advance(author, to: log.head)
                syncVector.moveHead(of: author, to: entry.tip)
            }
            heads[author] = log.head
        }
        return (fresh, heads)
    }

    /// Forgets the author's entries above `seq`: a state directory restored from an older copy.
    mutating func truncate(_ author: AuthorID, above seq: UInt64) {
        guard var log = logs[author] else { return }
        for (_, entry) in log.entries where entry.seq > seq {
            fingerprint &-= Self.fingerprint(of: entry)
            count -= 1
        }
        log.entries = log.entries.filter { $0.key <= seq }
        log.head = min(log.head, seq)
        logs[author] = log
        var heads = vector.heads
        heads[author] = log.head
        vector = VersionVector(heads)
        var tips = syncVector.tips
        tips[author] = log.entries[log.head].map { [$0.tip] }
        syncVector = SyncVector(tips)
    }

    /// Held entries of one author after a seq, in seq order, up to the contiguous head.
    func entries(author: AuthorID, after seq: UInt64, limit: Int) -> [Entry] {
        guard let log = logs[author], log.head > seq else { return [] }
        return (seq + 1...min(log.head, seq + UInt64(limit))).compactMap { log.entries[$0] }
    }

    static func fingerprint(of entry: Entry) -> UInt64 {
        entry.hash.bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// Every entry held, for the end-of-run invariants.
    var allEntries: [Entry] { logs.values.flatMap(\.entries.values) }
}
