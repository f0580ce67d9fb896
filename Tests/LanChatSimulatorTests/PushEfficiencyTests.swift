import LanChatCore
import LanChatSimulator
import Testing

@Suite("Push dissemination in steady state")
struct PushEfficiencyTests {
    static let nodes = 50

    /// Every node knows every other; 100 messages once every node has probed every other (one probe per
    /// period, round robin).
    static func steadyState(seed: UInt64) -> Scenario {
        var scenario = Scenario(seed: seed, nodeCount: nodes, deadline: 60_000)
        for node in 0..<nodes {
            scenario.at(UInt64(node) * 20, .join(node, seeds: (0..<nodes).filter { $0 != node }))
        }
        for message in 0..<100 {
            scenario.at(15_000 + UInt64(message) * 100, .publish(from: .randomUp))
        }
        return scenario
    }

    /// 50 nodes that all know each other, no loss, no partition: each message should cost about one
    /// push datagram per receiver, and push alone should deliver it.
    @Test func pushDeliversEachMessageOnceWithoutSync() throws {
        let report = try Simulation.run(Self.steadyState(seed: 50))
        print("50-node steady-state push:\n\(report)")

        #expect(report.converged)
        #expect(report.invariants.hold, "\(report.invariants)")
        #expect(!report.budgetExceeded)
        #expect(report.entriesPublished == 100)
        #expect(report.deliveries.total == 100 * (Self.nodes - 1))
        #expect(report.pushDatagramsPerDelivery <= 1.2)
        #expect(report.redundancy <= 0.2)
        #expect(report.pushFraction >= 0.95)
    }

    /// The same network made to push down a relay tree (fanout 4, as if it were past `directPushPeers`): each
    /// author sends 4 datagrams a message, every node still gets each message once, by push, within
    /// ⌈log4 50⌉ + 1 hops.
    @Test func aRelayTreeDeliversEachMessageOnceFromAFewDatagramsByItsAuthor() throws {
        var scenario = Self.steadyState(seed: 51)
        scenario.configuration.directPushPeers = 8
        scenario.configuration.relayFanout = 4
        let report = try Simulation.run(scenario)
        print("50-node relay tree:\n\(report)")

        #expect(report.converged && report.invariants.hold && !report.budgetExceeded)
        #expect(report.deliveries.total == 100 * (Self.nodes - 1))
        #expect(report.authorDatagramsPerMessage == 4)
        #expect(report.pushDatagramsPerDelivery <= 1.05)
        #expect(report.pushFraction >= 0.99)
        #expect(report.membership.lastDeliveryHops.map { $0.max <= 4 } ?? false)
    }

    /// 30 nodes, 5 % of datagrams lost, pushing down a relay tree (fanout 4): a lost push, or a lost relay and
    /// its arc, is asked for by the nodes that lack it once a probe names it (lazy push), so sync repairs less
    /// than half as much as it does with the want left out (a grace longer than the run), and the median message
    /// is everywhere sooner.
    @Test func lazyPushRepairsMostOfWhatLossDrops() throws {
        func run(pullGrace: UInt64) throws -> SimulationReport {
            var scenario = Scenario(seed: 30, nodeCount: 30, deadline: 120_000)
            scenario.lossRate = 0.05
            scenario.configuration.directPushPeers = 8
            scenario.configuration.relayFanout = 4
            scenario.configuration.pullGrace = pullGrace
            for node in 0..<30 { scenario.at(UInt64(node) * 10, .join(node, seeds: (0..<30).filter { $0 != node })) }
            for message in 0..<100 { scenario.at(5_600 + UInt64(message) * 100, .publish(from: .randomUp)) }
            return try Simulation.run(scenario)
        }
        let lazy = try run(pullGrace: ReplicationConfiguration(network: "lanchat").pullGrace)
        let eagerOnly = try run(pullGrace: 1 << 40)
        print("30 nodes, 5 % loss, relay tree, with lazy push:\n\(lazy)\nwithout:\n\(eagerOnly)")

        for report in [lazy, eagerOnly] {
            #expect(report.converged && report.invariants.hold && !report.budgetExceeded)
            #expect(report.deliveries.total == 100 * 29)
        }
        #expect(eagerOnly.deliveries.byPull == 0)
        #expect(lazy.deliveries.byPull > lazy.deliveries.bySync)
        #expect(lazy.deliveries.bySync * 2 < eagerOnly.deliveries.bySync)
        let median = { (report: SimulationReport) in report.lastDeliveryLatency?.median ?? .max }
        #expect(median(lazy) < median(eagerOnly))
    }
}
