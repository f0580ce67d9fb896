@testable import LanChatCore
import Testing

/// A payload held without a signed delete is asked of the peer (`fetch` frame) and comes back whole:
/// the frame, the handshake that sends it, the outbound half that serves it and the inbound half that
/// takes exactly what it asked for. Carol's log 1…6 is the one both sides hold.
@Suite("sync machine: payloads fetched from a peer")
struct SyncPayloadFetchTests {
    typealias Fixture = SyncHandshakeTests
    typealias Order = SyncHandshakeOrderTests
    static let carol = Fixture.carol
    static let line = log(of: carol, 1...6)

    /// Carol's log with the entries at these seqs held header-only.
    static func line(lacking seqs: Set<UInt64>) -> [Entry] {
        line.map { seqs.contains($0.seq) ? $0.withoutPayload : $0 }
    }

    /// `count` distinct refs in wire order.
    static func refs(_ count: Int) -> [EntryRef] {
        (0..<count).map { EntryRef(author: carol.id, seq: UInt64($0 + 1), hash: tip(1).hash) }
    }

    // MARK: The frame

    @Test func theFrameIsItsTypeACountAndTheRefs() {
        let ref = Self.line[2].ref
        #expect(SyncFrame.fetch([ref]).encoded() == [8, 0, 1] + Self.carol.id.bytes + bigEndian(UInt64(3)) + ref.hash.bytes)
        #expect(SyncFrame.fetch([]).encoded() == [8, 0, 0])
    }

    @Test(arguments: [[], [line[0].ref], line.map(\.ref), refs(PayloadFetch.maxRefs)])
    func roundTrip(_ refs: [EntryRef]) throws {
        let bytes = SyncFrame.fetch(refs).encoded()
        #expect(try SyncFrame.decode(bytes) == .fetch(refs))
        #expect(bytes.count == 3 + 72 * refs.count)
    }

    static let malformed: [SyncFrameTests.Malformed] = {
        let ref = line[0].ref
        func frame(_ count: UInt16, _ refs: [[UInt8]]) -> [UInt8] { [8] + bigEndian(count) + refs.flatMap { $0 } }
        func bytes(seq: UInt64) -> [UInt8] { ref.author.bytes + bigEndian(seq) + ref.hash.bytes }
        let first = bytes(seq: 1), second = bytes(seq: 2)
        return [
            .init(testDescription: "no count", bytes: [8], error: .truncated(field: "fetch count")),
            .init(testDescription: "more refs than a frame asks for", bytes: frame(UInt16(PayloadFetch.maxRefs + 1), []),
                  error: .oversized(field: "fetch", size: PayloadFetch.maxRefs + 1, limit: PayloadFetch.maxRefs)),
            .init(testDescription: "fewer refs than counted", bytes: frame(2, [first]), error: .truncated(field: "fetch author")),
            .init(testDescription: "descending", bytes: frame(2, [second, first]),
                  error: .invalid(field: "fetch", reason: "entries must be strictly ascending")),
            .init(testDescription: "one ref twice", bytes: frame(2, [first, first]),
                  error: .invalid(field: "fetch", reason: "entries must be strictly ascending")),
            .init(testDescription: "seq 0", bytes: frame(1, [bytes(seq: 0)]), error: .invalid(field: "fetch seq", reason: "must be 1 to 2^63-1")),
            .init(testDescription: "seq 2^63", bytes: frame(1, [bytes(seq: 1 << 63)]),
                  error: .invalid(field: "fetch seq", reason: "must be 1 to 2^63-1")),
            .init(testDescription: "trailing bytes", bytes: frame(1, [first]) + [0], error: .trailingBytes(count: 1)),
        ]
    }()

    @Test(arguments: malformed)
    func malformedFramesAreRefused(_ input: SyncFrameTests.Malformed) {
        #expect(throws: input.error) { try SyncFrame.decode(input.bytes) }
    }

    // MARK: The whole session

