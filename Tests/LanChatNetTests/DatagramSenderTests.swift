import Glibc
import LanChatNet
import NIOCore
import Testing

/// A datagram the kernel will not send fails alone: the socket keeps receiving and sending. NIO's own
/// writer closes the channel on any send error but EMSGSIZE and EHOSTUNREACH. (An IPv6 destination on
/// an IPv4 socket here: the broadcast case, EACCES, runs in a loopback-only namespace, in
/// HostileDatagramLANTests, so that nothing is ever broadcast on the machine's own network.)
@Suite("peer transport: send errors")
struct DatagramSenderTests {
    @Test func aRefusedSendLeavesTheSocketWorking() async throws {
        let transport = try await PeerTransport.bind(host: "127.0.0.1", port: 0)
        let own = try SocketAddress(ipAddress: "127.0.0.1", port: Int(transport.port))
        let failed = transport.sender.send([1, 2, 3], to: try SocketAddress(ipAddress: "::1", port: Int(transport.port)))
        #expect(failed != nil)
        #expect(transport.sender.send(Array("still here".utf8), to: own) == nil)
        try await transport.tcp.channel.close()
        try await transport.udp.executeThenClose { inbound, _ in
            var datagrams = inbound.makeAsyncIterator()
            let received = try await datagrams.next()
            #expect(received.map { String(buffer: $0.data) } == "still here")
        }
    }
}
