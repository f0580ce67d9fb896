import Dispatch
import Glibc
import LanChatCore
import NIOCore

extension PeerAddress {
    /// The address datagrams and connections come from, as the peer table keys it: an IPv4 peer that
    /// reached the dual-stack socket as plain IPv4, a link-local IPv6 one with the zone of the interface it
    /// came in on. Nil for addresses NIO cannot express.
    public init?(_ address: SocketAddress) {
        guard let host = Self.host(of: address.unmappedFromIPv6), let port = address.port, port > 0, port <= Int(UInt16.max) else { return nil }
        self = PeerAddress(host: host, port: UInt16(port))
    }

    /// The numeric host of a socket address; a link-local IPv6 one with its zone.
    static func host(of address: SocketAddress) -> String? {
        guard let ip = address.ipAddress else { return nil }
        guard case .v6(let v6) = address, v6.address.sin6_scope_id != 0 else { return ip }
        return ip + "%" + InterfaceAddresses.name(of: v6.address.sin6_scope_id)
    }

    /// Where to send to reach this address; nil unless it is numeric (every address in the peer table is).
    /// A zone names the interface, by name or by index.
    public var socketAddress: SocketAddress? {
        guard let zone else { return try? SocketAddress(ipAddress: host, port: Int(port)) }
        guard case .v6(let v6)? = try? SocketAddress(ipAddress: unzoned.host, port: Int(port)) else { return nil }
        guard let scope = InterfaceAddresses.index(of: zone) else { return nil }
        var raw = v6.address
        raw.sin6_scope_id = scope
        return SocketAddress(raw, host: host)
    }

    /// The numeric address of a host name (or the address itself), looked up off the cooperative
    /// pool: getaddrinfo blocks, for seconds when DNS is slow.
    public func resolved() async throws -> PeerAddress {
        let (host, port) = (host, Int(port))
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result {
                    let socket = try SocketAddress.makeAddressResolvingHost(host, port: port)
                    guard let numeric = PeerAddress(socket) else { throw SyncFailure.protocolViolation("\(host) has no usable address") }
                    return numeric
                })
            }
        }
    }
}

extension SocketAddress {
    /// An IPv4-mapped IPv6 address (`::ffff:a.b.c.d`, how a dual-stack socket shows an IPv4 peer) as the
    /// IPv4 one it is, so that one peer is one row whichever socket it came through and acks match their
    /// probes; any other as it is. In binary: it runs for every datagram.
    var unmappedFromIPv6: SocketAddress {
        guard case .v6(let v6) = self else { return self }
        return withUnsafeBytes(of: v6.address.sin6_addr) { bytes in
            guard bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xff, bytes[11] == 0xff else { return self }
            var raw = sockaddr_in()
            raw.sin_family = sa_family_t(AF_INET)
            raw.sin_port = v6.address.sin6_port
            withUnsafeMutableBytes(of: &raw.sin_addr) { $0.copyBytes(from: bytes[12..<16]) }
            return SocketAddress(raw, host: v6.host)
        }
    }

    /// An IPv4 address as the IPv4-mapped IPv6 one (`::ffff:a.b.c.d`) that a dual-stack socket sends to;
    /// any other as it is.
    var mappedToIPv6: SocketAddress {
        guard case .v4(let v4) = self else { return self }
        var raw = sockaddr_in6()
        raw.sin6_family = sa_family_t(AF_INET6)
        raw.sin6_port = v4.address.sin_port
        withUnsafeMutableBytes(of: &raw.sin6_addr) { bytes in
            bytes[10] = 0xff
            bytes[11] = 0xff
            withUnsafeBytes(of: v4.address.sin_addr) { bytes[12..<16].copyBytes(from: $0) }
        }
        return SocketAddress(raw, host: v4.host)
    }
}
