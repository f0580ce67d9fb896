import LanChatCore

/// One node's entries as its store keeps them: unique by author and seq, with each author's
/// contiguous head (the highest seq held without a gap below it). Authors are simulated nodes, so
/// the log keys them by node index: hashing an `AuthorID` (32 bytes) on every comparison of two
/// logs was the simulator's largest cost at 1,000 nodes.
struct SimulatedLog {
    private var byAuthor: [Int: [UInt64: Entry]] = [:]
    /// Contiguous head by author; the replicator's version vector, keyed by node index.
    private(set) var heads: [Int: UInt64] = [:]
    /// The sum of the heads.
    private(set) var total: UInt64 = 0
    /// An order-independent fingerprint of `heads`, updated in O(1) per head move, so that a sync tells
    /// equal vectors apart without sorting and hashing them (unequal vectors collide with chance 2⁻⁶⁴).
    private(set) var fingerprint: UInt64 = 0

    /// Stores the entries not held yet (each with its author's node index); returns those, and the
    /// heads of the authors they touched, for `Replicator.headsAdvanced`.
    mutating func insert(_ entries: [(author: Int, entry: Entry)]) -> (fresh: [Entry], heads: [AuthorID: UInt64]) {
        var fresh: [Entry] = []
        var touched: [Int: AuthorID] = [:]
        for (author, entry) in entries where byAuthor[author]?[entry.seq] == nil {
            byAuthor[author, default: [:]][entry.seq] = entry
            fresh.append(entry)
            touched[author] = entry.author
        }
        var advanced: [AuthorID: UInt64] = [:]
        for (author, id) in touched {
            advanced[id] = advanceHead(of: author)
        }
        return (fresh, advanced)
    }

    private mutating func advanceHead(of author: Int) -> UInt64 {
        let start = heads[author] ?? 0
        var head = start
        while byAuthor[author]?[head + 1] != nil { head += 1 }
        if head > start {
            heads[author] = head
            total += head - start
            fingerprint = fingerprint &- Self.mix(author, start) &+ Self.mix(author, head)
        }
        return head
    }

    /// A well-mixed 64-bit value for one head; an absent author counts as head 0.
    private static func mix(_ author: Int, _ head: UInt64) -> UInt64 {
        guard head > 0 else { return 0 }
        var generator = SplitMix64(seed: UInt64(author) << 40 ^ head)
        return generator.next()
    }

    /// What a sync sends to a peer whose log is `theirs` (as `VersionVector.behind` would find it): for
    /// each author whose head is ahead of theirs, our entries after their head, in seq order; at most
    /// `limit`, with `more` when some had to stay behind.
    func missing(from theirs: SimulatedLog, limit: Int) -> (entries: [(author: Int, entry: Entry)], more: Bool) {
        var out: [(author: Int, entry: Entry)] = []
        for (author, head) in heads.sorted(by: { $0.key < $1.key }) {
            let after = theirs.heads[author] ?? 0
            guard head > after else { continue }
            let held = byAuthor[author, default: [:]].filter { $0.key > after }.sorted { $0.key < $1.key }
            for (_, entry) in held {
                guard out.count < limit else { return (out, true) }
                out.append((author, entry))
            }
        }
        return (out, false)
    }

    /// The heads as a version vector, for a replicator starting from this log.
    func vector(ids: [AuthorID]) -> VersionVector {
        VersionVector(Dictionary(uniqueKeysWithValues: heads.map { (ids[$0.key], $0.value) }))
    }
}
