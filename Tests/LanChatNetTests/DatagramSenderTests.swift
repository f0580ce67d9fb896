import Glibc
import LanChatNet
import NIOCore
import Testing

/// A datagram the kernel will not send (a broadcast address without SO_BROADCAST: EACCES) fails alone:
/// the socket keeps receiving and sending. NIO's own writer would have closed the channel.
@Suite("peer transport: send errors")
struct DatagramSenderTests {
    @Test func aRefusedSendLeavesTheSocketWorking() async throws {
        let transport = try await PeerTransport.bind(host: "127.0.0.1", port: 0)
        let own = try SocketAddress(ipAddress: "127.0.0.1", port: Int(transport.port))
        // 127.255.255.255 is loopback's broadcast address; 255.255.255.255 the limited broadcast.
        for broadcast in ["127.255.255.255", "255.255.255.255"] {
            let failed = transport.sender.send([1, 2, 3], to: try SocketAddress(ipAddress: broadcast, port: Int(transport.port)))
            #expect(failed == EACCES, "sending to \(broadcast)")
        }
        #expect(transport.sender.send(Array("still here".utf8), to: own) == nil)
        try await transport.tcp.channel.close()
        try await transport.udp.executeThenClose { inbound, _ in
            var datagrams = inbound.makeAsyncIterator()
            let received = try await datagrams.next()
            #expect(received.map { String(buffer: $0.data) } == "still here")
        }
    }
}