    /// Alice holds 2 and 4 header-only, Bob holds everything: Alice asks for exactly those, Bob sends them
    /// whole, Alice takes them although she holds them, and reports them fetched.
    @Test(arguments: [true, false])
    func theEntriesAskedForComeWholeFromAPeerThatHoldsThem(answerEarly: Bool) throws {
        let holdings = [MemoryHolding(entries: Self.line(lacking: [2, 4])), MemoryHolding(entries: Self.line)]
        let conversation = try converse(Fixture.initiator(), Fixture.responder(), holdings: holdings, answerEarly: answerEarly)
        let asked = [Self.line[1].ref, Self.line[3].ref]
        #expect(conversation.sentNames[0] == ["hello", "proof", "vector", "fetch", "forks", "forks"])
        #expect(conversation.sent[0][3] == .fetch(asked))
        #expect(conversation.sentNames[1] == ["hello reply", "vector", "forks", "forks"], "a side that lacks nothing asks for nothing")

        let exchanges = [try #require(conversation.exchange(0)), try #require(conversation.exchange(1))]
        let served = run(exchanges[1].outbound, store: holdings[1].entries)
        #expect(served.wholeReads == [asked])
        #expect(served.frames == [.entries([Self.line[1], Self.line[3]]), .done(more: false)])
        let delivered = deliver(served.frames, to: exchanges[0].inbound)
        #expect(delivered.failure == nil)
        #expect(delivered.stored == [Self.line[1], Self.line[3]] && delivered.fetched == asked)

        #expect(run(exchanges[0].outbound, store: holdings[0].entries).frames == [.done(more: false)])
    }

    /// Both lack 4, only Alice lacks 2: Bob serves 2 and nothing for 4, Alice serves nothing.
    @Test func aPeerThatLacksThePayloadTooSendsNothingForIt() throws {
        let holdings = [MemoryHolding(entries: Self.line(lacking: [2, 4])), MemoryHolding(entries: Self.line(lacking: [4]))]
        let conversation = try converse(Fixture.initiator(), Fixture.responder(), holdings: holdings)
        #expect(conversation.sent[1].contains(.fetch([Self.line[3].ref])))
        let exchanges = [try #require(conversation.exchange(0)), try #require(conversation.exchange(1))]

        let fromBob = run(exchanges[1].outbound, store: holdings[1].entries)
        #expect(fromBob.entries == [Self.line[1]])
        let toAlice = deliver(fromBob.frames, to: exchanges[0].inbound)
        #expect(toAlice.failure == nil && toAlice.fetched == [Self.line[1].ref])

        let fromAlice = run(exchanges[0].outbound, store: holdings[0].entries)
        #expect(fromAlice.wholeReads == [[Self.line[3].ref]] && fromAlice.frames == [.done(more: false)])
        let toBob = deliver(fromAlice.frames, to: exchanges[1].inbound)
        #expect(toBob.failure == nil && toBob.stored.isEmpty && toBob.fetched.isEmpty)
    }

    // MARK: The handshake

    /// A large backlog: the lowest `maxRefs` are asked for, each once, in wire order.
    @Test func aSideAsksForABoundedNumberInOrder() {
        var machine = Order.State.initiatorAwaitingVector.machine()
        let missing = Self.refs(PayloadFetch.maxRefs + 44)
        let actions = machine.vectorRead(Fixture.aliceVector, missing: missing.reversed() + missing.prefix(3))
        #expect(actions.prefix(2) == [.send(.vector(Fixture.aliceVector)), .send(.fetch(Array(missing.prefix(PayloadFetch.maxRefs))))])
    }

    /// At most one fetch frame, after the peer's vector and before its forks frames.
    @Test(arguments: [
        (Order.State.initiatorAwaitingVector, 1), (Order.State.responderAwaitingVector, 1), (Order.State.initiatorAwaitingReply, 1),
        (Order.State.initiatorAwaitingForks, 2), (Order.State.responderAwaitingForks, 2),
    ])
    func aFetchFrameOutOfPlaceIsAViolation(state: Order.State, failsAt: Int) {
        var machine = state.machine()
        let fetch = SyncFrame.fetch([Self.line[0].ref])
        if failsAt == 2 { #expect(machine.receive(fetch).isEmpty) }
        #expect(machine.receive(fetch) == [.fail(.protocolViolation("unexpected fetch during the handshake"))])
    }

    /// The peer's fetch frame becomes what the outbound half serves first.
    @Test func theOutboundHalfServesThePeersFetchFrame() throws {
        var machine = Order.State.initiatorAwaitingForks.machine()
        let asked = [Self.line[0].ref]
        #expect(machine.receive(.fetch(asked)).isEmpty)
        let actions = machine.receive(.forks(Checkpoints())) + machine.receive(.forks(Checkpoints()))
        let exchange = try #require(actions.compactMap { if case .established(let exchange) = $0 { exchange } else { nil } }.first)
        #expect(run(exchange.outbound, store: []).wholeReads == [asked])
    }

    // MARK: The outbound half

    /// Only entries asked for, each once and with its payload, within the session's bound, before the rest.
    @Test(arguments: [(10, 2), (1, 1)])
    func theOutboundHalfServesOnlyWhatWasAskedForWhole(bound: Int, served: Int) {
        let asked = [Self.line[1].ref, Self.line[2].ref, Self.line[3].ref]
        let outbound = SyncOutbound(
            plan: [SyncOutbound.Want(author: Self.carol.id, after: 4, through: 6)], bound: bound, fetch: asked)
        // The store answers with one not asked for, one asked for without its payload, and one twice.
        let store = [Self.line[0], Self.line[1], Self.line[1], Self.line[2].withoutPayload, Self.line[3], Self.line[4], Self.line[5]]
        let frames = run(outbound, store: store).frames
        let whole = Array([Self.line[1], Self.line[3]].prefix(served))
        let rest = bound > served ? [SyncFrame.entries([Self.line[4], Self.line[5]])] : []
        #expect(frames == [.entries(whole)] + rest + [.done(more: rest.isEmpty)])
    }

    // MARK: The inbound half

    /// This node holds Carol up to 6 and asked for 2 and 4 whole; the peer offered Carol up to 6.
    static func inbound(maxEntries: Int = 1000) -> SyncInbound {
        var configuration = SyncConfiguration()
        configuration.maxEntriesPerSession = maxEntries
        let vector = SyncVector(heads: [carol.id: line[5].tip])
        return SyncInbound(mine: vector, offered: vector, requested: [line[1].ref, line[3].ref], configuration: configuration)
    }

    @Test func requestedEntriesAreTakenVerifiedStoredAndReported() {
        var machine = Self.inbound()
        let asked = [Self.line[3], Self.line[1]]
        #expect(machine.receive(.entries(asked)).isEmpty)
        #expect(machine.receive(.done(more: false)) == [.verify(asked)])
        #expect(machine.verified(asked, valid: true) == [.store(asked)])
        #expect(machine.stored() == [.fetched(asked.map(\.ref)), .finished(received: 2, peerHasMore: false)])
    }

    @Test func aRequestedEntryWhoseSignatureFailsIsNotStored() {
        var machine = Self.inbound()
        _ = machine.receive(.entries([Self.line[1]]))
        #expect(machine.receive(.done(more: false)) == [.verify([Self.line[1]])])
        #expect(machine.verified([Self.line[1]], valid: false) == [.fail(.badSignature)])
    }

    @Test(arguments: [
        ("not asked for", [line[2]]),
        ("asked for, without its payload", [line[1].withoutPayload]),
        ("asked for, twice", [line[1], line[1]]),
        ("another entry at a seq asked for", chain(of: carol, after: line[0], count: 1, tag: "other")),
    ] as [(String, [Entry])])
    func anythingElseBelowWhatThisNodeHoldsIsRefused(_ name: String, entries: [Entry]) {
        var machine = Self.inbound()
        #expect(machine.receive(.entries(entries)) == [.fail(.outOfBounds("entries this node said it holds"))])
    }

    @Test func requestedEntriesCountAgainstTheSessionBound() {
        var machine = Self.inbound(maxEntries: 1)
        #expect(machine.receive(.entries([Self.line[1], Self.line[3]])) == [.fail(.outOfBounds("more entries than a session carries"))])
    }

    @Test func afterTheHandshakeAFetchFrameIsAViolation() {
        var machine = Self.inbound()
        #expect(machine.receive(.fetch([])) == [.fail(.protocolViolation("unexpected fetch while receiving entries"))])
    }
}
