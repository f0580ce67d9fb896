/// This node's place on the relay tree's ring (`RelayTree.position`), the peers of known ID in the order of
/// theirs, and which of them a partial view keeps. An arc of the tree ends where its holder's known peers run
/// out: a node that knows the peers following it on the ring, more of them than the tree's fanout, hands every
/// arc it ends on to all the peers in it. Peer exchange names each recipient the peers nearest its place
/// (T-Man's ranking), so a node that joins a network larger than its table finds its neighbours in a few
/// rounds of pings.
struct RingView: Sendable {
    struct Place: Sendable {
        let position: UInt64
        let address: PeerAddress
    }

    let home: UInt64
    /// Neighbours kept on each side.
    let width: Int
    /// Sorted by position, then address.
    private var places: [Place] = []

    init(of id: AuthorID, width: Int) {
        home = RelayTree.position(of: id)
        self.width = width
    }

    mutating func insert(_ address: PeerAddress, id: AuthorID) {
        let place = Place(position: RelayTree.position(of: id), address: address)
        places.insert(place, at: index(of: place))
    }

    mutating func remove(_ address: PeerAddress, id: AuthorID) {
        let place = Place(position: RelayTree.position(of: id), address: address)
        let at = index(of: place)
        if at < places.count, places[at].position == place.position, places[at].address == address { places.remove(at: at) }
    }

    /// This node's neighbours among the peers that may be there (`mayBeThere`): the `width` nearest after its
    /// place and the `width` nearest before it.
    struct Neighbours: Sendable {
        let home: UInt64
        let width: Int
        let after: [Place]
        let before: [Place]
        let addresses: Set<PeerAddress>

        /// Whether a peer at `place`, not in the table yet, would be one of them.
        func wouldInclude(_ place: Place) -> Bool {
            place.position != home
                && (after.count < width || place.position &- home < after.last!.position &- home
                    || before.count < width || home &- place.position < home &- before.last!.position)
        }
    }

    func neighbours(in records: [PeerAddress: PeerRecord]) -> Neighbours {
        let there = { (address: PeerAddress) in records[address].map(Self.mayBeThere) ?? false }
        let after = walk(width, from: home, forward: true, where: there)
        let before = walk(width, from: home, forward: false, where: there)
        return Neighbours(home: home, width: width, after: after, before: before, addresses: Set((after + before).map(\.address)))
    }

    /// The addresses of the `count` peers nearest `position`, half after it and half before, that match.
    func nearest(_ count: Int, to position: UInt64, where matches: (PeerAddress) -> Bool) -> [PeerAddress] {
        let after = walk((count + 1) / 2, from: position, forward: true, where: matches).map(\.address)
        return after + walk(count / 2, from: position, forward: false) { matches($0) && !after.contains($0) }.map(\.address)
    }

    /// A peer alive or suspect, or one named by a hint and not probed in vain yet: a neighbour that went
    /// offline after it was heard from is one no longer.
    static func mayBeThere(_ record: PeerRecord) -> Bool {
        record.state != .offline || (record.lastSeen == nil && !record.unanswered)
    }

    /// Up to `count` places that match, nearest `position` first going one way round, none at `position` itself,
    /// among the `8 × count` nearest: a table full of places that do not match costs no more than a few.
    private func walk(_ count: Int, from position: UInt64, forward: Bool, where matches: (PeerAddress) -> Bool) -> [Place] {
        guard !places.isEmpty, count > 0 else { return [] }
        let start = index(of: Place(position: position, address: PeerAddress(host: "", port: 0)))
        var found: [Place] = []
        for step in 0..<min(places.count, 8 * count) {
            let place = places[forward ? (start + step) % places.count : (start - 1 - step + places.count) % places.count]
            guard place.position != position, matches(place.address) else { continue }
            found.append(place)
            if found.count == count { break }
        }
        return found
    }

    /// Where `place` is or would go in `places` (binary search).
    private func index(of place: Place) -> Int {
        var low = 0
        var high = places.count
        while low < high {
            let middle = (low + high) / 2
            let other = places[middle]
            if other.position < place.position || (other.position == place.position && other.address < place.address) {
                low = middle + 1
            } else {
                high = middle
            }
        }
        return low
    }
}
