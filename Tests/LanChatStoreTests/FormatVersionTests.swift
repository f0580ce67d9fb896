import Foundation
import LanChatStore
import Testing

/// A database of format 1 (written before logs were hash-linked) is refused with a clear message, not
/// migrated and not overwritten.
@Suite("EntryStore format")
struct FormatVersionTests {
    /// Creates a database whose migrations table lists these migrations, as GRDB keeps it.
    private func database(at path: String, migrations: [String]) throws {
        let values = migrations.map { "('\($0)')" }.joined(separator: ", ")
        _ = try sqlite(path, "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY); INSERT INTO grdb_migrations VALUES \(values);")
    }

    @Test func aFormatOneDatabaseIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let path = storePath(in: directory)
            try database(at: path, migrations: ["v1"])
            #expect(throws: StoreError.formatTooOld(path)) { try EntryStore(path: path) }
            #expect(StoreError.formatTooOld(path).description.contains("format 1"))
            // Refused again: nothing was migrated on the way.
            #expect(throws: StoreError.formatTooOld(path)) { try EntryStore(path: path) }
        }
    }

    /// Only a store an earlier release wrote is announced as upgraded (`StateFormatTests` opens one): a new
    /// store is made in this release's format, and one of this release has nothing to do.
    @Test func neitherANewStoreNorOneOfThisReleaseIsUpgraded() async throws {
        try await withTemporaryDirectory { directory in
            var upgrades = 0
            _ = try EntryStore(path: storePath(in: directory)) { upgrades += 1 }
            _ = try EntryStore(path: storePath(in: directory)) { upgrades += 1 }
            #expect(upgrades == 0)
        }
    }

    /// The control: the same file with the current migration opens.
    @Test func aFormatTwoDatabaseOpens() async throws {
        try await withTemporaryDirectory { directory in
            _ = try openStore(in: directory)
            let reopened = try openStore(in: directory)
            #expect(try await reopened.entryCount() == 0)
        }
    }
}
