import LanChatCore
import LanChatStore
import Testing

/// An entry is complete when everything it links to is held and complete; complete entries without a
/// successor are the author's tips. Only complete entries are served to peers.
@Suite("EntryStore tips and gaps")
struct TipTests {
    @Test func tipsAdvanceAlongAChain() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let log = try messages(alice, count: 4)
            #expect(try await store.insert(Array(log.prefix(3))).tips == [alice.id: [log[2].tip]])
            #expect(try await store.tips(of: alice.id) == [log[2].tip])
            #expect(try await store.insert([log[3]]).tips == [alice.id: [log[3].tip]])
            #expect(try await store.syncVector() == SyncVector(heads: [alice.id: log[3].tip]))
        }
    }

    /// Entry 3 is withheld: 4 and 5 are held but incomplete (no tips, not served) until it arrives;
    /// then all complete at once.
    @Test func aGapKeepsLaterEntriesIncompleteUntilItIsFilledThenTheyCompleteInCascade() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let log = try messages(alice, count: 5)
            let result = try await store.insert([log[0], log[1], log[3], log[4]])
            #expect(result.fresh.count == 4)
            #expect(result.tips == [alice.id: [log[1].tip]])
            #expect(try await store.tips(of: alice.id) == [log[1].tip])
            #expect(try await store.entries(author: alice.id, after: 0, limit: 100) == Array(log.prefix(2)))
            #expect(try await store.entries(author: alice.id, after: 2, limit: 100).isEmpty)
            #expect(try await store.held([alice.id: log.map(\.tip)]) == Set([0, 1, 3, 4].map { log[$0].hash }))

            #expect(try await store.insert([log[2]]).tips == [alice.id: [log[4].tip]])
            #expect(try await store.tips(of: alice.id) == [log[4].tip])
            #expect(try await store.entries(author: alice.id, after: 0, limit: 100) == log)
        }
    }

    /// Only a waiting entry is filed by its links (the `link` table), and no more once it completes; a
    /// later gap of the same log waits and completes the same way, also with entries arriving twice.
    @Test func gapsOneAfterAnotherEachCompleteWhenFilled() async throws {
        try await withTemporaryDirectory { directory in
            let store = try openStore(in: directory)
            let links = { try sqlite(storePath(in: directory), "SELECT COUNT(*) FROM link") }
            let alice = try identity(1)
            let log = try messages(alice, count: 7)
            _ = try await store.insert([log[0], log[2]])
            #expect(try links() == "1")
            #expect(try await store.insert([log[1]]).tips == [alice.id: [log[2].tip]])
            #expect(try links() == "0")
            #expect(try await store.insert([log[4], log[5], log[4]]).tips == [alice.id: [log[2].tip]])
            #expect(try await store.insert([log[5], log[6]]).tips == [alice.id: [log[2].tip]])
            #expect(try links() == "3")
            #expect(try await store.insert([log[3]]).tips == [alice.id: [log[6].tip]])
            #expect(try links() == "0")
            #expect(try await store.entries(author: alice.id, after: 0, limit: 100) == log)
        }
    }

    /// A link names a seq and a hash, and only the entry at that seq with that hash meets it: a merge
    /// whose link names a branch's hash at another seq waits, on every node alike, whatever else came in
    /// the same insert (a tip or an entry this insert completed once met it by hash alone).
    @Test func aLinkNamingTheWrongSeqIsMetByNothingHoweverEntriesAreBatched() async throws {
        let alice = try identity(1)
        let first = try messageEntry(alice)
        let left = try messageEntry(alice, after: first, body: "left"), right = try messageEntry(alice, after: first, body: "right")
        let leftChild = try messageEntry(alice, after: left, body: "left child")
        let merge = Entry.sign(
            by: alice, seq: 3, timestamp: stamp(2_000), links: [AuthorTip(seq: 1, hash: left.hash), right.tip], content: .profile(name: "A"))
        let waiting = [right.tip, leftChild.tip].sorted()
        for batches in [[[first, left, right], [merge], [leftChild]], [[first, left, right, leftChild], [merge]], [[first, left, right, merge, leftChild]]] {
            try await withStore { store in
                for batch in batches { _ = try await store.insert(batch) }
                #expect(try await store.tips(of: alice.id).sorted() == waiting, "\(batches.map { $0.map(\.seq) })")
            }
        }
    }

    @Test func aLogArrivingBackwardsCompletesWithItsFirstEntry() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let log = try messages(alice, count: 6)
            for entry in log.dropFirst().reversed() {
                #expect(try await store.insert([entry]).tips == [alice.id: []])
            }
            #expect(try await store.syncVector() == SyncVector())
            #expect(try await store.insert([log[0]]).tips == [alice.id: [log[5].tip]])
            #expect(try await store.entries(author: alice.id, after: 3, limit: 2) == Array(log[3...4]))
        }
    }

    /// Authors are independent: a gap in one log holds back no other.
    @Test func aGapHoldsBackOnlyItsAuthor() async throws {
        try await withStore { store in
            let alice = try identity(1), bob = try identity(2)
            let aliceLog = try messages(alice, count: 3), bobLog = try messages(bob, count: 2)
            _ = try await store.insert([aliceLog[0], aliceLog[2]] + bobLog)
            #expect(try await store.syncVector() == SyncVector(heads: [alice.id: aliceLog[0].tip, bob.id: bobLog[1].tip]))
        }
    }
}

/// Entries that link to something never received wait, but only so many per author.
@Suite("entries waiting for a missing one")
struct WaitingBoundTests {
    @Test func beyondTheBoundTheyAreRefused() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let missing = try messageEntry(alice)
            // Each links to a predecessor nobody has: none can complete.
            let orphans = try (0..<(EntryStore.maxWaitingPerAuthor + 5)).map { index in
                try messageEntry(alice, after: messageEntry(alice, after: missing, body: "never sent \(index)"), body: "waits \(index)")
            }
            let result = try await store.insert(orphans, durable: false)
            #expect(result.fresh.count == EntryStore.maxWaitingPerAuthor)
            #expect(result.refusedWaiting == 5)
            #expect(try await store.syncVector().tips[alice.id] == nil)
        }
    }

    /// The count is kept as the insert goes: entries that complete within it leave room for others.
    @Test func entriesThatCompleteMakeRoom() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let chain = try messages(alice, count: 6)
            // Seq 2, each linking a seq 1 nobody sends: sorted before the chain's gap at seq 3.
            let missing = try messageEntry(alice, body: "never sent")
            let early = try (0..<EntryStore.maxWaitingPerAuthor).map { try messageEntry(alice, after: missing, body: "waits \($0)") }
            // Seq 7, linking a seq 6 of another branch nobody sends: sorted after it.
            let otherSixth = try messages(alice, count: 6, tag: " unsent")[5]
            let late = try (0..<4).map { try messageEntry(alice, after: otherSixth, body: "late \($0)") }
            // Three of the chain wait for its third: with them, one below the bound.
            let first = try await store.insert(chain.prefix(2) + chain.suffix(3) + early.prefix(EntryStore.maxWaitingPerAuthor - 4), durable: false)
            #expect(first.fresh.count == EntryStore.maxWaitingPerAuthor + 1)
            #expect(first.refusedWaiting == 0)
            // One more reaches it; the third then completes those three, and three of four more fit.
            let second = try await store.insert([early.last!, chain[2]] + late, durable: false)
            #expect(second.fresh.count == 5)
            #expect(second.refusedWaiting == 1)
            #expect(try await store.tips(of: alice.id) == [chain[5].tip])
        }
    }
}
