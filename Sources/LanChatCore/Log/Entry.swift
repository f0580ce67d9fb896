/// One signed record in an author's append-only, hash-linked log.
///
/// An entry has two parts. The **header** is signed: author, seq, timestamp, kind, links to the
/// author's previous entries (their seqs and hashes), the payload's length and SHA-256, and optional
/// extension fields. The **payload** travels beside it and is authenticated by its hash, not signed
/// directly, so a node can drop it (a delete, retention) while the log still verifies. An entry is
/// named by the hash of its header (`hash`): two entries of one author at one seq (a fork) are two
/// entries, never one.
public struct Entry: Hashable, Sendable {
    public static let formatVersion: UInt8 = 2
    public static let signatureBytes = 64
    /// Bytes of the smallest entry there can be: no links, no extensions, no payload.
    public static let smallestEncoding = 1 + AuthorID.byteCount + 8 + 8 + 1 + 1 + 4 + EntryHash.byteCount + 2 + signatureBytes + 1
    /// Links at most: one for an ordinary entry, one per tip for a merge of a forked log.
    public static let maxLinks = SyncVector.maxTipsPerAuthor
    public static let maxExtensionBytes = 1024

    public let author: AuthorID
    public let seq: UInt64
    public let timestamp: HybridTimestamp
    public let kind: EntryKind
    /// The author's entries this one follows, ascending: none at seq 1, else the entry at seq − 1 and,
    /// for a merge, every other tip the author held.
    public let links: [AuthorTip]
    public let payloadLength: Int
    public let payloadHash: EntryHash
    /// Typed, length-prefixed fields a later version may add; kept (and signed) as they came.
    public let extensions: [ExtensionField]
    /// The signed bytes and the signature, as received or signed: stored and relayed without re-encoding.
    public let header: [UInt8]
    /// Nil when this node dropped it (or never had it); the header still verifies.
    public let payload: [UInt8]?
    public let hash: EntryHash
    /// The payload as read when the entry was decoded or signed: a sync decodes it once, to check it,
    /// and the store reads it again for every entry it inserts. Boxed, so copying an entry copies one
    /// reference, not each string inside.
    private let decoded: DecodedContent?

    /// The last `signatureBytes` of the header.
    public var signature: [UInt8] { Array(header.suffix(Self.signatureBytes)) }

    public var key: EntryKey { EntryKey(author: author, seq: seq) }
    public var ref: EntryRef { EntryRef(author: author, seq: seq, hash: hash) }
    public var tip: AuthorTip { AuthorTip(seq: seq, hash: hash) }

    /// Wire and storage form: the header, then a byte saying whether the payload follows, then it.
    public var encoded: [UInt8] {
        guard let payload else { return header + [0] }
        return header + [1] + payload
    }

    /// Builds and signs a new entry of this node's own log.
    public static func sign(
        by identity: LocalIdentity, seq: UInt64, timestamp: HybridTimestamp, links: [AuthorTip] = [],
        content: EntryContent, extensions: [ExtensionField] = []
    ) -> Entry {
        let payload = content.encodedPayload()
        var writer = ByteWriter(capacity: 160 + payload.count)
        writer.u8(formatVersion)
        writer.raw(identity.id.bytes)
        writer.u64(seq)
        writer.u64(timestamp.rawValue)
        writer.u8(content.kind.rawValue)
        let links = links.sorted()
        writer.u8(UInt8(links.count))
        for link in links {
            writer.u64(link.seq)
            writer.raw(link.hash.bytes)
        }
        writer.u32(UInt32(payload.count))
        let payloadHash = EntryHash(of: payload)
        writer.raw(payloadHash.bytes)
        ExtensionField.encode(extensions, into: &writer)
        writer.raw(identity.sign(writer.bytes))
        return Entry(
            author: identity.id, seq: seq, timestamp: timestamp, kind: content.kind, links: links,
            payloadLength: payload.count, payloadHash: payloadHash, extensions: extensions, header: writer.bytes, payload: payload,
            decoded: DecodedContent(content))
    }

