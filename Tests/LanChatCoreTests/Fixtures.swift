import LanChatCore

// Shared helpers for the Core tests: deterministic identities, entries, and a hand-written encoder
// of the version 1 entry layout that does not go through ByteWriter, so tests can build any
// (also invalid) entry and sign it.

/// A deterministic identity: the seed is 32 copies of `n`.
func identity(_ n: UInt8) throws -> LocalIdentity {
    try LocalIdentity(seed: [UInt8](repeating: n, count: 32))
}

func message(
    room: String = "general", body: String = "hello", replyTo: EntryKey? = nil
) throws -> EntryContent {
    .message(try EntryContent.Message(room: room, body: body, replyTo: replyTo))
}

func signedEntry(
    by author: LocalIdentity, seq: UInt64 = 1, timestamp: UInt64 = 1_700_000_000_000 << 16,
    content: EntryContent
) -> Entry {
    Entry.sign(by: author, seq: seq, timestamp: HybridTimestamp(rawValue: timestamp), content: content)
}

/// `value` as big-endian bytes.
func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    (0..<T.bitWidth / 8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}

/// version, author, seq, timestamp, kind, payload length: the header of format version 1.
func entryHeader(
    version: UInt8 = 1, author: AuthorID, seq: UInt64 = 1, timestamp: UInt64 = 1_700_000_000_000 << 16,
    kind: UInt8, payloadLength: UInt32
) -> [UInt8] {
    [version] + author.bytes + bigEndian(seq) + bigEndian(timestamp) + [kind] + bigEndian(payloadLength)
}

/// An entry laid out by hand and signed by `signer` (by default the author itself).
func craftedEntry(
    author: LocalIdentity, signer: LocalIdentity? = nil, version: UInt8 = 1, seq: UInt64 = 1,
    timestamp: UInt64 = 1_700_000_000_000 << 16, kind: UInt8, payload: [UInt8]
) -> [UInt8] {
    let unsigned = entryHeader(
        version: version, author: author.id, seq: seq, timestamp: timestamp, kind: kind,
        payloadLength: UInt32(payload.count)) + payload
    return unsigned + (signer ?? author).sign(unsigned)
}

/// A message payload laid out by hand: flags, room (u8 length), optional reply (author, u64 seq), body (u16 length).
func messagePayload(
    flags: UInt8? = nil, room: [UInt8] = Array("general".utf8), reply: EntryKey? = nil,
    body: [UInt8] = Array("hello".utf8)
) -> [UInt8] {
    var bytes = [flags ?? (reply == nil ? 0 : 1), UInt8(room.count)] + room
    if let reply { bytes += reply.author.bytes + bigEndian(reply.seq) }
    return bytes + bigEndian(UInt16(body.count)) + body
}

/// A profile payload laid out by hand: name with a u8 length.
func profilePayload(_ name: [UInt8]) -> [UInt8] {
    [UInt8(name.count)] + name
}

/// The error `Entry.decode` throws for these bytes, or nil when it accepts them.
func decodeFailure(_ bytes: [UInt8]) -> DecodeError? {
    do {
        _ = try Entry.decode(bytes)
        return nil
    } catch {
        return error
    }
}

extension DecodeError {
    /// The field of an `.invalid` error, so tests need not repeat the human-readable reason.
    var invalidField: String? {
        if case .invalid(let field, _) = self { field } else { nil }
    }
}

extension SplitMix64 {
    /// `count` random bytes (SplitMix64 is LanChatCore's seeded generator).
    mutating func bytes(count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &self) }
    }
}
