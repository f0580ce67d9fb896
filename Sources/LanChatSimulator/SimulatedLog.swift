import LanChatCore

/// One node's entries as its store keeps them: unique by author and seq, with each author's
/// contiguous head (the highest seq held without a gap below it) as the version vector.
struct SimulatedLog {
    private var byAuthor: [AuthorID: [UInt64: Entry]] = [:]
    private(set) var vector = VersionVector()
    /// `vector.total`, kept as entries arrive rather than summed on every look.
    private(set) var total: UInt64 = 0
    /// An order-independent fingerprint of `vector`, updated in O(1) per head move, so that a sync tells
    /// equal vectors apart without sorting and hashing them (unequal vectors collide with chance 2⁻⁶⁴).
    private(set) var fingerprint: UInt64 = 0

    /// Stores the entries not held yet; returns those, and the heads of every author they touched.
    mutating func insert(_ entries: [Entry]) -> (fresh: [Entry], heads: [AuthorID: UInt64]) {
        var fresh: [Entry] = []
        for entry in entries where byAuthor[entry.author]?[entry.seq] == nil {
            byAuthor[entry.author, default: [:]][entry.seq] = entry
            fresh.append(entry)
        }
        var heads: [AuthorID: UInt64] = [:]
        for author in Set(fresh.map(\.author)) {
            heads[author] = advanceHead(of: author)
        }
        return (fresh, heads)
    }

    private mutating func advanceHead(of author: AuthorID) -> UInt64 {
        let start = vector[author]
        var head = start
        while byAuthor[author]?[head + 1] != nil { head += 1 }
        if head > start {
            vector.advance(author, to: head)
            total += head - start
            fingerprint = fingerprint &- Self.mix(author, start) &+ Self.mix(author, head)
        }
        return head
    }

    /// A well-mixed 64-bit value for one head; an absent author counts as head 0.
    private static func mix(_ author: AuthorID, _ head: UInt64) -> UInt64 {
        guard head > 0 else { return 0 }
        // An ID is an Ed25519 public key: its first eight bytes are already well spread.
        let key = author.bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
        var generator = SplitMix64(seed: key ^ (head &* 0x9E37_79B9_7F4A_7C15))
        return generator.next()
    }

    /// What a sync sends to a peer holding `theirs`: for each author we are ahead on, our entries
    /// after their head, in seq order; at most `limit`, with `more` when some had to stay behind.
    func missing(from theirs: VersionVector, limit: Int) -> (entries: [Entry], more: Bool) {
        var out: [Entry] = []
        for (author, after) in theirs.behind(vector) {
            let held = byAuthor[author, default: [:]].filter { $0.key > after }.sorted { $0.key < $1.key }
            for (_, entry) in held {
                guard out.count < limit else { return (out, true) }
                out.append(entry)
            }
        }
        return (out, false)
    }
}
