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

    /// SQLite sets the mode when it compiles the PRAGMA, and GRDB throws for a cancelled write between compiling
    /// a statement and running it: a push cancelled there (a sync torn down, a shutdown) must not leave the next
    /// durable write committing without its flush. The moment each push is cancelled at varies from round to round.
    @Test func aDurableWriteAfterACancelledPushStillFlushes() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let rounds = 300, batch = EntryStore.smallEntries + 1
            let log = try messages(alice, count: rounds * (batch + 1))
            var random = SplitMix64(seed: 20261202)
            var next = 0, cancelled = 0
            for _ in 0..<rounds {
                // Larger than a push written on the caller's thread: it goes to the writer's, where it can be cancelled.
                let push = Array(log[next..<next + batch])
                let task = Task { try await store.insert(push, durable: false) }
                var spin = 0
                for step in 0..<Int(random.next() % 4000) { spin &+= step }
                task.cancel()
                if case .failure = await task.result { cancelled += 1 }
                _ = try await store.insert([log[next + batch]], durable: true)
                next += batch + 1
                let mode = try await Self.modes(store).synchronous
                #expect(mode == 2, "a durable write committed with synchronous = \(mode ?? -1) (spun \(spin))")
                if mode != 2 { break }
            }
            #expect(cancelled > 0)
        }
    }
}
