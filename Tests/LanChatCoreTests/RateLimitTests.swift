import LanChatCore
import Testing

@Suite("per-peer datagram rate limit")
struct RateLimitTests {
    @Test func aFloodingPeerIsCutToItsRateAndOthersAreUnaffected() throws {
        var configuration = Replicator.Configuration(network: "lanchat", selfID: try identity(1).id, seed: 1)
        configuration.datagramsPerPeerPerSecond = 10
        var replicator = Replicator(configuration: configuration)
        let flooder = PeerAddress(host: "10.0.0.66", port: 7420)
        let neighbour = PeerAddress(host: "10.0.0.2", port: 7420)
        let junk: [UInt8] = [0x4C, 0x43, 0xFF]

        for _ in 0..<25 { _ = replicator.receive(junk, from: flooder, now: 1000) }
        #expect(replicator.counters.rateLimited == 15)
        #expect(replicator.counters.dropped == 10)  // the allowed ones were read, and were junk

        _ = replicator.receive(junk, from: neighbour, now: 1000)
        #expect(replicator.counters.rateLimited == 15)

        // Half a second later the flooder has earned five more.
        for _ in 0..<10 { _ = replicator.receive(junk, from: flooder, now: 1500) }
        #expect(replicator.counters.rateLimited == 20)
        #expect(replicator.counters.dropped == 16)
    }
}
