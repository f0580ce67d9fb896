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

/// A flood is charged to its host, whatever port it sends from: a port per datagram earns nothing. Not to an
/// IPv6 /64, which the hosts of one LAN share; on loopback, every daemon of this machine has its own budget.
@Suite("rate limit by source")
struct FloodSourceTests {
    @Test(arguments: [
        ("10.0.0.2", 7420, "10.0.0.2"), ("2001:db8:0:1:a:b:c:d", 7420, "2001:db8:0:1:a:b:c:d"), ("fe80::2%eth0", 7420, "fe80::2%eth0"),
        ("::ffff:10.0.0.2", 7420, "10.0.0.2"), ("127.0.0.1", 7421, "127.0.0.1:7421"), ("::1", 7421, "[::1]:7421"), ("::ffff:127.0.0.2", 7421, "127.0.0.2:7421"),
    ])
    func chargesAFloodToItsHost(host: String, port: UInt16, source: String) {
        #expect(PeerAddress(host: host, port: port).floodSource == source)
    }

    @Test func aFloodFromManyPortsOfOneHostSharesOneBudget() throws {
        var node = try makeReplicator { $0.datagramsPerPeerPerSecond = 10 }
        let junk: [UInt8] = [0xff, 0x00]
        for port in UInt16(1)...15 { _ = node.receive(junk, from: PeerAddress(host: "10.0.0.9", port: port), now: 1000) }
        #expect(node.counters.rateLimited == 5)
        // Another host of the same network, and another address of the same IPv6 /64: their own budgets.
        _ = node.receive(junk, from: PeerAddress(host: "10.0.0.8", port: 7420), now: 1000)
        for n in 1...2 { _ = node.receive(junk, from: PeerAddress(host: "2001:db8:0:1::\(n)", port: 7420), now: 1000) }
        #expect(node.counters.rateLimited == 5)
    }
}
