import LanChatControl
import LanChatCore

/// What the daemon knows about its network, gathered for `lanchat doctor`.
public struct NetworkFacts: Sendable {
    public struct Service: Sendable {
        public let instance: String
        public let address: PeerAddress
        /// What an open network's node announces; a closed network's says only its key's fingerprint.
        public let network: String?
        public let key: String?
        public let protocolVersion: UInt8

        public init(instance: String, address: PeerAddress, network: String?, key: String? = nil, protocolVersion: UInt8) {
            self.instance = instance
            self.address = address
            self.network = network
            self.key = key
            self.protocolVersion = protocolVersion
        }

        var describedNetwork: String { network.map { "network \($0)" } ?? "a closed network (key \(key ?? "?"))" }
    }

    public struct Peer: Sendable {
        public let address: PeerAddress
        public let state: PeerState
        public let sources: Set<PeerSource>
        public let name: String?

        public init(address: PeerAddress, state: PeerState, sources: Set<PeerSource>, name: String?) {
            self.address = address
            self.state = state
            self.sources = sources
            self.name = name
        }
    }

    public var network: String
    public var port: UInt16
    public var mdnsState: MDNSState
    public var announcedAs: String?
    public var seesItself: Bool
    public var services: [Service]
    public var peers: [Peer]
    public var datagramsIn: UInt64
    public var inboundSyncs: UInt64
    public var syncsCompleted: UInt64
    /// Forked logs as the store holds them; filled in by the node.
    public var forks = ForkReport()
    /// Nodes heard speaking another protocol version: by datagrams, and by their mDNS announcements.
    public var otherVersions: [(address: PeerAddress, version: UInt8)] = []
    public var ownProtocolVersion: UInt8 = Datagram.protocolVersion
    /// Fingerprints of the network keys this node holds, the sending one first; empty on an open network.
    public var keys: [String] = []
    /// Nodes whose datagrams were refused for their key: the fingerprint they seal with, nil if none.
    public var keyMismatches: [(address: PeerAddress, key: String?)] = []
    /// Nodes of this closed network whose datagrams were sent more than 5 minutes from this node's clock.
    public var staleClocks: [PeerAddress] = []
    /// Where this node takes peers; by default, `::` for both families.
    public var listening = Listening(bound: DaemonConfiguration.everyAddress, interfaces: [])

    /// The address the peer port is bound to, the families that reach it there, and this machine's
    /// addresses in them (the bound one alone, unless it is `::` or `0.0.0.0`).
    public struct Listening: Sendable {
        public let bound: String
        public let addresses: [String]
        public var families: [AddressFamily] { AddressFamily.reaching(bound) }

        /// `bound`: as given to `--bind`; kept as datagrams name their sender, or `::0` would not be the
        /// wildcard it is, and `::ffff:10.0.0.5` (IPv4 only) would count as IPv6 and name no sender.
        /// `interfaces`: this machine's addresses, of either family.
        public init(bound: String, interfaces: [String]) {
            let bound = PeerAddress(host: bound, port: 0).hostAsSeen ?? bound
            self.bound = bound
            let families = AddressFamily.reaching(bound)
            addresses = ["::", "0.0.0.0"].contains(bound) ? interfaces.filter { families.contains(AddressFamily(host: $0)) } : [bound]
        }
    }

    /// `mdnsState` as `ServiceDiscovery` reports it: `active`, `unavailable: <reason>`…, or `disabled`.
    public init(
        network: String, port: UInt16, mdnsState: String, announcedAs: String?, seesItself: Bool, services: [Service],
        peers: [Peer], datagramsIn: UInt64, inboundSyncs: UInt64, syncsCompleted: UInt64,
        otherVersions: [(address: PeerAddress, version: UInt8)] = [], keys: [String] = [],
        keyMismatches: [(address: PeerAddress, key: String?)] = [], staleClocks: [PeerAddress] = []
    ) {
        self.staleClocks = staleClocks
        self.otherVersions = otherVersions
        self.keys = keys
        self.keyMismatches = keyMismatches
        self.network = network
        self.port = port
        self.mdnsState = MDNSState(mdnsState)
        self.announcedAs = announcedAs
        self.seesItself = seesItself
        self.services = services
        self.peers = peers
        self.datagramsIn = datagramsIn
        self.inboundSyncs = inboundSyncs
        self.syncsCompleted = syncsCompleted
    }
}

extension NetworkFacts {
    /// A service of this node's network: the same key on a closed network, the same name on an open one.
    func isOurs(_ service: Service) -> Bool {
        service.key.map(keys.contains) ?? (keys.isEmpty && service.network == network)
    }
}

