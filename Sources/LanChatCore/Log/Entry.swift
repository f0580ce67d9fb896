/// One signed record in an author's append-only log, unique by `(author, seq)`.
/// `encoded` is the canonical byte form; the signature covers exactly its bytes before the signature.
public struct Entry: Hashable, Sendable {
    public static let formatVersion: UInt8 = 1
    /// version, author, seq, timestamp, kind, payload length
    public static let headerBytes = 1 + AuthorID.byteCount + 8 + 8 + 1 + 4
    public static let signatureBytes = 64

    public let author: AuthorID
    public let seq: UInt64
    public let timestamp: HybridTimestamp
    public let kind: EntryKind
    public let payload: [UInt8]
    public let signature: [UInt8]
    /// The canonical bytes, kept as received or signed: stored and relayed without re-encoding.
    public let encoded: [UInt8]

    public var key: EntryKey { EntryKey(author: author, seq: seq) }

    /// Builds and signs a new entry of this node's own log.
    public static func sign(
        by identity: LocalIdentity, seq: UInt64, timestamp: HybridTimestamp, content: EntryContent
    ) -> Entry {
        let payload = content.encodedPayload()
        let signed = signedBytes(
            author: identity.id, seq: seq, timestamp: timestamp, kind: content.kind, payload: payload)
        let signature = identity.sign(signed)
        return Entry(
            author: identity.id, seq: seq, timestamp: timestamp, kind: content.kind,
            payload: payload, signature: signature, encoded: signed + signature)
    }

    /// Decodes and verifies: an entry that comes out of here is well formed and signed by its author.
    /// `verifySignature: false` is for bytes this node verified before storing them, and for sync
    /// batches whose signatures are checked together (on every core) before anything is stored.
    public static func decode<C: Collection<UInt8>>(_ bytes: C, verifySignature: Bool = true) throws(DecodeError) -> Entry {
        var reader = ByteReader(bytes)
        let entry = try decode(from: &reader, verifySignature: verifySignature)
        try reader.finish()
        return entry
    }

    /// Decodes one entry from a longer stream (a batch), verifying its signature.
    public static func decode(from reader: inout ByteReader, verifySignature: Bool = true) throws(DecodeError) -> Entry {
        let start = reader.offset
        let version = try reader.u8("version")
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        let author = try AuthorID(bytes: reader.raw(AuthorID.byteCount, "author"))
        let seq = try reader.u64("seq")
        // The top bit is reserved, as for timestamps: seqs are stored as SQLite's signed integers.
        guard seq >= 1, seq < 1 << 63 else { throw .invalid(field: "seq", reason: "must be 1 to 2^63-1") }
        let timestamp = HybridTimestamp(rawValue: try reader.u64("timestamp"))
        // The top bit is reserved: timestamps then sort the same as unsigned here and as signed in SQLite.
        guard timestamp.rawValue < 1 << 63 else { throw .invalid(field: "timestamp", reason: "beyond the year 6000") }
        let kind = EntryKind(rawValue: try reader.u8("kind"))
        let length = Int(try reader.u32("payload length"))
        let payload = try reader.sized(length, limit: Limits.maxPayloadBytes, "payload")
        let signature = try reader.raw(signatureBytes, "signature")
        let entry = Entry(
            author: author, seq: seq, timestamp: timestamp, kind: kind, payload: payload, signature: signature,
            encoded: reader.bytes(from: start))
        guard !verifySignature || entry.hasValidSignature else {
            throw .invalid(field: "signature", reason: "does not match the author's key")
        }
        // Known kinds must carry a valid payload; unknown kinds are kept opaque and relayed.
        _ = try entry.content()
        return entry
    }

    public var unsignedBytes: [UInt8] { Array(encoded.dropLast(Self.signatureBytes)) }

    /// Whether the author's key signed exactly these bytes. For entries decoded without the check
    /// (a batch verified on several cores), this is the check.
    public var hasValidSignature: Bool {
        author.isValidSignature(signature, for: encoded.dropLast(Self.signatureBytes))
    }

    public func content() throws(DecodeError) -> EntryContent {
        try EntryContent(kind: kind, payload: payload)
    }

    private static func signedBytes(
        author: AuthorID, seq: UInt64, timestamp: HybridTimestamp, kind: EntryKind, payload: [UInt8]
    ) -> [UInt8] {
        var writer = ByteWriter(capacity: headerBytes + payload.count + signatureBytes)
        writer.u8(formatVersion)
        writer.raw(author.bytes)
        writer.u64(seq)
        writer.u64(timestamp.rawValue)
        writer.u8(kind.rawValue)
        writer.u32(UInt32(payload.count))
        writer.raw(payload)
        return writer.bytes
    }
}

public struct EntryKey: Hashable, Comparable, Sendable {
    public let author: AuthorID
    public let seq: UInt64

    public init(author: AuthorID, seq: UInt64) {
        self.author = author
        self.seq = seq
    }

    /// `<author id>/<seq>`: the ID of a message in the CLI and the control protocol.
    public var text: String { "\(author.text)/\(seq)" }

    public init?(text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let author = AuthorID(text: String(parts[0])),
            parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber), !parts[1].hasPrefix("0"),
            let seq = UInt64(parts[1]), seq >= 1
        else { return nil }
        self.init(author: author, seq: seq)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.author, lhs.seq) < (rhs.author, rhs.seq)
    }
}

public struct EntryKind: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let message = EntryKind(rawValue: 1)
    public static let profile = EntryKind(rawValue: 2)
}
