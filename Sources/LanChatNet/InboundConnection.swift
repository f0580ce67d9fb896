import NIOCore

/// A connection a peer opened, framed but not yet read from.
///
/// The listener yields these rather than async channels because an async channel released before it
/// is run to its end stops the whole process (NIO's writer traps in `deinit`), and accepted connections
/// are released unrun all the time: refused over a per-address limit, closed by the peer while queued,
/// or still queued when the node shuts down. A connection is wrapped only once it is taken up, so
/// nothing a peer does with its connections can end the node.
public struct InboundConnection: Sendable {
    let channel: any Channel

    public var remoteAddress: SocketAddress? { channel.remoteAddress }
    public var localAddress: SocketAddress? { channel.localAddress }

    /// Starts reading. The caller must end the channel with `executeThenClose`. Throws if the peer has
    /// already gone.
    public func open() async throws -> NIOAsyncChannel<[UInt8], ByteBuffer> {
        let channel = channel
        return try await channel.eventLoop.submit {
            // A closed channel's pipeline refuses the reader's handler, and NIO would then release the
            // writer it made for it unfinished.
            guard channel.isActive else { throw ChannelError.ioOnClosedChannel }
            let wrapped = try PeerTransport.wrap(channel)
            channel.setOption(.autoRead, value: true).whenFailure { _ in channel.close(promise: nil) }
            return wrapped
        }.get()
    }

    /// Closes the connection without reading it.
    public func refuse() async {
        try? await channel.close()
    }
}
