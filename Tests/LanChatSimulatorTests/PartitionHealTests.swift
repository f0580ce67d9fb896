import LanChatSimulator
import Testing

@Suite("Partition and heal")
struct PartitionHealTests {
    static let nodes = 40
    static let evens = Array(stride(from: 0, to: nodes, by: 2))
    static let odds = Array(stride(from: 1, to: nodes, by: 2))
    /// Writers on each side of the split, and how many messages each writes during it.
    static let writers = [0, 2, 4, 1, 3, 5]
    static let messagesPerWriter = 5

    private func split(healing: Bool) -> Scenario {
        var scenario = Scenario(seed: 4, nodeCount: Self.nodes, deadline: 60_000)
        for node in 0..<Self.nodes {
            scenario.at(UInt64(node) * 50, .join(node, seeds: node == 0 ? [] : [node - 1]))
        }
        scenario.at(10_000, .partition([Self.evens, Self.odds]))
        for round in 0..<Self.messagesPerWriter {
            for (offset, writer) in Self.writers.enumerated() {
                scenario.at(11_000 + UInt64(round * 1000 + offset * 100), .publish(from: .node(writer)))
            }
        }
        if healing { scenario.at(20_000, .heal) }
        return scenario
    }

    @Test func messagesFromBothSidesReachEveryoneAfterHealing() throws {
        var simulation = try Simulation(scenario: split(healing: true))
        let report = simulation.run()
        print("40-node partition and heal:\n\(report)")

        #expect(report.converged)
        #expect(report.entriesPublished == Self.writers.count * Self.messagesPerWriter)
        #expect(report.invariants.hold, "\(report.invariants)")
        #expect(!report.budgetExceeded)
        for node in 0..<Self.nodes {
            let vector = try #require(simulation.vector(ofNode: node))
            for writer in Self.writers {
                #expect(vector.highestSeq(of: simulation.id(ofNode: writer)) == UInt64(Self.messagesPerWriter))
            }
        }
    }

    /// The control: without healing, neither side gets the other's messages.
    @Test func aPartitionThatLastsKeepsTheSidesApart() throws {
        var scenario = split(healing: false)
        scenario.deadline = 30_000
        var simulation = try Simulation(scenario: scenario)
        let report = simulation.run()

        #expect(!report.converged)
        for node in 0..<Self.nodes {
            let vector = try #require(simulation.vector(ofNode: node))
            for writer in Self.writers {
                let sameSide = node % 2 == writer % 2
                #expect(vector.highestSeq(of: simulation.id(ofNode: writer)) == (sameSide ? UInt64(Self.messagesPerWriter) : 0))
            }
        }
    }
}
