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
