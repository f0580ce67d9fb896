import LanChatCore
import Testing

@Suite("ByteWriter and ByteReader")
struct ByteCodecTests {
    @Test func integersAreBigEndianAndReadBack() throws {
        var writer = ByteWriter()
        writer.u8(0x01)
        writer.u16(0x0203)
        writer.u32(0x0405_0607)
        writer.u64(0x0809_0a0b_0c0d_0e0f)
        writer.shortString("hé")
        #expect(writer.bytes == Array(1...15) + [3, 0x68, 0xc3, 0xa9])

        var reader = ByteReader(writer.bytes)
        #expect(try reader.u8("a") == 0x01)
        #expect(try reader.u16("b") == 0x0203)
        #expect(try reader.u32("c") == 0x0405_0607)
        #expect(try reader.u64("d") == 0x0809_0a0b_0c0d_0e0f)
        #expect(try reader.utf8(Int(try reader.u8("length")), limit: 255, "text") == "hé")
        #expect(throws: Never.self) { try reader.finish() }
    }

    @Test func refusesToReadPastTheEnd() {
        var reader = ByteReader([1, 2, 3])
        #expect(throws: DecodeError.truncated(field: "wide")) { try reader.u32("wide") }
        #expect(reader.offset == 0)  // a failed read consumes nothing
        #expect(throws: DecodeError.truncated(field: "negative")) { try reader.raw(-1, "negative") }
        #expect(throws: DecodeError.truncated(field: "many")) { try reader.raw(4, "many") }
        #expect(throws: DecodeError.trailingBytes(count: 3)) { try reader.finish() }
    }

    @Test func checksTheLimitBeforeTheLength() {
        var reader = ByteReader([1, 2, 3])
        #expect(throws: DecodeError.oversized(field: "blob", size: Int.max, limit: 10)) {
            try reader.sized(Int.max, limit: 10, "blob")
        }
        #expect(throws: DecodeError.invalid(field: "text", reason: "not valid UTF-8")) {
            var invalid = ByteReader([0xff])
            _ = try invalid.utf8(1, limit: 1, "text")
        }
    }
}
