import LanChatCore
import NIOCore

/// Splits a TCP stream into frames: a u32 big-endian length, then that many bytes. A length of zero
/// or over the limit is a protocol error that closes the connection before anything is buffered.
struct FrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = [UInt8]

    let maxBytes: Int

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = buffer.getInteger(at: buffer.readerIndex, as: UInt32.self) else { return .needMoreData }
        guard length > 0, Int(length) <= maxBytes else {
            throw SyncFailure.protocolViolation("frame length \(length) outside 1...\(maxBytes)")
        }
        guard buffer.readableBytes >= 4 + Int(length) else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: 4)
        // readBytes cannot fail: the length was checked just above.
        context.fireChannelRead(wrapInboundOut(buffer.readBytes(length: Int(length))!))
        return .continue
    }
}

extension ByteBuffer {
    init(frame: SyncFrame) {
        let body = frame.encoded()
        self.init()
        reserveCapacity(4 + body.count)
        writeInteger(UInt32(body.count))
        writeBytes(body)
    }
}
