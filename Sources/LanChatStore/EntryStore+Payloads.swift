import Foundation
import GRDB
import LanChatCore

/// Payloads missing without a signed delete (table `payload_missing`, kept by triggers, see `Schema`):
/// a sync asks a peer for them (`PayloadFetch`), and a peer serves what it holds whole.
extension EntryStore {
    /// Sessions that may ask for one missing payload. Beyond, nobody is taken to hold it (every relay
    /// dropped it, or its author never published it): it stays counted as missing but is no longer
    /// asked for, or a node would sync every `payloadRetry` for ever.
    public static let maxFetchAsks = 8

    /// Up to `limit` entries held without the payload they should have and asked for fewer than
    /// `maxFetchAsks` times, in author, seq, hash order, starting after `cursor` and wrapping round: a
    /// caller that passes the last one it got asks for the whole backlog over successive calls, also
    /// where one peer lacks the first ones too. Each one returned counts as asked once more.
    public func missingPayloads(after cursor: EntryRef?, limit: Int) async throws -> [EntryRef] {
        // Read first: nearly always nothing is missing, and a sync's start need not wait for the writer.
        let refs = try await pool.read { db in
            let select = "SELECT author, seq, hash FROM payload_missing WHERE asked < \(Self.maxFetchAsks)"
            let order = "ORDER BY author, seq, hash LIMIT ?"
            var refs: [EntryRef]
            if let cursor {
                let position: [any DatabaseValueConvertible] = [cursor.author.blob, Int64(cursor.seq), Data(cursor.hash.bytes)]
                refs = try Self.refs(db, sql: "\(select) AND (author, seq, hash) > (?, ?, ?) \(order)", position + [limit])
                if refs.count < limit {
                    refs += try Self.refs(db, sql: "\(select) AND (author, seq, hash) <= (?, ?, ?) \(order)", position + [limit - refs.count])
                }
            } else {
                refs = try Self.refs(db, sql: "\(select) \(order)", [limit])
            }
            return refs
        }
        guard !refs.isEmpty else { return [] }
        try await writeTransaction { db in
            let asked = try db.cachedStatement(sql: "UPDATE payload_missing SET asked = asked + 1 WHERE author = ? AND seq = ? AND hash = ?")
            for ref in refs { try asked.execute(arguments: [ref.author.blob, Int64(ref.seq), Data(ref.hash.bytes)]) }
        }
        return refs
    }

    /// Of these entries, those held with their payload: what a peer that asked for them is sent.
    public func wholeEntries(_ refs: [EntryRef]) async throws -> [Entry] {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT header, payload FROM entry WHERE author = ? AND seq = ? AND hash = ? AND payload IS NOT NULL")
            return try refs.compactMap { ref in
                try Row.fetchOne(statement, arguments: [ref.author.blob, Int64(ref.seq), Data(ref.hash.bytes)]).map(Self.entry)
            }
        }
    }

    /// A session that asked for these entries whole completed. One that still lacks its payload came and
    /// was refused by the store (its author deleted the message, which the text itself revealed: an edit
    /// of it): it is not asked for again. Fetched payloads are counted where they are filled.
    public func settleFetch(_ refs: [EntryRef]) async throws {
        try await writeTransaction { db in
            for ref in refs {
                try db.execute(
                    sql: """
                        DELETE FROM payload_missing WHERE author = ? AND seq = ? AND hash = ?
                        AND EXISTS (SELECT 1 FROM entry WHERE author = ? AND seq = ? AND hash = ? AND payload IS NULL)
                        """,
                    arguments: [ref.author.blob, Int64(ref.seq), Data(ref.hash.bytes), ref.author.blob, Int64(ref.seq), Data(ref.hash.bytes)])
            }
        }
    }

    private static func refs(_ db: Database, sql: String, _ arguments: [any DatabaseValueConvertible]) throws -> [EntryRef] {
        try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
            let tip = try tip(row)
            return EntryRef(author: try AuthorID(bytes: Array(row["author"] as Data)), seq: tip.seq, hash: tip.hash)
        }
    }
}
