import LanChatSimulator
import Testing

/// A node restored from an older copy of its state directory writes new entries under seqs the network
/// already holds for others of its entries: its log forks.
@Suite("Forked logs")
struct ForkTests {
    static let nodes = 30
    static let restored = 3
    /// The seed of the failing run, kept so the fix can be checked against it.
    static let seed: UInt64 = 9

    private func restoreScenario() -> Scenario {
        var scenario = Scenario(seed: Self.seed, nodeCount: Self.nodes, deadline: 30_000)
        for node in 0..<Self.nodes {
            scenario.at(UInt64(node) * 20, .join(node, seeds: node == 0 ? [] : [node - 1]))
        }
        for message in 0..<5 {
            scenario.at(3_000 + UInt64(message) * 100, .publish(from: .node(Self.restored)))
        }
        scenario.at(5_000, .restoreBackup(Self.restored, losing: 2, downtime: 1_000))
        for message in 0..<3 {
            scenario.at(8_000 + UInt64(message) * 100, .publish(from: .node(Self.restored)))
        }
        return scenario
    }

    @Test func everyNodeEndsWithBothSidesOfAFork() throws {
        let report = try Simulation.run(restoreScenario())
        print("30 nodes, one restored from a backup (seed \(Self.seed)):\n\(report)")
        // 5 messages before the restore and 3 after, two of which reuse the lost seqs: 8 distinct entries.
        #expect(report.entriesPublished == 8)
        #expect(report.invariants.forgedEntriesStored == 0)
        #expect(report.invariants.boundsExceeded.isEmpty)
        withKnownIssue("Known failure until forks converge (log integrity issue): at a forked seq each node keeps the entry it saw first, so the two restored messages never reach the nodes that hold the originals; seed 9") {
            #expect(report.converged)
        }
    }
}
