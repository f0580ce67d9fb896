import Foundation
import GRDB
import LanChatCore

/// Direct messages as the store holds them: sealed entries of kind `directMessage`, which every node
/// keeps and relays; only the node reading them for a person opens them (`Node`). And where each local
/// Unix user stopped reading each conversation.
extension EntryStore {
    /// Every direct message held with its payload, oldest first (as history sorts: `sort_ts`).
    public func directMessages() async throws -> [StoredEntry] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT header, payload, sort_ts, ts, arrived FROM entry INDEXED BY entry_direct
                    WHERE kind = \(EntryKind.directMessage.rawValue) AND payload IS NOT NULL ORDER BY sort_ts, author, seq
                    """
            ).map(Self.directMessage)
        }
    }

    /// A row of a direct message (header, payload, sort_ts, ts, arrived), as conversations show it.
    static func directMessage(_ row: Row) throws -> StoredEntry {
        StoredEntry(
            entry: try entry(row), shownAt: HybridTimestamp(rawValue: UInt64(bitPattern: row["sort_ts"] as Int64)),
            arrivedMillis: UInt64(row["arrived"] as Int64), clockAhead: row["sort_ts"] as Int64 != row["ts"] as Int64, deleted: false, edit: nil)
    }

    /// Every link and unlink entry held, for `DeviceLinks` (a few per person).
    public func linkEntries() async throws -> [Entry] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT header, payload FROM entry
                    WHERE kind IN (\(EntryKind.link.rawValue), \(EntryKind.unlink.rawValue)) AND payload IS NOT NULL
                    ORDER BY author, seq
                    """
            ).map(Self.entry)
        }
    }

    /// Where `uid` stopped reading each conversation: when the newest message read arrived here (wall
    /// milliseconds; by arrival, so that one written while its author was away is new all the same).
    public func directMessageMarkers(uid: UInt32) async throws -> [AuthorID: UInt64] {
        try await pool.read { db in
            var markers: [AuthorID: UInt64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT peer, read_arrived FROM dm_read WHERE uid = ?", arguments: [Int64(uid)]) {
                markers[try AuthorID(bytes: Array(row["peer"] as Data))] = UInt64(row["read_arrived"] as Int64)
            }
            return markers
        }
    }

    /// `uid` has read the conversation with `peer` up to what arrived by `arrivedMillis`; a marker never
    /// moves back.
    public func markDirectMessagesRead(uid: UInt32, peer: AuthorID, upTo arrivedMillis: UInt64) async throws {
        try await writeTransaction { db in
            try db.execute(
                sql: """
                    INSERT INTO dm_read (uid, peer, read_arrived) VALUES (?, ?, ?)
                    ON CONFLICT(uid, peer) DO UPDATE SET read_arrived = MAX(read_arrived, excluded.read_arrived)
                    """,
                arguments: [Int64(uid), Data(peer.bytes), Int64(arrivedMillis)])
        }
    }
}
