import LanChatCore
import LanChatStore
import Testing

@Suite("EntryStore.identityRecords")
struct IdentityRecordsTests {
    @Test func highestSeqProfileWinsEvenWhenAnOlderOneArrivesLater() async throws {
        try await withStore { store in
            let alice = try identity(1), bob = try identity(2)
            _ = try await store.insert([try profileEntry(alice, seq: 3, name: "New")])
            _ = try await store.insert([try profileEntry(alice, seq: 1, name: "Old")])
            _ = try await store.insert([try messageEntry(alice, seq: 4), try messageEntry(bob, seq: 1)])
            #expect(try await store.identityRecords() == [alice.id: IdentityDirectory.Record(name: "New", profileSeq: 3)])

            _ = try await store.insert([try profileEntry(alice, seq: 5, name: "Newest"), try profileEntry(bob, seq: 2, name: "Bob")])
            #expect(try await store.identityRecords() == [
                alice.id: IdentityDirectory.Record(name: "Newest", profileSeq: 5),
                bob.id: IdentityDirectory.Record(name: "Bob", profileSeq: 2),
            ])
        }
    }

    @Test func aLocalRenameIsARecord() async throws {
        try await withStore { store in
            let me = try identity(1)
            _ = try await store.appendLocal(identity: me, content: try .profile(validating: "User 0001"), timestamp: stamp(1))
            _ = try await store.appendLocal(identity: me, content: try .profile(validating: "Alice"), timestamp: stamp(2))
            #expect(try await store.identityRecords() == [me.id: IdentityDirectory.Record(name: "Alice", profileSeq: 2)])
        }
    }
}
