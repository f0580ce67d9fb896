import LanChatCore

// Shared helpers for the Core tests: deterministic identities, entries and logs, and a hand-written
// encoder of the format 2 entry layout that does not go through ByteWriter, so tests can build any
// (also invalid) entry and sign it.

/// A deterministic identity: the seed is 32 copies of `n`.
func identity(_ n: UInt8) throws -> LocalIdentity {
    try LocalIdentity(seed: [UInt8](repeating: n, count: 32))
}

let defaultTimestamp: UInt64 = 1_700_000_000_000 << 16

func message(
    room: String = "general", body: String = "hello", replyTo: EntryRef? = nil
) throws -> EntryContent {
    .message(try EntryContent.Message(room: room, body: body, replyTo: replyTo))
}

func signedEntry(
    by author: LocalIdentity, seq: UInt64 = 1, timestamp: UInt64 = defaultTimestamp, links: [AuthorTip] = [],
    content: EntryContent, extensions: [ExtensionField] = []
) -> Entry {
    Entry.sign(by: author, seq: seq, timestamp: HybridTimestamp(rawValue: timestamp), links: links, content: content, extensions: extensions)
}

/// `count` entries of `author`'s log, each linking the one before: after `base` (a branch of its own
/// where another entry follows `base` too), or from seq 1. `tag` tells branches' payloads apart.
func chain(of author: LocalIdentity, after base: Entry? = nil, count: Int, tag: String = "") -> [Entry] {
    var entries: [Entry] = []
    var previous = base
    for _ in 0..<count {
        let seq = (previous?.seq ?? 0) + 1
        let entry = signedEntry(
            by: author, seq: seq, timestamp: (1_700_000_000_000 + seq) << 16, links: previous.map { [$0.tip] } ?? [],
            content: .profile(name: "n\(seq)\(tag)"))
        entries.append(entry)
        previous = entry
    }
    return entries
}

/// Entries `seqs` of `author`'s one consistent log (the same entries whichever range is asked for).
func log(of author: LocalIdentity, _ seqs: ClosedRange<UInt64>) -> [Entry] {
    Array(chain(of: author, count: Int(seqs.upperBound)).dropFirst(Int(seqs.lowerBound) - 1))
}

/// A position with a made-up hash: 32 copies of `hash`.
func tip(_ seq: UInt64, hash: UInt8 = 0xAB) -> AuthorTip {
    AuthorTip(seq: seq, hash: try! EntryHash(bytes: [UInt8](repeating: hash, count: EntryHash.byteCount)))
}

/// `value` as big-endian bytes.
func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
    (0..<T.bitWidth / 8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
}

/// Where the fields of a format 2 header without links begin (a link adds 40 bytes from `payloadLength` on).
enum Offset {
    static let version = 0, author = 1, seq = 33, timestamp = 41, kind = 49, linkCount = 50, links = 51
    /// Of an entry with `links` links.
    static func payloadLength(links: Int = 0) -> Int { 51 + 40 * links }
    static func payloadHash(links: Int = 0) -> Int { payloadLength(links: links) + 4 }
    static func extensions(links: Int = 0) -> Int { payloadHash(links: links) + 32 }
    /// The signed part's length, with an empty extension block.
    static func signature(links: Int = 0) -> Int { extensions(links: links) + 2 }
    static func payloadFlag(links: Int = 0) -> Int { signature(links: links) + 64 }
}

/// The signed part of a format 2 entry, laid out by hand: version, author, seq, timestamp, kind, u8 link
/// count and links (seq, hash), u32 payload length, payload hash, u16-prefixed extension block.
func signedPart(
    version: UInt8 = Entry.formatVersion, author: AuthorID, seq: UInt64 = 1, timestamp: UInt64 = defaultTimestamp,
    kind: UInt8, links: [AuthorTip] = [], payloadLength: UInt32, payloadHash: [UInt8], extensions: [UInt8] = []
) -> [UInt8] {
    [version] + author.bytes + bigEndian(seq) + bigEndian(timestamp) + [kind] + [UInt8(truncatingIfNeeded: links.count)]
        + links.flatMap { bigEndian($0.seq) + $0.hash.bytes } + bigEndian(payloadLength) + payloadHash
        + bigEndian(UInt16(extensions.count)) + extensions
}

/// A whole entry laid out by hand and signed by `signer` (by default the author itself): the signed
/// part, the signature, the payload flag and the payload. The length and hash are the payload's own
/// unless given.
func craftedEntry(
    author: LocalIdentity, signer: LocalIdentity? = nil, version: UInt8 = Entry.formatVersion, seq: UInt64 = 1,
    timestamp: UInt64 = defaultTimestamp, kind: UInt8, links: [AuthorTip] = [], payload: [UInt8], payloadHash: [UInt8]? = nil,
    extensions: [UInt8] = [], flag: UInt8 = 1
) -> [UInt8] {
    let signed = signedPart(
        version: version, author: author.id, seq: seq, timestamp: timestamp, kind: kind, links: links,
        payloadLength: UInt32(payload.count), payloadHash: payloadHash ?? EntryHash(of: payload).bytes, extensions: extensions)
    return signed + (signer ?? author).sign(signed) + [flag] + (flag == 1 ? payload : [])
}

/// Extension fields laid out by hand: type, u16 length, value.
func extensionBytes(_ fields: [(type: UInt8, value: [UInt8])]) -> [UInt8] {
    fields.flatMap { [$0.type] + bigEndian(UInt16($0.value.count)) + $0.value }
}

/// A message payload laid out by hand: flags, room (u8 length), optional reply (author, u64 seq, hash),
/// body (u16 length), then any extension fields.
func messagePayload(
    flags: UInt8? = nil, room: [UInt8] = Array("general".utf8), reply: EntryRef? = nil,
    body: [UInt8] = Array("hello".utf8), extensions: [UInt8] = []
) -> [UInt8] {
    var bytes = [flags ?? (reply == nil ? 0 : 1), UInt8(room.count)] + room
    if let reply { bytes += reply.author.bytes + bigEndian(reply.seq) + reply.hash.bytes }
    return bytes + bigEndian(UInt16(body.count)) + body + extensions
}

/// A profile payload laid out by hand: name with a u8 length.
func profilePayload(_ name: [UInt8]) -> [UInt8] {
    [UInt8(name.count)] + name
}

/// The error `Entry.decode` throws for these bytes, or nil when it accepts them.
func decodeFailure(_ bytes: [UInt8], verifySignature: Bool = true) -> DecodeError? {
    do {
        _ = try Entry.decode(bytes, verifySignature: verifySignature)
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

/// `entry` with one byte of its signed timestamp changed and nothing recomputed: its hash changes, its
/// signature no longer matches, and the entry after it no longer links to it.
func tampered(_ entry: Entry) throws -> Entry {
    var bytes = entry.encoded
    bytes[Offset.timestamp + 7] ^= 0x01
    return try Entry.decode(bytes, verifySignature: false)
}
