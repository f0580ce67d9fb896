/// One position in an author's log: a seq and the hash of the entry at that seq.
public struct AuthorTip: Hashable, Comparable, Sendable {
    public let seq: UInt64
    public let hash: EntryHash

    public init(seq: UInt64, hash: EntryHash) {
        self.seq = seq
        self.hash = hash
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { (lhs.seq, lhs.hash) < (rhs.seq, rhs.hash) }
}

/// What one node holds of every author, as exchanged at the start of a sync: each author's tips.
/// A healthy log has one tip (its contiguous head); an author that forked its log (a restored backup,
/// one key on two machines) can have several, each a (seq, hash), so two nodes holding different
/// entries at the same seq see that they differ.
public struct SyncVector: Equatable, Sendable {
    /// Authors in one vector at most: with one tip each, a vector fits one sync frame.
    public static let maxAuthors = 12_000
    /// Tips per author at most; a forking author cannot grow a vector without limit.
    public static let maxTipsPerAuthor = 8

    /// Tips of each author, ascending, never empty.
    public private(set) var tips: [AuthorID: [AuthorTip]]

    /// Keeps the highest `maxTipsPerAuthor` tips of each author, so every vector encodes.
    public init(_ tips: [AuthorID: [AuthorTip]] = [:]) {
        self.tips = tips.filter { !$0.value.isEmpty }.mapValues { Array(Array(Set($0)).sorted().suffix(Self.maxTipsPerAuthor)) }
    }

    /// The usual case: one tip per author.
    public init(heads: [AuthorID: AuthorTip]) {
        tips = heads.mapValues { [$0] }
    }

    /// The author's log now stands at these tips (none: the author is not held).
    public mutating func setTips(of author: AuthorID, to authorTips: [AuthorTip]) {
        tips[author] = authorTips.isEmpty ? nil : Array(Array(Set(authorTips)).sorted().suffix(Self.maxTipsPerAuthor))
    }

    /// The highest seq held of the author, 0 if none.
    public func highestSeq(of author: AuthorID) -> UInt64 { tips[author]?.last?.seq ?? 0 }

    /// What `other` lacks that this vector holds: for each author whose highest seq here is beyond
    /// other's, the seq other holds up to. In author order, so both ends of a sync agree on it.
    public func missing(in other: SyncVector) -> [(author: AuthorID, after: UInt64)] {
        tips.compactMap { author, mine in
            let theirs = other.highestSeq(of: author)
            return mine.last!.seq > theirs ? (author, theirs) : nil  // tips are never empty
        }.sorted { $0.author < $1.author }
    }

    public func encode(into writer: inout ByteWriter) { TipsCodec.encode(tips, into: &writer) }

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> SyncVector {
        SyncVector(try TipsCodec.decode(from: &reader, maxAuthors: maxAuthors, maxPerAuthor: maxTipsPerAuthor))
    }

    /// The digest sent in every ping and ack: eight bytes that differ, with overwhelming likelihood,
    /// whenever two vectors differ, also when they differ only in a hash (a fork). A sum of one term
    /// per author, so that a change of one author's tips updates it in O(1) (`digestTerm`).
    public var digest: UInt64 { tips.reduce(0) { $0 &+ Self.digestTerm($1.key, $1.value) } }

    /// One author's share of the digest: the first eight bytes of SHA-256 over the author and its tips
    /// as the vector encodes them; 0 for an author not held.
    public static func digestTerm(_ author: AuthorID, _ tips: [AuthorTip]) -> UInt64 {
        guard !tips.isEmpty else { return 0 }
        var writer = ByteWriter(capacity: AuthorID.byteCount + 1 + tips.count * 40)
        TipsCodec.encodeTips(of: author, tips, into: &writer)
        return EntryHash(of: writer.bytes).prefix64
    }

    /// A size hint sent with the digest: the sum of each author's highest seq.
    public var total: UInt64 { tips.values.reduce(0) { $0 &+ ($1.last?.seq ?? 0) } }
}

/// Maps of author to positions on the wire: the sync vector, and the checkpoints of a fork search.
/// Authors strictly ascending and each author's positions strictly ascending, so each map has one
/// encoding.
enum TipsCodec {
    static func encode(_ tips: [AuthorID: [AuthorTip]], into writer: inout ByteWriter) {
        writer.u32(UInt32(tips.count))
        for (author, authorTips) in tips.sorted(by: { $0.key < $1.key }) {
            encodeTips(of: author, authorTips, into: &writer)
        }
    }

    static func encodeTips(of author: AuthorID, _ tips: [AuthorTip], into writer: inout ByteWriter) {
        writer.raw(author.bytes)
        writer.u8(UInt8(tips.count))
        for tip in tips {
            writer.u64(tip.seq)
            writer.raw(tip.hash.bytes)
        }
    }

    static func decode(
        from reader: inout ByteReader, maxAuthors: Int, maxPerAuthor: Int
    ) throws(DecodeError) -> [AuthorID: [AuthorTip]] {
        let count = Int(try reader.u32("vector size"))
        guard count <= maxAuthors else { throw .oversized(field: "vector", size: count, limit: maxAuthors) }
        var tips: [AuthorID: [AuthorTip]] = [:]
        // Reserve only what the remaining bytes could hold, whatever the count claims.
        tips.reserveCapacity(min(count, reader.remaining / (AuthorID.byteCount + 1 + 8 + EntryHash.byteCount)))
        var previous: AuthorID?
        for _ in 0..<count {
            let author = try AuthorID(bytes: reader.raw(AuthorID.byteCount, "vector author"))
            if let previous, !(previous < author) {
                throw .invalid(field: "vector", reason: "authors must be strictly ascending")
            }
            previous = author
            let tipCount = Int(try reader.u8("tip count"))
            guard tipCount >= 1 else { throw .invalid(field: "tip count", reason: "must be at least 1") }
            guard tipCount <= maxPerAuthor else { throw .oversized(field: "tips", size: tipCount, limit: maxPerAuthor) }
            var authorTips: [AuthorTip] = []
            for _ in 0..<tipCount {
                let seq = try reader.u64("tip seq")
                guard seq >= 1, seq < 1 << 63 else { throw .invalid(field: "tip seq", reason: "must be 1 to 2^63-1") }
                let tip = AuthorTip(seq: seq, hash: try EntryHash(bytes: reader.raw(EntryHash.byteCount, "tip hash")))
                if let last = authorTips.last, !(last < tip) {
                    throw .invalid(field: "tips", reason: "must be strictly ascending")
                }
                authorTips.append(tip)
            }
            tips[author] = authorTips
        }
        return tips
    }
}
