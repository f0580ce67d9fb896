import LanChatCore
import Testing

/// Every way `Entry.decode` refuses malformed input, each checked against a baseline that decodes.
@Suite("Entry decode rejections")
struct EntryRejectionTests {
    let author: LocalIdentity
    let valid: [UInt8]

    init() throws {
        author = try identity(1)
        valid = craftedEntry(author: author, kind: 1, payload: messagePayload())
        #expect(decodeFailure(valid) == nil)
    }

    /// Where the fields end in an entry at seq 1 (no links, no extensions) carrying a 16-byte message.
    @Test(arguments: [
        (0, "version"), (1, "author"), (32, "author"), (33, "seq"), (40, "seq"), (41, "timestamp"),
        (49, "kind"), (50, "link count"), (51, "payload length"), (54, "payload length"), (55, "payload hash"),
        (86, "payload hash"), (87, "extensions length"), (88, "extensions length"), (89, "signature"),
        (152, "signature"), (153, "payload flag"), (154, "payload"), (169, "payload"),
    ])
    func truncated(length: Int, field: String) {
        #expect(valid.count == 170)
        #expect(decodeFailure(Array(valid.prefix(length))) == .truncated(field: field))
    }

    @Test func truncatedInALink() {
        let bytes = craftedEntry(author: author, seq: 2, kind: 1, links: [tip(1)], payload: messagePayload())
        #expect(decodeFailure(bytes) == nil)
        #expect(decodeFailure(Array(bytes.prefix(Offset.links))) == .truncated(field: "link seq"))
        #expect(decodeFailure(Array(bytes.prefix(Offset.links + 8))) == .truncated(field: "link hash"))
        #expect(decodeFailure(Array(bytes.prefix(Offset.links + 39))) == .truncated(field: "link hash"))
        #expect(decodeFailure(Array(bytes.prefix(Offset.payloadLength(links: 1)))) == .truncated(field: "payload length"))
    }

    @Test func trailingBytes() {
        #expect(decodeFailure(valid + [0]) == .trailingBytes(count: 1))
        #expect(decodeFailure(valid + valid) == .trailingBytes(count: valid.count))
    }

    @Test(arguments: [0 as UInt8, 3, 255])
    func unsupportedVersion(version: UInt8) {
        let bytes = craftedEntry(author: author, version: version, kind: 1, payload: messagePayload())
        #expect(decodeFailure(bytes) == .unsupportedVersion(version))
    }

    /// A genuine entry of format 1 (signed header and payload, then the signature) is refused by name.
    @Test func formatOneIsRefusedWithAClearError() {
        let payload = messagePayload()
        let unsigned = [1] + author.id.bytes + bigEndian(UInt64(1)) + bigEndian(defaultTimestamp) + [1]
            + bigEndian(UInt32(payload.count)) + payload
        let formatOne = unsigned + author.sign(unsigned)
        let expected = DecodeError.invalid(field: "version", reason: "format 1 (before hash-linked logs) is no longer read")
        #expect(decodeFailure(formatOne) == expected)
        #expect(decodeFailure(formatOne, verifySignature: false) == expected)
    }

    @Test(arguments: [0, 1 << 63, UInt64.max])
    func seqOutsideOneTo2To63(seq: UInt64) {
        let bytes = craftedEntry(author: author, seq: seq, kind: 1, payload: messagePayload())
        #expect(decodeFailure(bytes)?.invalidField == "seq")
    }

    @Test func payloadLengthOverTheLimitIsRefusedBeforeReading() {
        // A header claiming a 4 GB payload and nothing after it: the length must be refused as
        // oversized (not as truncated, which would mean the decoder tried to read on first).
        let header = Array(signedPart(author: author.id, kind: 1, payloadLength: .max, payloadHash: []).prefix(Offset.payloadHash()))
        #expect(decodeFailure(header) == .oversized(field: "payload", size: Int(UInt32.max), limit: Limits.maxPayloadBytes))

        let justOver = Array(signedPart(author: author.id, kind: 9, payloadLength: UInt32(Limits.maxPayloadBytes + 1), payloadHash: [])
            .prefix(Offset.payloadHash()))
        #expect(decodeFailure(justOver) == .oversized(field: "payload", size: Limits.maxPayloadBytes + 1, limit: Limits.maxPayloadBytes))
    }

    @Test func payloadAtTheLimitIsAccepted() {
        let bytes = craftedEntry(author: author, kind: 9, payload: [UInt8](repeating: 7, count: Limits.maxPayloadBytes))
        #expect(decodeFailure(bytes) == nil)
    }

    /// Most links, the largest extension block and the largest payload: exactly `maxEntryBytes`.
    @Test func theLargestEntryIsAcceptedAndFillsTheLimit() {
        let extensions = extensionBytes([(0x80, [UInt8](repeating: 1, count: Entry.maxExtensionBytes - 3))])
        let bytes = craftedEntry(
            author: author, seq: 9, kind: 9, links: (1...8).map { tip($0) },
            payload: [UInt8](repeating: 7, count: Limits.maxPayloadBytes), extensions: extensions)
        #expect(bytes.count == Limits.maxEntryBytes)
        #expect(decodeFailure(bytes) == nil)
    }

    @Test(arguments: [("timestamp", 41 + 7), ("signature", 89 + 63), ("kind", 49), ("author", 1 + 31)])
    func oneFlippedBitBreaksTheSignature(what: String, offset: Int) {
        var bytes = valid
        bytes[offset] ^= 0x01
        let failure = decodeFailure(bytes)
        // A flipped author bit may also give a byte string that is no Ed25519 key at all: still a bad signature.
        #expect(failure?.invalidField == "signature", "flipping a bit in the \(what) gave \(String(describing: failure))")
    }

