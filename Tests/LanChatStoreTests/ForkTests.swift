import LanChatCore
import LanChatStore
import Testing

/// Two valid entries of one author at one seq are a fork: both are kept, both are tips, the fork is
/// recorded and reported once; beyond `SyncVector.maxTipsPerAuthor` branches, more are refused.
@Suite("EntryStore forks")
struct ForkTests {
    @Test func aForkAtOneSeqGivesTwoTipsAndIsReportedOnce() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let line = try messages(alice, count: 3)
            let other = try messages(alice, count: 2, after: line[1], tag: "b")
            #expect(try await store.insert(line).newlyForked.isEmpty)
            let forking = try await store.insert([other[0]])
            #expect(forking.newlyForked == [alice.id])
            #expect(forking.tips == [alice.id: [line[2].tip, other[0].tip].sorted()])
            #expect(try await store.forks().map(\.author) == [alice.id])
            #expect(try await store.forks().map(\.tips) == [2])
            #expect(try await store.authors() == [AuthorSummary(id: alice.id, messages: 4, fork: .open)])
            // Both branches are held, shown and served, in seq then hash order.
            #expect(try await store.historyEntries(room: "general").count == 4)
            let served = try await store.entries(author: alice.id, after: 2, limit: 10)
            #expect(served == [line[2], other[0]].sorted { $0.hash < $1.hash })

            // The branch grows: its tip moves, the fork is not reported again.
            let growing = try await store.insert([other[1]])
            #expect(growing.newlyForked.isEmpty)
            #expect(try await store.tips(of: alice.id) == [line[2].tip, other[1].tip].sorted())
            #expect(try await store.syncVector() == SyncVector([alice.id: [line[2].tip, other[1].tip]]))
        }
    }

    @Test func bothEntriesOfAForkInOneInsertAreReportedOnce() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let first = try messageEntry(alice)
            let left = try messageEntry(alice, after: first, body: "left"), right = try messageEntry(alice, after: first, body: "right")
            let result = try await store.insert([first, left, right])
            #expect(result.newlyForked == [alice.id])
            #expect(result.tips == [alice.id: [left.tip, right.tip].sorted()])
        }
    }

    /// Another author's merge: an entry linking both tips ends the fork (one tip), which stays recorded, closed.
    @Test func aMergeLeavesOneTipAndTheForkClosed() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let first = try messageEntry(alice)
            let left = try messageEntry(alice, after: first, body: "left"), right = try messageEntry(alice, after: first, body: "right")
            let merge = Entry.sign(by: alice, seq: 3, timestamp: stamp(2), links: [left.tip, right.tip], content: .profile(name: "A"))
            _ = try await store.insert([first, left, right])
            #expect(try await store.insert([merge]).tips == [alice.id: [merge.tip]])
            #expect(try await store.forks().map(\.tips) == [1])
            #expect(try await store.authors().map(\.fork) == [.closed])
        }
    }

    /// Eight branches at seq 2 are kept; a ninth is refused, counted, and not held.
    @Test func branchesBeyondTheBoundAreRefusedAndCounted() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let first = try messageEntry(alice)
            let branches = try (1...SyncVector.maxTipsPerAuthor + 1).map { try messageEntry(alice, after: first, body: "branch \($0)") }
            let kept = try await store.insert([first] + branches.prefix(SyncVector.maxTipsPerAuthor))
            #expect(kept.refusedBranches == 0)
            #expect(try await store.tips(of: alice.id).count == SyncVector.maxTipsPerAuthor)
            let refused = try await store.insert([branches[SyncVector.maxTipsPerAuthor]])
            #expect(refused.refusedBranches == 1)
            #expect(refused.fresh.isEmpty)
            #expect(try await store.tips(of: alice.id) == branches.prefix(SyncVector.maxTipsPerAuthor).map(\.tip).sorted())
            #expect(try await store.held([alice.id: [branches[SyncVector.maxTipsPerAuthor].tip]]).isEmpty)
            #expect(try await store.entryCount() == 1 + SyncVector.maxTipsPerAuthor)
            let tally = try await store.tally()
            #expect(tally.refusedBranches == 1 && tally.forks.map(\.tips) == [SyncVector.maxTipsPerAuthor])
            // A branch that grows an existing tip is no new branch.
            let grown = try messageEntry(alice, after: branches[0])
            #expect(try await store.insert([grown]).refusedBranches == 0)
        }
    }

    /// The same bound where the extra branch completes later, in the cascade its missing entry starts:
    /// Alice holds eight tips; two entries follow a withheld one, which then arrives. One of them
    /// continues its branch; the other would be a ninth, and is refused and counted like any other.
    @Test func aBranchBeyondTheBoundThatCompletesInACascadeIsRefusedAndCounted() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let first = try messageEntry(alice)
            let tips = try (1...SyncVector.maxTipsPerAuthor).map { try messageEntry(alice, after: first, body: "branch \($0)") }
            let withheld = try messageEntry(alice, after: tips[0])
            let children = [try messageEntry(alice, after: withheld, body: "one"), try messageEntry(alice, after: withheld, body: "two")]
            _ = try await store.insert([first] + tips + children)
            let result = try await store.insert([withheld])
            #expect(try await store.tips(of: alice.id).count == SyncVector.maxTipsPerAuthor)
            #expect(result.refusedBranches == 1)
            // The refused child is forgotten, and no longer counted among the entries held.
            #expect(try await store.entryCount() == 1 + tips.count + 1 + 1)
        }
    }

    /// `author/seq` names the lowest hash where the log forked: every node resolves it the same way.
    @Test func resolvePicksTheLowestHashAtAForkedSeq() async throws {
        try await withStore { store in
            let alice = try identity(1)
            let first = try messageEntry(alice)
            let forked = [try messageEntry(alice, after: first, body: "left"), try messageEntry(alice, after: first, body: "right")]
            _ = try await store.insert([first] + forked)
            let lowest = try #require(forked.min { $0.hash < $1.hash })
            #expect(try await store.resolve(EntryKey(author: alice.id, seq: 2)) == lowest.ref)
            #expect(try await store.resolve(EntryKey(author: alice.id, seq: 1)) == first.ref)
            #expect(try await store.resolve(EntryKey(author: alice.id, seq: 3)) == nil)
            #expect(try await store.resolve(EntryKey(author: try identity(2).id, seq: 1)) == nil)
        }
    }
}
