import LanChatCore
import Testing

/// Which addresses a peer may name (hints, ping requests, indirect acks), judged against the address
/// the naming datagram came from.
@Suite("address policy")
struct AddressPolicyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let named: String
        let from: String
        /// The interface the naming datagram came in on, where known.
        var link: String?
        /// The canonical address kept, or why it is refused.
        let expected: Result<String, AddressPolicy.Refusal>
        var testDescription: String { "\(named) from \(from)" }

        static func ok(_ named: String, from: String = "10.0.0.1", link: String? = nil, as canonical: String? = nil) -> Case {
            Case(named: named, from: from, link: link, expected: .success(canonical ?? named))
        }

        static func no(_ named: String, from: String = "10.0.0.1", _ refusal: AddressPolicy.Refusal) -> Case {
            Case(named: named, from: from, expected: .failure(refusal))
        }
    }

    @Test(arguments: [
        // Unicast, either family, as the socket writes it.
        Case.ok("10.0.0.2"), .ok("192.168.1.255"), .ok("169.254.3.4"), .ok("100.64.0.1"), .ok("223.255.255.254"),
        .ok("1.0.0.0"), .ok("fe80::1", from: "fe80::2%eth0", as: "fe80::1%eth0"), .ok("2001:db8::1", from: "fe80::2"),
        .ok("2001:DB8:0:0:0:0:0:1", from: "2001:db8::2", as: "2001:db8::1"),
        .ok("2001:db8:0:1:0:0:0:1", from: "2001:db8::2", as: "2001:db8:0:1::1"),
        // An IPv4-mapped address is the IPv4 address it maps: kept unmapped, and of IPv4's family.
        .ok("::ffff:10.0.0.2", from: "10.0.0.1", as: "10.0.0.2"), .ok("::ffff:a00:2", from: "10.0.0.1", as: "10.0.0.2"),
        .no("::ffff:10.0.0.2", from: "2001:db8::1", .wrongFamily), .ok("10.0.0.2", from: "::ffff:10.0.0.1"),
        // Loopback only from loopback.
        .ok("127.0.0.1", from: "127.0.0.1"), .ok("127.0.0.9", from: "127.0.0.2"), .ok("::1", from: "::1"),
        .ok("::ffff:127.0.0.1", from: "127.0.0.5", as: "127.0.0.1"),
        .no("127.0.0.1", .loopback), .no("127.255.255.254", .loopback), .no("::1", from: "fe80::2", .loopback),
        .no("::ffff:127.0.0.1", from: "10.0.0.1", .loopback),
        // Broadcast, multicast, unspecified, reserved: never, from anywhere.
        .no("255.255.255.255", .reserved), .no("255.255.255.255", from: "127.0.0.1", .reserved), .no("240.0.0.1", .reserved),
        .no("224.0.0.251", .multicast), .no("239.255.255.250", .multicast), .no("ff02::1", from: "fe80::2", .multicast),
        .no("ff05::fb", from: "::1", .multicast),
        .no("0.0.0.0", .unspecified), .no("0.1.2.3", .unspecified), .no("::", from: "fe80::2", .unspecified),
        .no("::ffff:255.255.255.255", .reserved), .no("::ffff:224.0.0.1", .multicast), .no("::ffff:0.0.0.0", .unspecified), .no("::10.0.0.2", from: "fe80::2", .reserved),
        // 127.255.255.255 is loopback's broadcast address: refused from off the host.
        .no("127.255.255.255", .loopback),
        // A link-local address is on the link of the link-local source that named it, and nowhere else;
        // its zone is this machine's business, never on the wire.
        .ok("fe80::1:2", from: "fe80::2%3", as: "fe80::1:2%3"), .ok("febf::1", from: "fe80::2%eth1", as: "febf::1%eth1"),
        .ok("fec0::1", from: "2001:db8::2"), .ok("fe80::1", from: "2001:db8::2", link: "eth1", as: "fe80::1%eth1"),
        .ok("fe80::1", from: "fe80::2%eth0", link: "eth0", as: "fe80::1%eth0"),
        .no("fe80::1", from: "2001:db8::2", .otherLink), .no("fe80::1", from: "fe80::2", .otherLink),
        .no("fe80::1", from: "::1", .otherLink), .no("fe80::1%eth0", from: "fe80::2%eth0", .notNumeric),
        // The sender's family only.
        .no("fe80::1", .wrongFamily), .no("10.0.0.2", from: "fe80::2", .wrongFamily), .no("1:2:3:4:5:6:7:8", .wrongFamily),
        // Names and anything that is not a strict literal.
        .no("alpha.local", .notNumeric), .no("localhost", .notNumeric), .no("10.0.0", .notNumeric), .no("10.0.0.256", .notNumeric),
        .no("010.0.0.1", .notNumeric), .no("10.0.0.1.", .notNumeric), .no(" 10.0.0.1", .notNumeric), .no("0x0a.0.0.1", .notNumeric),
        .no("10.0.0.-1", .notNumeric), .no("fe80::1%eth0", from: "fe80::2", .notNumeric), .no("1::2::3", from: "fe80::2", .notNumeric),
        .no("1:2:3:4:5:6:7:8:9", from: "fe80::2", .notNumeric), .no("1:2:3:4:5:6:7::8", from: "fe80::2", .notNumeric),
        .no("12345::1", from: "fe80::2", .notNumeric), .no(":1", from: "fe80::2", .notNumeric), .no("fe80:::1", from: "fe80::2", .notNumeric),
        .no("::ffff:10.0.0", .notNumeric), .no("", .notNumeric), .no("10..0.1", .notNumeric), .no("10.0.0.1.2", .notNumeric),
        .no("1000.0.0.1", .notNumeric), .no("10.0.0.01", .notNumeric), .no("10.0.0.\u{661}", .notNumeric), .no("::ffff:10.0.00.1", .notNumeric),
    ])
    func judges(_ scenario: Case) {
        let result = AddressPolicy.check(
            PeerAddress(host: scenario.named, port: 7420), from: PeerAddress(host: scenario.from, port: 7420), link: scenario.link)
        #expect(result.map(\.host) == scenario.expected)
        #expect(result.map(\.port) == scenario.expected.map { _ in UInt16(7420) })
    }
}

