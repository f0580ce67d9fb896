@testable import LanChatCore
import Testing

/// One address, one form: what the two ends of a connection see of the responder's address must sign
/// the same bytes, whichever socket family reported it.
@Suite("sync machine: connection binding")
struct ConnectionBindingTests {
    @Test(arguments: [
        ("10.0.0.7", "10.0.0.7"), ("::ffff:10.0.0.7", "10.0.0.7"), ("::FFFF:10.0.0.7", "10.0.0.7"),
        ("fe80::1%eth0", "fe80::1"), ("FE80:0:0:0:0:0:0:1", "fe80::1"), ("2001:db8::7", "2001:db8::7"),
    ])
    func theResponderAddressIsCanonical(_ seen: String, _ canonical: String) throws {
        let binding = try #require(ConnectionBinding(responder: PeerAddress(host: seen, port: 7420)))
        #expect(binding.responder == PeerAddress(host: canonical, port: 7420))
    }

    @Test func aNameIsNoBinding() {
        #expect(ConnectionBinding(responder: PeerAddress(host: "alice.local", port: 7420)) == nil)
    }
}

/// PROTOCOL.md §5.3's example transcript, byte for byte.
@Suite("sync machine: transcript example")
struct HandshakeTranscriptExampleTests {
    @Test func theDocumentedTranscriptIsTheOneSigned() throws {
        let responder = try LocalIdentity(seed: Array(1...32)), initiator = try LocalIdentity(seed: Array(repeating: 0x42, count: 32))
        let bytes = HandshakeTranscript.bytes(
            role: .responder, network: "lanchat", challenge: Array(repeating: 0xAA, count: 32), signer: responder.id,
            other: initiator.id, token: Array(repeating: 0xCC, count: 16), versions: .init(initiator: [2], responder: [2]),
            binding: try #require(ConnectionBinding(responder: PeerAddress(host: "10.0.0.2", port: 7420), initiatorPort: 7421)))
        let documented = """
            6c616e636861742073796e632068616e647368616b65207633 07 6c616e63686174 52
            aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
            79b5562e8fe654f94078b112e8a98ba7901f853ae695bed7e0e3910bad049664
            2152f8d19b791d24453242e15f2eab6cb7cffa7b6a5ed30097960e069881db12
            cccccccccccccccccccccccccccccccc 01 02 01 02 08 31302e302e302e32 1cfc 1cfd 00 00
            """
        #expect(Hex.encode(bytes) == documented.filter(\.isHexDigit))
        #expect(bytes.count == 165)
    }
}
