import LanChatCore

extension Scenario {
    /// A busy office network: nodes join over a few seconds, each knowing one earlier node; the
    /// network splits in two halves and heals; late joiners arrive after that; nodes restart; messages
    /// come from random nodes throughout; and datagrams are lost at a steady rate.
    public struct Office: Sendable {
        public var nodes = 1000
        /// Of `nodes`, how many join only after the partition has healed.
        public var lateJoiners = 100
        public var messages = 200
        public var restarts = 20
        /// Nodes restored from an older copy of their state directory (losing their last two entries).
        public var backupRestores = 10
        /// Pairs of nodes that run one identity (a state directory copied to a second machine).
        public var twins = 5
        /// Nodes that go down for good after the last join, `crashDelay` after it.
        public var crashes = 0
        public var crashDelay: UInt64 = 2_000
        /// When set, the report counts the datagrams of this stretch after the crashes (idle traffic).
        public var quietWindow: Range<UInt64>?
        public var lossRate = 0.1
        public var joinWindow: UInt64 = 10_000
        public var partitionAt: UInt64 = 11_000
        public var partitionLength: UInt64 = 15_000
        public var lateJoinWindow: UInt64 = 3_000
        public var downtime: ClosedRange<UInt64> = 2_000...5_000
        public var deadline: UInt64 = 120_000

        public init() {}

        /// Six seconds starting 4 s after the crashes, when the network has converged and the crashes' news is
        /// out (it rides on pings and acks, adding no datagrams of its own): for `quietWindow`.
        public var windowAfterCrashes: Range<UInt64> {
            let start = lastJoinAt + crashDelay + 4_000
            return start..<start + 6_000
        }

        var healAt: UInt64 { partitionAt + partitionLength }
        public var lastJoinAt: UInt64 { healAt + lateJoinWindow }
    }

    /// The office day, laid out with a generator derived from `seed` (the simulation uses another).
    public static func office(_ office: Office, seed: UInt64) -> Scenario {
        precondition(office.lateJoiners < office.nodes, "at least one node must join early")
        var random = SplitMix64(seed: seed ^ 0x0FF1_CE00_5CE0_A210)
        var scenario = Scenario(seed: seed, nodeCount: office.nodes, deadline: office.deadline)
        scenario.lossRate = office.lossRate
        scenario.quietWindow = office.quietWindow
        // The last early joiners run the identities of the first nodes.
        let early = office.nodes - office.lateJoiners
        for pair in 0..<office.twins { scenario.twins[early - 1 - pair] = pair }

        let joinTimes = (0..<early).map { $0 == 0 ? 0 : random.uniform(0...office.joinWindow) }.sorted()
            + (early..<office.nodes).map { _ in random.uniform(office.healAt...office.lastJoinAt) }.sorted()
        for (node, time) in joinTimes.enumerated() {
            // Join times are sorted, so every node below this one has joined by now.
            scenario.at(time, .join(node, seeds: node == 0 ? [] : [random.below(node)]))
        }

        let shuffled = Array(0..<office.nodes).shuffled(using: &random)
        let half = office.nodes / 2
        scenario.at(office.partitionAt, .partition([Array(shuffled[..<half]).sorted(), Array(shuffled[half...]).sorted()]))
        scenario.at(office.healAt, .heal)

        for _ in 0..<office.messages {
            scenario.at(random.uniform(500...office.lastJoinAt), .publish(from: .randomUp))
        }
        for _ in 0..<office.backupRestores {
            let downtime = random.uniform(office.downtime)
            let time = random.uniform(office.joinWindow / 2...max(office.joinWindow / 2, office.lastJoinAt - downtime))
            scenario.at(time, .restoreBackup(random.below(early), losing: 2, downtime: downtime))
        }
        for _ in 0..<office.restarts {
            // Back up by the last join, so that the script settles then.
            let downtime = random.uniform(office.downtime)
            let time = random.uniform(office.joinWindow / 2...max(office.joinWindow / 2, office.lastJoinAt - downtime))
            scenario.at(time, .restart(.randomUp, downtime: downtime))
        }
        for _ in 0..<office.crashes {
            scenario.at(office.lastJoinAt + office.crashDelay, .crash(.randomUp))
        }
        return scenario
    }
}
