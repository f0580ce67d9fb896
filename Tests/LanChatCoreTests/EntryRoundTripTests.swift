import LanChatCore
import Testing

@Suite("Entry round trip")
struct EntryRoundTripTests {
    /// Signs, encodes and decodes; the decoded entry must equal the original, byte for byte.
    private func roundTrip(_ content: EntryContent, seq: UInt64 = 7) throws {
        let entry = signedEntry(by: try identity(1), seq: seq, links: [tip(seq - 1)], content: content)
        let decoded = try Entry.decode(entry.encoded)
        #expect(decoded == entry)
        #expect(decoded.encoded == entry.encoded)
        #expect(try decoded.content() == content)
        #expect(decoded.key == EntryKey(author: try identity(1).id, seq: seq))
        #expect(decoded.hash == entry.hash)
        #expect(decoded.links == [tip(seq - 1)])
    }

    @Test func messageWithoutReply() throws {
        try roundTrip(try message(room: "general", body: "hello, world ✓"))
    }

    @Test func messageWithReply() throws {
        let reply = EntryRef(author: try identity(2).id, seq: 42, hash: EntryHash(of: [42]))
        try roundTrip(try message(room: "dev.ops_1-x", body: "yes", replyTo: reply))
    }

    /// A reply names its target by author, seq and hash: two entries at one seq (a fork) are two targets.
    @Test func replyReferencesCarryTheHash() throws {
        let bob = try identity(2)
        let (left, right) = (chain(of: bob, count: 1, tag: "left")[0], chain(of: bob, count: 1, tag: "right")[0])
        #expect(left.key == right.key && left.hash != right.hash)
        let replies = try [left, right].map { target in
            try Entry.decode(signedEntry(by: try identity(1), content: try message(body: "re", replyTo: target.ref)).encoded)
        }
        let targets = try replies.map { reply -> EntryRef? in
            guard case .message(let message) = try reply.content() else { return nil }
            return message.replyTo
        }
        #expect(targets == [left.ref, right.ref])
        #expect(targets.map { $0?.key } == [left.key, left.key])
    }

    @Test func messageAtTheSizeLimits() throws {
        let room = String(repeating: "r", count: Limits.maxRoomBytes)
        try roundTrip(try message(room: room, body: String(repeating: "b", count: Limits.maxBodyBytes)))
    }

    @Test func profile() throws {
        try roundTrip(try EntryContent.profile(validating: "Zoë (ops) 🚀", dmKey: nil))
    }

    @Test func unknownKindIsKeptOpaqueAndReencodedIdentically() throws {
        let payload: [UInt8] = [0xff, 0x00, 0x13, 0x37, 0xc3]  // not valid for any known kind
        let author = try identity(3)
        let bytes = craftedEntry(author: author, seq: 5, kind: 9, links: [tip(4)], payload: payload)
        let decoded = try Entry.decode(bytes)
        #expect(decoded.kind == EntryKind(rawValue: 9))
        #expect(try decoded.content() == .unknown(kind: EntryKind(rawValue: 9), payload: payload))
        #expect(decoded.encoded == bytes)

        try roundTrip(.unknown(kind: EntryKind(rawValue: 9), payload: payload))
    }

    @Test func decodeFromAStreamReadsEntriesOneAfterAnother() throws {
        let first = signedEntry(by: try identity(1), seq: 1, content: try message(body: "one"))
        let second = signedEntry(by: try identity(2), seq: 9, links: [tip(8)], content: try EntryContent.profile(validating: "Bo", dmKey: nil))
        var reader = ByteReader(first.encoded + second.encoded)
        #expect(try Entry.decode(from: &reader) == first)
        #expect(try Entry.decode(from: &reader) == second)
        #expect(reader.remaining == 0)
    }
}
