import LanChatCore
import LanChatSimulator

struct DisseminationResult {
    let nodes: Int
    let loss: Double
    let report: SimulationReport
}

/// Dissemination cost by network size, in the deterministic simulator (virtual time, no machine limits):
/// every node knows every other, 100 messages from random nodes once the mesh is verified.
enum SimulationScenario {
    static func run(sizes: [Int], losses: [Double]) throws -> [DisseminationResult] {
        var results: [DisseminationResult] = []
        for nodes in sizes {
            for loss in losses {
                var scenario = Scenario(seed: UInt64(nodes), nodeCount: nodes, deadline: 120_000)
                scenario.lossRate = loss
                for node in 0..<nodes {
                    scenario.at(UInt64(node) * 10, .join(node, seeds: (0..<nodes).filter { $0 != node }))
                }
                let start = 5_000 + UInt64(nodes) * 20
                for message in 0..<100 { scenario.at(start + UInt64(message) * 100, .publish(from: .randomUp)) }
                results.append(DisseminationResult(nodes: nodes, loss: loss, report: try Simulation.run(scenario)))
            }
        }
        return results
    }
}

struct PartialViewResult {
    let nodes: Int
    let table: Int
    let loss: Double
    let report: SimulationReport
    /// Wall-clock seconds the run took.
    let seconds: Double
}

/// A network ten times larger than each node's peer table, as 10,000 nodes would be for tables of 1,024, at a
/// tenth of the cost: nodes join over 10 s, each through one earlier node, and keep a partial view (their ring
/// neighbours and whom they heard of first); past a quarter of the table of verified peers (256 of 1,024) an
/// author pushes down the relay tree. 100 messages from random nodes once the views have settled.
enum PartialViewScenario {
    static func run(sizes: [Int], losses: [Double]) throws -> [PartialViewResult] {
        var results: [PartialViewResult] = []
        for nodes in sizes {
            for loss in losses {
                var random = SplitMix64(seed: UInt64(nodes))
                var scenario = Scenario(seed: UInt64(nodes), nodeCount: nodes, deadline: 150_000)
                scenario.lossRate = loss
                scenario.wallClockBudget = .seconds(1_800)
                scenario.configuration.peerTableCapacity = nodes / 10
                scenario.configuration.directPushPeers = nodes / 40
                for node in 0..<nodes {
                    scenario.at(UInt64(node) * 10_000 / UInt64(nodes), .join(node, seeds: node == 0 ? [] : [Int(random.next() % UInt64(node))]))
                }
                for message in 0..<100 { scenario.at(60_000 + UInt64(message) * 200, .publish(from: .randomUp)) }
                let started = nowNanos()
                let report = try Simulation.run(scenario)
                results.append(PartialViewResult(
                    nodes: nodes, table: nodes / 10, loss: loss, report: report, seconds: Double(nowNanos() - started) / 1e9))
            }
        }
        return results
    }
}

struct FailureDetectionResult {
    let nodes: Int
    let table: Int
    let seed: UInt64
    let report: SimulationReport
    /// Wall-clock seconds the run took.
    let seconds: Double
}

/// Failure detection at scale, in the simulator: the office day (staggered joins through one seed each, 10 %
/// loss, a partition and its healing, late joiners, restarts, restored backups, twins, 200 messages), then
/// crashes, then a quiet window whose datagrams are counted. Each seed lays out another day: one day's
/// three crashes say little about a change to the protocol.
enum FailureDetectionScenario {
    static let defaultSeed: UInt64 = 20_260_101

    /// A network size, and each node's peer-table capacity (the daemon's 1,024 unless smaller): a table of a
    /// hundredth of the network costs a hundredth of the handshakes that prove its peers.
    struct Size: Equatable {
        let nodes: Int
        var table = ReplicationConfiguration(network: Simulation.network).peerTableCapacity
    }

    static func run(sizes: [Size], seeds: [UInt64], budget: Duration) throws -> [FailureDetectionResult] {
        try sizes.flatMap { size in try seeds.map { seed in
            let nodes = size.nodes
            var office = Scenario.Office()
            office.nodes = nodes
            office.lateJoiners = nodes / 10
            office.crashes = 3
            office.quietWindow = office.windowAfterCrashes
            var scenario = Scenario.office(office, seed: seed)
            scenario.wallClockBudget = budget
            scenario.configuration.peerTableCapacity = size.table
            // Past a quarter of the table, as the daemon's 256 of 1,024.
            scenario.configuration.directPushPeers = min(scenario.configuration.directPushPeers, size.table / 4)
            let started = nowNanos()
            let report = try Simulation.run(scenario)
            return FailureDetectionResult(nodes: nodes, table: size.table, seed: seed, report: report, seconds: Double(nowNanos() - started) / 1e9)
        } }
    }
}
