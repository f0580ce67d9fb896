@testable import LanChatCore
import Testing

/// The sending half of a sync, run against a store in memory: what it sends, in what frames, up to what bound.
@Suite("sync machine: outbound")
struct SyncOutboundTests {
    static let alice = try! identity(1), bob = try! identity(2), carol = try! identity(3)
    static let held = log(of: alice, 1...5) + log(of: bob, 1...3)

    struct LackCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let theirs: SyncVector
        /// The keys sent, in order.
        let sent: [EntryKey]
    }

    /// The keys of these ranges, authors in ID order (the order a sync sends them in).
    static func keys(_ ranges: [(LocalIdentity, ClosedRange<UInt64>)]) -> [EntryKey] {
        ranges.sorted { $0.0.id < $1.0.id }.flatMap { author, seqs in seqs.map { EntryKey(author: author.id, seq: $0) } }
    }

    @Test(arguments: [
        LackCase(testDescription: "they hold nothing", theirs: SyncVector(),
                 sent: keys([(alice, 1...5), (bob, 1...3)])),
        LackCase(testDescription: "they lack the end of one log", theirs: SyncVector(heads: [alice.id: tip(3), bob.id: tip(3)]),
                 sent: keys([(alice, 4...5)])),
        LackCase(testDescription: "they hold all", theirs: SyncVector(heads: [alice.id: tip(5), bob.id: tip(3)]), sent: []),
        LackCase(testDescription: "they are ahead on one author", theirs: SyncVector(heads: [alice.id: tip(9)]), sent: keys([(bob, 1...3)])),
        LackCase(testDescription: "an author only they have", theirs: SyncVector(heads: [alice.id: tip(5), carol.id: tip(2)]),
                 sent: keys([(bob, 1...3)])),
    ])
    func itSendsOnlyWhatThePeerLacks(_ scenario: LackCase) {
        let result = run(SyncOutbound(mine: syncVector(holding: Self.held), theirs: scenario.theirs, bound: 1000), store: Self.held)
        #expect(result.entries.map(\.key) == scenario.sent)
        #expect(result.sent == scenario.sent.count)
        #expect(result.frames.last == .done(more: false))
    }

    /// Entries go in frames of at most `SyncFrame.maxEntriesPerFrame` (40), then `done`.
    @Test(arguments: [(0, []), (1, [1]), (40, [40]), (41, [40, 1]), (100, [40, 40, 20])] as [(UInt64, [Int])])
    func entriesGoInBoundedFrames(count: UInt64, frames: [Int]) {
        let store = Array(longLog.prefix(Int(count)))
        let result = run(SyncOutbound(mine: syncVector(holding: store), theirs: SyncVector(), bound: 1000), store: store)
        let sizes = result.frames.compactMap { if case .entries(let entries) = $0 { entries.count } else { nil } }
        #expect(sizes == frames)
        #expect(result.frames.count == frames.count + 1)
        #expect(result.frames.last == .done(more: false))
    }

    struct BoundCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let store: [Entry]
        let bound: Int
        let sent: Int
        let more: Bool
    }

    /// A session sends at most `bound` entries; stopping short of what the peer lacks says `done(more: true)`.
    @Test(arguments: [
        BoundCase(testDescription: "under the bound", store: Array(longLog.prefix(100)), bound: 1000, sent: 100, more: false),
        BoundCase(testDescription: "cut at the bound", store: Array(longLog.prefix(100)), bound: 50, sent: 50, more: true),
        BoundCase(testDescription: "exactly the bound", store: Array(longLog.prefix(100)), bound: 100, sent: 100, more: false),
        BoundCase(testDescription: "the bound reached with an author left", store: Array(longLog.prefix(100)) + log(of: carol, 1...1),
                  bound: 100, sent: 100, more: true),
        BoundCase(testDescription: "bound zero", store: Array(longLog.prefix(3)), bound: 0, sent: 0, more: true),
        BoundCase(testDescription: "nothing to send", store: [], bound: 0, sent: 0, more: false),
    ])
    func itStopsAtTheBound(_ scenario: BoundCase) {
        let result = run(SyncOutbound(mine: syncVector(holding: scenario.store), theirs: SyncVector(), bound: scenario.bound), store: scenario.store)
        #expect(result.sent == scenario.sent)
        #expect(result.entries.count == scenario.sent)
        #expect(result.frames.last == .done(more: scenario.more))
    }

    /// Entries written after the vector was sent are not offered, so they are not sent (the peer would refuse them).
    @Test(arguments: [(0, 1...5), (2, 3...5), (5, nil)] as [(UInt64, ClosedRange<UInt64>?)])
    func itNeverSendsBeyondWhatItOffered(theirs: UInt64, sent: ClosedRange<UInt64>?) {
        let store = log(of: Self.alice, 1...10)
        let offered = syncVector(holding: Array(store.prefix(5)))
        let result = run(SyncOutbound(mine: offered, theirs: SyncVector(heads: theirs == 0 ? [:] : [Self.alice.id: tip(theirs)]), bound: 1000), store: store)
        #expect(result.entries.map(\.seq) == (sent.map(Array.init) ?? []))
        #expect(result.frames.last == .done(more: false))
    }

    struct ChunkCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let theirs: UInt64
        let bound: Int
        /// (after, limit) of each read.
        let reads: [(UInt64, Int)]
    }

    /// The store is read at most `readChunk` (2,000) entries at a time, never more than the bound leaves.
    /// A full read is cut back to whole seqs (the last seq read may have a second entry, a fork), so the
    /// next read starts at the last seq sent; at the bound the last one is read alone.
    @Test(arguments: [
        ChunkCase(testDescription: "4,500 entries", theirs: 0, bound: 50_000, reads: [(0, 2000), (1999, 2000), (3998, 2000)]),
        ChunkCase(testDescription: "a bound within the second chunk", theirs: 0, bound: 3000, reads: [(0, 2000), (1999, 1001), (2999, 1)]),
        ChunkCase(testDescription: "a bound under one chunk", theirs: 0, bound: 10, reads: [(0, 10), (9, 1)]),
        ChunkCase(testDescription: "the peer lacks the last 100", theirs: 4400, bound: 50_000, reads: [(4400, 2000)]),
    ])
    func itReadsInChunks(_ scenario: ChunkCase) {
        let theirs = scenario.theirs == 0 ? SyncVector() : syncVector(holding: Array(longLog.prefix(Int(scenario.theirs))))
        let result = run(SyncOutbound(mine: syncVector(holding: longLog), theirs: theirs, bound: scenario.bound), store: longLog)
        #expect(SyncOutbound.readChunk == 2000)
        #expect(result.reads.map(\.author) == Array(repeating: longLog[0].author, count: scenario.reads.count))
        #expect(result.reads.map(\.after) == scenario.reads.map(\.0))
        #expect(result.reads.map(\.limit) == scenario.reads.map(\.1))
        #expect(result.sent == min(scenario.bound, 4500 - Int(scenario.theirs)))
    }

    /// A store holding less than the vector said (a gap, a loss) ends the author after a short read.
    @Test func aShortStoreEndsTheAuthor() {
        let store = log(of: Self.alice, 1...6)
        let result = run(SyncOutbound(mine: SyncVector(heads: [Self.alice.id: tip(10)]), theirs: SyncVector(), bound: 1000), store: store)
        #expect(result.reads.map(\.after) == [0])
        #expect(result.entries == store)
        #expect(result.frames.last == .done(more: false))
    }

    /// Carol's log forked at seq 2000 (two entries there), with entries to 2001: the first read (2,000)
    /// ends between the two entries at 2000. The read is cut back to whole seqs, so neither is skipped.
    static let forkedLog: [Entry] = {
        let line = Array(longLog.prefix(1999))
        let forkA = chain(of: try! identity(5), after: line.last, count: 2, tag: "a")
        let forkB = chain(of: try! identity(5), after: line.last, count: 1, tag: "b")
        return line + forkA + forkB
    }()

    static func want(after: UInt64, through: UInt64) -> SyncOutbound.Want {
        SyncOutbound.Want(author: longLog[0].author, after: after, through: through)
    }

    @Test func aReadCutInsideAForkedSeqSkipsNeitherEntry() {
        let result = run(SyncOutbound(plan: [Self.want(after: 0, through: 2001)], bound: 50_000), store: Self.forkedLog)
        #expect(result.reads.map(\.after) == [0, 1999])
        #expect(Set(result.entries) == Set(Self.forkedLog))
        #expect(result.sent == Self.forkedLog.count)
        #expect(result.frames.last == .done(more: false))
    }

    /// Cut by the session's bound instead, at every point around the fork: what is sent is a prefix of
    /// the log in (seq, hash) order, nothing skipped, and the session says more remains.
    @Test(arguments: [1998, 1999, 2000, 2001])
    func aBoundInsideAForkedSeqSkipsNothingBeforeIt(bound: Int) {
        let ordered = Self.forkedLog.sorted { $0.tip < $1.tip }
        let result = run(SyncOutbound(plan: [Self.want(after: 0, through: 2001)], bound: bound), store: Self.forkedLog)
        #expect(result.entries == Array(ordered.prefix(bound)))
        #expect(result.frames.last == .done(more: true))
    }

    /// A forked author is sent from the seq both sides agree on, every branch above it, up to what was offered.
    @Test func aForkedAuthorIsSentFromTheAgreementUpToTheOffer() {
        let result = run(SyncOutbound(plan: [Self.want(after: 1995, through: 2000)], bound: 1000), store: Self.forkedLog)
        let expected = Self.forkedLog.filter { $0.seq > 1995 && $0.seq <= 2000 }.sorted { $0.tip < $1.tip }
        #expect(result.entries == expected)
        #expect(expected.count == 6)
    }
}
