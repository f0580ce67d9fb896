/// Plumtree's lazy push over the probes every node sends anyway: each ping and ack names the latest entries of
/// the authors whose logs grew at its sender lately (`recent`), and a node that still lacks one a grace later
/// asks the peer that named it (`want`) instead of waiting for a digest mismatch to open a sync. A datagram lost
/// on its way (or a relay, with the arc below it) is so repaired within a period or two, by one datagram each way.
struct LazyPush {
    /// An author whose entries a peer named newer than this node's.
    struct Wanted {
        var seq: UInt64
        /// The first peer that named it: a later one naming a higher seq does not take the want over, so a peer
        /// naming seqs it does not hold cannot draw every want to itself.
        let from: PeerAddress
        /// When it was first named: the grace runs from here.
        let since: UInt64
    }

    /// Authors a node waits for at once; more are left to sync.
    static let maxWanted = 64
    /// Authors one peer's names may hold in `wanted`, so that one peer cannot fill it.
    static let maxWantedPerPeer = 8
    /// Periods after the one a log grew in that it stays in `recent`: the probes of a few periods carry it.
    static let recentPeriods: UInt64 = 5
    /// Keys of wants answered in one period, in all and for one asker: each costs a read of the store and a
    /// datagram or a few, and a want's source address is only a claim.
    static let servedPerPeriod = 16
    static let servedPerPeerPerPeriod = 4

    /// Logs that grew lately that a node keeps naming: beyond the newest few each probe names, the others are
    /// named least lately named first (`names()`), so that a want or an answer that was lost is asked again at a
    /// later name, however many logs grew since.
    static let rememberedLogs = 16
    /// Of a probe's names, how many are the newest logs; the rest go to the older logs named least lately.
    static let newestNamed = 2

    private var period: UInt64 = 0
    /// Newest last; one key per author. `named`: the probe that last named it (`probes`), 0 for none yet.
    private var grown: [(key: EntryKey, period: UInt64, named: UInt64)] = []
    /// Probes that named logs so far.
    private var probes: UInt64 = 0
    private var wanted: [AuthorID: Wanted] = [:]
    var isWanting: Bool { !wanted.isEmpty }
    private var served: [PeerAddress: Int] = [:]

    mutating func newPeriod() {
        period += 1
        served.removeAll()
        grown.removeAll { period - $0.period > Self.recentPeriods }
    }

    /// The author's log grew to `key.seq` here (stored, or written by this node).
    mutating func grew(_ key: EntryKey) {
        grown.removeAll { $0.key.author == key.author }
        grown.append((key, period, 0))
        if grown.count > Self.rememberedLogs { grown.removeFirst(grown.count - Self.rememberedLogs) }
    }

    /// What the next probe names: the newest logs that grew here lately, newest first, then the older ones named
    /// least lately (the newer first among equals). By when each was named, not by place: a log's place moves
    /// each time another grows, and turns by place could keep landing on the same ones.
    mutating func names() -> [EntryKey] {
        probes += 1
        let newestFirst = Array(grown.indices.reversed())
        let older = newestFirst.dropFirst(Self.newestNamed).sorted { (grown[$0].named, $1) < (grown[$1].named, $0) }
        let chosen = newestFirst.prefix(Self.newestNamed) + older.prefix(Datagram.maxRecent - Self.newestNamed)
        for index in chosen { grown[index].named = probes }
        return chosen.map { grown[$0].key }
    }

    /// A peer's probe named these, which this node lacks.
    mutating func named(_ keys: [EntryKey], by address: PeerAddress, now: UInt64) {
        for key in keys {
            if let known = wanted[key.author] {
                if key.seq > known.seq, known.from == address { wanted[key.author]?.seq = key.seq }
            } else if wanted.count < Self.maxWanted, wanted.values.count(where: { $0.from == address }) < Self.maxWantedPerPeer {
                wanted[key.author] = Wanted(seq: key.seq, from: address, since: now)
            }
        }
    }

    /// The wants whose grace is over, by the peer to ask, each key the highest seq held (`holding`) of an author
    /// still lacking, at most `Datagram.maxRecent` a peer (the rest wait for the next call); taken out of `wanted`,
    /// with those now held (a lost want is asked again when a probe names the author again). `reachable`: whether
    /// a peer may be asked; the wants of one that may not are dropped, another's name brings them back.
    /// In a fixed order, so that a simulation repeats.
    mutating func due(
        now: UInt64, grace: UInt64, holding: (AuthorID) -> UInt64, reachable: (PeerAddress) -> Bool
    ) -> [(from: PeerAddress, keys: [EntryKey])] {
        var asks: [PeerAddress: [EntryKey]] = [:]
        for author in wanted.keys.sorted() {
            guard let want = wanted[author], now - min(want.since, now) >= grace else { continue }
            let held = holding(author)
            guard want.seq > held, reachable(want.from) else {
                wanted[author] = nil
                continue
            }
            guard asks[want.from, default: []].count < Datagram.maxRecent else { continue }
            wanted[author] = nil
            asks[want.from, default: []].append(EntryKey(author: author, seq: held))
        }
        return asks.keys.sorted().map { ($0, asks[$0] ?? []) }
    }

    /// Whether a peer's want of `key` is answered: only for a log this node names lately, only the entries up to
    /// what it names and no more than a `pushes` datagram holds below it (a longer gap is a sync's), and within
    /// the period's budgets. Counts it if so.
    mutating func mayServe(_ key: EntryKey, to address: PeerAddress) -> Bool {
        guard let named = grown.first(where: { $0.key.author == key.author })?.key.seq,
            key.seq < named, named - key.seq <= UInt64(Datagram.maxPushedEntries),
            served.values.reduce(0, +) < Self.servedPerPeriod, served[address, default: 0] < Self.servedPerPeerPerPeriod
        else { return false }
        served[address, default: 0] += 1
        return true
    }
}
