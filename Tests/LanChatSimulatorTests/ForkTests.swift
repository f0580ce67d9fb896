import LanChatCore
import LanChatSimulator
import Testing

/// One identity writing two entries at one seq: a state directory restored from an older copy (when no
/// peer could tell it what it had written since), or the same identity on two machines at once. Every
/// node must end with every entry, both sides of the fork included, and the author merges the fork.
@Suite("Forked logs")
struct ForkTests {
    static let nodes = 30
    static let restored = 3

    private func chain(seed: UInt64) -> Scenario {
        var scenario = Scenario(seed: seed, nodeCount: Self.nodes, deadline: 60_000)
        for node in 0..<Self.nodes {
            scenario.at(UInt64(node) * 20, .join(node, seeds: node == 0 ? [] : [node - 1]))
        }
        for message in 0..<5 {
            scenario.at(3_000 + UInt64(message) * 100, .publish(from: .node(Self.restored)))
        }
        return scenario
    }

    private func run(_ scenario: Scenario, _ what: String) throws -> (Simulation, SimulationReport) {
        var simulation = try Simulation(scenario: scenario)
        let report = simulation.run()
        print("\(what):\n\(report)")
        #expect(report.converged, "every node must end with every entry")
        #expect(report.invariants.hold, "\(report.invariants)")
        return (simulation, report)
    }

    /// With peers to ask, a restored node waits for its own latest entries before it writes: no fork.
    @Test func aRestoreWithPeersAroundDoesNotFork() throws {
        var scenario = chain(seed: 9)
        scenario.at(5_000, .restoreBackup(Self.restored, losing: 2, downtime: 1_000))
        for message in 0..<3 {
            scenario.at(6_100 + UInt64(message) * 100, .publish(from: .node(Self.restored)))
        }
        let (simulation, report) = try run(scenario, "30 nodes, one restored from a backup with peers around")
        #expect(report.entriesPublished == 8)
        let author = simulation.id(ofNode: Self.restored)
        let forked = (0..<Self.nodes).filter { simulation.holdsFork(ofNode: $0, author: author) }
        #expect(forked.isEmpty, "nodes holding a fork: \(forked)")
        let highest = simulation.vector(ofNode: 0)?.highestSeq(of: author)
        #expect(highest == 8)
    }

    /// Restored while cut off from everyone: after waiting for a peer in vain it writes, reusing two seqs.
    /// Once the network heals, every node holds both sides and the author's next entry merges them.
    @Test func aForkedLogConvergesEverywhereAndIsMerged() throws {
        var scenario = chain(seed: 9)
        let others = (0..<Self.nodes).filter { $0 != Self.restored }
        scenario.at(5_000, .partition([[Self.restored], others]))
        scenario.at(5_000, .restoreBackup(Self.restored, losing: 2, downtime: 1_000))
        for message in 0..<2 {
            scenario.at(9_500 + UInt64(message) * 100, .publish(from: .node(Self.restored)))
        }
        scenario.at(12_000, .heal)
        scenario.at(20_000, .publish(from: .node(Self.restored)))
        let (simulation, report) = try run(scenario, "30 nodes, one restored from a backup while cut off")
        // 5 before, 2 forked ones reusing seqs 4 and 5, and a merge at seq 6.
        #expect(report.entriesPublished == 8)
        let author = simulation.id(ofNode: Self.restored)
        for node in 0..<Self.nodes {
            let holdsBoth = simulation.holdsFork(ofNode: node, author: author)
            #expect(holdsBoth, "node \(node) lacks a side of the fork")
            let tips = simulation.vector(ofNode: node)?.tips[author]?.map(\.seq)
            #expect(tips == [6], "node \(node): the merge must close the fork")
        }
    }

    /// One identity on two machines, both writing all along: forks keep appearing and keep being merged.
    @Test func twinsConvergeEverywhere() throws {
        var scenario = chain(seed: 12)
        scenario.twins = [Self.nodes - 1: Self.restored]
        for message in 0..<20 {
            let writer = message % 2 == 0 ? Self.restored : Self.nodes - 1
            scenario.at(4_000 + UInt64(message) * 150, .publish(from: .node(writer)))
        }
        let (simulation, report) = try run(scenario, "30 nodes, one identity on two of them")
        #expect(report.entriesPublished == 25)
        let author = simulation.id(ofNode: Self.restored)
        let unaware = (0..<Self.nodes).filter { !simulation.holdsFork(ofNode: $0, author: author) }
        #expect(unaware.isEmpty, "nodes that never saw the twins' forks: \(unaware)")
    }
}
