import Dispatch
import Glibc
import LanChatCore
import NIOCore
import NIOPosix

/// The node's UDP socket and TCP listener, bound to one port number.
public struct PeerTransport: Sendable {
    public typealias Datagrams = NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>
    public typealias Connection = InboundConnection<[UInt8], ByteBuffer>
    /// Yields accepted connections unopened: see `InboundConnection`.
    public typealias Listener = NIOAsyncChannel<Connection, Never>

    /// Receives datagrams; sending goes through `sender`, never through this channel's writer.
    public let udp: Datagrams
    public let tcp: Listener
    /// The address bound to, as given (`::`, `0.0.0.0`, or one of this machine's).
    public let host: String
    public let port: UInt16
    public let sender: DatagramSender

    /// Binds TCP and UDP to the same port; with port 0, finds one free for both.
    public static func bind(host: String, port: Int) async throws -> PeerTransport {
        var lastError: (any Error)?
        for _ in 0..<(port == 0 ? 20 : 1) {
            let tcp = try await bindListener(to: try address(host, port: port))
            guard let bound = tcp.channel.localAddress?.port else { throw SyncFailure.closed }
            do {
                let (descriptor, sender) = try DatagramSender.bindSocket(to: try address(host, port: bound))
                // The interface each datagram came in on: the link of the link-local addresses it names.
                let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .channelOption(.receivePacketInfo, value: true)
                    .withBoundSocket(descriptor).get()
                let udp: Datagrams
                do {
                    udp = try await channel.eventLoop.submit { try Datagrams(wrappingChannelSynchronously: channel) }.get()
                } catch {
                    try? await channel.close()
                    throw error
                }
                return PeerTransport(udp: udp, tcp: tcp, host: host, port: UInt16(bound), sender: sender)
            } catch {
                lastError = error
                try? await tcp.channel.close()
            }
        }
        throw lastError ?? SyncFailure.closed
    }

    /// A numeric address as it is, without getaddrinfo: its AI_ADDRCONFIG refuses `::` on a host whose
    /// interfaces have no IPv6 address, where a dual-stack socket still takes IPv4. A name is looked up.
    private static func address(_ host: String, port: Int) throws -> SocketAddress {
        try PeerAddress(host: host, port: UInt16(clamping: port)).socketAddress ?? SocketAddress.makeAddressResolvingHost(host, port: port)
    }

    private static func bindListener(to address: SocketAddress) async throws -> Listener {
        var bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
        if address.protocol == .inet6 {
            // As the UDP socket: `::` takes IPv4 as well, whatever the system's default.
            bootstrap = bootstrap.serverChannelOption(ChannelOptions.Types.SocketOption(level: .ipv6, name: .ipv6_v6only), value: 0)
        }
        return try await bootstrap
            .acceptingUnread()
            .bind(to: address) { child in
                child.eventLoop.makeCompletedFuture {
                    try addFraming(child)
                    return Connection(channel: child, configuration: framedConfiguration)
                }
            }
    }

    /// Opens a TCP connection to a peer for a sync.
    public static func connect(to address: SocketAddress) async throws -> NIOAsyncChannel<[UInt8], ByteBuffer> {
        var bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connectTimeout(.seconds(2))
        if address.protocol == .inet6 {
            bootstrap = bootstrap.channelOption(
                ChannelOptions.Types.SocketOption(level: .ipv6, name: NIOBSDSocket.Option(rawValue: IPv6SourcePreference.option)),
                value: Int(IPv6SourcePreference.publicAddresses))
        }
        return try await bootstrap
            .connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try addFraming(channel)
                    return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: framedConfiguration)
                }
            }
    }

    /// A sync connection on which nothing is read or written for this long is closed, and its handshake
    /// must be over within it too (a byte now and then does not hold a slot), so idle connections
    /// cannot hold the slots inbound syncs need.
    public static let idleTimeout = TimeAmount.seconds(10)
    static let handshakeDeadlineName = "lanchat.handshakeDeadline"

    private static func addFraming(_ channel: any Channel) throws {
        try channel.pipeline.syncOperations.addHandlers(
            IdleStateHandler(allTimeout: idleTimeout), CloseWhenIdle(),
            ByteToMessageHandler(FrameDecoder()))
        try channel.pipeline.syncOperations.addHandler(HandshakeDeadline(limit: idleTimeout), name: handshakeDeadlineName)
    }

    /// Finishing the writer half-closes the connection once every frame is written (see `SyncSession`).
    private static let framedConfiguration = NIOAsyncChannel<[UInt8], ByteBuffer>.Configuration(isOutboundHalfClosureEnabled: true)

    /// The handshake on this connection is over: the session's own deadline governs it from now on.
    static func handshakeCompleted(on channel: NIOAsyncChannel<[UInt8], ByteBuffer>) async {
        try? await channel.channel.pipeline.removeHandler(name: handshakeDeadlineName).get()
    }
}

