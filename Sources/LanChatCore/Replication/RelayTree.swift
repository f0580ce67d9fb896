/// How a node with more peers than it should send one datagram each passes a new entry on, as a tree
/// (Plumtree's eager push, with the tree drawn from IDs instead of grown by pruning). Every node has a
/// place on a ring: the first 8 bytes of its ID, which is a public key and so evenly spread. A node
/// responsible for an arc of the ring (the author: the whole ring but itself) cuts the peers it knows in
/// that arc into `fanout` arcs of about as many peers each, and sends the entry to the first peer of each,
/// with where that arc ends; that peer does the same within its arc. Arcs do not overlap, so each node is
/// sent the entry once, the sender of every datagram sends at most `fanout` of them for it, and the last
/// node has it after about log_fanout(N) hops. An arc with `fanout` peers or fewer gets plain pushes.
///
/// Nodes do not all know the same peers: a peer in an arc its holder does not know is missed, and so is an
/// arc whose holder is gone or drops the entry. Anti-entropy repairs both (digests differ, §6.4), as it
/// repairs a lost datagram.
public enum RelayTree {
    public struct Send: Equatable, Sendable {
        public let to: PeerAddress
        /// Where the recipient's arc ends (exclusive): it relays within it. Nil: a plain push.
        public let until: UInt64?
    }

    public static func position(of id: AuthorID) -> UInt64 {
        id.bytes.prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// The sends that hand the arc from `origin` (exclusive) to `until` (exclusive; nil: round to `origin`)
    /// on: `peers` are those this node knows, with their positions; those outside the arc are left out.
    public static func plan(from origin: UInt64, until: UInt64?, peers: [(address: PeerAddress, position: UInt64)], fanout: Int) -> [Send] {
        let fanout = max(fanout, 1)
        // Distances clockwise from the origin; the arc ends at `until`, or wraps round to the origin.
        let end = until.map { $0 &- origin } ?? 0
        let inArc = peers.compactMap { peer -> (address: PeerAddress, distance: UInt64)? in
            let distance = peer.position &- origin
            return distance != 0 && (end == 0 || distance < end) ? (peer.address, distance) : nil
        }.sorted { ($0.distance, $0.address) < ($1.distance, $1.address) }
        guard inArc.count > fanout else { return inArc.map { Send(to: $0.address, until: nil) } }
        return (0..<fanout).map { arc in
            let first = inArc[arc * inArc.count / fanout]
            let next = arc + 1 < fanout ? origin &+ inArc[(arc + 1) * inArc.count / fanout].distance : (until ?? origin)
            return Send(to: first.address, until: next)
        }
    }
}
