import GRDB
import LanChatCore
@testable import LanChatStore
import Testing

/// The store sets the writer connection's flush mode only when a write needs another one than the last
/// write left, and a push written on the caller's thread leaves the automatic checkpoint as it found it.
@Suite("EntryStore: the writer connection's modes")
struct WriterModeTests {
    private static func modes(_ store: EntryStore) async throws -> (synchronous: Int?, autocheckpoint: Int?) {
        try await store.pool.writeWithoutTransaction { db in
            (try Int.fetchOne(db, sql: "PRAGMA synchronous"), try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint"))
        }
    }

    @Test func eachWriteGetsTheFlushItNeedsWhateverCameBefore() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let log = try messages(alice, count: 5)
            let full = 2, normal = 1
            _ = try await store.insert([log[0]], durable: true)
            #expect(try await Self.modes(store).synchronous == full)
            _ = try await store.insert([log[1]], durable: false)
            #expect(try await Self.modes(store).synchronous == normal)
            _ = try await store.insert([log[2]], durable: false)
            #expect(try await Self.modes(store).synchronous == normal)
            _ = try await store.insert([log[3]], durable: true)
            #expect(try await Self.modes(store).synchronous == full)
            _ = try await store.insert([log[4]], durable: false)
            #expect(try await Self.modes(store) == (normal, EntryStore.autocheckpointPages))
            #expect(try await store.entryCount() == 5)
        }
    }
}
