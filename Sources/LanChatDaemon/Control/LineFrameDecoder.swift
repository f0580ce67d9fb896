import NIOCore

enum ControlLine: Sendable {
    case text(String)
    /// A line longer than the limit; its bytes were discarded up to the next newline.
    case oversized
    /// A line that is not valid UTF-8: refused, never repaired into U+FFFD and stored.
    case notUTF8
}

/// Splits the control stream into lines, never buffering more than `maxLength` bytes of one line,
/// so a client cannot make the daemon hold an unbounded request.
struct LineFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ControlLine

    let maxLength: Int
    private var discarding = false

    init(maxLength: Int) {
        self.maxLength = maxLength
    }

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        if let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) {
            let length = newline - buffer.readerIndex
            if discarding {
                discarding = false
            } else if length > maxLength {
                context.fireChannelRead(wrapInboundOut(.oversized))
            } else {
                let bytes = buffer.readableBytesView.prefix(length)
                context.fireChannelRead(wrapInboundOut(String(validating: bytes, as: UTF8.self).map { .text($0) } ?? .notUTF8))
            }
            buffer.moveReaderIndex(forwardBy: length + 1)
            return .continue
        }
        if buffer.readableBytes > maxLength {
            if !discarding {
                discarding = true
                context.fireChannelRead(wrapInboundOut(.oversized))
            }
            buffer.moveReaderIndex(to: buffer.writerIndex)
        }
        return .needMoreData
    }

    /// At end of input, a last request without its newline is still answered.
    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        while try decode(context: context, buffer: &buffer) == .continue {}
        if seenEOF, buffer.readableBytes > 0 {
            buffer.writeInteger(UInt8(ascii: "\n"))
            while try decode(context: context, buffer: &buffer) == .continue {}
        }
        return .needMoreData
    }
}
