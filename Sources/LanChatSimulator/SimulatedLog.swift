import LanChatCore

/// One node's entries as its store keeps them: unique by author and seq, with each author's
/// contiguous head (the highest seq held without a gap below it) as the version vector.
struct SimulatedLog {
    private var byAuthor: [AuthorID: [UInt64: Entry]] = [:]
    private(set) var vector = VersionVector()
    /// `vector.total`, kept as entries arrive rather than summed on every look.
    private(set) var total: UInt64 = 0
    private var cachedDigest: UInt64?

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
            cachedDigest = nil
        }
        return head
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

    /// The vector's digest, computed once per change of the vector.
    mutating func digest() -> UInt64 {
        if let cachedDigest { return cachedDigest }
        let value = vector.digest
        cachedDigest = value
        return value
    }
}
