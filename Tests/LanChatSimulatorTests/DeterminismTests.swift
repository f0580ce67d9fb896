import LanChatSimulator
import Testing

@Suite("Simulation determinism")
struct DeterminismTests {
    private func smallOffice(seed: UInt64) -> Scenario {
        var office = Scenario.Office()
        office.nodes = 150
        office.lateJoiners = 15
        office.messages = 40
        office.restarts = 4
        return .office(office, seed: seed)
    }

    @Test func sameSeedSameReportOtherSeedOtherReport() throws {
        let first = try Simulation.run(smallOffice(seed: 7))
        let second = try Simulation.run(smallOffice(seed: 7))
        let other = try Simulation.run(smallOffice(seed: 8))
        #expect(first.converged)
        #expect(first == second)
        // Not only the seed in the report: what happened differs.
        #expect(first.traffic != other.traffic)
    }
}
