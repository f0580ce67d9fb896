import Foundation
import GRDB
import LanChatCore

/// Where each local Unix user stopped reading each room (`room_read`), and what came after: this
/// machine's alone, never synced, so each person on a shared daemon has their own unread counts.
extension EntryStore {
    /// What a user has not read in one room: how many messages came after the marker (deleted ones and
    /// those of the `hiding` authors left out), and the newest `limit` of them with their payloads.
    public struct Unread: Sendable {
        public let count: Int
        public let newest: [Entry]
    }

    /// Where `uid` stopped reading each room it has read: when the newest message read arrived here
    /// (wall milliseconds). By arrival, not by when messages are shown: one written while its author was
    /// away carries its older time, and is new to the reader all the same.
    public func roomMarkers(uid: UInt32) async throws -> [String: UInt64] {
        try await pool.read { db in
            var markers: [String: UInt64] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT room, read_arrived FROM room_read WHERE uid = ?", arguments: [Int64(uid)]) {
                markers[row["room"]] = UInt64(row["read_arrived"] as Int64)
            }
            return markers
        }
    }

    /// `uid` has read `room` up to its newest message; a marker never moves back. Nothing when the
    /// room has no message.
    public func markRoomRead(uid: UInt32, room: String) async throws {
        try await writeTransaction { db in
            try db.execute(
                sql: """
                    INSERT INTO room_read (uid, room, read_arrived)
                    SELECT ?, room, MAX(arrived) FROM entry WHERE room = ? GROUP BY room
                    ON CONFLICT(uid, room) DO UPDATE SET read_arrived = MAX(read_arrived, excluded.read_arrived)
                    """,
                arguments: [Int64(uid), room])
        }
    }

    public func unread(room: String, arrivedAfter marker: UInt64, hiding: Set<AuthorID>, limit: Int) async throws -> Unread {
        try await pool.read { db in
            let filter = """
                FROM entry e WHERE e.room = ? AND e.arrived > ? \(Self.notBy(hiding))
                AND NOT EXISTS (SELECT 1 FROM retraction r WHERE r.author = e.author AND r.target = e.hash)
                """
            let arguments = [room, Int64(marker)] + hiding.map { $0.blob as any DatabaseValueConvertible }
            let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) \(filter)", arguments: StatementArguments(arguments)) ?? 0
            let newest = try Row.fetchAll(
                db, sql: "SELECT e.header, e.payload \(filter) AND e.payload IS NOT NULL ORDER BY e.sort_ts DESC LIMIT ?",
                arguments: StatementArguments(arguments + [limit])
            ).map(Self.entry)
            return Unread(count: count, newest: newest)
        }
    }
}
