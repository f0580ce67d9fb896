import LanChatCore
import Testing

/// The payload travels beside the signed header and is authenticated by its hash, so it can be
/// dropped (a delete, retention) while the entry still verifies and keeps its name.
@Suite("Entry payload")
struct EntryPayloadTests {
    static let author = try! identity(1)

    @Test func aPayloadThatDoesNotMatchItsSignedHashIsRefused() {
        let mismatch = DecodeError.invalid(field: "payload", reason: "does not match its signed hash")
        let otherHash = craftedEntry(author: Self.author, kind: 1, payload: messagePayload(), payloadHash: EntryHash(of: [1]).bytes)
        #expect(decodeFailure(otherHash) == mismatch)
        // A changed payload byte under a genuine signature: the hash, not the signature, catches it.
        var changed = craftedEntry(author: Self.author, kind: 1, payload: messagePayload())
        changed[changed.count - 1] ^= 0x01
        #expect(decodeFailure(changed) == mismatch)
        #expect(decodeFailure(changed, verifySignature: false) == mismatch)
    }

    @Test(arguments: [2 as UInt8, 255])
    func aPayloadFlagOtherThanZeroOrOneIsRefused(flag: UInt8) {
        var bytes = craftedEntry(author: Self.author, kind: 1, payload: messagePayload())
        bytes[Offset.payloadFlag()] = flag
        #expect(decodeFailure(bytes) == .invalid(field: "payload flag", reason: "must be 0 or 1"))
    }

    @Test func anEntryWithoutItsPayloadStillVerifiesAndKeepsItsHash() throws {
        let entry = signedEntry(by: Self.author, seq: 2, links: [tip(1)], content: try message(body: "to be deleted"))
        let dropped = entry.withoutPayload
        #expect(dropped.payload == nil)
        #expect(dropped.hash == entry.hash)
        #expect(dropped.header == entry.header)
        #expect(dropped.payloadLength == entry.payloadLength && dropped.payloadHash == entry.payloadHash)
        #expect(dropped.hasValidSignature)
        #expect(SignatureVerifier().verify([dropped]))
        #expect(dropped.encoded == entry.header + [0])
        let decoded = try Entry.decode(dropped.encoded)
        #expect(decoded == dropped)
        #expect(decoded.hash == entry.hash)
        #expect(throws: DecodeError.invalid(field: "payload", reason: "is not held")) { try decoded.content() }
    }

    @Test func aDroppedPayloadIsFollowedByNothing() {
        let bytes = craftedEntry(author: Self.author, kind: 1, payload: messagePayload(), flag: 0)
        #expect(decodeFailure(bytes) == nil)
        #expect(decodeFailure(bytes + messagePayload()) == .trailingBytes(count: messagePayload().count))
    }

    /// With its payload dropped an entry's content is not parsed: a header is all a node may hold of it.
    @Test func aDroppedPayloadIsNotParsed() {
        let invalidMessage = messagePayload(body: [])
        #expect(decodeFailure(craftedEntry(author: Self.author, kind: 1, payload: invalidMessage))?.invalidField == "body")
        #expect(decodeFailure(craftedEntry(author: Self.author, kind: 1, payload: invalidMessage, flag: 0)) == nil)
    }
}
