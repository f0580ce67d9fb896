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
}
