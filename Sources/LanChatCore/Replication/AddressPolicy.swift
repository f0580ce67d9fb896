/// Which addresses a node accepts when a peer names them (peer hints, ping requests, indirect acks):
/// only numeric unicast addresses of the family the naming datagram came from. Anything else would
/// let any outsider make the node send datagrams where it chooses (broadcast, multicast, itself).
///
/// A subnet's broadcast address (x.y.z.255 on a /24) cannot be told from a unicast one without
/// knowing the subnet, so it is not refused here; sending to it fails (no `SO_BROADCAST`), and a
/// failed send is only counted (`ReplicationCounters.sendErrors`).
public enum AddressPolicy {
    public enum Refusal: Error, Equatable, Sendable {
        /// A name, or text that is not an IPv4 or IPv6 literal (zone IDs included).
        case notNumeric
        /// IPv6 named in a datagram that came over IPv4, or the other way round.
        case wrongFamily
        /// 0.0.0.0/8, `::`.
        case unspecified
        /// 255.255.255.255 (and the rest of 240.0.0.0/4, reserved), the IPv4-compatible `::/96`.
        case reserved
        /// 224.0.0.0/4, ff00::/8.
        case multicast
        /// 127.0.0.0/8, `::1`, named in a datagram that did not itself come over loopback.
        case loopback
        /// A link-local IPv6 address (fe80::/10) named in a datagram whose link (the interface it came in on)
        /// is unknown here: so is the host it names.
        case otherLink
    }

    /// The address in canonical text (as the node itself writes addresses), if `source`, the address
    /// the naming datagram came from, may name it. An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) is
    /// the IPv4 address it maps, by the IPv4 rules: it smuggles no broadcast or loopback address past
    /// them, nor an IPv4 one past the family rule, and is kept unmapped (one peer, one row).
    /// A link-local address takes the zone of the link the datagram came over (`link`, the interface it
    /// arrived on, or the zone of a link-local source): the host it names is on that link.
    public static func check(_ address: PeerAddress, from source: PeerAddress, link: String? = nil) -> Result<PeerAddress, Refusal> {
        guard let target = NumericHost(address.host)?.unmapped else { return .failure(.notNumeric) }
        // The source is what the socket reported; should it ever be unparsable, nothing it names is trusted.
        guard let origin = NumericHost(source.unzoned.host)?.unmapped else { return .failure(.wrongFamily) }
        guard target.isIPv6 == origin.isIPv6 else { return .failure(.wrongFamily) }
        return admit(target, port: address.port, sourceIsLoopback: origin.isLoopback, zone: source.zone ?? link)
    }

    /// An address mDNS announced (Avahi's answer to an A or AAAA query, a link-local one with the zone of the
    /// interface it was heard on), by the same rules: anyone on the LAN can answer mDNS.
    public static func check(announced address: PeerAddress) -> Result<PeerAddress, Refusal> {
        guard let target = NumericHost(address.unzoned.host)?.unmapped else { return .failure(.notNumeric) }
        return admit(target, port: address.port, sourceIsLoopback: false, zone: address.zone)
    }

    private static func admit(_ target: NumericHost, port: UInt16, sourceIsLoopback: Bool, zone: String?) -> Result<PeerAddress, Refusal> {
        if let refusal = target.refusal(sourceIsLoopback: sourceIsLoopback) { return .failure(refusal) }
        guard target.isLinkLocal else { return .success(PeerAddress(host: target.description, port: port)) }
        guard let zone else { return .failure(.otherLink) }
        return .success(PeerAddress(host: "\(target.description)%\(zone)", port: port))
    }

    public static func allows(_ address: PeerAddress, from source: PeerAddress) -> Bool {
        if case .success = check(address, from: source) { true } else { false }
    }
}

/// An IPv4 or IPv6 literal, parsed strictly: dotted quads without leading zeros, IPv6 with at most
/// one `::` and an optional trailing dotted quad, no zone ID.
enum NumericHost: Equatable, CustomStringConvertible {
    case v4(UInt32)
    case v6([UInt16])

    init?(_ text: String) {
        if let v4 = Self.parseIPv4(Substring(text)) {
            self = .v4(v4)
        } else if let v6 = Self.parseIPv6(text) {
            self = .v6(v6)
        } else {
            return nil
        }
    }

    var isIPv6: Bool { if case .v6 = self { true } else { false } }

    /// An IPv4-mapped IPv6 address as the IPv4 address it is; any other as it is.
    var unmapped: NumericHost { mappedIPv4.map(NumericHost.v4) ?? self }

