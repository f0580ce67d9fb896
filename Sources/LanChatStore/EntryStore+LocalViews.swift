import Foundation
import GRDB
import LanChatCore

/// What this machine alone says about people: whose messages its views hide (`lanchat mute`) and the
/// names it gives them (`lanchat alias`). Kept here only, never synced; what the node stores and
/// relays does not change.
extension EntryStore {
    public func mutedPeople() async throws -> Set<AuthorID> {
        try await pool.read { db in
            Set(try Data.fetchAll(db, sql: "SELECT person FROM mute").map { try AuthorID(bytes: Array($0)) })
        }
    }

    public func setMuted(_ person: AuthorID, _ muted: Bool) async throws {
        try await writeTransaction { db in
            try db.execute(
                sql: muted ? "INSERT OR IGNORE INTO mute (person) VALUES (?)" : "DELETE FROM mute WHERE person = ?",
                arguments: [Data(person.bytes)])
        }
    }

    public func aliases() async throws -> [AuthorID: String] {
        try await pool.read { db in
            var aliases: [AuthorID: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT person, name FROM alias") {
                aliases[try AuthorID(bytes: Array(row["person"] as Data))] = row["name"]
            }
            return aliases
        }
    }

    /// Gives `person` a name here, or with nil takes it back.
    public func setAlias(_ name: String?, for person: AuthorID) async throws {
        try await writeTransaction { db in
            if let name {
                try db.execute(
                    sql: "INSERT INTO alias (person, name) VALUES (?, ?) ON CONFLICT(person) DO UPDATE SET name = excluded.name",
                    arguments: [Data(person.bytes), name])
            } else {
                try db.execute(sql: "DELETE FROM alias WHERE person = ?", arguments: [Data(person.bytes)])
            }
        }
    }
}
