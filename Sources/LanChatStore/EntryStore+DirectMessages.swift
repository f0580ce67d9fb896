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
                    SELECT header, payload, sort_ts, ts FROM entry INDEXED BY entry_direct
                    WHERE kind = \(EntryKind.directMessage.rawValue) AND payload IS NOT NULL ORDER BY sort_ts, author, seq
                    """
            ).map(Self.directMessage)
        }
    }

    /// A row of a direct message (header, payload, sort_ts, ts), as conversations show it.
    static func directMessage(_ row: Row) throws -> StoredEntry {
        StoredEntry(
            entry: try entry(row), shownAt: HybridTimestamp(rawValue: UInt64(bitPattern: row["sort_ts"] as Int64)),
            clockAhead: row["sort_ts"] as Int64 != row["ts"] as Int64, deleted: false, edit: nil)
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

    /// Where `uid` stopped reading each conversation: the shown time of the newest message read, by peer.
    public func directMessageMarkers(uid: UInt32) async throws -> [AuthorID: HybridTimestamp] {
        try await pool.read { db in
            var markers: [AuthorID: HybridTimestamp] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT peer, read_ts FROM dm_read WHERE uid = ?", arguments: [Int64(uid)]) {
                markers[try AuthorID(bytes: Array(row["peer"] as Data))] = HybridTimestamp(rawValue: UInt64(bitPattern: row["read_ts"] as Int64))
            }
            return markers
        }
    }

    /// `uid` has read the conversation with `peer` up to `shownAt`; a marker never moves back.
    public func markDirectMessagesRead(uid: UInt32, peer: AuthorID, upTo shownAt: HybridTimestamp) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO dm_read (uid, peer, read_ts) VALUES (?, ?, ?)
                    ON CONFLICT(uid, peer) DO UPDATE SET read_ts = MAX(read_ts, excluded.read_ts)
                    """,
                arguments: [Int64(uid), Data(peer.bytes), Int64(bitPattern: shownAt.rawValue)])
        }
    }
}
