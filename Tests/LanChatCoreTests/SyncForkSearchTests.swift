@testable import LanChatCore
import Testing

/// The search for forks after the vectors: Alice (initiator) and Bob (responder) each hold part of
/// Carol's log, in memory. Each side looks up the peer's tips it has reached; one it does not hold is
/// a fork, reported in a first `forks` frame with its checkpoints; the peer replies with its own
/// checkpoints in a second. Each walks down from its tips the peer lacks to an entry the peer reported
/// and sends everything above it. Then both run their exchange, and must end holding the same entries.
@Suite("sync machine: fork search")
struct SyncForkSearchTests {
    typealias Fixture = SyncHandshakeTests
    static let carol = Fixture.carol
    /// Carol's one line, 1 to 6, and branches that leave it after seq 3.
    static let line = chain(of: carol, count: 6)
    static let branch = chain(of: carol, after: line[2], count: 3, tag: "b")

    /// Carol's entries `seqs` of the line.
    static func line(_ seqs: ClosedRange<Int>) -> [Entry] { Array(line[seqs.lowerBound - 1..<seqs.upperBound]) }

    /// The handshake between the two holdings, then both exchanges run: what each side holds after.
    struct Sync {
        let conversation: Conversation
        let holdsAfter: [Set<Entry>]
        let failures: [SyncFailure]

        init(alice: [Entry], bob: [Entry], answerEarly: Bool = true) throws {
            let holdings = [MemoryHolding(entries: alice), MemoryHolding(entries: bob)]
            conversation = try converse(Fixture.initiator(), Fixture.responder(), holdings: holdings, answerEarly: answerEarly)
            let exchanges = [try #require(conversation.exchange(0)), try #require(conversation.exchange(1))]
            var holds = [Set(alice), Set(bob)]
            var failures: [SyncFailure] = []
            for side in 0...1 {
                let frames = run(exchanges[side].outbound, store: holdings[side].entries).frames
                let (stored, _, failure) = deliver(frames, to: exchanges[1 - side].inbound)
                holds[1 - side].formUnion(stored)
                failures += failure.map { [$0] } ?? []
            }
            holdsAfter = holds
            self.failures = failures
        }

        /// Whether a side's outbound half plans to send exactly these (author, after, through).
        func plans(_ side: Int, _ wants: [SyncOutbound.Want]) -> Bool {
            conversation.exchange(side)?.outbound == SyncOutbound(plan: wants, bound: Fixture.configuration.maxEntriesPerSession)
        }
    }

    @Test(arguments: [true, false])
    func onOneLineTheForksFramesAreEmptyAndThePlanIsWhatThePeerLacks(answerEarly: Bool) throws {
        let sync = try Sync(alice: Self.line(1...6), bob: Self.line(1...3), answerEarly: answerEarly)
        #expect(sync.conversation.forks(0) == [Checkpoints(), Checkpoints()])
        #expect(sync.conversation.forks(1) == [Checkpoints(), Checkpoints()])
        // Alice has reached Bob's tip (3) and looks it up: she holds it, so it is no fork. Bob has not reached hers.
        #expect(sync.conversation.asked[0] == [.readVector, .lookUp([Self.carol.id: [Self.line[2].tip]])])
        #expect(sync.conversation.asked[1] == [.readVector])
        #expect(sync.plans(0, [SyncOutbound.Want(author: Self.carol.id, after: 3, through: 6)]))
        #expect(sync.plans(1, []))
        #expect(sync.holdsAfter == [Set(Self.line), Set(Self.line)])
        #expect(sync.failures.isEmpty)
    }

