import Dispatch
import LanChatCore
import NIOCore
import NIOPosix

/// The node's UDP socket and TCP listener, bound to one port number.
public struct PeerTransport: Sendable {
    public typealias Datagrams = NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>
    public typealias Listener = NIOAsyncChannel<NIOAsyncChannel<[UInt8], ByteBuffer>, Never>

    public let udp: Datagrams
    public let tcp: Listener
    public let port: UInt16

    /// Binds TCP and UDP to the same port; with port 0, finds one free for both.
    public static func bind(host: String, port: Int) async throws -> PeerTransport {
        var lastError: (any Error)?
        for _ in 0..<(port == 0 ? 20 : 1) {
            let tcp = try await bindListener(host: host, port: port)
            guard let bound = tcp.channel.localAddress?.port else { throw SyncFailure.closed }
            do {
                let udp = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .channelOption(.socketOption(.so_reuseaddr), value: 1)
                    .channelOption(.socketOption(.so_rcvbuf), value: 4 << 20)
                    .bind(host: host, port: bound) { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try Datagrams(wrappingChannelSynchronously: channel)
                        }
                    }
                return PeerTransport(udp: udp, tcp: tcp, port: UInt16(bound))
            } catch {
                lastError = error
                try? await tcp.channel.close()
            }
        }
        throw lastError ?? SyncFailure.closed
    }

    private static func bindListener(host: String, port: Int) async throws -> Listener {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { child in
                child.eventLoop.makeCompletedFuture { try framed(child) }
            }
    }

    /// Opens a TCP connection to a peer for a sync.
    public static func connect(to address: SocketAddress) async throws -> NIOAsyncChannel<[UInt8], ByteBuffer> {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(2))
            .connect(to: address) { channel in
                channel.eventLoop.makeCompletedFuture { try framed(channel) }
            }
    }

    private static func framed(_ channel: any Channel) throws -> NIOAsyncChannel<[UInt8], ByteBuffer> {
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(FrameDecoder(maxBytes: SyncFrame.maxBytes)))
        return try NIOAsyncChannel(wrappingChannelSynchronously: channel)
    }
}

extension PeerAddress {
    /// The numeric address datagrams come from; nil for addresses NIO cannot express.
    public init?(_ address: SocketAddress) {
        guard let ip = address.ipAddress, let port = address.port, port > 0, port <= Int(UInt16.max) else { return nil }
        self.init(host: ip, port: UInt16(port))
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
