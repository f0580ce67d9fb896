import Crypto
import LanChatCore
import Testing

/// Pins the canonical encoding of format version 2, what the signature covers and what names an entry.
@Suite("Entry format")
struct EntryFormatTests {
    /// The signed part of an entry: its header without the 64 signature bytes at the end.
    private func signed(_ entry: Entry) -> [UInt8] { Array(entry.header.dropLast(Entry.signatureBytes)) }

    @Test func signatureCoversExactlyTheSignedHeader() throws {
        let entry = signedEntry(by: try identity(4), seq: 3, links: [tip(2)], content: try message(body: "signed"))
        let key = try Curve25519.Signing.PublicKey(rawRepresentation: entry.author.bytes)
        #expect(entry.signature.count == Entry.signatureBytes)
        #expect(entry.header == signed(entry) + entry.signature)
        #expect(entry.encoded == entry.header + [1] + entry.payload!)
        #expect(key.isValidSignature(entry.signature, for: signed(entry)))
        #expect(!key.isValidSignature(entry.signature, for: signed(entry) + [0]))
        #expect(!key.isValidSignature(entry.signature, for: Array(signed(entry).dropFirst())))
        // The payload is not signed: its hash is.
        #expect(!key.isValidSignature(entry.signature, for: signed(entry) + entry.payload!))
        #expect(Array(signed(entry).suffix(34).prefix(32)) == EntryHash(of: entry.payload!).bytes)
    }

    @Test func theHashNamesTheHeaderAndSignatureNotThePayload() throws {
        let entry = signedEntry(by: try identity(4), content: try message(body: "named"))
        #expect(entry.hash == EntryHash(of: entry.header))
        #expect(entry.hash != EntryHash(of: entry.encoded))
        #expect(entry.ref == EntryRef(author: entry.author, seq: 1, hash: entry.hash))
        #expect(entry.tip == AuthorTip(seq: 1, hash: entry.hash))
    }

    /// The worked example: seq 2 of identity 5, linking seq 1, saying "hi" in general.
    @Test func goldenBytesOfAMessage() throws {
        let author = try identity(5)
        let link = AuthorTip(seq: 1, hash: try EntryHash(bytes: [UInt8](repeating: 0x11, count: 32)))
        let entry = Entry.sign(
            by: author, seq: 2, timestamp: HybridTimestamp(rawValue: 0x1112_1314_1516_1718), links: [link],
            content: try message(room: "general", body: "hi"))
        let payload: [UInt8] = [0x00]  // message flags: no reply
            + [0x07, 0x67, 0x65, 0x6e, 0x65, 0x72, 0x61, 0x6c]  // room: u8 length 7, "general"
            + [0x00, 0x02, 0x68, 0x69]  // body: u16 length 2, "hi"
        var expected: [UInt8] = [0x02]  // format version
        expected += author.id.bytes  // author: 32 bytes
        expected += [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02]  // seq 2, u64 big-endian
        expected += [0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18]  // timestamp, u64 big-endian
        expected += [0x01]  // kind: message
        expected += [0x01]  // one link
        expected += [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01] + [UInt8](repeating: 0x11, count: 32)  // link: seq 1, hash
        expected += [0x00, 0x00, 0x00, 0x0d]  // payload length 13, u32 big-endian
        expected += Array(SHA256.hash(data: payload))  // payload hash: SHA-256, 32 bytes
        expected += [0x00, 0x00]  // extensions: u16 length 0

        #expect(expected.count == 129)
        #expect(signed(entry) == expected)
        #expect(entry.header.count == 129 + 64)
        #expect(entry.payload == payload)
        #expect(entry.encoded == expected + entry.signature + [0x01] + payload)  // payload flag 1, then the payload
        #expect(entry.withoutPayload.encoded == expected + entry.signature + [0x00])  // payload flag 0, nothing after
        #expect(entry.hash == EntryHash(of: expected + entry.signature))
    }

    @Test func goldenBytesOfTheFirstEntryAndOfExtensions() throws {
        let entry = signedEntry(
            by: try identity(5), content: .unknown(kind: EntryKind(rawValue: 9), payload: [0xAA]),
            extensions: [ExtensionField(type: 0x80, value: [0x01, 0x02]), ExtensionField(type: 0x05, value: [])])
        let bytes = signed(entry)
        #expect(bytes[Offset.linkCount] == 0)  // seq 1 links to nothing
        #expect(Array(bytes[Offset.payloadLength()..<Offset.payloadHash()]) == [0, 0, 0, 1])
        // u16 block length 8, then each field as type, u16 length, value, in the order given.
        #expect(Array(bytes[Offset.extensions()...]) == [0x00, 0x08, 0x80, 0x00, 0x02, 0x01, 0x02, 0x05, 0x00, 0x00])
        #expect(bytes.count == Offset.signature() + 8)
    }

    @Test func goldenBytesOfAReplyPayload() throws {
        let target = EntryRef(author: try identity(6).id, seq: 258, hash: try EntryHash(bytes: [UInt8](repeating: 0x22, count: 32)))
        let entry = signedEntry(by: try identity(5), content: try message(room: "a", body: "ok", replyTo: target))
        var payload: [UInt8] = [0x01]  // message flags: reply
        payload += [0x01, 0x61]  // room: u8 length 1, "a"
        payload += target.author.bytes  // reply author: 32 bytes
        payload += [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x02]  // reply seq 258, u64 big-endian
        payload += [UInt8](repeating: 0x22, count: 32)  // reply hash: 32 bytes
        payload += [0x00, 0x02, 0x6f, 0x6b]  // body: u16 length 2, "ok"

        #expect(entry.payload == payload)
        #expect(entry.payloadLength == 79)
        #expect(Array(entry.header[Offset.payloadLength()..<Offset.payloadHash()]) == [0x00, 0x00, 0x00, 0x4f])
    }

    @Test func goldenBytesOfAProfilePayload() throws {
        let entry = signedEntry(by: try identity(5), content: try EntryContent.profile(validating: "Bé", dmKey: nil))
        #expect(entry.kind == .profile)
        #expect(entry.kind.rawValue == 2)
        #expect(entry.payload == [0x03, 0x42, 0xc3, 0xa9])  // name: u8 length 3, "Bé" in UTF-8
    }

    @Test func headerSizeAndLimits() {
        #expect(Offset.signature() == 89)
        #expect(Limits.maxHeaderBytes == 89 + 8 * 40 + 1024 + 64)
        #expect(Limits.maxEntryBytes == Limits.maxHeaderBytes + 1 + 20 * 1024)
        #expect(Limits.maxBodyBytes == 16 * 1024)
        #expect(Entry.maxLinks == 8)
    }
}
