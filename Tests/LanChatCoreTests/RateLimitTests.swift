import LanChatCore
import Testing

/// Every address has a token bucket of `datagramsPerPeerPerSecond` (rate and burst): beyond it, datagrams
/// are counted and dropped before they are decoded.
@Suite("per-peer datagram rate limit")
struct RateLimitTests {
    /// The magic and this protocol version, then nothing: malformed (another version would be counted apart).
    private let junk: [UInt8] = [0x4C, 0x43, Datagram.protocolVersion]
    private let flooder = address(66)

    struct Burst: Sendable, CustomTestStringConvertible {
        let testDescription: String
        /// (time, datagrams sent at that time) from one address, at 10 per second.
        let sends: [(at: UInt64, count: Int)]
        let rateLimited: UInt64
    }

    @Test(arguments: [
        Burst(testDescription: "the burst", sends: [(1000, 10)], rateLimited: 0),
        Burst(testDescription: "one over the burst", sends: [(1000, 11)], rateLimited: 1),
        Burst(testDescription: "100 ms earn one", sends: [(1000, 10), (1100, 2)], rateLimited: 1),
        Burst(testDescription: "a long silence refills no more than the burst", sends: [(1000, 10), (60_000, 12)], rateLimited: 2),
        Burst(testDescription: "a clock going backwards earns nothing", sends: [(1000, 10), (500, 1)], rateLimited: 1),
    ])
    func aPeerIsCutToItsRate(_ scenario: Burst) throws {
        var node = try makeReplicator { $0.datagramsPerPeerPerSecond = 10 }
        for (at, count) in scenario.sends {
            for _ in 0..<count { _ = node.receive(junk, from: flooder, now: at) }
        }
        let total = UInt64(scenario.sends.map(\.count).reduce(0, +))
        #expect(node.counters.rateLimited == scenario.rateLimited)
        // What was let through was read, and was junk.
        #expect(node.counters.dropped == total - scenario.rateLimited)
        #expect(node.counters.datagramsIn == total)
    }

    @Test func aFloodingPeerDoesNotSpendAnotherPeersBudget() throws {
        var node = try makeReplicator { $0.datagramsPerPeerPerSecond = 10 }
        for _ in 0..<25 { _ = node.receive(junk, from: flooder, now: 1000) }
        #expect(node.counters.rateLimited == 15)
        let peer = try identity(2).id
        let out = node.deliver(.ping(node.probe()), from: peer, at: address(2), now: 1000)
        #expect(out.sent.count == 1)
        #expect(node.counters.rateLimited == 15)
    }
}

/// A flood is charged to its source, whatever ports or addresses of its own it sends from: an IPv4 host,
/// an IPv6 /64 (one host has as many addresses there as it likes); every host of a link shares fe80::/64,
/// so a link-local address stays itself.
@Suite("rate limit by source")
struct FloodSourceTests {
    @Test(arguments: [
        ("10.0.0.2", "10.0.0.2"), ("2001:db8:0:1:a:b:c:d", "2001:db8:0:1::/64"), ("2001:db8::5", "2001:db8:0:0::/64"),
        ("fd00:1:2:3::9", "fd00:1:2:3::/64"), ("fe80::2%eth0", "fe80::2"), ("::1", "::1"),
    ])
    func groupsAddressesByTheSourceThatOwnsThem(host: String, source: String) {
        #expect(PeerAddress(host: host, port: 7420).floodSource == source)
    }

    @Test func aFloodFromManyPortsOrAddressesOfOneSourceSharesOneBudget() throws {
        var node = try makeReplicator { $0.datagramsPerPeerPerSecond = 10 }
        let junk: [UInt8] = [0xff, 0x00]
        for port in UInt16(1)...15 { _ = node.receive(junk, from: PeerAddress(host: "10.0.0.9", port: port), now: 1000) }
        for n in 1...15 { _ = node.receive(junk, from: PeerAddress(host: "2001:db8:0:1::\(n)", port: 7420), now: 1000) }
        #expect(node.counters.rateLimited == 10)
        // Another /64, another host: their own budgets.
        _ = node.receive(junk, from: PeerAddress(host: "2001:db8:0:2::1", port: 7420), now: 1000)
        _ = node.receive(junk, from: PeerAddress(host: "10.0.0.8", port: 7420), now: 1000)
        #expect(node.counters.rateLimited == 10)
    }

    @Test func inboundSyncsAreCountedPerSource() throws {
        var node = try makeReplicator()
        let limit = node.configuration.maxInboundSessionsPerHost
        let admitted = (1...limit).map { node.admitInbound(from: "2001:db8:0:1::\($0)") }
        #expect(admitted.allSatisfy { $0 })
        let over = node.admitInbound(from: "2001:db8:0:1::ffff"), elsewhere = node.admitInbound(from: "2001:db8:0:2::1")
        #expect(!over && elsewhere)
        node.inboundSyncEnded(from: "2001:db8:0:1::1", result: nil, now: 10)
        let afterOne = node.admitInbound(from: "2001:db8:0:1::abc")
        #expect(afterOne)
    }
}
