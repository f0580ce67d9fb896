import LanChatSimulator
import Testing

@Suite("Push dissemination in steady state")
struct PushEfficiencyTests {
    /// 50 nodes that all know each other, no loss, no partition: each message should cost about one
    /// push datagram per receiver, and push alone should deliver it.
    @Test func pushDeliversEachMessageOnceWithoutSync() throws {
        let nodes = 50
        var scenario = Scenario(seed: 50, nodeCount: nodes, deadline: 60_000)
        for node in 0..<nodes {
            scenario.at(UInt64(node) * 20, .join(node, seeds: (0..<nodes).filter { $0 != node }))
        }
        // Messages only once every node has probed every other (one probe per period, round robin).
        for message in 0..<100 {
            scenario.at(15_000 + UInt64(message) * 100, .publish(from: .randomUp))
        }
        let report = try Simulation.run(scenario)
        print("50-node steady-state push:\n\(report)")

        #expect(report.converged)
        #expect(report.invariants.hold, "\(report.invariants)")
        #expect(!report.budgetExceeded)
        #expect(report.entriesPublished == 100)
        #expect(report.deliveries.total == 100 * (nodes - 1))
        #expect(report.pushDatagramsPerDelivery <= 1.2)
        #expect(report.redundancy <= 0.2)
        #expect(report.pushFraction >= 0.95)
    }
}
