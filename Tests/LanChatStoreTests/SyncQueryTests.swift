import LanChatCore
import LanChatStore
import Testing

/// What a sync reads from the store: the vector of tips, the entries after a seq, which positions are
/// held, and the checkpoints of a log found forked.
@Suite("EntryStore sync queries")
struct SyncQueryTests {
    @Test func entriesAreOneAuthorsCompleteLogInSeqOrder() async throws {
        try await withStore { store in
            let alice = try identity(1), bob = try identity(2)
            let log = try messages(alice, count: 5, at: { 100 - $0 })
            var random = SplitMix64(seed: 11)
            _ = try await store.insert(log.shuffled(using: &random) + (try messages(bob, count: 2)))

            #expect(try await store.entries(author: alice.id, after: 1, limit: 3) == Array(log[1...3]))
            #expect(try await store.entries(author: alice.id, after: 0, limit: 100) == log)
            #expect(try await store.entries(author: alice.id, after: 5, limit: 100).isEmpty)
            #expect(try await store.entries(author: bob.id, after: 0, limit: 100).map(\.seq) == [1, 2])
            #expect(try await store.entries(author: try identity(3).id, after: 0, limit: 100).isEmpty)
        }
    }

    @Test func heldNamesThePositionsHeldOfEachAuthor() async throws {
        try await withStore { store in
            let alice = try identity(1), bob = try identity(2)
            let aliceLog = try messages(alice, count: 3), bobLog = try messages(bob, count: 2)
            _ = try await store.insert(aliceLog + bobLog)
            let madeUp = AuthorTip(seq: 2, hash: EntryHash(of: [1]))
            #expect(try await store.held([:]).isEmpty)
            #expect(try await store.held([alice.id: [aliceLog[1].tip, madeUp], bob.id: [bobLog[0].tip]]) == [aliceLog[1].hash, bobLog[0].hash])
            // A hash is held only under its own author.
            #expect(try await store.held([bob.id: [aliceLog[0].tip]]).isEmpty)
            #expect(try await store.held([try identity(3).id: [madeUp]]).isEmpty)
        }
    }

    /// Checkpoints are the complete entries at `Checkpoints.seqs(below:)` the author's highest seq:
    /// both entries where that seq forked, none of an author not held.
    @Test func checkpointsAreTheEntriesAtThePowersOfTwoBelowTheHighest() async throws {
        try await withStore { store in
            let alice = try identity(1), bob = try identity(2)
            let log = try messages(alice, count: 12)
            let fork = try messageEntry(alice, after: log[9], body: "other 11")
            let incomplete = try messageEntry(alice, after: try messageEntry(alice, after: log[11]))  // seq 14, above a gap
            _ = try await store.insert(log + [fork, incomplete])
            #expect(Checkpoints.seqs(below: 12) == [12, 11, 10, 8, 4, 1])
            let checkpoints = try await store.checkpoints(of: [alice.id, bob.id])
            let expected = [12, 11, 10, 8, 4, 1].map { log[$0 - 1].tip } + [fork.tip]
            #expect(checkpoints == Checkpoints([alice.id: expected]))
            #expect(checkpoints.positions[bob.id] == nil)
            #expect(try await store.checkpoints(of: []) == Checkpoints())
        }
    }

    /// The walk of a fork search over the store: down from the given tips by their links to the first
    /// entry in the stop set.
    @Test func forkPointsWalkDownToAnEntryThePeerHolds() async throws {
        try await withStore { store in
            let alice = try identity(1), bob = try identity(2)
            let line = try messages(alice, count: 6)
            let branch = try messages(alice, count: 2, after: line[2], tag: "b")
            _ = try await store.insert(line + branch + (try messages(bob, count: 2)))
            let points = try await store.forkPoints([
                alice.id: ForkSearch(from: [line[5].tip, branch[1].tip], stop: [line[4].hash, line[1].hash]),
                bob.id: ForkSearch(from: [AuthorTip(seq: 2, hash: EntryHash(of: [9]))], stop: []),
            ])
            #expect(points == [alice.id: 2, bob.id: 0])
            #expect(try await store.forkPoints([alice.id: ForkSearch(from: [line[5].tip], stop: [line[2].hash])]) == [alice.id: 3])
        }
    }

    @Test(arguments: [(1, [1]), (2, [2, 1]), (3, [3, 2, 1]), (5, [5, 4, 3, 1]), (16, [16, 15, 14, 12, 8, 1]), (17, [17, 16, 15, 13, 9, 1])]
        as [(UInt64, [UInt64])])
    func checkpointSeqs(highest: UInt64, seqs: [UInt64]) {
        #expect(Checkpoints.seqs(below: highest) == seqs)
    }

    @Test func checkpointSeqsOfTheLongestLogAreFew() {
        let seqs = Checkpoints.seqs(below: (1 << 63) - 1)
        #expect(seqs.count == 65)
        #expect(seqs.count <= Checkpoints.maxPerAuthor)
        #expect(Checkpoints.seqs(below: 0).isEmpty)
    }
}
