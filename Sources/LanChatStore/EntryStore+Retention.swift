import Foundation
import GRDB
import LanChatCore

/// Bounds on what a node keeps: messages' text older than a retention period, and beyond each author's
/// quota the oldest of that author's text. Headers stay, so every log still verifies and syncs; only
/// messages' payloads go, room messages' and direct messages' (never a profile's, a delete's or an
/// edit's target link).
extension EntryStore {
    /// The kinds whose payload is text people wrote, which retention and quotas drop (SQL).
    static let textKinds = "(\(EntryKind.message.rawValue), \(EntryKind.directMessage.rawValue))"

    /// Drops the payloads of messages that arrived here before `arrivedBefore` (wall milliseconds): the
    /// arrival time, not the author's clock, so a wrong clock can neither keep nor expire text early.
    public func dropPayloads(arrivedBefore: UInt64) async throws -> Int {
        let dropped = try await writeTransaction { db in
            try db.execute(
                sql: """
                    UPDATE author SET payloads_dropped = payloads_dropped + (
                        SELECT COUNT(*) FROM entry e WHERE e.author = author.id AND e.kind IN \(Self.textKinds) AND e.payload IS NOT NULL
                            AND e.arrived < ?)
                    """,
                arguments: [Int64(arrivedBefore)])
            try db.execute(
                sql: "UPDATE entry SET payload = NULL WHERE kind IN \(Self.textKinds) AND payload IS NOT NULL AND arrived < ?",
                arguments: [Int64(arrivedBefore)])
            let dropped = db.changesCount
            // Text that came header-only and is older than what this node keeps is not asked for either.
            try db.execute(
                sql: """
                    DELETE FROM payload_missing WHERE EXISTS (
                        SELECT 1 FROM entry e WHERE e.author = payload_missing.author AND e.seq = payload_missing.seq AND e.hash = payload_missing.hash
                            AND e.kind IN \(Self.textKinds) AND e.arrived < ?)
                    """,
                arguments: [Int64(arrivedBefore)])
            return dropped
        }
        if dropped > 0 { await purgeLog() }
        return dropped
    }

    /// For every author whose messages' text takes more than `bytes`, drops that author's oldest
    /// payloads (lowest seqs) until it fits. Returns how many were dropped.
    public func enforceQuota(bytes: Int) async throws -> Int {
        let dropped = try await writeTransaction { db in
            var dropped = 0
            let over = try Row.fetchAll(
                db,
                sql: """
                    SELECT author, SUM(length(payload)) AS used FROM entry WHERE kind IN \(Self.textKinds) AND payload IS NOT NULL
                    GROUP BY author HAVING used > ?
                    """,
                arguments: [bytes])
            for row in over {
                let author = row["author"] as Data
                var used = row["used"] as Int
                let oldest = try Row.fetchCursor(
                    db,
                    sql: "SELECT seq, hash, length(payload) AS size FROM entry WHERE author = ? AND kind IN \(Self.textKinds) AND payload IS NOT NULL ORDER BY seq",
                    arguments: [author])
                var positions: [(seq: Int64, hash: Data)] = []
                while used > bytes, let entry = try oldest.next() {
                    positions.append((entry["seq"], entry["hash"]))
                    used -= entry["size"] as Int
                }
                for position in positions {
                    try db.execute(
                        sql: "UPDATE entry SET payload = NULL WHERE author = ? AND seq = ? AND hash = ?", arguments: [author, position.seq, position.hash])
                }
                try db.execute(
                    sql: "UPDATE author SET payloads_dropped = payloads_dropped + ? WHERE id = ?", arguments: [positions.count, author])
                dropped += positions.count
            }
            return dropped
        }
        if dropped > 0 { await purgeLog() }
        return dropped
    }
}
