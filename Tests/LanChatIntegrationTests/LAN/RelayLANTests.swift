import Foundation
import LanChatControl
import Testing

/// The relay test on the virtual office LAN: host 3 forwards UDP and TCP on its port 7420 to Bob's
/// (socat), Alice knows only host 3's address. Alice's syncs through it fail on Bob's signature (he
/// signs the address he is reached at), and she never records Bob's proven ID at host 3's address.
@Suite("relays on the virtual LAN", .serialized)
struct RelayLANTests {
    @Test("a host relaying to another cannot make a node record the other's ID at its own address")
    func aRelayProvesNoOne() async throws {
        try await VirtualLAN.with(3, prefix: "lt10") { lan in
            let relays = [
                try lan.spawn(3, ["socat", "-T", "10", "TCP-LISTEN:7420,bind=10.77.0.3,reuseaddr,fork", "TCP:10.77.0.2:7420"]),
                try lan.spawn(3, ["socat", "-T", "10", "UDP-LISTEN:7420,bind=10.77.0.3,reuseaddr,fork", "UDP:10.77.0.2:7420"]),
            ]
            defer { relays.forEach(lan.stop) }
            // Without mDNS, so that Alice finds Bob only through the relay.
            let bob = try await lan.startDaemon(2, ["--no-mdns"])
            let bobID = try await bob.whoami().id
            let alice = try await lan.startDaemon(1, ["--no-mdns", "--peer", "10.77.0.3:7420", "--log-level", "debug"])
            try await wait(until: { alice.log.contains("handshake failed: peer's signature does not verify") }, timeout: .seconds(20),
                           "Alice's sync through host 3 to fail on Bob's signature (log:\n\(alice.log))")
            try await wait(until: { try await alice.status().counters.syncsFailed >= 2 }, "a second relayed sync to fail too")
            let peers = try await alice.peers()
            #expect(peers.contains { $0.address == "10.77.0.3:7420" }, "\(peers)")
            #expect(!peers.contains { $0.id == bobID }, "Alice recorded Bob's ID at the relay's address: \(peers)")
            #expect(try await alice.status().counters.syncsCompleted == 0)
        }
    }
}
