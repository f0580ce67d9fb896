import LanChatCore

/// The script of a simulation: the network's conditions and what happens to it, when.
/// Times are virtual milliseconds from the start of the run.
public struct Scenario: Sendable {
    /// Which node an action applies to.
    public enum NodeChoice: Equatable, Sendable {
        case node(Int)
        /// One of the honest nodes that are up when the action happens, chosen with the simulation's generator.
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
        /// Like a restart, but the node comes back from an older copy of its state directory, without its
        /// last `losing` entries: its next writes reuse their seqs, forking its log.
        case restoreBackup(Int, losing: UInt64, downtime: UInt64)
        /// The node goes down for good; the report says how long until no up node holds it alive or suspect.
        case crash(NodeChoice)
    }

    public struct TimedAction: Equatable, Sendable {
        public let time: UInt64
        public let action: Action
    }

    public var seed: UInt64
    public var nodeCount: Int
    /// Chance that any one datagram is lost, throughout.
    public var lossRate = 0.0
    /// One-way latency of a datagram, of a TCP connection's set-up and of each sync frame, in milliseconds.
    public var latency: ClosedRange<UInt64> = 1...5
    /// The protocol's settings, as the daemon has them unless a scenario changes one.
    public var configuration = ReplicationConfiguration(network: Simulation.network)
    /// Nodes that misbehave; the invariants are checked on the others.
    public var adversaries: [Int: Adversary] = [:]
    /// Nodes that run with the identity of another (a lower-numbered node): one identity on two machines.
    public var twins: [Int: Int] = [:]
    /// Real time the run may take; past it the run stops and its report says so.
    public var wallClockBudget: Duration = .seconds(240)
    /// How often convergence is checked once the script has played out.
    public var convergenceCheckInterval: UInt64 = 100
    /// The run stops here if it has not converged.
    public var deadline: UInt64
    /// A stretch of virtual time in which nothing happens, whose datagrams the report counts (idle traffic);
    /// the run goes on until its end even after converging.
    public var quietWindow: Range<UInt64>?
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
            switch timed.action {
            case .restart(_, let downtime), .restoreBackup(_, _, let downtime): return timed.time + downtime
            default: return timed.time
            }
        }.max() ?? 0
    }
}

extension Scenario.Action {
    var namedNodes: [Int] {
        switch self {
        case .join(let node, let seeds): [node] + seeds
        case .publish(let choice), .restart(let choice, _), .crash(let choice): choice.namedNode.map { [$0] } ?? []
        case .restoreBackup(let node, _, _): [node]
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
