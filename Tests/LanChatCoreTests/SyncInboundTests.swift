import LanChatCore
import Testing

/// The receiving half of a sync: what it accepts, how it batches, and that nothing unverified is stored.
/// This node said it holds Alice up to 2; the peer offered Alice up to 20 and Bob up to 3.
@Suite("sync machine: inbound")
struct SyncInboundTests {
    static let alice = try! identity(1), bob = try! identity(2), carol = try! identity(3)
    static let aliceLog = log(of: alice, 1...20)

    static func inbound(batchSize: Int = 100, maxEntries: Int = 1000) -> SyncInbound {
        var configuration = SyncConfiguration()
        configuration.batchSize = batchSize
        configuration.maxEntriesPerSession = maxEntries
        return SyncInbound(
            mine: SyncVector(heads: [alice.id: aliceLog[1].tip]),
            offered: SyncVector(heads: [alice.id: aliceLog[19].tip, bob.id: tip(3)]), configuration: configuration)
    }

    static func alices(_ seqs: ClosedRange<UInt64>) -> [Entry] { Array(aliceLog[Int(seqs.lowerBound - 1)..<Int(seqs.upperBound)]) }

    struct BoundsCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let entries: [Entry]
        /// Why the frame is refused, or nil if it is taken.
        let refusal: String?
    }

    @Test(arguments: [
        BoundsCase(testDescription: "above what we hold", entries: alices(3...4), refusal: nil),
        BoundsCase(testDescription: "up to what was offered", entries: alices(19...20), refusal: nil),
        BoundsCase(testDescription: "an author we hold nothing of", entries: log(of: bob, 1...3), refusal: nil),
        BoundsCase(testDescription: "an author not offered", entries: log(of: carol, 1...1), refusal: "entries of an author the peer did not offer"),
        BoundsCase(testDescription: "beyond the offered seq", entries: log(of: alice, 21...21), refusal: "entries beyond what the peer offered"),
        BoundsCase(testDescription: "beyond the offered seq of another author", entries: log(of: bob, 4...4), refusal: "entries beyond what the peer offered"),
        BoundsCase(testDescription: "the seq we said we hold", entries: alices(2...2), refusal: "entries this node said it holds"),
        BoundsCase(testDescription: "below it", entries: alices(1...1), refusal: "entries this node said it holds"),
        BoundsCase(testDescription: "one bad entry after good ones", entries: alices(3...5) + log(of: carol, 1...1),
                   refusal: "entries of an author the peer did not offer"),
    ])
    func itTakesOnlyOfferedEntriesItLacks(_ scenario: BoundsCase) {
        var machine = Self.inbound(batchSize: 1)
        let actions = machine.receive(.entries(scenario.entries))
        if let refusal = scenario.refusal {
            #expect(actions == [.fail(.outOfBounds(refusal))])
        } else {
            #expect(actions == [.verify(scenario.entries)])
        }
    }

    /// `maxEntriesPerSession` entries are taken, one more fails the session.
    @Test(arguments: [(8, nil), (9, "more entries than a session carries")] as [(UInt64, String?)])
    func aSessionCarriesABoundedNumberOfEntries(count: UInt64, refusal: String?) {
        var machine = Self.inbound(maxEntries: 8)
        let actions = machine.receive(.entries(Self.alices(3...4))) + machine.receive(.entries(Self.alices(5...(2 + count))))
        #expect(actions == (refusal.map { [.fail(.outOfBounds($0))] } ?? []))
    }

    /// Entries are handed out for verification once `batchSize` are pending (all pending at once), and the rest at `done`.
    @Test(arguments: [
        ([1, 1, 1], [[], [], [3], []]),
        ([2, 2, 2], [[], [4], [], [2]]),
        ([5], [[5], []]),
        ([2], [[], [2]]),
        ([], [[]]),
    ] as [([Int], [[Int]])])
    func entriesAreVerifiedInBatches(frames: [Int], batches: [[Int]]) {
        var machine = Self.inbound(batchSize: 3)
        var next: UInt64 = 3
        var verified: [[Int]] = []
        for size in frames {
            let entries = Array(Self.aliceLog[Int(next - 1)..<Int(next - 1) + size])
            next += UInt64(size)
            verified.append(machine.receive(.entries(entries)).compactMap { if case .verify(let batch) = $0 { batch.count } else { nil } })
        }
        verified.append(machine.receive(.done(more: false)).compactMap { if case .verify(let batch) = $0 { batch.count } else { nil } })
        #expect(verified == batches)
    }

    @Test(arguments: [true, false])
    func aBatchIsStoredOnlyIfItVerifies(valid: Bool) {
        var machine = Self.inbound()
        let batch = Self.alices(3...5)
        #expect(machine.receive(.entries(batch)) == [])
        #expect(machine.receive(.done(more: false)) == [.verify(batch)])
        #expect(machine.verified(batch, valid: valid) == (valid ? [.store(batch)] : [.fail(.badSignature)]))
        // After a failure the session is over: nothing is stored and it never finishes.
        #expect(machine.stored() == (valid ? [.finished(received: 3, peerHasMore: false)] : []))
        if !valid { #expect(machine.verified(batch, valid: true) == []) }
    }

    /// The session finishes after `done` and the last batch stored, not before; the peer's `more` is passed on.
    @Test(arguments: [true, false])
    func itFinishesOnceEveryBatchIsStored(more: Bool) {
        var machine = Self.inbound(batchSize: 3)
        let (first, second) = (Self.alices(3...5), Self.alices(6...8))
        #expect(machine.receive(.entries(first)) == [.verify(first)])
        #expect(machine.receive(.entries(second)) == [.verify(second)])
        #expect(machine.receive(.done(more: more)) == [])
        #expect(machine.verified(second, valid: true) == [.store(second)])
        #expect(machine.stored() == [])
        #expect(machine.verified(first, valid: true) == [.store(first)])
        #expect(machine.stored() == [.finished(received: 6, peerHasMore: more)])
    }

    static let otherFrames: [SyncFrame] = [
        .hello(versions: [2], port: 1, .init(
            network: testNetwork, sender: alice.id, challenge: [UInt8](repeating: 1, count: HandshakeTranscript.challengeBytes),
            token: [UInt8](repeating: 3, count: HandshakeTranscript.tokenBytes))),
        .helloReply(versions: [2], .init(
            sender: alice.id, challenge: [UInt8](repeating: 1, count: HandshakeTranscript.challengeBytes),
            token: [UInt8](repeating: 3, count: HandshakeTranscript.tokenBytes), signature: [UInt8](repeating: 2, count: Entry.signatureBytes))),
        .proof(signature: [UInt8](repeating: 2, count: Entry.signatureBytes)),
        .vector(SyncVector()),
        .forks(Checkpoints()),
    ]

    @Test(arguments: otherFrames)
    func handshakeFramesAreViolations(frame: SyncFrame) {
        var machine = Self.inbound()
        #expect(machine.receive(frame) == [.fail(.protocolViolation("unexpected \(frame.name) while receiving entries"))])
    }

    @Test(arguments: [SyncFrame.entries(alices(3...3)), .entries([]), .done(more: false), .done(more: true)])
    func nothingMayFollowDone(frame: SyncFrame) {
        var machine = Self.inbound()
        #expect(machine.receive(.done(more: false)) == [.finished(received: 0, peerHasMore: false)])
        #expect(machine.receive(frame) == [.fail(.protocolViolation("\(frame.name) after done"))])
    }

    /// Where the handshake found Alice's log forked, the peer sends her entries from the seq both agree
    /// on: below what this node holds of her. Not so for any other author, nor beyond the offer.
    @Test(arguments: [
        BoundsCase(testDescription: "a forked author below what we hold", entries: alices(1...2), refusal: nil),
        BoundsCase(testDescription: "a forked author above what we hold", entries: alices(2...5), refusal: nil),
        BoundsCase(testDescription: "a forked author beyond the offer", entries: log(of: alice, 21...21), refusal: "entries beyond what the peer offered"),
        BoundsCase(testDescription: "another author below what we hold", entries: log(of: bob, 1...1), refusal: "entries this node said it holds"),
        BoundsCase(testDescription: "another author above what we hold", entries: log(of: bob, 3...3), refusal: nil),
    ])
    func aForkedAuthorsEntriesAreTakenBelowWhatThisNodeHolds(_ scenario: BoundsCase) {
        var machine = SyncInbound(
            mine: SyncVector(heads: [Self.alice.id: Self.aliceLog[1].tip, Self.bob.id: tip(2)]),
            offered: SyncVector(heads: [Self.alice.id: Self.aliceLog[19].tip, Self.bob.id: tip(3)]), forked: [Self.alice.id],
            configuration: SyncConfiguration())
        let actions = machine.receive(.entries(scenario.entries)) + machine.receive(.done(more: false))
        if let refusal = scenario.refusal {
            #expect(actions == [.fail(.outOfBounds(refusal))])
        } else {
            #expect(actions == [.verify(scenario.entries)])
        }
    }
}
