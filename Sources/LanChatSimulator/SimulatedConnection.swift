import LanChatCore

/// One simulated TCP connection carrying a sync: reliable and in order, but reset when a partition
/// separates its ends, when either end goes down, or at the session timeout.
struct SimulatedConnection {
    enum Side: Int {
        case initiator = 0, responder = 1

        var other: Side { self == .initiator ? .responder : .initiator }
    }

    /// One end: the node's real sync machines, as its daemon would run them.
    struct End {
        let node: Int
        let incarnation: Int
        var handshake: SyncHandshake?
        var exchange: (peer: AuthorID, peerPort: UInt16)?
        /// The responder's replicator holds this address while the session runs (`inboundSyncEstablished`).
        var held: PeerAddress?
        var inbound: SyncInbound?
        /// Set when its outbound half sent `done`.
        var sent: Int?
        /// Set when its inbound half received `done` and stored everything.
        var received: (count: Int, peerHasMore: Bool)?
        var finished = false

        var result: SyncResult? {
            guard let exchange, let sent, let received else { return nil }
            return SyncResult(
                peer: exchange.peer, peerPort: exchange.peerPort, received: received.count, sent: sent,
                peerHasMore: received.peerHasMore)
        }
    }

    let responderAddress: PeerAddress
    /// The node listening at `responderAddress`, if any.
    let responderNode: Int?
    var initiator: End
    /// Nil until the connection is accepted.
    var responder: End?
    /// When the last frame each way arrives: frames never overtake one another.
    var lastArrival: [Side: UInt64] = [:]

    subscript(side: Side) -> End? {
        get { side == .initiator ? initiator : responder }
        set {
            guard let newValue else { return }
            if side == .initiator { initiator = newValue } else { responder = newValue }
        }
    }
}
