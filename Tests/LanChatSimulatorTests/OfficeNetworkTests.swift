import LanChatSimulator
import Testing

@Suite("Simulated office network")
struct OfficeNetworkTests {
    /// The acceptance run: 1,000 nodes, 10% datagram loss, staggered joins through single seeds, a split
    /// into two halves and its healing, late joiners, restarts, restored backups, identities running on
    /// two machines at once, and 200 messages.
    @Test func thousandNodesConvergeDespiteLossPartitionAndRestarts() throws {
        let office = Scenario.Office()  // the defaults are the numbers
        var scenario = Scenario.office(office, seed: 20_260_101)
        // A guard against a run that never ends, not a measure: on a machine three times slower at everything
        // than the one the suite was written on, a debug build needs over 300 s here, and 240 s stopped it short.
        scenario.wallClockBudget = .seconds(900)
        let report = try Simulation.run(scenario)
        print("1,000-node office simulation:\n\(report)")

        #expect(report.nodes == 1000)
        #expect(report.converged, "not converged by the deadline")
        // Before the simulator ran the real sync code this scenario converged 5 rounds after the last
        // disruption. With membership news it takes 4.5 to 5.5 rounds on three seeds (5.5 on this one): a
        // probe sent before its target had started no longer makes that peer suspect once a sync has proved
        // it, and a suspicion had the side effect of a few nodes probing the suspect at once, whose acks
        // started syncs early. A round more is the bound.
        #expect((report.roundsToConverge ?? .infinity) <= 6)
        #expect(report.invariants.hold, "\(report.invariants)")
        #expect(!report.budgetExceeded)
        #expect(report.upNodes == 1000)
        #expect(report.entriesPublished + report.publishesSkipped == office.messages)
        // Converged: every node holds every entry, both sides of every fork; each delivered once at most.
        #expect(report.deliveries.total <= report.entriesPublished * (report.nodes - 1))
    }
}