    @Test func signatureByAnotherKey() throws {
        let bytes = craftedEntry(author: author, signer: try identity(2), kind: 1, payload: messagePayload())
        #expect(decodeFailure(bytes)?.invalidField == "signature")
    }

    @Test func signatureCheckCanBeSkippedOnlyOnRequest() throws {
        let bytes = craftedEntry(author: author, signer: try identity(2), kind: 1, payload: messagePayload())
        #expect(throws: Never.self) { try Entry.decode(bytes, verifySignature: false) }
    }

    /// A message payload signed correctly, so only the content rules can refuse it.
    private func failure(ofMessage payload: [UInt8]) -> DecodeError? {
        decodeFailure(craftedEntry(author: author, kind: 1, payload: payload))
    }

    @Test func bodyOver16KiB() {
        let body = [UInt8](repeating: 0x61, count: Limits.maxBodyBytes + 1)
        #expect(failure(ofMessage: messagePayload(body: body)) == .oversized(field: "body", size: Limits.maxBodyBytes + 1, limit: Limits.maxBodyBytes))
        #expect(failure(ofMessage: messagePayload(body: Array(body.dropLast()))) == nil)
    }

    @Test func emptyBody() {
        #expect(failure(ofMessage: messagePayload(body: []))?.invalidField == "body")
    }

    @Test(arguments: ["", "General", "a b", "café", "a/b", "ro\u{0}om", "#chat"])
    func invalidRoomName(room: String) {
        #expect(failure(ofMessage: messagePayload(room: Array(room.utf8)))?.invalidField == "room")
    }

    @Test func roomNameOver64Bytes() {
        let room = [UInt8](repeating: 0x72, count: Limits.maxRoomBytes + 1)
        #expect(failure(ofMessage: messagePayload(room: room)) == .oversized(field: "room", size: 65, limit: 64))
    }

    @Test(arguments: [[0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0x68, 0xe2, 0x82]] as [[UInt8]])
    func invalidUTF8Body(body: [UInt8]) {
        #expect(failure(ofMessage: messagePayload(body: body)) == .invalid(field: "body", reason: "not valid UTF-8"))
    }

    @Test(arguments: [0x02, 0x80, 0xff] as [UInt8])
    func unknownMessageFlagBits(flags: UInt8) {
        #expect(failure(ofMessage: messagePayload(flags: flags))?.invalidField == "message flags")
    }

    /// Bytes after the body must be well-formed extension fields (see `EntryExtensionTests`).
    @Test func aTrailingByteInsideAMessagePayloadIsNoField() {
        #expect(failure(ofMessage: messagePayload() + [0]) == .truncated(field: "extension length"))
        #expect(failure(ofMessage: messagePayload() + [0, 0, 2, 9]) == .truncated(field: "extension value"))
    }

    @Test func truncatedMessagePayload() {
        let payload = messagePayload(body: Array("hello".utf8))
        #expect(failure(ofMessage: Array(payload.dropLast())) == .truncated(field: "body"))
        #expect(failure(ofMessage: [0]) == .truncated(field: "room length"))
        #expect(failure(ofMessage: []) == .truncated(field: "message flags"))
    }

    @Test func replyFlagWithoutReplyKey() {
        // Flag 1 says a reply reference follows; here the body length comes where the author should be.
        #expect(failure(ofMessage: messagePayload(flags: 1)) == .truncated(field: "reply author"))
    }

    /// A profile payload signed correctly, so only the name rules can refuse it.
    private func failure(ofProfile name: String) -> DecodeError? {
        decodeFailure(craftedEntry(author: author, kind: 2, payload: profilePayload(Array(name.utf8))))
    }

    @Test(arguments: ["Al\nice", "Al\u{7}ice", "tab\there", "Al\u{200B}ice", "Al\u{2028}ice", "\u{1B}[31mred"])
    func profileNameWithControlCharacters(name: String) {
        #expect(failure(ofProfile: name)?.invalidField == "name")
    }

    @Test func profileNameLength() {
        #expect(failure(ofProfile: String(repeating: "n", count: Limits.maxNameCharacters)) == nil)
        #expect(failure(ofProfile: String(repeating: "n", count: Limits.maxNameCharacters + 1))?.invalidField == "name")
        // Characters, not bytes: 64 two-byte characters are fine.
        #expect(failure(ofProfile: String(repeating: "é", count: Limits.maxNameCharacters)) == nil)
        #expect(failure(ofProfile: "")?.invalidField == "name")
    }

    @Test(arguments: [" Alice", "Alice ", "\u{A0}Alice", " "])
    func profileNameWithOuterSpace(name: String) {
        #expect(failure(ofProfile: name)?.invalidField == "name")
    }

    @Test func aTrailingByteInsideAProfilePayloadIsNoField() {
        let payload = profilePayload(Array("Alice".utf8)) + [0x21]
        #expect(decodeFailure(craftedEntry(author: author, kind: 2, payload: payload)) == .truncated(field: "extension length"))
    }

    @Test func localWritesObeyTheSameRules() {
        #expect(throws: DecodeError.self) { try EntryContent.Message(room: "General", body: "x") }
        #expect(throws: DecodeError.self) { try EntryContent.Message(room: "general", body: "") }
        #expect(throws: DecodeError.oversized(field: "body", size: Limits.maxBodyBytes + 1, limit: Limits.maxBodyBytes)) {
            try EntryContent.Message(room: "general", body: String(repeating: "x", count: Limits.maxBodyBytes + 1))
        }
        #expect(throws: DecodeError.self) { try EntryContent.profile(validating: " Alice", dmKey: nil) }
        #expect(throws: DecodeError.self) { try EntryContent.profile(validating: "A\nB", dmKey: nil) }
    }
}
