import LanChatCore
import Testing

/// Bounds a replicator keeps whatever peers send: probes made for others and the sources it rate-limits.
/// (The peer table and our own addresses are in `ReplicatorAddressRuleTests`, inbound sessions in
/// `ReplicatorSyncRuleTests`.)
@Suite("replicator rules: bounds")
struct ReplicatorBoundRuleTests {
    private let requester = address(2)

    /// Sends `count` requests to probe address 3 and returns how many pings went out for them.
    private func requestProbes(_ count: Int, of node: inout Replicator, now: UInt64) throws -> Int {
        let id = try identity(2).id
        var pings = 0
        for n in 0..<count {
            let out = node.deliver(.pingRequest(probeID: UInt32(n), target: address(3)), from: id, at: requester, now: now)
            pings += out.sent.filter { if case .ping = $0.body { $0.to == address(3) } else { false } }.count
        }
        return pings
    }

    /// Requests to probe for others are served until `maxOutstandingProbes` probes await an answer.
    @Test(arguments: [1, 4095, 4096, 4097, 5000])
    func requestsToProbeForOthersAreBounded(requests: Int) throws {
        var node = try makeReplicator()
        let served = min(requests, Replicator.Footprint.maxOutstandingProbes)
        #expect(try requestProbes(requests, of: &node, now: 10) == served)
        #expect(node.footprint.outstandingProbes == served)
    }

    /// Probes for others to a target that is not alive are given up after a period, which frees their slots.
    @Test func givenUpProbesFreeTheirSlots() throws {
        var node = try makeReplicator()
        _ = try requestProbes(Replicator.Footprint.maxOutstandingProbes, of: &node, now: 10)
        #expect(try requestProbes(1, of: &node, now: 10) == 0)
        _ = node.tick(now: 10 + node.configuration.protocolPeriod)
        #expect(node.footprint.outstandingProbes == 1)  // the tick's own probe of the requester
        #expect(try requestProbes(1, of: &node, now: 300) == 1)
    }

    struct SourcesCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        /// Sources sending at 1000, and how many of them send again at 1500.
        let sources: Int
        let activeAgain: Int
        /// When one more source sends.
        let newcomerAt: UInt64
        let newcomerAccepted: Bool
        let tracked: Int
    }

    /// At most `maxRateLimitedSources` sources are tracked; when full, sources idle for a full refill
    /// (here one second) are forgotten, and if none is, the newcomer is dropped unread.
    @Test(arguments: [
        SourcesCase(testDescription: "under the bound", sources: 4095, activeAgain: 0, newcomerAt: 1000, newcomerAccepted: true, tracked: 4096),
        SourcesCase(testDescription: "full, nobody idle", sources: 4096, activeAgain: 0, newcomerAt: 1999, newcomerAccepted: false, tracked: 4096),
        SourcesCase(testDescription: "full, everybody idle", sources: 4096, activeAgain: 0, newcomerAt: 2000, newcomerAccepted: true, tracked: 1),
        SourcesCase(testDescription: "full, half idle", sources: 4096, activeAgain: 2048, newcomerAt: 2000, newcomerAccepted: true, tracked: 2049),
    ])
    func rateLimitedSourcesAreBounded(_ scenario: SourcesCase) throws {
        var node = try makeReplicator()
        let junk: [UInt8] = [0x4C, 0x43, Datagram.protocolVersion]
        for n in 0..<scenario.sources { _ = node.receive(junk, from: address(100 + n), now: 1000) }
        for n in 0..<scenario.activeAgain { _ = node.receive(junk, from: address(100 + n), now: 1500) }
        #expect(node.counters.rateLimited == 0)
        _ = node.receive(junk, from: address(9000), now: scenario.newcomerAt)
        #expect(node.counters.rateLimited == (scenario.newcomerAccepted ? 0 : 1))
        #expect(node.footprint.rateLimitedSources == scenario.tracked)
        #expect(node.footprint.rateLimitedSources <= Replicator.Footprint.maxRateLimitedSources)
    }
}