public enum AddressFamily: String, Sendable {
    case ipv4 = "IPv4", ipv6 = "IPv6"

    init(of address: PeerAddress) { self = address.isIPv6 ? .ipv6 : .ipv4 }

    init(host: String) { self.init(of: PeerAddress(host: host, port: 0)) }

    /// What a socket bound to `host` takes: `::` both (dual stack), another IPv6 address IPv6, else IPv4.
    static func reaching(_ host: String) -> [AddressFamily] {
        host == DaemonConfiguration.everyAddress ? [.ipv4, .ipv6] : host.contains(":") ? [.ipv6] : [.ipv4]
    }
}

/// Turns network facts into plain-words findings with fixes. Pure, so every branch is testable.
public enum Diagnosis {
    public static func checks(_ facts: NetworkFacts) -> [DoctorCheck] {
        [
            avahi(facts), ownAnnouncement(facts), services(facts), reachability(facts), ports(facts), families(facts), versions(facts),
            access(facts), clocks(facts), log(facts.forks),
        ]
            .compactMap { $0 }
    }

    static func avahi(_ facts: NetworkFacts) -> DoctorCheck {
        switch facts.mdnsState {
        case .active:
            return DoctorCheck(check: "avahi", status: .ok, detail: "Avahi is running and reachable over D-Bus; announcing \"\(facts.announcedAs ?? "?")\"")
        case .disabled:
            return DoctorCheck(
                check: "avahi", status: .warning, detail: "mDNS discovery is disabled (--no-mdns or LANCHAT_NO_MDNS=1)",
                fix: "remove --no-mdns to find peers automatically, or give each node a --peer HOST:PORT")
        case .starting, .unavailable:
            let reason = if case .unavailable(let reason) = facts.mdnsState { reason } else { facts.mdnsState.description }
            return DoctorCheck(
                check: "avahi", status: .problem, detail: "mDNS does not work: \(reason); other nodes cannot find this one, nor it them",
                fix: "start Avahi: sudo systemctl enable --now avahi-daemon (install it with: sudo apt install avahi-daemon); lanchatd picks it up without a restart")
        }
    }

    static func ownAnnouncement(_ facts: NetworkFacts) -> DoctorCheck? {
        guard facts.mdnsState == .active else { return nil }
        if facts.seesItself {
            return DoctorCheck(check: "self-announcement", status: .ok, detail: "this node sees its own mDNS announcement")
        }
        return DoctorCheck(
            check: "self-announcement", status: .warning, detail: "this node's own announcement has not come back yet",
            fix: "if this persists, multicast is not working on this interface: check that it is up and has multicast on (ip link)")
    }

    static func services(_ facts: NetworkFacts) -> DoctorCheck? {
        guard facts.mdnsState == .active else { return nil }
        let ours = facts.services.filter(facts.isOurs)
        let items = facts.services.map { "\($0.instance) at \($0.address), \($0.describedNetwork)" }
        if !ours.isEmpty {
            return DoctorCheck(
                check: "services", status: .ok, detail: "\(ours.count) other lanchat node(s) visible on network \(facts.network)", items: items)
        }
        // Nodes of a closed network that is not ours: the access check says what to do.
        if !facts.services.isEmpty, facts.services.allSatisfy({ $0.network != nil }) {
            let others = Set(facts.services.compactMap(\.network)).sorted().joined(separator: ", ")
            return DoctorCheck(
                check: "services", status: .warning, detail: "lanchat nodes are visible, but only on other networks (\(others)); this node is on \(facts.network)",
                fix: "use the same --network (LANCHAT_NETWORK) on every node that should talk", items: items)
        }
        return DoctorCheck(
            check: "services", status: .warning, detail: "no other lanchat node is visible over mDNS",
            fix: "start lanchatd on another machine of this LAN; if one runs, multicast (UDP 5353) is blocked between you (a firewall, or a Wi-Fi with client isolation)")
    }

