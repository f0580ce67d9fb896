/// Where a peer listens: a host (name or literal address) and the port it uses for UDP and TCP alike.
public struct PeerAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let host: String
    public let port: UInt16

    public init(host: String, port: UInt16) {
        self.host = host
        self.port = port
    }

    /// `host:port`, or `[v6-address]:port`.
    public init?(parsing text: String) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":"), !text[..<colon].contains(":") else { return nil }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        if host.hasSuffix(".") { host = host.dropLast() }
        guard !host.isEmpty, host.count <= 255, let port = UInt16(portText), port > 0 else { return nil }
        self.init(host: String(host), port: port)
    }

    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The interface a link-local IPv6 address is scoped to (`fe80::1%eth0`: `eth0`). It means something
    /// on this machine only, so it never goes on the wire.
    public var zone: String? { percent.map { String(host[host.utf8.index(after: $0)...]) } }

    /// Where the zone's `%` is. By its bytes: every hint and piece of news asks, and `firstIndex(of:)` on the
    /// string compares characters.
    private var percent: String.Index? { host.utf8.firstIndex(of: UInt8(ascii: "%")) }

    /// What a flood from this address is charged to (the datagram rate limit): its host, whatever port it sends
    /// from, a link-local one with its zone; on loopback, where every daemon of this machine shares the host, the
    /// host and port. Not an IPv6 /64: the hosts of one LAN share one, and one flooder would spend all their budgets.
    public var floodSource: String {
        // Every datagram asks, so an IPv4 host (dotted as the socket layer writes it) is not parsed.
        if !isIPv6 { return host.utf8.starts(with: "127.".utf8) ? description : host }
        guard let numeric = NumericHost(unzoned.host)?.unmapped else { return host }
        if numeric.isLoopback { return PeerAddress(host: numeric.description, port: port).description }
        return zoned(numeric)
    }

    /// The host as datagrams name their sender, as the socket layer writes it (`::0` as `::`, `::ffff:10.0.0.5`
    /// as `10.0.0.5`, `2001:DB8::5` as `2001:db8::5`, a zone kept); nil if it is not numeric.
    public var hostAsSeen: String? {
        NumericHost(unzoned.host).map { zoned($0.unmapped) }
    }

    private func zoned(_ numeric: NumericHost) -> String {
        zone.map { "\(numeric.description)%\($0)" } ?? numeric.description
    }

    /// fe80::/10, with its zone or without.
    public var isLinkLocal: Bool { NumericHost(unzoned.host)?.isLinkLocal ?? false }

    /// The address without its zone: as it goes on the wire.
    public var unzoned: PeerAddress {
        guard let percent else { return self }
        return PeerAddress(host: String(host[..<percent]), port: port)
    }

    /// Whether this address may be named (in a hint, membership news, a ping request) to `recipient`, on
    /// `link`, the interface that peer is reached over where known: only to a peer of its own family (a
    /// receiver refuses the other), and a link-local address only on its own link, the only place where it
    /// means the same host.
    public func mayBeNamed(to recipient: PeerAddress, onLink link: String?) -> Bool {
        isIPv6 == recipient.isIPv6 && (zone == nil || zone == link)
    }

    /// Of a canonical address (the peer table's: never IPv4-mapped), the IPv6 ones are those with colons.
    /// Asked of every datagram: by its bytes, where `contains(":")` would go through Foundation's NSString search.
    public var isIPv6: Bool { host.utf8.contains(UInt8(ascii: ":")) }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.host, lhs.port) < (rhs.host, rhs.port) }
}

public enum NetworkName {
    public static let maxBytes = 32

    public static func isValid(_ name: String) -> Bool { SafeName.isValid(name, maxBytes: maxBytes) }
}

/// Names of rooms and networks: lowercase letters, digits, `-`, `_` and `.`, never needing quotes in a shell.
public enum SafeName {
    public static func isValid(_ name: String, maxBytes: Int) -> Bool {
        let bytes = Array(name.utf8)
        return !bytes.isEmpty && bytes.count <= maxBytes
            && bytes.allSatisfy { (0x61...0x7a).contains($0) || (0x30...0x39).contains($0) || $0 == 0x2d || $0 == 0x5f || $0 == 0x2e }
    }
}
