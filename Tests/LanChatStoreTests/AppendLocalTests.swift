import LanChatCore
import LanChatStore
import Testing

@Suite("EntryStore.appendLocal")
struct AppendLocalTests {
    @Test func seqsCountUpFromOneEachLinkingTheLast() async throws {
        try await withStore { store in
            let me = try identity(1)
            var entries: [Entry] = []
            for n in 1...3 {
                entries.append(try await store.appendLocal(
                    identity: me, content: .message(try .init(room: "general", body: "n\(n)")), timestamp: stamp(UInt64(n))))
            }
            #expect(entries.map(\.seq) == [1, 2, 3])
            #expect(entries.map(\.links) == [[], [entries[0].tip], [entries[1].tip]])
            #expect(entries.allSatisfy { $0.author == me.id })
            for entry in entries { #expect(try Entry.decode(entry.encoded) == entry) }
            #expect(try await store.entryCount() == 3)
            #expect(try await store.syncVector() == SyncVector(heads: [me.id: entries[2].tip]))
        }
    }

    @Test func aBatchIsOneChain() async throws {
        try await withStore { store in
            let me = try identity(1)
            let first = try await store.appendLocal(identity: me, content: .profile(name: "Me"), timestamp: stamp(1))
            let batch = try await store.appendLocal(
                identity: me, batch: [(.profile(name: "A"), stamp(2)), (.profile(name: "B"), stamp(3))])
            #expect(batch.map(\.seq) == [2, 3])
            #expect(batch.map(\.links) == [[first.tip], [batch[0].tip]])
            #expect(try await store.tips(of: me.id) == [batch[1].tip])
        }
    }

    @Test func continuesAfterOwnEntriesLearnedFromPeers() async throws {
        // A restored identity hears its own old entries back from a peer; the next write must not reuse
        // a seq, and links the entry before it even above a gap (and the tip below the gap).
        try await withStore { store in
            let me = try identity(1)
            let first = try messageEntry(me)
            let missing = try messages(me, count: 3, after: first)
            let fifth = try messageEntry(me, after: missing[2])
            _ = try await store.insert([first, fifth])
            let next = try await store.appendLocal(identity: me, content: .profile(name: "Me"), timestamp: stamp(9))
            #expect(next.seq == 6)
            #expect(next.links == [first.tip, fifth.tip])
        }
    }

    @Test func otherAuthorsDoNotAffectTheSeq() async throws {
        try await withStore { store in
            let me = try identity(1)
            _ = try await store.insert(try messages(try identity(2), count: 4))
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

    /// Another machine with this identity wrote a second entry 2: the next local entry links both tips
    /// (a merge), the log is one line again, and the fork is reported closed.
    @Test func theNextEntryAfterAForkOfItsOwnLogMergesIt() async throws {
        try await withStore { store in
            let me = try identity(1)
            let first = try await store.appendLocal(identity: me, content: .profile(name: "Me"), timestamp: stamp(1))
            let here = try await store.appendLocal(identity: me, content: .profile(name: "here"), timestamp: stamp(2))
            let twin = try messageEntry(me, after: first, at: 2, body: "written on the twin")
            #expect(try await store.insert([twin]).newlyForked == [me.id])
            #expect(try await store.tips(of: me.id) == [here.tip, twin.tip].sorted())
            #expect(try await store.forks().map(\.tips) == [2])
            #expect(try await store.authors().first?.fork == .open)

            let merge = try await store.appendLocal(identity: me, content: .profile(name: "merged"), timestamp: stamp(3))
            #expect(merge.seq == 3)
            #expect(merge.links == [here.tip, twin.tip].sorted())
            #expect(try Entry.decode(merge.encoded) == merge)
            #expect(try await store.tips(of: me.id) == [merge.tip])
            #expect(try await store.forks().map(\.author) == [me.id])
            #expect(try await store.forks().map(\.tips) == [1])
            #expect(try await store.authors().first?.fork == .closed)
        }
    }

    /// Finding 4: an entry of this identity at seq 2^63 − 2 arrives; the next write takes the last seq
    /// a log can have, and the one after is refused with `logFull` instead of trapping.
    @Test func theLastSeqIsWrittenAndTheNextRefused() async throws {
        try await withStore { store in
            let me = try identity(1)
            let lastSeq: UInt64 = (1 << 63) - 1
            let below = Entry.sign(by: me, seq: lastSeq - 2, timestamp: stamp(1), links: [], content: .profile(name: "x"))
            let pushed = Entry.sign(by: me, seq: lastSeq - 1, timestamp: stamp(1), links: [below.tip], content: .profile(name: "far"))
            _ = try await store.insert([pushed])
            let last = try await store.appendLocal(identity: me, content: .profile(name: "last"), timestamp: stamp(2))
            #expect(last.seq == lastSeq)
            #expect(try Entry.decode(last.encoded) == last)
            await #expect(throws: StoreError.logFull) {
                try await store.appendLocal(identity: me, content: .profile(name: "beyond"), timestamp: stamp(3))
            }
            #expect(try await store.entryCount() == 2)
            // The refused write's transaction was rolled back: the writer takes the next one.
            _ = try await store.insert([Entry.sign(by: try identity(2), seq: 1, timestamp: stamp(4), links: [], content: .profile(name: "next"))])
            #expect(try await store.entryCount() == 3)
        }
    }
}
