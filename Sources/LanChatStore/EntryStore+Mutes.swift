import Foundation
import GRDB
import LanChatCore

/// People whose messages this machine's views hide (`lanchat mute`): kept here only, never synced;
/// what the node stores and relays does not change.
extension EntryStore {
    public func mutedPeople() async throws -> Set<AuthorID> {
        try await pool.read { db in
            Set(try Data.fetchAll(db, sql: "SELECT person FROM mute").map { try AuthorID(bytes: Array($0)) })
        }
    }

    public func setMuted(_ person: AuthorID, _ muted: Bool) async throws {
        try await pool.write { db in
            try db.execute(
                sql: muted ? "INSERT OR IGNORE INTO mute (person) VALUES (?)" : "DELETE FROM mute WHERE person = ?",
                arguments: [Data(person.bytes)])
        }
    }
}