    /// Both sides went on from seq 3 on branches of their own: Alice, who reached Bob's tip, finds the
    /// fork and sends her checkpoints; Bob replies with his. Each walks down from its tip to the first
    /// entry the other reported, and sends everything above it; both end with both branches.
    @Test(arguments: [true, false])
    func divergentBranchesAreFoundAndExchanged(answerEarly: Bool) throws {
        let alice = Self.line(1...6), bob = Self.line(1...3) + Array(Self.branch.prefix(2))
        let sync = try Sync(alice: alice, bob: bob, answerEarly: answerEarly)
        #expect(Checkpoints.seqs(below: 6) == [6, 5, 4, 2, 1])
        let aliceCheckpoints = Checkpoints([Self.carol.id: [1, 2, 4, 5, 6].map { Self.line[$0 - 1].tip }])
        let bobCheckpoints = Checkpoints([Self.carol.id: [Self.line[0].tip, Self.line[2].tip, Self.branch[0].tip, Self.branch[1].tip]])
        #expect(sync.conversation.forks(0) == [aliceCheckpoints, Checkpoints()])
        #expect(sync.conversation.forks(1) == [Checkpoints(), bobCheckpoints])
        #expect(sync.conversation.asked[0].contains(.readCheckpoints([Self.carol.id])))
        #expect(sync.conversation.asked[1].contains(.readCheckpoints([Self.carol.id])))
        // Alice walks 6, 5, 4 down to 3, which Bob reported; Bob walks 5', 4', 3 down to 2, which Alice reported.
        #expect(sync.conversation.asked[0].contains(.findForkPoints([
            Self.carol.id: ForkSearch(from: [Self.line[5].tip], stop: Set(bobCheckpoints.positions[Self.carol.id]!.map(\.hash))),
        ])))
        #expect(sync.plans(0, [SyncOutbound.Want(author: Self.carol.id, after: 3, through: 6)]))
        #expect(sync.plans(1, [SyncOutbound.Want(author: Self.carol.id, after: 2, through: 5)]))
        #expect(sync.holdsAfter[0] == Set(alice + bob) && sync.holdsAfter[1] == Set(alice + bob))
        #expect(sync.failures.isEmpty)
    }

    /// Alice holds both entries of a fork at Carol's highest seq, Bob one of them: Bob finds the fork
    /// (Alice's other tip) and reports it; Alice replies, walks down from the tip Bob lacks, and sends it.
    @Test func aForkOnlyOneSideHoldsReachesTheOther() throws {
        let alice = Self.line(1...4) + [Self.branch[0]], bob = Self.line(1...4)
        let sync = try Sync(alice: alice, bob: bob)
        #expect(sync.conversation.forks(1) == [Checkpoints([Self.carol.id: Self.line(1...4).map(\.tip)]), Checkpoints()])
        #expect(sync.conversation.forks(0) == [Checkpoints(), Checkpoints([Self.carol.id: (Self.line(1...4) + [Self.branch[0]]).map(\.tip)])])
        #expect(sync.plans(0, [SyncOutbound.Want(author: Self.carol.id, after: 3, through: 4)]))
        #expect(sync.plans(1, []))
        #expect(sync.holdsAfter[1].contains(Self.branch[0]), "Bob never receives the other side of the fork")
        #expect(sync.holdsAfter[0] == Set(alice) && sync.holdsAfter[1] == Set(alice))
        #expect(sync.failures.isEmpty)
    }

    /// Each side holds one entry at Carol's seq 4: both find the fork, both send checkpoints, neither
    /// needs a reply; each sends its own entry, and nothing of Dave's line but what the other lacks.
    @Test func aForkBothSidesFindIsExchangedBothWays() throws {
        let dave = try identity(4)
        let daveLog = chain(of: dave, count: 5)
        let alice = Self.line(1...4) + Array(daveLog.prefix(2)), bob = Self.line(1...3) + [Self.branch[0]] + daveLog
        let sync = try Sync(alice: alice, bob: bob)
        #expect(sync.conversation.forks(0).first?.positions.keys.sorted() == [Self.carol.id])
        #expect(sync.conversation.forks(1).first?.positions.keys.sorted() == [Self.carol.id])
        #expect(sync.conversation.forks(0).last == Checkpoints() && sync.conversation.forks(1).last == Checkpoints())
        #expect(sync.plans(0, [SyncOutbound.Want(author: Self.carol.id, after: 3, through: 4)]))
        #expect(sync.plans(1, [
            SyncOutbound.Want(author: Self.carol.id, after: 3, through: 4), SyncOutbound.Want(author: dave.id, after: 2, through: 5),
        ].sorted { $0.author < $1.author }))
        #expect(sync.holdsAfter[0] == Set(alice + bob) && sync.holdsAfter[1] == Set(alice + bob))
        #expect(sync.failures.isEmpty)
    }

    /// Both hold the same fork: the vectors agree, nothing is looked up or sent.
    @Test func theSameForkOnBothSidesIsNoWork() throws {
        let both = Self.line(1...4) + [Self.branch[0]]
        let sync = try Sync(alice: both, bob: both)
        #expect(sync.conversation.asked == [[.readVector], [.readVector]])
        #expect(sync.plans(0, []) && sync.plans(1, []))
    }

    /// A fork that left the line low down, below Alice's checkpoints: Bob still gets the branch.
    @Test func aBranchThatLeftBelowTheCheckpointsReachesTheOther() throws {
        let low = chain(of: Self.carol, after: Self.line[0], count: 2, tag: "low")
        let alice = Self.line + low, bob = Self.line
        let sync = try Sync(alice: alice, bob: bob)
        #expect(sync.holdsAfter[1] == Set(alice), "Bob lacks \(Set(alice).subtracting(sync.holdsAfter[1]).map(\.key.text))")
        #expect(sync.failures.isEmpty)
    }
}

/// Feeds what a peer's outbound half sent into this side's inbound half, verifying and storing every
/// batch it hands out: the entries stored, those it reported fetched whole, and the failure if it refused them.
func deliver(_ frames: [SyncFrame], to inbound: SyncInbound) -> (stored: [Entry], fetched: [EntryRef], failure: SyncFailure?) {
    var inbound = inbound
    var stored: [Entry] = []
    var fetched: [EntryRef] = []
    var pending = frames.flatMap { inbound.receive($0) }
    while !pending.isEmpty {
        switch pending.removeFirst() {
        case .verify(let batch): pending += inbound.verified(batch, valid: SignatureVerifier().verify(batch))
        case .store(let batch):
            stored += batch
            pending += inbound.stored()
        case .fetched(let refs): fetched += refs
        case .fail(let failure): return (stored, fetched, failure)
        case .finished: break
        }
    }
    return (stored, fetched, nil)
}
