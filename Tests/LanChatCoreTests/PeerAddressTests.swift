import LanChatCore
import Testing

@Suite("PeerAddress parsing")
struct PeerAddressTests {
    @Test(arguments: [
        ("alpha.local:7420", "alpha.local", 7420 as UInt16),
        ("192.168.1.20:1", "192.168.1.20", 1),
        ("[::1]:7420", "::1", 7420),
        ("[fe80::1%eth0]:65535", "fe80::1%eth0", 65535),
        ("host.example.:80", "host.example", 80),  // the root dot of a fully qualified name is dropped
    ])
    func parses(text: String, host: String, port: UInt16) {
        #expect(PeerAddress(parsing: text) == PeerAddress(host: host, port: port))
    }

    @Test(arguments: ["alpha.local:7420", "[::1]:7420", "10.0.0.1:9"])
    func descriptionParsesBack(text: String) throws {
        let address = try #require(PeerAddress(parsing: text))
        #expect(address.description == text)
        #expect(PeerAddress(parsing: address.description) == address)
    }

    @Test(arguments: [
        "", "host", "host:", ":7420", "host:0", "host:65536", "host:port", "host:-1", "::1:7420", "[::1]",
        "[::1]7420", "[::1]:", "[]:7420", "[::1:7420", "a:b:7420", String(repeating: "h", count: 256) + ":1",
    ])
    func rejects(text: String) {
        #expect(PeerAddress(parsing: text) == nil)
    }

    // The trailing dot of a fully qualified name is dropped before the empty-host check.
    @Test(arguments: [".:7420", "[.]:7420"])
    func rejectsAHostThatIsOnlyADot(text: String) {
        #expect(PeerAddress(parsing: text) == nil, "parsed as host '\(PeerAddress(parsing: text)?.host ?? "")'")
    }

    /// Any spelling of a numeric host, as datagrams would name it (a zone kept); a name is not one.
    @Test(arguments: [
        ("::0", "::"), ("0:0:0:0:0:0:0:0", "::"), ("2001:DB8:0::5", "2001:db8::5"), ("0.0.0.0", "0.0.0.0"),
        ("::ffff:10.0.0.5", "10.0.0.5"), ("FE80::1%eth0", "fe80::1%eth0"),
    ])
    func aNumericHostIsSpelledAsDatagramsNameIt(given: String, seen: String) {
        #expect(PeerAddress(host: given, port: 0).hostAsSeen == seen)
    }

    @Test func aHostNameIsNoAddress() {
        #expect(PeerAddress(host: "lanchat.local", port: 0).hostAsSeen == nil)
        #expect(PeerAddress(host: "", port: 0).hostAsSeen == nil)
    }
}
