import LanChatCore
import NIOCore

/// Splits a TCP stream into frames: a u32 big-endian length, then that many bytes. A length of zero
/// or over the limit is a protocol error that closes the connection before anything is buffered.
struct FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = [UInt8]

    /// A sync frame, sealed (its tag added) on a closed network.
    static let maxBytes = SyncFrame.maxBytes + StreamSealer.tagBytes

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard length > 0, Int(length) <= Self.maxBytes else {
            throw SyncFailure.protocolViolation("frame length \(length) outside 1...\(Self.maxBytes)")
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        // readBytes cannot fail: the length was checked just above.
        context.fireChannelRead(wrapInboundOut(buffer.readBytes(length: Int(length))!))
        return .continue
    }
}

/// Frames on their way out: encoded, sealed on a closed network (the preamble first), length-prefixed.
/// Seal in the order they are written: the nonce counts frames.
struct FrameWriter: Sendable {
    private var sealer: StreamSealer?

    init(sealer: StreamSealer?) {
        self.sealer = sealer
    }

    var key: KeyFingerprint? { sealer?.fingerprint }

    /// The first bytes to write on a closed network.
    var preamble: ByteBuffer? { sealer.map { Self.framed($0.preamble) } }

    mutating func buffer(_ frame: SyncFrame) -> ByteBuffer {
        let body = frame.encoded()
        return Self.framed(sealer?.seal(body) ?? body)
    }

    private static func framed(_ bytes: [UInt8]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.reserveCapacity(4 + bytes.count)
        buffer.writeInteger(UInt32(bytes.count))
        buffer.writeBytes(bytes)
        return buffer
    }
}
