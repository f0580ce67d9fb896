import LanChatCore

/// One node's entries as its SQLite store keeps them: named by hash (so a forked seq holds two),
/// each complete once everything it links to is held, the complete ones without a successor being
/// the author's tips. It answers what the sync machine asks a store and survives the node's restarts.
/// Public for the benchmark's simulated peers, which serve real syncs from it.
public struct SimulatedStore: Sendable {
    private struct AuthorLog {
        var entries: [EntryHash: Entry] = [:]
        var bySeq: [UInt64: [EntryHash]] = [:]
        var complete: Set<EntryHash> = []
        /// Held entries by the hash they link to: who may become complete when that one does.
        var waiting: [EntryHash: [EntryHash]] = [:]
        var tips: Set<AuthorTip> = []
        /// Of the complete entries, the highest is a tip (nothing complete links to it yet); each links down
        /// to seq 1, so every seq below it holds one too.
        var highestSeq: UInt64 { tips.map(\.seq).max() ?? 0 }

        /// Holds the entry; false if it was refused (it would give the author more branches than are kept).
        mutating func add(_ entry: Entry) -> Bool {
            entries[entry.hash] = entry
            bySeq[entry.seq, default: []].append(entry.hash)
            for link in entry.links { waiting[link.hash, default: []].append(entry.hash) }
            guard completes(entry) else {
                entries[entry.hash] = nil
                bySeq[entry.seq]?.removeAll { $0 == entry.hash }
                for link in entry.links { waiting[link.hash]?.removeAll { $0 == entry.hash } }
                return false
            }
            return true
        }

        /// Completes the entry if it can, then whatever waited for it; false if that would give the author
        /// more branches than are kept (the entry is refused, as the real store refuses it).
        private mutating func completes(_ entry: Entry) -> Bool {
            guard entry.links.allSatisfy({ complete.contains($0.hash) }) else { return true }
            var ready = [entry]
            while let next = ready.popLast() {
                let replaced = next.links.filter { tips.contains($0) }
                guard tips.count - replaced.count + 1 <= SyncVector.maxTipsPerAuthor else {
                    if next.hash == entry.hash { return false }
                    continue
                }
                complete.insert(next.hash)
                tips.subtract(replaced)
                tips.insert(next.tip)
                for child in waiting[next.hash] ?? [] {
                    guard let held = entries[child], !complete.contains(child), held.links.allSatisfy({ complete.contains($0.hash) })
                    else { continue }
                    ready.append(held)
                }
            }
            return true
        }
    }

    private var logs: [AuthorID: AuthorLog] = [:]
    /// Kept up to date as tips move: a node answers a sync vector for every sync.
    public private(set) var syncVector = SyncVector()
    /// An order-independent sum over the hashes of every entry held: two stores holding the same
    /// entries have the same one (different ones collide with chance 2⁻⁶⁴).
    private(set) var fingerprint: UInt64 = 0
    private(set) var count = 0
    /// Authors with two entries at one seq, kept as entries arrive: every sync asks.
    public private(set) var forkedAuthors: Set<AuthorID> = []

    public init() {}

    /// Stores the entries not held yet; returns those, and the tips of the authors they touched.
    public mutating func insert(_ entries: [Entry]) -> (fresh: [Entry], tips: [AuthorID: [AuthorTip]]) {
        var fresh: [Entry] = []
        var touched: Set<AuthorID> = []
        for entry in entries where logs[entry.author]?.entries[entry.hash] == nil {
            // Changed in place: copying the author's log out and back per entry makes a long log quadratic.
            guard logs[entry.author, default: AuthorLog()].add(entry) else { continue }
            if logs[entry.author]?.bySeq[entry.seq]?.count ?? 0 > 1 { forkedAuthors.insert(entry.author) }
            fingerprint &+= Self.fingerprint(of: entry)
            count += 1
            fresh.append(entry)
            touched.insert(entry.author)
        }
        var tips: [AuthorID: [AuthorTip]] = [:]
        for author in touched {
            tips[author] = logs[author]!.tips.sorted()  // touched authors were just written
            syncVector.setTips(of: author, to: tips[author]!)
        }
        return (fresh, tips)
    }

    /// Forgets the author's entries above `seq`: a state directory restored from an older copy.
    mutating func truncate(_ author: AuthorID, above seq: UInt64) {
        guard let log = logs.removeValue(forKey: author) else { return }
        for entry in log.entries.values {
            fingerprint &-= Self.fingerprint(of: entry)
            count -= 1
        }
        syncVector.setTips(of: author, to: [])
        forkedAuthors.remove(author)
        _ = insert(log.entries.values.filter { $0.seq <= seq }.sorted { $0.seq < $1.seq })
    }

    static func fingerprint(of entry: Entry) -> UInt64 {
        entry.hash.prefix64
    }

    /// Complete entries of one author after a seq, in seq then hash order, every branch of a fork. Read
    /// seq by seq, so a page costs what it returns (a benchmark peer serves long logs from it).
    public func entries(author: AuthorID, after seq: UInt64, limit: Int) -> [Entry] {
        guard let log = logs[author], limit > 0, seq < log.highestSeq else { return [] }
        var page: [Entry] = []
        for next in (seq + 1)...log.highestSeq {
            for hash in (log.bySeq[next] ?? []).sorted() where log.complete.contains(hash) {
                guard page.count < limit else { return page }
                if let entry = log.entries[hash] { page.append(entry) }
            }
        }
        return page
    }

    public func held(_ positions: [AuthorID: [AuthorTip]]) -> Set<EntryHash> {
        Set(positions.flatMap { author, tips in tips.filter { logs[author]?.entries[$0.hash] != nil }.map(\.hash) })
    }

    public func checkpoints(of authors: [AuthorID]) -> Checkpoints {
        var positions: [AuthorID: [AuthorTip]] = [:]
        for author in authors {
            guard let log = logs[author], log.highestSeq > 0 else { continue }
            let highest = log.highestSeq
            positions[author] = Checkpoints.seqs(below: highest).flatMap { seq in
                (log.bySeq[seq] ?? []).filter { log.complete.contains($0) }.map { AuthorTip(seq: seq, hash: $0) }
            }
        }
        return Checkpoints(positions)
    }

    public func forkPoints(_ searches: [AuthorID: ForkSearch]) -> [AuthorID: UInt64] {
        searches.reduce(into: [:]) { points, search in
            let log = logs[search.key]
            points[search.key] = ForkWalk.lowestStop(from: search.value.from, stop: search.value.stop) { log?.entries[$0.hash]?.links ?? [] }
        }
    }

    /// What a local entry links to: every tip of the author and whatever is held at its highest seq.
    func links(for author: AuthorID) -> (seq: UInt64, links: [AuthorTip]) {
        guard let log = logs[author], let highest = log.bySeq.keys.max() else { return (1, []) }
        let atHighest = (log.bySeq[highest] ?? []).map { AuthorTip(seq: highest, hash: $0) }
        return (highest + 1, Array(Set(atHighest).union(log.tips).sorted().suffix(Entry.maxLinks)))
    }

    /// Whether the author's log holds two entries at one seq.
    func isForked(_ author: AuthorID) -> Bool { forkedAuthors.contains(author) }

    /// Every entry held, for the end-of-run invariants.
    var allEntries: [Entry] { logs.values.flatMap(\.entries.values) }
}
