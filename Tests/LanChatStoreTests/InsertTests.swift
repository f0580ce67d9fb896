import LanChatCore
import LanChatStore
import Testing

@Suite("EntryStore.insert and counts")
struct InsertTests {
    @Test func duplicatesAreNotNewAndNotCountedTwice() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let first = try messageEntry(alice, seq: 1, at: 10)
            let second = try messageEntry(alice, seq: 2, at: 20)
            #expect(try await store.insert([first]) == [first])
            #expect(try await store.insert([first]).isEmpty)
            #expect(try await store.insert([first, second, second]) == [second])
            #expect(try await store.insert([]).isEmpty)

            #expect(try await store.entryCount() == 2)
            #expect(try await store.rooms() == [RoomSummary(name: "general", messages: 2, lastTimestamp: stamp(20))])
            #expect(try await store.authors() == [AuthorSummary(id: alice.id, messages: 2)])
        }
    }

    @Test func aDifferentEntryUnderAnExistingKeyIsIgnored() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let original = try messageEntry(alice, seq: 1, body: "original")
            _ = try await store.insert([original])
            #expect(try await store.insert([try messageEntry(alice, seq: 1, body: "forged later")]).isEmpty)
            #expect(try await store.history(room: "general", limit: 10) == [original])
        }
    }

    @Test func roomsCountMessagesPerRoom() async throws {
        try await withStore { store in
            let alice = try identity(1), bob = try identity(2)
            _ = try await store.insert([
                try messageEntry(alice, seq: 1, at: 50, room: "general"),
                try messageEntry(bob, seq: 1, at: 30, room: "general"),
                try messageEntry(alice, seq: 2, at: 40, room: "ops"),
                try profileEntry(bob, seq: 2, name: "Bob", at: 90),
                try messageEntry(bob, seq: 3, at: 20, room: "general"),  // late arrival of an older message
            ])
            #expect(try await store.rooms() == [
                RoomSummary(name: "general", messages: 3, lastTimestamp: stamp(50)),
                RoomSummary(name: "ops", messages: 1, lastTimestamp: stamp(40)),
            ])
            let authors = try await store.authors().sorted { $0.id < $1.id }
            #expect(authors == [AuthorSummary(id: alice.id, messages: 2), AuthorSummary(id: bob.id, messages: 2)].sorted { $0.id < $1.id })
            #expect(try await store.latestTimestamp(of: bob.id) == stamp(90))
            #expect(try await store.latestTimestamp(of: alice.id) == stamp(50))
        }
    }

    @Test func unknownKindsAreStoredAndServedButNotCounted() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let unknown = Entry.sign(
                by: alice, seq: 1, timestamp: stamp(5), content: .unknown(kind: EntryKind(rawValue: 9), payload: [1, 2, 3]))
            #expect(try await store.insert([unknown]) == [unknown])
            #expect(try await store.entries(author: alice.id, after: 0, limit: 10) == [unknown])
            #expect(try await store.versionVector() == VersionVector([alice.id: 1]))
            #expect(try await store.rooms().isEmpty)
            #expect(try await store.authors() == [AuthorSummary(id: alice.id, messages: 0)])
        }
    }
}
