import LanChatControl
import LanChatCore
@testable import LanChatDaemon
import Testing

@Suite("lanchat doctor's findings")
struct DiagnosisTests {
    private let peerAddress = PeerAddress(host: "10.0.0.2", port: 7420)

    private func facts(
        mdns: String = "active", seesItself: Bool = true, services: [NetworkFacts.Service] = [],
        peers: [NetworkFacts.Peer] = [], datagramsIn: UInt64 = 0, syncs: UInt64 = 0
    ) -> NetworkFacts {
        NetworkFacts(
            network: "lanchat", port: 7420, mdnsState: mdns, announcedAs: "Me (abcdef)", seesItself: seesItself,
            services: services, peers: peers, datagramsIn: datagramsIn, inboundSyncs: syncs, syncsCompleted: syncs)
    }

    private func check(_ name: String, in facts: NetworkFacts) -> DoctorCheck? {
        Diagnosis.checks(facts).first { $0.check == name }
    }

    @Test func avahiDownIsTheProblemAndSaysHowToFixIt() {
        let finding = check("avahi", in: facts(mdns: "unavailable: avahi-daemon is not running or not reachable over D-Bus"))
        #expect(finding?.status == .problem)
        #expect(finding?.detail.contains("avahi-daemon is not running") == true)
        #expect(finding?.fix?.contains("systemctl enable --now avahi-daemon") == true)
        // Without mDNS, nothing is said about announcements or services.
        #expect(check("services", in: facts(mdns: "unavailable: x")) == nil)
        #expect(check("avahi", in: facts(mdns: "disabled"))?.status == .warning)
    }

