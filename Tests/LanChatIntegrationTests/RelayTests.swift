import Foundation
import LanChatControl
import Testing

/// A node that relays a connection to a third one cannot make the initiator record the third one's
/// proven ID at the relay's address: the responder signs the address it was reached at, and the
/// initiator checks it against the one it dialled. Loopback only: the relay listens on 127.0.0.3.
@Suite("relayed handshakes", .timeLimit(.minutes(2)))
struct RelayTests {
    @Test func aRelayedHandshakeFailsAndProvesNoOne() async throws {
        let sandbox = try Sandbox()
        defer { sandbox.cleanup() }
        let bob = try await sandbox.startNode("bob")
        let bobID = try await bob.whoami().id
        let relay = try Relay(host: "127.0.0.3", to: try await bob.port())
        defer { relay.stop() }
        let alice = try await sandbox.startDaemon(
            stateDir: sandbox.nodePaths("alice").stateDir, socket: sandbox.nodePaths("alice").socket,
            extraArguments: ["--peer", "127.0.0.3:\(relay.port)", "--log-level", "debug"])

        // The relay carries pings and answers (Alice sees Bob's ID claimed there) and the sync itself.
        try await wait(
            until: { alice.log.contains("handshake failed: peer's signature does not verify") }, timeout: .seconds(20),
            "Alice's sync through the relay to fail on Bob's signature")
        try await wait(until: { try await alice.status().counters.syncsFailed >= 2 }, "a second relayed sync to fail too")
        let peers = try await alice.peers()
        #expect(peers.contains { $0.address == "127.0.0.3:\(relay.port)" })
        #expect(!peers.contains { $0.id == bobID }, "Alice recorded Bob's ID at the relay's address: \(peers)")
        #expect(try await alice.status().counters.syncsCompleted == 0)
    }
}
