import LanChatCore

/// Something the simulation does at a virtual time.
enum SimulationEvent {
    case action(Scenario.Action)
    /// The node's protocol period timer, for the run of the node it was set in.
    case tick(node: Int, incarnation: Int)
    case deliver([UInt8], from: PeerAddress, to: Int)
    /// A sync's TCP connection reaches the responder.
    case connect(connection: Int)
    case frame(connection: Int, to: SimulatedConnection.Side, SyncFrame)
    /// The session timeout of a sync: if it is still open, it is cancelled.
    case syncDeadline(connection: Int)
    /// A restarted node's downtime is over.
    case comeBack(node: Int)
    /// A restarted node has waited `restoreWait` for a sync: it writes now.
    case allowWrites(node: Int, incarnation: Int)
    case checkConvergence
    /// Whether every up honest node has given up the crashed nodes yet.
    case checkDetection
    /// The start or the end of the scenario's quiet window.
    case quietWindow(ends: Bool)
}

/// An event in the queue, ordered by time and then by when it was scheduled, so ties are deterministic.
struct ScheduledEvent: Comparable {
    let time: UInt64
    let order: UInt64
    let event: SimulationEvent

    static func < (lhs: Self, rhs: Self) -> Bool { (lhs.time, lhs.order) < (rhs.time, rhs.order) }

    /// `order` is unique, so two scheduled events are the same only if they are one.
    static func == (lhs: Self, rhs: Self) -> Bool { (lhs.time, lhs.order) == (rhs.time, rhs.order) }
}
