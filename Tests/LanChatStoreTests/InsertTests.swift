import LanChatCore
import LanChatStore
import Testing

@Suite("EntryStore.insert and counts")
struct InsertTests {
    @Test func duplicatesAreNotNewAndNotCountedTwice() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let first = try messageEntry(alice, at: 10)
            let second = try messageEntry(alice, after: first, at: 20)
            #expect(try await store.insert([first]).fresh == [first])
            #expect(try await store.insert([first]).fresh.isEmpty)
            #expect(try await store.insert([first, second, second]).fresh == [second])
            #expect(try await store.insert([]) == InsertResult())

            #expect(try await store.entryCount() == 2)
            #expect(try await store.rooms() == [RoomSummary(name: "general", messages: 2, lastTimestamp: stamp(20))])
            #expect(try await store.authors() == [AuthorSummary(id: alice.id, messages: 2)])
        }
    }

    @Test func theResultNamesTheTipsOfEveryAuthorStored() async throws {
        try await withStore { store in
            let alice = try identity(1), bob = try identity(2)
            let aliceLog = try messages(alice, count: 3), bobLog = try messages(bob, count: 1)
            let result = try await store.insert(aliceLog + bobLog)
            #expect(result.tips == [alice.id: [aliceLog[2].tip], bob.id: [bobLog[0].tip]])
            #expect(result.newlyForked.isEmpty && result.refusedBranches == 0)
            #expect(try await store.insert(aliceLog).tips.isEmpty)
        }
    }

    @Test func roomsCountMessagesPerRoom() async throws {
        try await withStore { store in
            let alice = try identity(1), bob = try identity(2)
            let alice1 = try messageEntry(alice, at: 50, room: "general")
            let bob1 = try messageEntry(bob, at: 30, room: "general")
            let bob2 = try profileEntry(bob, after: bob1, name: "Bob", at: 90)
            _ = try await store.insert([
                alice1, bob1, try messageEntry(alice, after: alice1, at: 40, room: "ops"), bob2,
                try messageEntry(bob, after: bob2, at: 20, room: "general"),  // late arrival of an older message
            ])
            #expect(try await store.rooms() == [
                RoomSummary(name: "general", messages: 3, lastTimestamp: stamp(50)),
                RoomSummary(name: "ops", messages: 1, lastTimestamp: stamp(40)),
            ])
            let authors = try await store.authors().sorted { $0.id < $1.id }
            #expect(authors == [AuthorSummary(id: alice.id, messages: 2), AuthorSummary(id: bob.id, messages: 2)].sorted { $0.id < $1.id })
            #expect(try await store.latestTimestamp(of: bob.id) == stamp(90))
            #expect(try await store.latestTimestamp(of: alice.id) == stamp(50))
            let tally = try await store.tally()
            #expect((tally.entries, tally.authors, tally.rooms) == (5, 2, 2))
            #expect(tally.forks.isEmpty && tally.refusedBranches == 0 && tally.payloadsMissing == 0 && tally.payloadsDropped == 0)
        }
    }

    @Test func unknownKindsAreStoredAndServedButNotCounted() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let unknown = entry(alice, after: nil, at: 5, .unknown(kind: EntryKind(rawValue: 9), payload: [1, 2, 3]))
            #expect(try await store.insert([unknown]).fresh == [unknown])
            #expect(try await store.entries(author: alice.id, after: 0, limit: 10) == [unknown])
            #expect(try await store.syncVector() == SyncVector(heads: [alice.id: unknown.tip]))
            #expect(try await store.rooms().isEmpty)
            #expect(try await store.authors() == [AuthorSummary(id: alice.id, messages: 0)])
        }
    }

    /// The field it does not know: a message carrying an extension field (in its header and in its
    /// payload) is stored, shown with its body, and served byte for byte.
    @Test func anEntryWithFieldsThisVersionDoesNotKnowIsStoredShownAndServedAsIs() async throws {
        try await withStore { store in
            let alice = try identity(1)
            var payload = try #require(try messageEntry(alice, body: "from the future").payload)
            payload += [0x7E, 0x00, 0x02, 0xAA, 0xBB]  // an extension field: type, u16 length, value
            let signedPart: [UInt8] = [Entry.formatVersion] + alice.id.bytes + bytes(UInt64(1)) + bytes(stamp(5).rawValue)
                + [EntryKind.message.rawValue, 0] + bytes(UInt32(payload.count)) + EntryHash(of: payload).bytes
                + bytes(UInt16(4)) + [0x7F, 0x00, 0x01, 0xCC]  // a header extension block with one field
            let wire = signedPart + alice.sign(signedPart) + [1] + payload
            let received = try Entry.decode(wire)
            #expect(try await store.insert([received]).fresh == [received])
            let shown = try await store.historyEntries(room: "general")
            #expect(shown.map(\.encoded) == [wire])
            #expect(try shown.first?.content() == .message(try .init(room: "general", body: "from the future")))
            #expect(try await store.entries(author: alice.id, after: 0, limit: 10).map(\.encoded) == [wire])
        }
    }

    /// `value` as big-endian bytes.
    private func bytes<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0..<T.bitWidth / 8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
