import LanChatCore
import LanChatSimulator
import Testing

/// One adversary at a time among honest nodes: whatever it does, the honest nodes converge, store no
/// forgery and keep every structure within its bound; and the attack was really made (its traces show).
@Suite("Adversaries")
struct AdversaryTests {
    static let nodes = 60
    static let adversary = 7
    static let victim = 0

    private func office(with adversary: Adversary, seed: UInt64) -> Scenario {
        var scenario = Scenario(seed: seed, nodeCount: Self.nodes, deadline: 60_000)
        scenario.adversaries = [Self.adversary: adversary]
        scenario.lossRate = 0.05
        // Low enough that the flooder's junk is mostly turned away unread.
        scenario.configuration.datagramsPerPeerPerSecond = 500
        // Short, so that a stalled session is seen ending within the run.
        scenario.configuration.sync.sessionTimeout = 3_000
        // Two seeds each: an adversary that keeps to itself cannot cut honest nodes off (as mDNS would
        // not let it on a LAN, where everyone sees everyone).
        for node in 0..<Self.nodes {
            scenario.at(UInt64(node) * 30, .join(node, seeds: node == 0 ? [] : Array(Set([(node - 1) / 2, node - 1])).sorted()))
        }
        for message in 0..<40 {
            scenario.at(5_000 + UInt64(message) * 150, .publish(from: .randomUp))
        }
        return scenario
    }

    private func run(_ adversary: Adversary, seed: UInt64 = 77) throws -> (Simulation, SimulationReport) {
        var simulation = try Simulation(scenario: office(with: adversary, seed: seed))
        let report = simulation.run()
        print("60 nodes with a \(adversary):\n\(report)")
        #expect(report.converged, "honest nodes did not converge")
        #expect(report.invariants.hold, "\(report.invariants)")
        #expect(!report.budgetExceeded)
        #expect(report.entriesPublished == 40)
        return (simulation, report)
    }

    @Test func forgedEntriesAreRefusedEverywhere() throws {
        let (_, report) = try run(.forger)
        #expect(report.invariants.forgedEntriesStored == 0)
        // Its pushes reached honest nodes and were dropped there; its syncs ended at the bad signature.
        #expect(report.traffic.datagramsRejected > 0)
        #expect(report.traffic.syncsFailed > 0)
    }

    @Test func replayedDatagramsChangeNothing() throws {
        let (_, report) = try run(.replayer)
        #expect(report.deliveries.total == 40 * (Self.nodes - 1))
    }

    @Test func aFlooderSpendsOnlyItsOwnShare() throws {
        let (_, report) = try run(.flooder(datagramsPerPeriod: 400))
        #expect(report.traffic.datagramsRateLimited > 0)
        #expect(report.traffic.datagramsRejected > 0)
    }

    @Test func aStalledSyncTimesOutAndBlocksNoOne() throws {
        let (_, report) = try run(.staller)
        #expect(report.traffic.syncsTimedOut > 0)
    }

    @Test func anImpostorNeverGetsAnotherNodesIDVerified() throws {
        let (simulation, _) = try run(.impostor(of: Self.victim))
        let victimID = simulation.id(ofNode: Self.victim)
        for node in 0..<Self.nodes where node != Self.adversary {
            let peers = try #require(simulation.peers(ofNode: node))
            let vouched = peers.filter { $0.verifiedID == victimID }.map(\.address)
            #expect(vouched.allSatisfy { $0 == simulation.address(ofNode: Self.victim) }, "node \(node) verified the victim at \(vouched)")
        }
    }
}
