import LanChatCore
import LanChatNet
import NIOCore
import Testing

/// A socket address as the peer table keys it: an IPv4 peer that reached the dual-stack socket as plain
/// IPv4 (one peer, one row, whichever socket it came through), any other address as it is.
@Suite("peer addresses from sockets")
struct SocketPeerAddressTests {
    @Test(arguments: [
        ("::ffff:10.0.0.1", "10.0.0.1"),
        ("::ffff:127.0.0.1", "127.0.0.1"),
        ("10.0.0.1", "10.0.0.1"),
        ("::1", "::1"),
        ("2001:db8::1", "2001:db8::1"),
        // IPv4-compatible and NAT64 addresses are IPv6 ones: only ::ffff:0:0/96 is an IPv4 peer.
        ("::10.0.0.1", "::10.0.0.1"),
        ("64:ff9b::10.0.0.1", "64:ff9b::a00:1"),
        ("::0.1.0.0", "::0.1.0.0"), ("::2", "::2"), ("0:0:0:0:0:1:0:0", "::1:0:0"),
    ])
    func aMappedAddressIsItsIPv4One(socket: String, peer: String) throws {
        let address = try SocketAddress(ipAddress: socket, port: 7420)
        #expect(PeerAddress(address) == PeerAddress(host: peer, port: 7420))
        // The core writes a host as the socket layer does, with no socket.
        #expect(PeerAddress(host: socket, port: 0).hostAsSeen == peer)
    }
}
