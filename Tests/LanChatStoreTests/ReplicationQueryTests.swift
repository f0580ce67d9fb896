import LanChatCore
import LanChatStore
import Testing

/// What anti-entropy reads from the store: contiguous heads and the entries after a seq.
@Suite("EntryStore.versionVector, syncVector and entries")
struct ReplicationQueryTests {
    @Test func versionVectorIsTheContiguousHead() async throws {
        try await withStore { store in
            let alice = try identity(1), bob = try identity(2)
            _ = try await store.insert([try messageEntry(alice, seq: 1), try messageEntry(alice, seq: 2), try messageEntry(alice, seq: 4)])
            _ = try await store.insert([try messageEntry(bob, seq: 2)])
            #expect(try await store.versionVector() == VersionVector([alice.id: 2]))

            _ = try await store.insert([try messageEntry(alice, seq: 3)])
            #expect(try await store.versionVector() == VersionVector([alice.id: 4]))

            _ = try await store.insert([try messageEntry(bob, seq: 1)])
            #expect(try await store.versionVector() == VersionVector([alice.id: 4, bob.id: 2]))
        }
    }

    @Test func syncVectorNamesEachContiguousHeadByItsHash() async throws {
        try await withStore { store in
            let alice = try identity(1), bob = try identity(2)
            let aliceLog = try (1...3).map { try messageEntry(alice, seq: $0) }
            _ = try await store.insert(aliceLog + [try messageEntry(alice, seq: 5), try messageEntry(bob, seq: 2)])
            #expect(try await store.syncVector() == SyncVector(heads: [alice.id: aliceLog[2].tip]))
        }
    }

    @Test func entriesAreOneAuthorsLogInSeqOrder() async throws {
        try await withStore { store in
            let alice = try identity(1), bob = try identity(2)
            let log = try (1...5).map { try messageEntry(alice, seq: $0, at: 100 - $0) }
            var random = SplitMix64(seed: 11)
            _ = try await store.insert(log.shuffled(using: &random) + [try messageEntry(bob, seq: 1), try messageEntry(bob, seq: 2)])

            #expect(try await store.entries(author: alice.id, after: 1, limit: 3) == Array(log[1...3]))
            #expect(try await store.entries(author: alice.id, after: 0, limit: 100) == log)
            #expect(try await store.entries(author: alice.id, after: 5, limit: 100).isEmpty)
            #expect(try await store.entries(author: bob.id, after: 0, limit: 100).map(\.seq) == [1, 2])
            #expect(try await store.entries(author: try identity(3).id, after: 0, limit: 100).isEmpty)
        }
    }
}
