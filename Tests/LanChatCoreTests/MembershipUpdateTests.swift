@testable import LanChatCore
import Testing

/// The membership update's wire form, against PROTOCOL.md §4.4's example, and what its signature covers.
@Suite("membership updates")
struct MembershipUpdateTests {
    static let sender = try! LocalIdentity(seed: Array(1...32))
    static let other = try! LocalIdentity(seed: Array(repeating: 0x42, count: 32))
    static let startedAt: UInt64 = 1_767_225_600_000

    /// The ack of PROTOCOL.md §4.4: a suspicion of the seed-42 node and the sender's own refutation.
    static let exampleAck = Datagram(
        network: "lanchat", sender: sender.id,
        body: .ack(Datagram.Probe(
            id: 1, digest: 0x05f1_6f4c_4fd2_a3c7, total: 2, hints: [],
            updates: [
                MembershipUpdate(.suspect, subject: other.id, incarnation: 0, address: PeerAddress(host: "192.168.1.20", port: 7420)),
                .alive(by: sender, incarnation: startedAt, address: PeerAddress(host: "192.168.1.10", port: 7420), network: "lanchat"),
            ])))

    static let exampleHex = """
        4c4302076c616e6368617479b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664\
        020000000105f16f4c4fd2a3c700000000000000020002\
        022152f8d19b791d24453242e15f2eab6cb7cffa7b6a5ed30097960e069881db1200000000000000000c3139322e3136382e312e32301cfc\
        0179b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad0496640000019b76daa8000c3139322e3136382e312e31301cfc\
        0246519bc70dca351f0e8a169c0d82db72eee4814a86f2454c61a4f21c85a30e3e6255cce92886406cb08f77cd81b4eb177e4f3d072eb6bafeba53fa5faae70f
        """

    @Test func theDocumentedExampleEncodesAndDecodesToItsBytes() throws {
        let bytes = Self.exampleAck.encoded()
        #expect(Hex.encode(bytes) == Self.exampleHex)
        #expect(bytes.count == 242)
        #expect(try Datagram.decode(bytes) == Self.exampleAck)
    }

    /// The signature covers the network, the subject and the incarnation; not the address, which the
    /// subject does not know, and which a receiver uses only where it verified the subject's ID.
    @Test func anAlivesSignatureCoversNetworkSubjectAndIncarnation() {
        let alive = MembershipUpdate.alive(by: Self.sender, incarnation: 7, address: PeerAddress(host: "10.0.0.1", port: 1), network: "lanchat")
        #expect(alive.isSignedAlive(network: "lanchat"))
        #expect(!alive.isSignedAlive(network: "other"))
        let moved = MembershipUpdate(kind: .alive, subject: alive.subject, incarnation: 7, address: PeerAddress(host: "10.0.0.2", port: 2), signature: alive.signature)
        #expect(moved.isSignedAlive(network: "lanchat"))
        let raised = MembershipUpdate(kind: .alive, subject: alive.subject, incarnation: 8, address: alive.address, signature: alive.signature)
        #expect(!raised.isSignedAlive(network: "lanchat"))
        let claimed = MembershipUpdate(kind: .alive, subject: Self.other.id, incarnation: 7, address: alive.address, signature: alive.signature)
        #expect(!claimed.isSignedAlive(network: "lanchat"))
        #expect(!MembershipUpdate(.suspect, subject: Self.sender.id, incarnation: 7, address: alive.address).isSignedAlive(network: "lanchat"))
    }
}