    private init(
        author: AuthorID, seq: UInt64, timestamp: HybridTimestamp, kind: EntryKind, links: [AuthorTip], payloadLength: Int,
        payloadHash: EntryHash, extensions: [ExtensionField], header: [UInt8], payload: [UInt8]?, decoded: DecodedContent?
    ) {
        self.author = author
        self.seq = seq
        self.timestamp = timestamp
        self.kind = kind
        self.links = links
        self.payloadLength = payloadLength
        self.payloadHash = payloadHash
        self.extensions = extensions
        self.header = header
        self.payload = payload
        self.decoded = decoded
        hash = EntryHash(of: header)
    }

    /// The same entry without its payload: what a node keeps of a deleted or expired message.
    public var withoutPayload: Entry {
        Entry(
            author: author, seq: seq, timestamp: timestamp, kind: kind, links: links, payloadLength: payloadLength,
            payloadHash: payloadHash, extensions: extensions, header: header, payload: nil, decoded: nil)
    }

    /// Decodes one entry in wire form (header, payload flag, payload) and checks everything but the
    /// signature unless asked: format, ranges, links, and that the payload matches its signed hash.
    /// `verifySignature: false` is for bytes this node verified before storing them, and for sync
    /// batches whose signatures (or hash chains) are checked together before anything is stored.
    public static func decode<C: Collection<UInt8>>(_ bytes: C, verifySignature: Bool = true) throws(DecodeError) -> Entry {
        var reader = ByteReader(bytes)
        let entry = try decode(from: &reader, verifySignature: verifySignature)
        try reader.finish()
        return entry
    }

    public static func decode(from reader: inout ByteReader, verifySignature: Bool = true) throws(DecodeError) -> Entry {
        let start = reader.offset
        let version = try reader.u8("version")
        guard version == formatVersion else {
            throw version == 1
                ? .invalid(field: "version", reason: "format 1 (before hash-linked logs) is no longer read") : .unsupportedVersion(version)
        }
        let author = try AuthorID(bytes: reader.raw(AuthorID.byteCount, "author"))
        let seq = try reader.u64("seq")
        // The top bit is reserved, as for timestamps: seqs are stored as SQLite's signed integers.
        guard seq >= 1, seq < 1 << 63 else { throw .invalid(field: "seq", reason: "must be 1 to 2^63-1") }
        let timestamp = HybridTimestamp(rawValue: try reader.u64("timestamp"))
        // The top bit is reserved: timestamps then sort the same as unsigned here and as signed in SQLite.
        guard timestamp.rawValue < 1 << 63 else { throw .invalid(field: "timestamp", reason: "beyond the year 6000") }
        let kind = EntryKind(rawValue: try reader.u8("kind"))
        let links = try decodeLinks(from: &reader, seq: seq)
        let payloadLength = Int(try reader.u32("payload length"))
        guard payloadLength <= Limits.maxPayloadBytes else {
            throw .oversized(field: "payload", size: payloadLength, limit: Limits.maxPayloadBytes)
        }
        let payloadHash = try EntryHash(bytes: reader.raw(EntryHash.byteCount, "payload hash"))
        let extensions = try ExtensionField.decode(from: &reader)
        _ = try reader.raw(signatureBytes, "signature")
        let header = reader.bytes(from: start)
        let payload: [UInt8]?
        switch try reader.u8("payload flag") {
        case 0: payload = nil
        case 1:
            let bytes = try reader.raw(payloadLength, "payload")
            guard EntryHash(of: bytes) == payloadHash else {
                throw .invalid(field: "payload", reason: "does not match its signed hash")
            }
            payload = bytes
        default: throw .invalid(field: "payload flag", reason: "must be 0 or 1")
        }
        // Known kinds must carry a valid payload; unknown kinds are kept opaque and relayed.
        var decoded: DecodedContent?
        if let payload { decoded = DecodedContent(try EntryContent(kind: kind, payload: payload)) }
        let entry = Entry(
            author: author, seq: seq, timestamp: timestamp, kind: kind, links: links, payloadLength: payloadLength,
            payloadHash: payloadHash, extensions: extensions, header: header, payload: payload, decoded: decoded)
        guard !verifySignature || entry.hasValidSignature else {
            throw .invalid(field: "signature", reason: "does not match the author's key")
        }
        return entry
    }

