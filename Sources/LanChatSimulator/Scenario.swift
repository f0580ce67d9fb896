/// The script of a simulation: the network's conditions and what happens to it, when.
/// Times are virtual milliseconds from the start of the run.
public struct Scenario: Sendable {
    /// Which node an action applies to.
    public enum NodeChoice: Equatable, Sendable {
        case node(Int)
        /// One of the nodes that are up when the action happens, chosen with the simulation's generator.
        case randomUp
    }

    public enum Action: Equatable, Sendable {
        /// The node starts, knowing these nodes' addresses (`discovered(_:source: .configured)`).
        case join(Int, seeds: [Int])
        /// The node writes one message to its log and hands it to its replicator.
        case publish(from: NodeChoice)
        /// Only nodes in the same group reach each other; nodes in no group form one more group.
        case partition([[Int]])
        case heal
        /// The node goes down, loses every datagram and sync meant for it, and after `downtime` starts a
        /// new replicator from its log and its original seeds, as a restarted daemon would.
        case restart(NodeChoice, downtime: UInt64)
    }

    public struct TimedAction: Equatable, Sendable {
        public let time: UInt64
        public let action: Action
    }

    public var seed: UInt64
    public var nodeCount: Int
    /// Chance that any one datagram is lost, throughout.
    public var lossRate = 0.0
    /// One-way datagram latency, in milliseconds.
    public var latency: ClosedRange<UInt64> = 1...5
    /// From opening a sync to its end: connection, handshake, vectors and entries.
    public var syncDuration: ClosedRange<UInt64> = 5...20
    /// Entries a sync moves each way at most; a session that hits it ends with `more: true`.
    public var syncBound = 5000
    /// How often convergence is checked once the script has played out.
    public var convergenceCheckInterval: UInt64 = 100
    /// The run stops here if it has not converged.
    public var deadline: UInt64
    public private(set) var actions: [TimedAction] = []

    public init(seed: UInt64, nodeCount: Int, deadline: UInt64) {
        self.seed = seed
        self.nodeCount = nodeCount
        self.deadline = deadline
    }

    public mutating func at(_ time: UInt64, _ action: Action) {
        for node in action.namedNodes {
            precondition(node >= 0 && node < nodeCount, "node \(node) is not one of the \(nodeCount) nodes")
        }
        actions.append(TimedAction(time: time, action: action))
    }

    /// When the last action has fully taken effect (a restarted node is back up): convergence is measured from here.
    public var settledAt: UInt64 {
        actions.map { timed in
            if case .restart(_, let downtime) = timed.action { return timed.time + downtime }
            return timed.time
        }.max() ?? 0
    }
}

extension Scenario.Action {
    var namedNodes: [Int] {
        switch self {
        case .join(let node, let seeds): [node] + seeds
        case .publish(let choice), .restart(let choice, _): choice.namedNode.map { [$0] } ?? []
        case .partition(let groups): groups.flatMap { $0 }
        case .heal: []
        }
    }
}

extension Scenario.NodeChoice {
    var namedNode: Int? {
        switch self {
        case .node(let node): node
        case .randomUp: nil
        }
    }
}