    /// The IPv4 address inside `::ffff:a.b.c.d`.
    private var mappedIPv4: UInt32? {
        guard case .v6(let groups) = self, groups[0..<5].allSatisfy({ $0 == 0 }), groups[5] == 0xffff else { return nil }
        return UInt32(groups[6]) << 16 | UInt32(groups[7])
    }

    /// fe80::/10: an address that means a host only on one link.
    var isLinkLocal: Bool { if case .v6(let groups) = self { groups[0] & 0xffc0 == 0xfe80 } else { false } }

    var isLoopback: Bool {
        switch self {
        case .v4(let value): value >> 24 == 127
        case .v6(let groups): mappedIPv4.map { $0 >> 24 == 127 } ?? (groups == [0, 0, 0, 0, 0, 0, 0, 1])
        }
    }

    func refusal(sourceIsLoopback: Bool) -> AddressPolicy.Refusal? {
        if let mapped = mappedIPv4 { return NumericHost.v4(mapped).refusal(sourceIsLoopback: sourceIsLoopback) }
        switch self {
        case .v4(let value):
            switch value >> 24 {
            case 0: return .unspecified
            case 127: return sourceIsLoopback ? nil : .loopback
            case 224...239: return .multicast
            case 240...255: return .reserved
            default: return nil
            }
        case .v6(let groups):
            if groups.allSatisfy({ $0 == 0 }) { return .unspecified }
            if isLoopback { return sourceIsLoopback ? nil : .loopback }
            if groups[0] >> 8 == 0xff { return .multicast }
            if groups[0..<6].allSatisfy({ $0 == 0 }) { return .reserved }  // IPv4-compatible, deprecated
            return nil
        }
    }

    /// As `inet_ntop` writes it (RFC 5952), which is how socket addresses reach the peer table.
    var description: String {
        switch self {
        case .v4(let value): return Self.dotted(value)
        case .v6(let groups):
            if let mapped = mappedIPv4 { return "::ffff:" + Self.dotted(mapped) }
            var best: Range<Int>?
            var index = 0
            while index < 8 {
                guard groups[index] == 0 else {
                    index += 1
                    continue
                }
                var end = index
                while end < 8, groups[end] == 0 { end += 1 }
                if end - index >= 2, end - index > (best?.count ?? 0) { best = index..<end }
                index = end
            }
            // An IPv4-compatible address (deprecated, refused as a peer) keeps its dotted tail, as glibc writes it.
            if best == 0..<6 { return "::" + Self.dotted(UInt32(groups[6]) << 16 | UInt32(groups[7])) }
            let hex = groups.map { String($0, radix: 16) }
            guard let best else { return hex.joined(separator: ":") }
            return hex[..<best.lowerBound].joined(separator: ":") + "::" + hex[best.upperBound...].joined(separator: ":")
        }
    }

    private static func dotted(_ value: UInt32) -> String {
        "\(value >> 24)." + "\(value >> 16 & 0xff)." + "\(value >> 8 & 0xff)." + "\(value & 0xff)"
    }

    /// Byte by byte: every datagram from an IPv6 sender (`::1` and mapped IPv4 included) is parsed for its
    /// flood source, and splitting into Characters cost more than the rest of the datagram's rate limiting.
    private static func parseIPv4(_ text: Substring) -> UInt32? {
        var value: UInt32 = 0
        var octet: UInt32 = 0
        var digits = 0
        var dots = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | octet
                (octet, digits, dots) = (0, 0, dots + 1)
                continue
            }
            // At most three digits, no leading zero, at most 255.
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < 3, digits == 0 || octet != 0 else { return nil }
            octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
            digits += 1
            guard octet <= 255 else { return nil }
        }
        guard digits > 0, dots == 3 else { return nil }
        return value << 8 | octet
    }

    private static func parseIPv6(_ text: String) -> [UInt16]? {
        guard text.utf8.count <= 45, text.utf8.contains(UInt8(ascii: ":")) else { return nil }
        let halves = text.split(separator: "::", omittingEmptySubsequences: false).map(String.init)
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String, last: Bool) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            let fields = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, field) in fields.enumerated() {
                if last, index == fields.count - 1, field.utf8.contains(UInt8(ascii: ".")) {
                    guard let v4 = parseIPv4(field) else { return nil }
                    result += [UInt16(v4 >> 16), UInt16(v4 & 0xffff)]
                } else {
                    guard (1...4).contains(field.count), field.allSatisfy(\.isHexDigit), let group = UInt16(field, radix: 16)
                    else { return nil }
                    result.append(group)
                }
            }
            return result
        }
        if halves.count == 1 {
            guard let all = groups(halves[0], last: true), all.count == 8 else { return nil }
            return all
        }
        guard let head = groups(halves[0], last: false), let tail = groups(halves[1], last: true), head.count + tail.count <= 7
        else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }
}
