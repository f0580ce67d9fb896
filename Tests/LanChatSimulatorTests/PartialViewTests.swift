import LanChatCore
import LanChatSimulator
import Testing

@Suite("A network larger than the peer table")
struct PartialViewTests {
    static let nodes = 120
    static let messages = 50

    /// Tables of 32 peers for 120 nodes (as 1,024 would be for nearly 4,000), each node told of one earlier
    /// node; pushes go down the relay tree (fanout 4); the messages come once the views have settled.
    static func crowdedOffice(seed: UInt64) -> Scenario {
        var scenario = Scenario(seed: seed, nodeCount: nodes, deadline: 90_000)
        scenario.configuration.peerTableCapacity = 32
        scenario.configuration.directPushPeers = 8
        scenario.configuration.relayFanout = 4
        for node in 0..<nodes {
            scenario.at(UInt64(node) * 50, .join(node, seeds: node == 0 ? [] : [(node * 2_654_435_761) % node]))
        }
        for message in 0..<messages {
            scenario.at(40_000 + UInt64(message) * 200, .publish(from: .randomUp))
        }
        return scenario
    }

    /// Every node comes to know the peers that follow it on the ring, more of them than the fanout, so every
    /// arc of the tree reaches all its nodes: each message reaches every node by push.
    @Test func everyNodeKnowsItsRingNeighboursAndPushReachesAll() throws {
        var simulation = try Simulation(scenario: Self.crowdedOffice(seed: 120))
        let report = simulation.run()
        print("120 nodes, tables of 32:\n\(report)")

        #expect(report.converged && report.invariants.hold && !report.budgetExceeded)
        #expect(report.deliveries.total == Self.messages * (Self.nodes - 1))
        #expect(report.pushFraction >= 0.95)
        let ids = (0..<Self.nodes).map(simulation.id(ofNode:))
        var unknownSuccessors = 0
        for node in 0..<Self.nodes {
            let home = RelayTree.position(of: ids[node])
            let successors = ids.filter { $0 != ids[node] }.sorted { RelayTree.position(of: $0) &- home < RelayTree.position(of: $1) &- home }
            let known = Set((simulation.peers(ofNode: node) ?? []).filter { $0.state == .alive }.compactMap(\.verifiedID))
            unknownSuccessors += successors.prefix(5).filter { !known.contains($0) }.count
        }
        #expect(unknownSuccessors == 0)
    }

    /// The office day (a partition and its healing, late joiners, restarts, restored backups, twins, 10 % loss)
    /// with tables of 24 for 150 nodes: the partial view loses nothing and every honest node ends up agreeing.
    @Test func anOfficeDayWithPartialViewsConverges() throws {
        var office = Scenario.Office()
        office.nodes = 150
        office.lateJoiners = 15
        office.messages = 60
        office.restarts = 6
        office.backupRestores = 2
        office.twins = 2
        var scenario = Scenario.office(office, seed: 150)
        scenario.configuration.peerTableCapacity = 24
        scenario.configuration.directPushPeers = 6
        scenario.configuration.relayFanout = 4
        let report = try Simulation.run(scenario)
        print("150-node office, tables of 24:\n\(report)")

        #expect(report.converged, "not converged by the deadline")
        #expect(report.invariants.hold, "\(report.invariants)")
        #expect(!report.budgetExceeded)
    }
}
