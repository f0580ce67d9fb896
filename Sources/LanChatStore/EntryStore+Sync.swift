import Foundation
import GRDB
import LanChatCore

/// What a sync asks of the store.
extension EntryStore {
    /// Every author's tips: this node's position in a sync.
    public func syncVector() async throws -> SyncVector {
        try await pool.read { db in
            var tips: [AuthorID: [AuthorTip]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT author, seq, hash FROM tip") {
                tips[try AuthorID(bytes: Array(row["author"] as Data)), default: []].append(try Self.tip(row))
            }
            return SyncVector(tips)
        }
    }

    /// Complete entries of one author after a seq, in seq order, every branch of a fork: what a sync
    /// streams to a peer. Their signatures were checked before they were stored.
    public func entries(author: AuthorID, after seq: UInt64, limit: Int) async throws -> [Entry] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT header, payload FROM entry WHERE author = ? AND seq > ? AND complete = 1 ORDER BY seq, hash LIMIT ?",
                arguments: [author.blob, Int64(seq), limit]
            ).map(Self.entry)
        }
    }

    /// Which of these entries are held.
    public func held(_ positions: [AuthorID: [AuthorTip]]) async throws -> Set<EntryHash> {
        try await pool.read { db in
            var held: Set<EntryHash> = []
            for (author, tips) in positions {
                for tip in tips
                where try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM entry WHERE author = ? AND seq = ? AND hash = ?",
                    arguments: [author.blob, Int64(tip.seq), Data(tip.hash.bytes)]) != nil
                {
                    held.insert(tip.hash)
                }
            }
            return held
        }
    }

    /// The complete entries held at `Checkpoints.seqs(below:)` each author's highest seq.
    public func checkpoints(of authors: [AuthorID]) async throws -> Checkpoints {
        try await pool.read { db in
            var positions: [AuthorID: [AuthorTip]] = [:]
            for author in authors {
                let highest = try UInt64.fetchOne(
                    db, sql: "SELECT MAX(seq) FROM entry WHERE author = ? AND complete = 1", arguments: [author.blob]) ?? 0
                let seqs = Checkpoints.seqs(below: highest).map { Int64($0) }
                guard !seqs.isEmpty else { continue }
                positions[author] = try Row.fetchAll(
                    db,
                    sql: "SELECT seq, hash FROM entry WHERE author = ? AND complete = 1 AND seq IN (\(seqs.map { _ in "?" }.joined(separator: ",")))",
                    arguments: StatementArguments([author.blob] + seqs)
                ).map(Self.tip)
            }
            return Checkpoints(positions)
        }
    }

    /// For each author, the lowest seq met walking down from the given tips (following links) to the
    /// first entries in the stop set; 0 where a walk reaches seq 1, or runs too long, without meeting one.
    public func forkPoints(_ searches: [AuthorID: ForkSearch]) async throws -> [AuthorID: UInt64] {
        try await pool.read { db in
            var points: [AuthorID: UInt64] = [:]
            for (author, search) in searches {
                // From the signed header: the link table holds only entries still waiting.
                points[author] = try ForkWalk.lowestStop(from: search.from, stop: search.stop) { position in
                    try Row.fetchOne(
                        db, sql: "SELECT header, NULL AS payload FROM entry WHERE author = ? AND seq = ? AND hash = ?",
                        arguments: [author.blob, Int64(position.seq), Data(position.hash.bytes)]
                    ).map { try Self.entry($0).links } ?? []
                }
            }
            return points
        }
    }
}
