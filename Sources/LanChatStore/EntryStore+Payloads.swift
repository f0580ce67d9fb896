import Foundation
import GRDB
import LanChatCore

/// Payloads missing without a signed delete (table `payload_missing`, kept by triggers, see `Schema`):
/// a sync asks a peer for them (`PayloadFetch`), and a peer serves what it holds whole.
extension EntryStore {
    /// Up to `limit` entries held without the payload they should have, in author, seq, hash order,
    /// starting after `cursor` and wrapping round: a caller that passes the last one it got asks for
    /// the whole backlog over successive calls, also where one peer lacks the first ones too.
    public func missingPayloads(after cursor: EntryRef?, limit: Int) async throws -> [EntryRef] {
        try await pool.read { db in
            let select = "SELECT author, seq, hash FROM payload_missing"
            let order = "ORDER BY author, seq, hash LIMIT ?"
            guard let cursor else { return try Self.refs(db, sql: "\(select) \(order)", [limit]) }
            let position: [any DatabaseValueConvertible] = [cursor.author.blob, Int64(cursor.seq), Data(cursor.hash.bytes)]
            let after = try Self.refs(db, sql: "\(select) WHERE (author, seq, hash) > (?, ?, ?) \(order)", position + [limit])
            guard after.count < limit else { return after }
            return after + (try Self.refs(db, sql: "\(select) WHERE (author, seq, hash) <= (?, ?, ?) \(order)", position + [limit - after.count]))
        }
    }

    /// How many entries are held without the payload they should have.
    public func missingPayloadCount() async throws -> Int {
        try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM payload_missing") ?? 0 }
    }

    /// Of these entries, those held with their payload: what a peer that asked for them is sent.
    public func wholeEntries(_ refs: [EntryRef]) async throws -> [Entry] {
        try await pool.read { db in
            let statement = try db.cachedStatement(sql: "SELECT header, payload FROM entry WHERE author = ? AND hash = ? AND payload IS NOT NULL")
            return try refs.compactMap { ref in
                try Row.fetchOne(statement, arguments: [ref.author.blob, Data(ref.hash.bytes)]).map(Self.entry)
            }
        }
    }

    /// These entries came whole from a peer, as asked, and were stored. Returns how many hold their
    /// payload now. One that still lacks it was refused by the store (its author deleted the message,
    /// which the text itself revealed: an edit of it): it is not asked for again.
    public func payloadsFetched(_ refs: [EntryRef]) async throws -> Int {
        try await pool.write { db in
            var filled = 0
            for ref in refs {
                let held = try Bool.fetchOne(
                    db, sql: "SELECT payload IS NOT NULL FROM entry WHERE author = ? AND hash = ?",
                    arguments: [ref.author.blob, Data(ref.hash.bytes)])
                if held == true {
                    filled += 1
                } else {
                    try db.execute(
                        sql: "DELETE FROM payload_missing WHERE author = ? AND seq = ? AND hash = ?",
                        arguments: [ref.author.blob, Int64(ref.seq), Data(ref.hash.bytes)])
                }
            }
            return filled
        }
    }

    private static func refs(_ db: Database, sql: String, _ arguments: [any DatabaseValueConvertible]) throws -> [EntryRef] {
        try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map { row in
            let tip = try tip(row)
            return EntryRef(author: try AuthorID(bytes: Array(row["author"] as Data)), seq: tip.seq, hash: tip.hash)
        }
    }
}