    static func reachability(_ facts: NetworkFacts) -> DoctorCheck? {
        guard !facts.peers.isEmpty else { return nil }
        let alive = facts.peers.filter { $0.state == .alive }
        let unreachable = facts.peers.filter { $0.state != .alive && $0.sources.contains(.mdns) }
        if unreachable.isEmpty {
            return DoctorCheck(
                check: "peers", status: alive.isEmpty ? .warning : .ok,
                detail: "\(alive.count) of \(facts.peers.count) known peer(s) answer",
                items: alive.map { "\($0.name ?? "?") at \($0.address)" })
        }
        return DoctorCheck(
            check: "peers", status: .problem,
            detail: "\(unreachable.count) node(s) announced over mDNS do not answer on their UDP port",
            fix: "a firewall on those machines (or this one) is likely dropping UDP/TCP port \(facts.port) traffic; allow it (e.g. sudo ufw allow \(facts.port))",
            items: unreachable.map { "\($0.address) (\($0.state.rawValue))" })
    }

    static func ports(_ facts: NetworkFacts) -> DoctorCheck? {
        guard facts.peers.contains(where: { $0.state == .alive || $0.sources.contains(.mdns) }) else { return nil }
        if facts.datagramsIn == 0 {
            return DoctorCheck(
                check: "ports", status: .problem, detail: "peers are known, but no datagram has reached UDP port \(facts.port)",
                fix: "a firewall is likely in the way: allow UDP and TCP port \(facts.port) (e.g. sudo ufw allow \(facts.port))")
        }
        if facts.inboundSyncs == 0 && facts.syncsCompleted == 0 {
            return DoctorCheck(
                check: "ports", status: .warning, detail: "UDP port \(facts.port) is reachable, but no TCP sync has completed yet",
                fix: "if this persists, allow TCP port \(facts.port) as well")
        }
        return DoctorCheck(
            check: "ports", status: .ok,
            detail: "peers reach UDP port \(facts.port); \(facts.inboundSyncs) sync(s) came in over TCP, \(facts.syncsCompleted) completed in all")
    }

    /// The families this node takes peers on, which one each peer is reached by, and nodes it cannot reach
    /// at all because they use only the other one.
    static func families(_ facts: NetworkFacts) -> DoctorCheck {
        let listening = facts.listening
        let families = listening.families.map(\.rawValue).joined(separator: " and ")
        let bound = PeerAddress(host: listening.bound, port: facts.port)
        let known = facts.peers.map(\.address) + facts.services.filter(facts.isOurs).map(\.address)
        let stranded = Set(known.filter { !listening.families.contains(AddressFamily(of: $0)) }).sorted()
        if let other = stranded.first.map(AddressFamily.init(of:)) {
            return DoctorCheck(
                check: "families", status: .problem,
                detail: "\(stranded.count) node(s) can be reached only over \(other.rawValue), which this node does not use: it listens on \(bound), \(families) only",
                fix: "leave --bind (LANCHAT_BIND) unset: the default, ::, takes IPv4 and IPv6; or bind an \(other.rawValue) address. "
                    + "If lanchatd logged that IPv6 is not available here, turn IPv6 on in this machine",
                items: stranded.map(\.description))
        }
        let reached = facts.peers.filter { $0.state == .alive }.map { peer in
            "\(peer.name ?? "?") over \(AddressFamily(of: peer.address).rawValue)" + (peer.address.zone.map { ", link-local on \($0)" } ?? "")
        }
        return DoctorCheck(
            check: "families", status: .ok,
            detail: "listening on \(bound), over \(families)" + (listening.addresses.isEmpty ? "" : ": \(listening.addresses.joined(separator: ", "))"),
            items: reached)
    }

    /// Nodes of another lanchat version cannot talk to this one: say so instead of failing silently.
    static func versions(_ facts: NetworkFacts) -> DoctorCheck? {
        let announced = facts.services.filter { $0.protocolVersion != facts.ownProtocolVersion }.map { ($0.address, $0.protocolVersion) }
        var seen: [PeerAddress: UInt8] = [:]
        for (address, version) in facts.otherVersions + announced { seen[address] = version }
        guard !seen.isEmpty else { return nil }
        return DoctorCheck(
            check: "versions", status: .problem,
            detail: "\(seen.count) node(s) speak another lanchat protocol version than this one (\(facts.ownProtocolVersion)) and cannot exchange messages with it",
            fix: "run the same lanchat release on every machine: upgrade the older ones",
            items: seen.sorted { $0.key < $1.key }.map { "\($0.key) speaks protocol \($0.value)" })
    }

