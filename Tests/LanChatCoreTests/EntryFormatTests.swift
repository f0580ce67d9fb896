import Crypto
import LanChatCore
import Testing

/// Pins the canonical encoding of format version 1 and what the signature covers.
@Suite("Entry format")
struct EntryFormatTests {
    @Test func signatureCoversExactlyTheUnsignedBytes() throws {
        let entry = signedEntry(by: try identity(4), seq: 3, content: try message(body: "signed"))
        let key = try Curve25519.Signing.PublicKey(rawRepresentation: entry.author.bytes)
        #expect(entry.signature.count == Entry.signatureBytes)
        #expect(entry.encoded == entry.unsignedBytes + entry.signature)
        #expect(key.isValidSignature(entry.signature, for: entry.unsignedBytes))
        #expect(!key.isValidSignature(entry.signature, for: entry.unsignedBytes + [0]))
        #expect(!key.isValidSignature(entry.signature, for: Array(entry.unsignedBytes.dropFirst())))
        #expect(!key.isValidSignature(entry.signature, for: entry.encoded))
    }

    @Test func goldenBytesOfAMessage() throws {
        let author = try identity(5)
        let entry = Entry.sign(
            by: author, seq: 0x0102_0304_0506_0708, timestamp: HybridTimestamp(rawValue: 0x1112_1314_1516_1718),
            content: try message(room: "general", body: "hi"))
        var expected: [UInt8] = [0x01]  // format version
        expected += author.id.bytes  // author: 32 bytes
        expected += [0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08]  // seq, u64 big-endian
        expected += [0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18]  // timestamp, u64 big-endian
        expected += [0x01]  // kind: message
        expected += [0x00, 0x00, 0x00, 0x0d]  // payload length 13, u32 big-endian
        expected += [0x00]  // message flags: no reply
        expected += [0x07, 0x67, 0x65, 0x6e, 0x65, 0x72, 0x61, 0x6c]  // room: u8 length 7, "general"
        expected += [0x00, 0x02, 0x68, 0x69]  // body: u16 length 2, "hi"

        #expect(expected.count == Entry.headerBytes + 13)
        #expect(entry.unsignedBytes == expected)
        #expect(entry.encoded == expected + entry.signature)
    }

    @Test func goldenBytesOfAReplyPayload() throws {
        let replyAuthor = try identity(6).id
        let entry = signedEntry(
            by: try identity(5), content: try message(room: "a", body: "ok", replyTo: EntryKey(author: replyAuthor, seq: 258)))
        var payload: [UInt8] = [0x01]  // message flags: reply
        payload += [0x01, 0x61]  // room: u8 length 1, "a"
        payload += replyAuthor.bytes  // reply author: 32 bytes
        payload += [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02]  // reply seq 258, u64 big-endian
        payload += [0x00, 0x02, 0x6f, 0x6b]  // body: u16 length 2, "ok"

        #expect(entry.payload == payload)
        #expect(Array(entry.unsignedBytes.suffix(payload.count + 4)) == [0x00, 0x00, 0x00, 0x2f] + payload)  // payload length 47
    }

    @Test func goldenBytesOfAProfilePayload() throws {
        let entry = signedEntry(by: try identity(5), content: try EntryContent.profile(validating: "Bé"))
        #expect(entry.kind == .profile)
        #expect(entry.kind.rawValue == 2)
        #expect(entry.payload == [0x03, 0x42, 0xc3, 0xa9])  // name: u8 length 3, "Bé" in UTF-8
    }

    @Test func headerSizeAndLimits() {
        #expect(Entry.headerBytes == 54)
        #expect(Limits.maxEntryBytes == 54 + 20 * 1024 + 64)
        #expect(Limits.maxBodyBytes == 16 * 1024)
    }
}
