import LanChatCore
import Testing

@Suite("Entry round trip")
struct EntryRoundTripTests {
    /// Signs, encodes and decodes; the decoded entry must equal the original, byte for byte.
    private func roundTrip(_ content: EntryContent, seq: UInt64 = 7) throws {
        let entry = signedEntry(by: try identity(1), seq: seq, content: content)
        let decoded = try Entry.decode(entry.encoded)
        #expect(decoded == entry)
        #expect(decoded.encoded == entry.encoded)
        #expect(try decoded.content() == content)
        #expect(decoded.key == EntryKey(author: try identity(1).id, seq: seq))
    }

    @Test func messageWithoutReply() throws {
        try roundTrip(try message(room: "general", body: "hello, world ✓"))
    }

    @Test func messageWithReply() throws {
        let reply = EntryKey(author: try identity(2).id, seq: 42)
        try roundTrip(try message(room: "dev.ops_1-x", body: "yes", replyTo: reply))
    }

    @Test func messageAtTheSizeLimits() throws {
        let room = String(repeating: "r", count: Limits.maxRoomBytes)
        try roundTrip(try message(room: room, body: String(repeating: "b", count: Limits.maxBodyBytes)))
    }

    @Test func profile() throws {
        try roundTrip(try EntryContent.profile(validating: "Zoë (ops) 🚀"))
    }

    @Test func unknownKindIsKeptOpaqueAndReencodedIdentically() throws {
        let payload: [UInt8] = [0xff, 0x00, 0x13, 0x37, 0xc3]  // not valid for any known kind
        let author = try identity(3)
        let bytes = craftedEntry(author: author, seq: 5, kind: 9, payload: payload)
        let decoded = try Entry.decode(bytes)
        #expect(decoded.kind == EntryKind(rawValue: 9))
        #expect(try decoded.content() == .unknown(kind: EntryKind(rawValue: 9), payload: payload))
        #expect(decoded.encoded == bytes)

        try roundTrip(.unknown(kind: EntryKind(rawValue: 9), payload: payload))
    }

    @Test func decodeFromAStreamReadsEntriesOneAfterAnother() throws {
        let first = signedEntry(by: try identity(1), seq: 1, content: try message(body: "one"))
        let second = signedEntry(by: try identity(2), seq: 9, content: try EntryContent.profile(validating: "Bo"))
        var reader = ByteReader(first.encoded + second.encoded)
        #expect(try Entry.decode(from: &reader) == first)
        #expect(try Entry.decode(from: &reader) == second)
        #expect(reader.remaining == 0)
    }
}