    /// A network key this node lacks, or lacks where others have one: nodes that cannot talk to each
    /// other, and nothing in their logs says why.
    static func access(_ facts: NetworkFacts) -> DoctorCheck {
        var seen: [PeerAddress: String?] = [:]
        for (address, key) in facts.keyMismatches { seen[address] = key }
        for service in facts.services where !facts.isOurs(service) && (service.key != nil || !facts.keys.isEmpty) {
            seen[service.address] = service.key
        }
        let items = seen.sorted { $0.key < $1.key }.map { address, key in
            "a node at \(address.host) " + (key.map { "uses another network key (fingerprint \($0))" } ?? "uses no network key")
        }
        let keys = facts.keys.enumerated().map { $0.offset == 0 ? "\($0.element) (sends)" : $0.element }.joined(separator: ", ")
        guard items.isEmpty else {
            let open = facts.keys.isEmpty
            return DoctorCheck(
                check: "access", status: .problem,
                detail: open
                    ? "\(items.count) node(s) here seal with a network key and this node has none: they cannot talk to it"
                    : "\(items.count) node(s) here use another network key, or none: they cannot talk to this node (key \(keys))",
                fix: open
                    ? "get the network key file from whoever runs them and start lanchatd with --network-key-file FILE (README: \"Closing the network\")"
                    : "give every node the same key file (--network-key-file); while rotating keys, list both keys on every node first",
                items: items)
        }
        if facts.keys.isEmpty {
            return DoctorCheck(
                check: "access", status: .ok,
                detail: "the network is open: anyone on this LAN can join it and read every message (close it with a network key: lanchat keygen)")
        }
        return DoctorCheck(check: "access", status: .ok, detail: "the network is closed by network key \(keys)")
    }

    /// A closed network refuses datagrams sent more than 5 minutes from the receiver's clock (they could be
    /// a capture played back): a machine whose clock is that far off cannot talk, and nothing else says why.
    static func clocks(_ facts: NetworkFacts) -> DoctorCheck? {
        guard !facts.staleClocks.isEmpty else { return nil }
        return DoctorCheck(
            check: "clocks", status: .problem,
            detail: "\(facts.staleClocks.count) node(s) send with a clock more than 5 minutes off this node's: on a closed network their datagrams are refused",
            fix: "set the clocks right (timedatectl status; enable NTP with timedatectl set-ntp true), on those machines or on this one",
            items: facts.staleClocks.map { "a node at \($0.host)" })
    }

    /// Forked logs: this identity's own (open or merged: either way a backup was restored or the identity
    /// runs twice, which needs someone to act) or one never merged is a problem with its likely cause;
    /// other people's forks that were merged since are only a note (one restored laptop must not make
    /// every machine's doctor fail for ever).
    static func log(_ forks: ForkReport) -> DoctorCheck {
        if forks.twin {
            return DoctorCheck(
                check: "log", status: .problem,
                detail: "this identity runs on another machine too (a copied state directory): entries of it arrived that this daemon did not write, or a daemon proved it in a sync handshake with another start token",
                fix: "stop lanchatd on the other machine, or move its state directory away so it makes its own identity; to use one identity on two devices, link them instead of copying: lanchat link on this one, lanchat link CODE on the other")
        }
        if forks.refusedBranches > 0 {
            return DoctorCheck(
                check: "log", status: .problem,
                detail: "\(forks.refusedBranches) entr\(forks.refusedBranches == 1 ? "y was" : "ies were") refused: an author's log forked into more branches than the 8 kept",
                fix: "an identity that forks that often is run on many machines at once, or is hostile; `lanchat who` marks it")
        }
        if let own = forks.own {
            return DoctorCheck(
                check: "log", status: .problem,
                detail: own == .open
                    ? "this identity's log forked: two of its entries share a seq"
                    : "this identity's log forked (two of its entries share a seq) and was merged since: every message of both sides is kept",
                fix: "likely cause: this state directory was restored from an older backup while no peer could be reached, or it runs on two machines. "
                    + (own == .open ? "The next message you send merges the fork (send one). " : "")
                    + "If a copy of this state directory runs on another machine, stop it there (or move its state directory away so it makes its own identity); when restoring a backup, keep the daemon's peers reachable")
        }
        if forks.open > 0 {
            return DoctorCheck(
                check: "log", status: .problem, detail: "\(forks.open) other identit\(forks.open == 1 ? "y has a forked log" : "ies have forked logs") not merged yet",
                fix: "the owner's next message merges it; a log that stays forked means that identity runs on two machines: tell its owner (`lanchat who` marks it)")
        }
        if forks.forked > 0 {
            return DoctorCheck(
                check: "log", status: .ok,
                detail: "\(forks.forked) identit\(forks.forked == 1 ? "y" : "ies") forked and merged since (a restored backup, most likely): every message of both sides is kept; nothing to do")
        }
        return DoctorCheck(check: "log", status: .ok, detail: "no forked log")
    }
}
