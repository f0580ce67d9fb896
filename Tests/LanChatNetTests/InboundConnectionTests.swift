import Glibc
import LanChatControl
import LanChatNet
import NIOCore
import Testing

/// Whatever a peer does with its connections, and whatever the node does with them, ends no process:
/// NIO stops the process when an async channel is released with its writer unfinished, and accepted
/// connections used to be such channels from the moment they were accepted (one refused over the
/// per-address limit before it had become active ended a daemon).
@Suite("peer transport: inbound connections")
struct InboundConnectionTests {
    @Test func refusedAndAbandonedConnectionsEndNoProcess() async throws {
        let transport = try await PeerTransport.bind(host: "127.0.0.1", port: 0)
        try await transport.udp.channel.close()
        let connections = 300
        let clients = Self.blocking { (0..<connections).map { _ in Self.connectAndClose(port: transport.port, frame: nil) } }
        var refused = 0
        var abandoned = 0
        try await transport.tcp.executeThenClose { inbound in
            for try await connection in inbound {
                // Every other one is dropped unopened, as a shutting-down node drops those still queued.
                if (refused + abandoned).isMultiple(of: 2) {
                    await connection.refuse()
                    refused += 1
                } else {
                    abandoned += 1
                }
                if refused + abandoned == connections { break }
            }
        }
        #expect(await clients.value.allSatisfy { $0 })
        #expect(refused == connections / 2 && abandoned == connections / 2)
    }

    @Test func aConnectionThatHasClosedCannotBeOpened() async throws {
        let transport = try await PeerTransport.bind(host: "127.0.0.1", port: 0)
        try await transport.udp.channel.close()
        let client = Self.blocking { Self.connectAndClose(port: transport.port, frame: nil) }
        try await transport.tcp.executeThenClose { inbound in
            var accepted = inbound.makeAsyncIterator()
            let connection = try #require(try await accepted.next())
            await connection.refuse()
            await #expect(throws: ChannelError.self) { _ = try await connection.open() }
        }
        #expect(await client.value)
    }

    @Test func whatArrivesBeforeOpeningIsRead() async throws {
        let transport = try await PeerTransport.bind(host: "127.0.0.1", port: 0)
        try await transport.udp.channel.close()
        let frame = Array("hello".utf8)
        let client = Self.blocking { Self.connectAndClose(port: transport.port, frame: frame) }
        try await transport.tcp.executeThenClose { inbound in
            var accepted = inbound.makeAsyncIterator()
            let connection = try #require(try await accepted.next())
            try await connection.open().executeThenClose { frames, _ in
                var reader = frames.makeAsyncIterator()
                let first = try await reader.next()
                #expect(first == frame)
            }
        }
        #expect(await client.value)
    }

    /// Runs blocking socket calls on a thread of their own: on the cooperative pool they would hold one of
    /// its few threads, and the node's side could not run.
    private static func blocking<T: Sendable>(_ work: @escaping @Sendable () -> T) -> Task<T, Never> {
        Task { await DedicatedThread.run(work) }
    }

    /// A blocking client on its own socket: connects, then closes, or if given a frame sends it
    /// length-prefixed and closes once the node has (a peer that closes first has its connection
    /// closed unread).
    private static func connectAndClose(port: UInt16, frame: [UInt8]?) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { return false }
        guard let frame else { return true }
        let bytes = withUnsafeBytes(of: UInt32(frame.count).bigEndian, Array.init) + frame
        guard send(descriptor, bytes, bytes.count, Int32(MSG_NOSIGNAL)) == bytes.count else { return false }
        var byte: UInt8 = 0
        return recv(descriptor, &byte, 1, 0) == 0
    }
}
