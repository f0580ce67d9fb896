import LanChatCore
import LanChatStore
import Testing

@Suite("EntryStore.identityRecords")
struct IdentityRecordsTests {
    @Test func highestSeqProfileWinsEvenWhenAnOlderOneArrivesLater() async throws {
        try await withStore { store in
            let alice = try identity(1), bob = try identity(2)
            let old = try profileEntry(alice, name: "Old")
            let between = try messageEntry(alice, after: old)
            let new = try profileEntry(alice, after: between, name: "New")
            let after = try messageEntry(alice, after: new)
            let bob1 = try messageEntry(bob)
            _ = try await store.insert([new])
            _ = try await store.insert([old])
            _ = try await store.insert([after, between, bob1])
            #expect(try await store.identityRecords() == [alice.id: IdentityDirectory.Record(name: "New", profileSeq: 3, profileAt: new.timestamp)])

            let newest = try profileEntry(alice, after: after, name: "Newest"), bobs = try profileEntry(bob, after: bob1, name: "Bob")
            _ = try await store.insert([newest, bobs])
            #expect(try await store.identityRecords() == [
                alice.id: IdentityDirectory.Record(name: "Newest", profileSeq: 5, profileAt: newest.timestamp),
                bob.id: IdentityDirectory.Record(name: "Bob", profileSeq: 2, profileAt: bobs.timestamp),
            ])
        }
    }

    /// At a forked seq the profile with the higher hash wins, whatever the order they arrive in.
    @Test(arguments: [false, true])
    func atAForkedSeqTheHigherHashWins(reversed: Bool) async throws {
        try await withStore { store in
            let alice = try identity(1)
            let first = try messageEntry(alice)
            let profiles = [try profileEntry(alice, after: first, name: "Left"), try profileEntry(alice, after: first, name: "Right")]
            let winner = try #require(profiles.max { $0.hash < $1.hash })
            _ = try await store.insert([first])
            for profile in reversed ? profiles.reversed() : profiles { _ = try await store.insert([profile]) }
            let name = try winner.content() == .profile(name: "Left") ? "Left" : "Right"
            #expect(try await store.identityRecords() == [alice.id: IdentityDirectory.Record(name: name, profileSeq: 2, profileAt: winner.timestamp)])
        }
    }

    @Test func aLocalRenameIsARecord() async throws {
        try await withStore { store in
            let me = try identity(1)
            _ = try await store.appendLocal(identity: me, content: try .profile(validating: "User 0001", dmKey: nil), timestamp: stamp(1))
            _ = try await store.appendLocal(identity: me, content: try .profile(validating: "Alice", dmKey: nil), timestamp: stamp(2))
            #expect(try await store.identityRecords() == [me.id: IdentityDirectory.Record(name: "Alice", profileSeq: 2, profileAt: stamp(2))])
        }
    }
}
