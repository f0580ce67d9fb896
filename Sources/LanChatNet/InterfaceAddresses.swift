import Glibc
import Synchronization
import LanChatCore
import NIOCore

/// This machine's own addresses, for `lanchat doctor` to say where peers can reach this node, and the
/// names of its interfaces, which zone link-local addresses.
public enum InterfaceAddresses {
    /// The interface's name (`eth0`), or its number where it has none. Asked of the kernel once per interface
    /// (each datagram names the one it came in on), so that every address of one link gets the same zone.
    public static func name(of index: UInt32) -> String {
        if let known = names.withLock({ $0[index] }) { return known }
        var name = [CChar](repeating: 0, count: Int(IF_NAMESIZE))
        guard if_indextoname(index, &name) != nil else { return String(index) }
        let found = String(cString: name)
        names.withLock { $0[index] = found }
        return found
    }

    /// The interface's index, for a zone written as a name (`eth0`) or a number; nil if there is no such
    /// interface. Asked of the kernel once per name: every datagram to a link-local peer needs it, and
    /// if_nametoindex costs 4.8 µs here, more than the sendto it is for.
    public static func index(of zone: String) -> UInt32? {
        if let known = indexes.withLock({ $0[zone] }) { return known }
        let named = if_nametoindex(zone)
        guard named != 0 else { return UInt32(zone).flatMap { $0 == 0 ? nil : $0 } }
        indexes.withLock { $0[zone] = named }
        return named
    }

    private static let names = Mutex<[UInt32: String]>([:])
    private static let indexes = Mutex<[String: UInt32]>([:])

    /// Unicast addresses of the interfaces that are up, loopback left out; link-local IPv6 ones with their zone.
    public static func current() -> [String] {
        var list: UnsafeMutablePointer<ifaddrs>?
        guard getifaddrs(&list) == 0, let first = list else { return [] }
        defer { freeifaddrs(list) }
        var hosts: [String] = []
        for entry in sequence(first: first, next: { $0.pointee.ifa_next }) {
            let flags = Int32(entry.pointee.ifa_flags)
            guard let raw = entry.pointee.ifa_addr, flags & Int32(IFF_UP) != 0, flags & Int32(IFF_LOOPBACK) == 0 else { continue }
            let address: SocketAddress? = switch Int32(raw.pointee.sa_family) {
            case AF_INET: raw.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { SocketAddress($0.pointee, host: "") }
            case AF_INET6: raw.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { SocketAddress($0.pointee, host: "") }
            default: nil
            }
            if let host = address.flatMap(PeerAddress.host(of:)) { hosts.append(host) }
        }
        return hosts
    }
}