/// The replicator applies the policy to everything a peer names, and counts what it refuses.
@Suite("replicator rules: addresses peers name")
struct ReplicatorNamedAddressTests {
    static let refused = ["127.255.255.255", "255.255.255.255", "224.0.0.1", "0.0.0.0", "peer.local", "::1"]

    @Test(arguments: refused)
    func aHintIsLearntOnlyIfThePolicyAllowsIt(host: String) throws {
        var node = try makeReplicator()
        let hint = PeerHint(id: try identity(3).id, address: PeerAddress(host: host, port: 7420))
        node.deliver(.ping(node.probe(hints: [hint, PeerHint(id: try identity(4).id, address: address(4))])), from: try identity(2).id, at: address(2), now: 10)
        #expect(node.peer(at: hint.address) == nil)
        #expect(node.peer(at: address(4)) != nil)
        #expect(node.counters.addressesRefused == 1)
    }

    @Test(arguments: refused)
    func aPingRequestForARefusedTargetSendsNothing(host: String) throws {
        var node = try makeReplicator()
        let out = node.deliver(.pingRequest(probeID: 5, target: PeerAddress(host: host, port: 7420)), from: try identity(2).id, at: address(2), now: 10)
        #expect(out.isEmpty)
        #expect(node.counters.addressesRefused == 1)
        #expect(node.footprint.outstandingProbes == 0)
    }

    @Test func aPingRequestForAUnicastTargetIsProbed() throws {
        var node = try makeReplicator()
        let out = node.deliver(.pingRequest(probeID: 5, target: address(3)), from: try identity(2).id, at: address(2), now: 10)
        #expect(out.contains { if case .send(_, let to) = $0 { to == address(3) } else { false } })
        #expect(node.counters.addressesRefused == 0)
    }

    @Test func anIndirectAckNamingARefusedAddressIsCounted() throws {
        var node = try makeReplicator()
        node.deliver(.indirectAck(probeID: 1, target: PeerAddress(host: "255.255.255.255", port: 7420)), from: try identity(2).id, at: address(2), now: 10)
        #expect(node.counters.addressesRefused == 1)
    }

    /// A loopback sender may name loopback peers (several daemons on one host), and only then.
    @Test func loopbackHintsFromLoopbackAreLearnt() throws {
        var node = try makeReplicator()
        let hinted = PeerAddress(host: "127.0.0.1", port: 9000)
        node.deliver(
            .ping(node.probe(hints: [PeerHint(id: try identity(3).id, address: hinted)])), from: try identity(2).id,
            at: PeerAddress(host: "127.0.0.1", port: 8000), now: 10)
        #expect(node.peer(at: hinted) != nil)
    }
}

/// Addresses mDNS announced: anyone on the LAN can answer an A or AAAA query, so they are judged as
/// addresses a peer names, from off this host.
@Suite("address policy: announced over mDNS")
struct AnnouncedAddressPolicyTests {
    @Test(arguments: [
        ("10.0.0.2", Result<String, AddressPolicy.Refusal>.success("10.0.0.2")), ("fe80::2%eth0", .success("fe80::2%eth0")),
        ("2001:db8::2", .success("2001:db8::2")), ("::ffff:10.0.0.2", .success("10.0.0.2")),
        ("fe80::2", .failure(.otherLink)), ("ff02::1%eth0", .failure(.multicast)), ("::1", .failure(.loopback)),
        ("::ffff:127.0.0.1", .failure(.loopback)), ("::", .failure(.unspecified)), ("224.0.0.251", .failure(.multicast)),
        ("255.255.255.255", .failure(.reserved)),
    ])
    func judges(host: String, expected: Result<String, AddressPolicy.Refusal>) {
        #expect(AddressPolicy.check(announced: PeerAddress(host: host, port: 7420)).map(\.host) == expected)
    }
}