    /// A closed network: nodes of another key, or none, and nodes whose clocks are off are named.
    @Test func keysAndClocksThatKeepNodesApartAreNamed() {
        var closed = facts()
        closed.keys = ["c33209d11b86d25f"]
        #expect(check("access", in: closed)?.status == .ok)
        #expect(check("clocks", in: closed) == nil)
        closed.keyMismatches = [(peerAddress, "0123456789abcdef"), (PeerAddress(host: "10.0.0.3", port: 7420), nil)]
        closed.staleClocks = [PeerAddress(host: "10.0.0.4", port: 7420)]
        let access = check("access", in: closed)
        #expect(access?.status == .problem)
        #expect(access?.items == [
            "a node at 10.0.0.2 uses another network key (fingerprint 0123456789abcdef)", "a node at 10.0.0.3 uses no network key",
        ])
        #expect(check("clocks", in: closed)?.items == ["a node at 10.0.0.4"])
        var open = facts()
        open.services = [NetworkFacts.Service(instance: "lanchat 3f9a2c1e07bd", address: peerAddress, network: nil, key: "c33209d11b86d25f", protocolVersion: 2)]
        #expect(check("access", in: open)?.status == .problem)
        #expect(check("access", in: open)?.detail.contains("this node has none") == true)
    }

    @Test func servicesOfOurNetworkAreListedOthersAreExplained() {
        let ours = NetworkFacts.Service(instance: "Bob (k3j4m2)", address: peerAddress, network: "lanchat", protocolVersion: 1)
        let theirs = NetworkFacts.Service(instance: "Eve (aaaaaa)", address: peerAddress, network: "other", protocolVersion: 1)
        #expect(check("services", in: facts(services: [ours]))?.status == .ok)
        #expect(check("services", in: facts(services: [ours]))?.items == ["Bob (k3j4m2) at 10.0.0.2:7420, network lanchat"])
        let onlyOthers = check("services", in: facts(services: [theirs]))
        #expect(onlyOthers?.status == .warning)
        #expect(onlyOthers?.fix?.contains("--network") == true)
        #expect(check("services", in: facts())?.status == .warning)
        #expect(check("self-announcement", in: facts(seesItself: false))?.status == .warning)
    }

    @Test func announcedButSilentPeersPointAtAFirewall() {
        let silent = NetworkFacts.Peer(address: peerAddress, state: .offline, sources: [.mdns], name: nil)
        let finding = check("peers", in: facts(peers: [silent]))
        #expect(finding?.status == .problem)
        #expect(finding?.fix?.contains("firewall") == true)
        #expect(check("ports", in: facts(peers: [silent]))?.status == .problem)

        let answering = NetworkFacts.Peer(address: peerAddress, state: .alive, sources: [.mdns, .inbound], name: "Bob")
        #expect(check("peers", in: facts(peers: [answering], datagramsIn: 10, syncs: 1))?.status == .ok)
        #expect(check("ports", in: facts(peers: [answering], datagramsIn: 10, syncs: 1))?.status == .ok)
        #expect(check("ports", in: facts(peers: [answering], datagramsIn: 10, syncs: 0))?.status == .warning)
    }

    /// Which families this node takes peers on and each peer is reached by; a node reachable only over a
    /// family this node does not listen on is named, with the way to listen on both.
    @Test func familiesSayWhereThisNodeListensAndWhoItCannotReach() {
        let linkLocal = PeerAddress(host: "fe80::2%eth0", port: 7420)
        let peers = [
            NetworkFacts.Peer(address: peerAddress, state: .alive, sources: [.mdns], name: "Bob"),
            NetworkFacts.Peer(address: linkLocal, state: .alive, sources: [.mdns], name: "Eve"),
        ]
        var dual = facts(peers: peers)
        dual.listening = NetworkFacts.Listening(bound: "::", interfaces: ["10.0.0.1", "fe80::1%eth0"])
        let both = check("families", in: dual)
        #expect(both?.status == .ok)
        #expect(both?.detail == "listening on [::]:7420, over IPv4 and IPv6: 10.0.0.1, fe80::1%eth0")
        #expect(both?.items == ["Bob over IPv4", "Eve over IPv6, link-local on eth0"])

        var ipv4Only = facts(peers: peers)
        ipv4Only.listening = NetworkFacts.Listening(bound: "0.0.0.0", interfaces: ["10.0.0.1", "fe80::1%eth0"])
        let stranded = check("families", in: ipv4Only)
        #expect(stranded?.status == .problem)
        #expect(stranded?.detail == "1 node(s) can be reached only over IPv6, which this node does not use: it listens on 0.0.0.0:7420, IPv4 only")
        #expect(stranded?.fix?.contains("leave --bind (LANCHAT_BIND) unset") == true)
        #expect(stranded?.items == ["[fe80::2%eth0]:7420"])

        var ipv6Only = facts(services: [NetworkFacts.Service(instance: "Bob (k3j4m2)", address: peerAddress, network: "lanchat", protocolVersion: 1)])
        ipv6Only.listening = NetworkFacts.Listening(bound: "fe80::1%eth0", interfaces: ["10.0.0.1", "fe80::1%eth0"])
        #expect(check("families", in: ipv6Only)?.items == ["10.0.0.2:7420"])
    }

    struct BoundCase: Sendable, CustomTestStringConvertible {
        let given: String
        let seen: String
        let families: [AddressFamily]
        let addresses: [String]
        var testDescription: String { "--bind \(given)" }
    }

    static let boundCases: [BoundCase] = [
        .init(given: "::0", seen: "::", families: [.ipv4, .ipv6], addresses: ["10.0.0.1", "fe80::1%eth0"]),
        .init(given: "0:0::0", seen: "::", families: [.ipv4, .ipv6], addresses: ["10.0.0.1", "fe80::1%eth0"]),
        .init(given: "::ffff:10.0.0.1", seen: "10.0.0.1", families: [.ipv4], addresses: ["10.0.0.1"]),
        .init(given: "2001:DB8::5", seen: "2001:db8::5", families: [.ipv6], addresses: ["2001:db8::5"]),
        .init(given: "10.0.0.1", seen: "10.0.0.1", families: [.ipv4], addresses: ["10.0.0.1"]),
    ]

    /// The bound address is taken as datagrams name their sender, which is also how this node finds its own
    /// addresses: another spelling of the wildcard listens on every interface of both families, and an
    /// IPv4-mapped address is the IPv4 one. (`::0` was taken for one IPv6 address: doctor found IPv4 peers
    /// unreachable, and the node named no address of its own.)
    @Test(arguments: boundCases)
    func theBoundAddressIsTakenAsPeersSeeIt(_ bound: BoundCase) {
        let listening = NetworkFacts.Listening(bound: bound.given, interfaces: ["10.0.0.1", "fe80::1%eth0"])
        #expect(listening.bound == bound.seen)
        #expect(listening.families == bound.families)
        #expect(listening.addresses == bound.addresses)
        var facts = facts(peers: [NetworkFacts.Peer(address: peerAddress, state: .alive, sources: [.mdns], name: "Bob")])
        facts.listening = listening
        #expect(check("families", in: facts)?.status == (bound.families.contains(.ipv4) ? .ok : .problem))
    }
}
