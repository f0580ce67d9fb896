import NIOCore
import NIOPosix

/// A connection a client opened, its decoders in place but nothing read from it yet.
///
/// Listeners yield these rather than async channels because an async channel released before it is
/// run to its end stops the whole process (NIO's writer traps in `deinit`), and accepted connections
/// are released unrun all the time: refused over a per-address limit, closed by the peer while queued,
/// or still queued when the node shuts down. A connection is wrapped only once it is taken up, so
/// nothing a client does with its connections can end the node. The listener must accept with
/// `autoRead` off (`ServerBootstrap.acceptingUnread`): what arrives before `open` waits in the kernel.
public struct InboundConnection<Inbound: Sendable, Outbound: Sendable>: Sendable {
    /// For what the socket says of the client (its address, its credentials), not for reading.
    public let channel: any Channel
    private let configuration: NIOAsyncChannel<Inbound, Outbound>.Configuration

    public init(channel: any Channel, configuration: NIOAsyncChannel<Inbound, Outbound>.Configuration = .init()) {
        self.channel = channel
        self.configuration = configuration
    }

    /// Starts reading. The caller must end the channel with `executeThenClose`. Throws if the client has
    /// already gone.
    public func open() async throws -> NIOAsyncChannel<Inbound, Outbound> {
        let (channel, configuration) = (channel, configuration)
        return try await channel.eventLoop.submit {
            // A closed channel's pipeline refuses the reader's handler, and NIO would then release the
            // writer it made for it unfinished.
            guard channel.isActive else { throw ChannelError.ioOnClosedChannel }
            let wrapped = try NIOAsyncChannel<Inbound, Outbound>(wrappingChannelSynchronously: channel, configuration: configuration)
            channel.setOption(.autoRead, value: true).whenFailure { _ in channel.close(promise: nil) }
            return wrapped
        }.get()
    }

    /// Closes the connection without reading it.
    public func refuse() async {
        try? await channel.close()
    }
}

extension ServerBootstrap {
    /// Accepted connections read nothing until `InboundConnection.open`.
    public func acceptingUnread() -> ServerBootstrap {
        childChannelOption(.autoRead, value: false)
    }
}
