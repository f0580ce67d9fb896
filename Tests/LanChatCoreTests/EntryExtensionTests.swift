import LanChatCore
import Testing

/// Room to grow: typed, length-prefixed fields a later version adds. A node keeps the ones it does
/// not know, in headers (signed) and at the end of message and profile payloads (hashed), shows
/// what it knows, and relays the entry byte for byte.
@Suite("Entry extension fields")
struct EntryExtensionTests {
    static let author = try! identity(1)
    static let unknownFields = extensionBytes([(0x7E, [1, 2, 3]), (0xF0, [])])

    @Test func unknownHeaderFieldsAreKeptAndRelayedIdentically() throws {
        let bytes = craftedEntry(author: Self.author, kind: 1, payload: messagePayload(), extensions: Self.unknownFields)
        let entry = try Entry.decode(bytes)
        #expect(entry.extensions == [ExtensionField(type: 0x7E, value: [1, 2, 3]), ExtensionField(type: 0xF0, value: [])])
        #expect(entry.encoded == bytes)
        #expect(try entry.content() == message())
    }

    @Test func headerFieldsAreSigned() throws {
        let entry = signedEntry(by: Self.author, content: try message(), extensions: [ExtensionField(type: 0x7E, value: [1, 2, 3])])
        #expect(try Entry.decode(entry.encoded) == entry)
        var bytes = entry.encoded
        bytes[Offset.extensions() + 2 + 3] ^= 0x01  // the field's first value byte
        #expect(decodeFailure(bytes)?.invalidField == "signature")
    }

    @Test func malformedHeaderFieldsAreRefused() {
        let cut = craftedEntry(author: Self.author, kind: 1, payload: messagePayload(), extensions: [0x7E, 0x00, 0x05, 1])
        #expect(decodeFailure(cut) == .truncated(field: "extension value"))
        let oversized = craftedEntry(
            author: Self.author, kind: 1, payload: messagePayload(),
            extensions: extensionBytes([(1, [UInt8](repeating: 0, count: Entry.maxExtensionBytes - 2))]))
        #expect(decodeFailure(oversized) == .oversized(field: "extensions", size: Entry.maxExtensionBytes + 1, limit: Entry.maxExtensionBytes))
    }

    /// The field it does not know: a message from a later version decodes, shows its body, and its
    /// bytes re-encode (are stored and relayed) identically.
    @Test func aMessageCarryingAnUnknownPayloadFieldShowsItsBodyAndReencodesIdentically() throws {
        let reply = EntryRef(author: try identity(2).id, seq: 4, hash: EntryHash(of: [4]))
        let payload = messagePayload(reply: reply, body: Array("from the future".utf8), extensions: Self.unknownFields)
        let bytes = craftedEntry(author: Self.author, seq: 2, kind: 1, links: [tip(1)], payload: payload)
        let entry = try Entry.decode(bytes)
        #expect(try entry.content() == message(body: "from the future", replyTo: reply))
        #expect(entry.payload == payload)
        #expect(entry.encoded == bytes)
        #expect(try Entry.decode(entry.encoded) == entry)
    }

    @Test func aProfileCarryingAnUnknownPayloadFieldShowsItsName() throws {
        let bytes = craftedEntry(author: Self.author, kind: 2, payload: profilePayload(Array("Alice".utf8)) + Self.unknownFields)
        let entry = try Entry.decode(bytes)
        #expect(try entry.content() == .profile(name: "Alice"))
        #expect(entry.encoded == bytes)
    }
}