/// Closes the connection if the handshake is not over (`PeerTransport.handshakeCompleted`) within `limit`.
private final class HandshakeDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = [UInt8]
    typealias InboundOut = [UInt8]

    private let limit: TimeAmount
    private var timer: Scheduled<Void>?

    init(limit: TimeAmount) {
        self.limit = limit
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { start(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        start(context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
    }

    private func start(_ context: ChannelHandlerContext) {
        guard timer == nil else { return }
        let channel = context.channel
        timer = context.eventLoop.scheduleTask(in: limit) { channel.close(promise: nil) }
    }
}

/// Closes the connection when `IdleStateHandler` reports it idle; the session then fails as closed.
private final class CloseWhenIdle: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }
}

/// Sends the node's datagrams from its UDP port. NIO closes a datagram channel on any send error but
/// EMSGSIZE and EHOSTUNREACH (swift-nio 2.101: `BaseSocketChannel.flushNow` calls `close0`), and no channel
/// option prevents it: one datagram to a broadcast address (EACCES), a moment without a route (ENETUNREACH)
/// or a firewall rule (EPERM) would end replication for good. So the channel only receives, and datagrams
/// are sent through a duplicate of its socket's descriptor, where an error fails that one datagram alone.
public final class DatagramSender: Sendable {
    private let descriptor: Int32
    /// A dual-stack (IPv6) socket reaches IPv4 peers at their IPv4-mapped addresses.
    private let dualStack: Bool

    private init(descriptor: Int32, dualStack: Bool) {
        self.descriptor = descriptor
        self.dualStack = dualStack
    }

    deinit { close(descriptor) }

    /// Sends one datagram without waiting: nil when the kernel took it, else the errno (EAGAIN when the
    /// send buffer is full: the datagram is lost, as any may be).
    public func send(_ bytes: [UInt8], to address: SocketAddress) -> Int32? {
        let target = dualStack ? address.mappedToIPv6 : address
        let sent = bytes.withUnsafeBytes { buffer in
            target.withSockAddr { pointer, length in
                sendto(descriptor, buffer.baseAddress, buffer.count, Int32(MSG_DONTWAIT | MSG_NOSIGNAL), pointer, socklen_t(length))
            }
        }
        return sent < 0 ? errno : nil
    }

    /// A non-blocking UDP socket bound to `address` (its descriptor, for NIO to own and read) and a sender
    /// holding a duplicate of it.
    static func bindSocket(to address: SocketAddress) throws -> (descriptor: Int32, sender: DatagramSender) {
        let descriptor = socket(
            Int32(address.protocol.rawValue), Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard descriptor >= 0 else { throw IOError(errnoCode: errno, reason: "socket") }
        func option(_ name: Int32, _ value: Int32) {
            var value = value
            _ = setsockopt(descriptor, SOL_SOCKET, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
        option(SO_REUSEADDR, 1)
        option(SO_RCVBUF, 4 << 20)
        let dualStack = address.protocol == .inet6
        if dualStack {
            // Whatever the system's default (net.ipv6.bindv6only), `::` takes IPv4 as well.
            var off: Int32 = 0
            _ = setsockopt(descriptor, Int32(IPPROTO_IPV6), IPV6_V6ONLY, &off, socklen_t(MemoryLayout<Int32>.size))
            var prefer = IPv6SourcePreference.publicAddresses
            _ = setsockopt(descriptor, Int32(IPPROTO_IPV6), IPv6SourcePreference.option, &prefer, socklen_t(MemoryLayout<Int32>.size))
        }
        // Sends never wait: a burst (a push to every peer) must fit, or its tail is lost.
        option(SO_SNDBUF, 4 << 20)
        let bound = address.withSockAddr { pointer, length in Glibc.bind(descriptor, pointer, socklen_t(length)) }
        let duplicate = bound == 0 ? dup(descriptor) : -1
        guard duplicate >= 0 else {
            let code = errno
            close(descriptor)
            throw IOError(errnoCode: code, reason: bound == 0 ? "dup" : "bind")
        }
        _ = fcntl(duplicate, F_SETFD, FD_CLOEXEC)
        return (descriptor, DatagramSender(descriptor: duplicate, dualStack: dualStack))
    }
}

/// Datagrams and connections leave from this machine's stable IPv6 address, not a temporary (privacy) one:
/// peers know a node by the address it answers from, and a temporary one changes, which would make an ack
/// match no probe and give one node a new row each time (RFC 5014; Linux's values, which Glibc's module lacks).
enum IPv6SourcePreference {
    static let option: Int32 = 72  // IPV6_ADDR_PREFERENCES
    static let publicAddresses: Int32 = 0x0002  // IPV6_PREFER_SRC_PUBLIC
}