    /// Links ascending, all below the entry's seq, the highest exactly one below it.
    private static func decodeLinks(from reader: inout ByteReader, seq: UInt64) throws(DecodeError) -> [AuthorTip] {
        let count = Int(try reader.u8("link count"))
        guard count <= maxLinks else { throw .oversized(field: "links", size: count, limit: maxLinks) }
        guard (seq == 1) == (count == 0) else {
            throw .invalid(field: "links", reason: seq == 1 ? "the first entry links to nothing" : "an entry after the first links to its predecessor")
        }
        var links: [AuthorTip] = []
        for _ in 0..<count {
            let linkSeq = try reader.u64("link seq")
            let link = AuthorTip(seq: linkSeq, hash: try EntryHash(bytes: reader.raw(EntryHash.byteCount, "link hash")))
            guard linkSeq >= 1, linkSeq < seq else { throw .invalid(field: "link seq", reason: "must be below the entry's seq") }
            if let last = links.last, !(last < link) { throw .invalid(field: "links", reason: "must be strictly ascending") }
            links.append(link)
        }
        if let last = links.last, last.seq != seq - 1 {
            throw .invalid(field: "links", reason: "must include the entry at seq \(seq - 1)")
        }
        return links
    }

    /// Whether the author's key signed exactly this header. For entries decoded without the check
    /// (a batch verified on several cores), this is the check.
    public var hasValidSignature: Bool {
        author.isValidSignature(signature, for: header.dropLast(Self.signatureBytes))
    }

    /// What the payload says; `.unknown` for kinds this version does not read. Throws if the payload
    /// was dropped.
    public func content() throws(DecodeError) -> EntryContent {
        guard let payload else { throw .invalid(field: "payload", reason: "is not held") }
        if let decoded { return decoded.content }
        return try EntryContent(kind: kind, payload: payload)
    }

    /// Two entries are equal when their bytes are: the header fixes every signed field, the payload the rest.
    public static func == (lhs: Entry, rhs: Entry) -> Bool {
        lhs.hash == rhs.hash && lhs.header == rhs.header && lhs.payload == rhs.payload
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(hash)
        hasher.combine(payload)
    }
}

private final class DecodedContent: Sendable {
    let content: EntryContent

    init(_ content: EntryContent) {
        self.content = content
    }
}

/// An entry's seq without its hash: enough where a log has not forked, and what people type
/// (`<author>/<seq>`).
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
            let seq = UInt64(parts[1]), seq >= 1, seq < 1 << 63
        else { return nil }
        self.init(author: author, seq: seq)
    }

    public static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.author, lhs.seq) < (rhs.author, rhs.seq)
    }
}

/// An entry named without ambiguity, also in a forked log: what replies (and later edits, deletes and
/// links) point at. People see and type the `EntryKey` form; the daemon resolves it to this.
public struct EntryRef: Hashable, Sendable {
    public let author: AuthorID
    public let seq: UInt64
    public let hash: EntryHash

    public init(author: AuthorID, seq: UInt64, hash: EntryHash) {
        self.author = author
        self.seq = seq
        self.hash = hash
    }

    public var key: EntryKey { EntryKey(author: author, seq: seq) }

    func encode(into writer: inout ByteWriter) {
        writer.raw(author.bytes)
        writer.u64(seq)
        writer.raw(hash.bytes)
    }

    static func decode(from reader: inout ByteReader, _ field: String) throws(DecodeError) -> EntryRef {
        let author = try AuthorID(bytes: reader.raw(AuthorID.byteCount, "\(field) author"))
        let seq = try reader.u64("\(field) seq")
        guard seq >= 1, seq < 1 << 63 else { throw .invalid(field: "\(field) seq", reason: "must be 1 to 2^63-1") }
        return EntryRef(author: author, seq: seq, hash: try EntryHash(bytes: reader.raw(EntryHash.byteCount, "\(field) hash")))
    }
}

public struct EntryKind: RawRepresentable, Hashable, Sendable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let message = EntryKind(rawValue: 1)
    public static let profile = EntryKind(rawValue: 2)
    public static let delete = EntryKind(rawValue: 3)
    public static let edit = EntryKind(rawValue: 4)
    public static let directMessage = EntryKind(rawValue: 5)
    public static let link = EntryKind(rawValue: 6)
    public static let unlink = EntryKind(rawValue: 7)
}
