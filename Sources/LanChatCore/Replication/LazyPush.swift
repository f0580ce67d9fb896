/// Plumtree's lazy push over the probes every node sends anyway: each ping and ack names the latest entries of
/// the authors whose logs grew at its sender lately (`recent`), and a node that still lacks one a grace later
/// asks the peer that named it (`want`) instead of waiting for a digest mismatch to open a sync. A datagram lost
/// on its way (or a relay, with the arc below it) is so repaired within a period or two, by one datagram each way.
struct LazyPush {
    /// An author whose entries a peer named newer than this node's.
    struct Wanted {
        var seq: UInt64
        var from: PeerAddress
        /// When a peer first named the author's missing entries: the grace runs from here.
        let since: UInt64
    }

    /// Authors a node waits for at once; more are left to sync.
    static let maxWanted = 64
    /// Periods a grown log stays in `recent`: long enough for the probes of a few periods to carry it.
    static let recentPeriods: UInt64 = 5
    /// Wants answered in one period: each costs a read of the store and up to a few datagrams.
    static let servedPerPeriod = 16

    private var period: UInt64 = 0
    /// Newest last; one key per author.
    private var grown: [(key: EntryKey, period: UInt64)] = []
    private var wanted: [AuthorID: Wanted] = [:]
    var isWanting: Bool { !wanted.isEmpty }
    private var servedThisPeriod = 0

    mutating func newPeriod() {
        period += 1
        servedThisPeriod = 0
        grown.removeAll { period - $0.period > Self.recentPeriods }
    }

    /// The author's log grew to `key.seq` here (stored, or written by this node).
    mutating func grew(_ key: EntryKey) {
        grown.removeAll { $0.key.author == key.author }
        grown.append((key, period))
        if grown.count > Datagram.maxRecent { grown.removeFirst(grown.count - Datagram.maxRecent) }
    }

    /// What a probe names: the logs that grew here lately, newest first.
    var recent: [EntryKey] { grown.reversed().map(\.key) }

    /// A peer's probe named these, which this node lacks.
    mutating func named(_ keys: [EntryKey], by address: PeerAddress, now: UInt64) {
        for key in keys {
            if var known = wanted[key.author] {
                guard key.seq > known.seq else { continue }
                known.seq = key.seq
                known.from = address
                wanted[key.author] = known
            } else if wanted.count < Self.maxWanted {
                wanted[key.author] = Wanted(seq: key.seq, from: address, since: now)
            }
        }
    }

    /// A push of `key` reached this node (on its way to the store): nothing up to it is wanted any more.
    mutating func arrived(_ key: EntryKey) {
        if let known = wanted[key.author], known.seq <= key.seq { wanted[key.author] = nil }
    }

    /// The wants whose grace is over, by the peer to ask, each key the highest seq held (`holding`) of an author
    /// still lacking; taken out of `wanted` (a lost want is asked again when a probe names the author again).
    /// In a fixed order, so that a simulation repeats.
    mutating func due(now: UInt64, grace: UInt64, holding: (AuthorID) -> UInt64) -> [(from: PeerAddress, keys: [EntryKey])] {
        var asks: [PeerAddress: [EntryKey]] = [:]
        for author in wanted.keys.sorted() {
            guard let want = wanted[author], now - min(want.since, now) >= grace else { continue }
            wanted[author] = nil
            let held = holding(author)
            guard want.seq > held, asks[want.from, default: []].count < Datagram.maxRecent else { continue }
            asks[want.from, default: []].append(EntryKey(author: author, seq: held))
        }
        return asks.keys.sorted().map { ($0, asks[$0] ?? []) }
    }

    /// Whether one more want may be answered this period; counts it if so.
    mutating func mayServe() -> Bool {
        guard servedThisPeriod < Self.servedPerPeriod else { return false }
        servedThisPeriod += 1
        return true
    }
}
