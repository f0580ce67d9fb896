import LanChatSimulator
import Testing

@Suite("Sync sessions")
struct SyncBoundTests {
    /// A late joiner missing more than one session may carry catches up over several sessions, each
    /// ending with `more: true`, with every entry still delivered exactly once.
    @Test func aBoundedSessionIsFollowedByAnother() throws {
        var scenario = Scenario(seed: 3, nodeCount: 3, deadline: 30_000)
        scenario.configuration.sync.maxEntriesPerSession = 4
        scenario.at(0, .join(0, seeds: []))
        scenario.at(0, .join(1, seeds: [0]))
        for message in 0..<10 {
            scenario.at(1_000 + UInt64(message) * 10, .publish(from: .node(message % 2)))
        }
        scenario.at(3_000, .join(2, seeds: [1]))
        let report = try Simulation.run(scenario)

        #expect(report.converged)
        #expect(report.traffic.syncsCut >= 2)  // 10 entries, at most 4 a session
        #expect(report.deliveries.total == 10 * 2)
    }
}
