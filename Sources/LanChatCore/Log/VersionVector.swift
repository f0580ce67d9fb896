import Crypto

/// For each author, the highest seq up to which this node holds every entry (or has pruned below a
/// low-water mark: a later retention policy may drop entries at or below the vector, never above it).
/// Entries above a gap may be held too; they do not advance the vector until the gap is filled.
public struct VersionVector: Hashable, Sendable {
    public private(set) var heads: [AuthorID: UInt64]

    public init(_ heads: [AuthorID: UInt64] = [:]) {
        self.heads = heads.filter { $0.value > 0 }
    }

    public subscript(author: AuthorID) -> UInt64 { heads[author] ?? 0 }

    public mutating func advance(_ author: AuthorID, to seq: UInt64) {
        if seq > self[author] { heads[author] = seq }
    }

    public var total: UInt64 { heads.values.reduce(0, &+) }

    /// Authors where `other` is ahead of us, with our head: what to ask for.
    public func behind(_ other: VersionVector) -> [(author: AuthorID, after: UInt64)] {
        other.heads.compactMap { author, theirs in
            let ours = self[author]
            return theirs > ours ? (author, ours) : nil
        }.sorted { $0.author < $1.author }
    }

    /// Eight bytes that differ, with overwhelming likelihood, whenever two vectors differ; sent in every ping.
    public var digest: UInt64 { Self.digest(sortedAuthors: heads.keys.sorted(), heads: heads) }

    /// The digest, for a caller that keeps the authors sorted already (the replicator, on every ping).
    static func digest(sortedAuthors: [AuthorID], heads: [AuthorID: UInt64]) -> UInt64 {
        var hasher = SHA256()
        for author in sortedAuthors {
            hasher.update(data: author.bytes)
            var big = (heads[author] ?? 0).bigEndian
            withUnsafeBytes(of: &big) { hasher.update(bufferPointer: $0) }
        }
        return hasher.finalize().prefix(8).reduce(0) { $0 << 8 | UInt64($1) }
    }

    public func encode(into writer: inout ByteWriter) {
        writer.u32(UInt32(heads.count))
        for (author, seq) in heads.sorted(by: { $0.key < $1.key }) {
            writer.raw(author.bytes)
            writer.u64(seq)
        }
    }

    /// As many as fit one sync frame (40 bytes each in 1 MiB).
    public static let maxAuthors = 25_000

    public static func decode(from reader: inout ByteReader) throws(DecodeError) -> VersionVector {
        let count = Int(try reader.u32("vector size"))
        guard count <= maxAuthors else { throw .oversized(field: "vector", size: count, limit: maxAuthors) }
        var heads: [AuthorID: UInt64] = [:]
        // Reserve only what the remaining bytes could hold, whatever the count claims.
        heads.reserveCapacity(min(count, reader.remaining / (AuthorID.byteCount + 8)))
        for _ in 0..<count {
            let author = try AuthorID(bytes: reader.raw(AuthorID.byteCount, "vector author"))
            let seq = try reader.u64("vector seq")
            guard heads.updateValue(seq, forKey: author) == nil else {
                throw .invalid(field: "vector", reason: "author listed twice")
            }
        }
        return VersionVector(heads)
    }
}
