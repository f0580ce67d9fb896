import LanChatCore
import LanChatStore
import Testing

@Suite("EntryStore.appendLocal")
struct AppendLocalTests {
    @Test func seqsCountUpFromOne() async throws {
        try await withStore { store in
            let me = try identity(1)
            var entries: [Entry] = []
            for n in 1...3 {
                entries.append(try await store.appendLocal(
                    identity: me, content: .message(try .init(room: "general", body: "n\(n)")), timestamp: stamp(UInt64(n))))
            }
            #expect(entries.map(\.seq) == [1, 2, 3])
            #expect(entries.allSatisfy { $0.author == me.id })
            for entry in entries { #expect(try Entry.decode(entry.encoded) == entry) }
            #expect(try await store.entryCount() == 3)
            #expect(try await store.versionVector() == VersionVector([me.id: 3]))
        }
    }

    @Test func continuesAfterOwnEntriesLearnedFromPeers() async throws {
        // A restored identity hears its own old entries back from a peer; the next write must not reuse a seq.
        try await withStore { store in
            let me = try identity(1)
            _ = try await store.insert([try messageEntry(me, seq: 1), try messageEntry(me, seq: 5)])
            let next = try await store.appendLocal(identity: me, content: .profile(name: "Me"), timestamp: stamp(9))
            #expect(next.seq == 6)
        }
    }

    @Test func otherAuthorsDoNotAffectTheSeq() async throws {
        try await withStore { store in
            let me = try identity(1)
            _ = try await store.insert([try messageEntry(try identity(2), seq: 40)])
            #expect(try await store.appendLocal(identity: me, content: .profile(name: "Me"), timestamp: stamp(1)).seq == 1)
        }
    }

    @Test func seqContinuesAfterReopening() async throws {
        try await withTemporaryDirectory { directory in
            let me = try identity(1)
            do {
                let store = try openStore(in: directory)
                for millis in [1, 2] as [UInt64] {
                    _ = try await store.appendLocal(identity: me, content: .profile(name: "Me \(millis)"), timestamp: stamp(millis))
                }
            }  // the first store is released (and closed) here
            let reopened = try openStore(in: directory)
            let next = try await reopened.appendLocal(identity: me, content: .profile(name: "Me 3"), timestamp: stamp(3))
            #expect(next.seq == 3)
            #expect(try await reopened.entryCount() == 3)
        }
    }
}
