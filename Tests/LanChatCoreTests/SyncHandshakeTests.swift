@testable import LanChatCore
import Testing

/// The opening of a sync between Alice (initiator, listening on 7420) and Bob (responder): the mutual
/// proof, the vector exchange, and every way it fails.
@Suite("sync machine: handshake")
struct SyncHandshakeTests {
    static let alice = try! identity(1), bob = try! identity(2), carol = try! identity(3)
    static let aliceChallenge = [UInt8](repeating: 0xA1, count: HandshakeTranscript.challengeBytes)
    static let bobChallenge = [UInt8](repeating: 0xB0, count: HandshakeTranscript.challengeBytes)
    static let aliceVector = SyncVector(heads: [alice.id: tip(3)])
    static let bobVector = SyncVector(heads: [bob.id: tip(5), carol.id: tip(1)])
    static let configuration = SyncConfiguration()

    static func initiator(expecting: AuthorID? = nil, network: String = testNetwork, identity: LocalIdentity = alice) -> SyncHandshake {
        SyncHandshake(
            role: .initiator(expecting: expecting), identity: identity, network: network, listenPort: 7420,
            configuration: configuration, challenge: aliceChallenge)
    }

    static func responder(identity: LocalIdentity = bob) -> SyncHandshake {
        SyncHandshake(
            role: .responder, identity: identity, network: testNetwork, listenPort: 7421, configuration: configuration,
            challenge: bobChallenge)
    }

    enum Outcome: Equatable {
        case pending
        case established(SyncExchange)
        case failed(SyncFailure)
    }

    /// Two handshakes talking, every frame through its wire form. `readEarly`: a `readVector` is answered at
    /// once; otherwise only when nothing else is left to deliver (the vector arrives before ours is read).
    static func converse(
        _ initiator: SyncHandshake, _ responder: SyncHandshake, readEarly: Bool = true
    ) throws -> (outcomes: [Outcome], sent: [[String]]) {
        var machines = [initiator, responder]
        let vectors = [aliceVector, bobVector]
        var outcomes = [Outcome.pending, .pending]
        var sent: [[String]] = [[], []]
        var queue = machines[0].start().map { (0, $0) } + machines[1].start().map { (1, $0) }
        var deferredReads: [Int] = []
        while case let (side, action)? = queue.first ?? deferredReads.first.map({ ($0, SyncHandshake.Action.readVector) }) {
            if queue.isEmpty { deferredReads.removeFirst() } else { queue.removeFirst() }
            switch action {
            case .send(let frame):
                sent[side].append(frame.name)
                queue += machines[1 - side].receive(try SyncFrame.decode(frame.encoded())).map { (1 - side, $0) }
            case .readVector where readEarly || queue.isEmpty:
                queue += machines[side].vectorRead(vectors[side]).map { (side, $0) }
            case .readVector:
                deferredReads.append(side)
            case .established(let exchange):
                outcomes[side] = .established(exchange)
            case .fail(let failure):
                outcomes[side] = .failed(failure)
            }
        }
        return (outcomes, sent)
    }

    @Test(arguments: [(true, nil), (false, nil), (true, bob.id)] as [(Bool, AuthorID?)])
    func bothSidesEstablishWithTheOthersProvenIDAndVector(readEarly: Bool, expecting: AuthorID?) throws {
        let (outcomes, sent) = try Self.converse(Self.initiator(expecting: expecting), Self.responder(), readEarly: readEarly)
        let configuration = Self.configuration
        #expect(outcomes[0] == .established(SyncExchange(
            peer: Self.bob.id, peerPort: 0,
            outbound: SyncOutbound(mine: Self.aliceVector, theirs: Self.bobVector, bound: configuration.maxEntriesPerSession),
            inbound: SyncInbound(mine: Self.aliceVector, offered: Self.bobVector, configuration: configuration))))
        #expect(outcomes[1] == .established(SyncExchange(
            peer: Self.alice.id, peerPort: 7420,
            outbound: SyncOutbound(mine: Self.bobVector, theirs: Self.aliceVector, bound: configuration.maxEntriesPerSession),
            inbound: SyncInbound(mine: Self.bobVector, offered: Self.aliceVector, configuration: configuration))))
        #expect(sent == [["hello", "proof", "vector"], ["hello reply", "vector"]])
    }

    struct FailureCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let initiator: SyncHandshake
        let responder: SyncHandshake
        /// The side that fails (0 initiator, 1 responder) and why; the other is left waiting.
        let side: Int
        let failure: SyncFailure
    }

    @Test(arguments: [
        FailureCase(testDescription: "another network", initiator: initiator(network: "other"), responder: responder(),
                    side: 1, failure: .authentication("peer is on network 'other'")),
        FailureCase(testDescription: "connected to ourselves", initiator: initiator(identity: bob), responder: responder(),
                    side: 1, failure: .authentication("connected to ourselves")),
        FailureCase(testDescription: "another ID than expected", initiator: initiator(expecting: carol.id), responder: responder(),
                    side: 0, failure: .authentication("peer is \(bob.id.short), expected \(carol.id.short)")),
    ])
    func aHandshakeFails(_ scenario: FailureCase) throws {
        let (outcomes, _) = try Self.converse(scenario.initiator, scenario.responder)
        #expect(outcomes[scenario.side] == .failed(scenario.failure))
        #expect(outcomes[1 - scenario.side] == .pending)
    }

    /// The initiator's own check: a reply signed by its own key is itself, whatever the signature says.
    @Test func anInitiatorRefusesAReplyFromItself() {
        var machine = Self.initiator()
        _ = machine.start()
        let signature = HandshakeTranscript.sign(
            Self.alice, role: .responder, network: testNetwork, challenge: Self.aliceChallenge, other: Self.alice.id)
        #expect(machine.receive(.helloReply(sender: Self.alice.id, challenge: Self.bobChallenge, signature: signature))
            == [.fail(.authentication("connected to ourselves"))])
    }

    /// Ways a signature can be wrong; `.none` is the genuine one, so each table has its control case.
    enum Forgery: CaseIterable, Sendable {
        case none, otherKey, otherRole, otherNetwork, otherChallenge, otherRecipient, flippedBit

        func signature(
            by signer: LocalIdentity, role: HandshakeTranscript.Role, challenge: [UInt8], for other: AuthorID
        ) -> [UInt8] {
            let otherRole: HandshakeTranscript.Role = role == .initiator ? .responder : .initiator
            var signature = HandshakeTranscript.sign(
                self == .otherKey ? carol : signer, role: self == .otherRole ? otherRole : role,
                network: self == .otherNetwork ? "other" : testNetwork,
                challenge: self == .otherChallenge ? [UInt8](repeating: 0x77, count: challenge.count) : challenge,
                other: self == .otherRecipient ? carol.id : other)
            if self == .flippedBit { signature[10] ^= 0x04 }
            return signature
        }
    }

    @Test(arguments: Forgery.allCases)
    func theInitiatorChecksTheRepliesSignature(_ forgery: Forgery) {
        var machine = Self.initiator()
        _ = machine.start()
        let signature = forgery.signature(by: Self.bob, role: .responder, challenge: Self.aliceChallenge, for: Self.alice.id)
        let actions = machine.receive(.helloReply(sender: Self.bob.id, challenge: Self.bobChallenge, signature: signature))
        if forgery == .none {
            let proof = HandshakeTranscript.sign(Self.alice, role: .initiator, network: testNetwork, challenge: Self.bobChallenge, other: Self.bob.id)
            #expect(actions == [.send(.proof(signature: proof)), .readVector])
        } else {
            #expect(actions == [.fail(.authentication("peer's signature does not verify"))])
        }
    }

    @Test(arguments: Forgery.allCases)
    func theResponderChecksTheProof(_ forgery: Forgery) {
        var machine = Self.responder()
        _ = machine.start()
        _ = machine.receive(.hello(network: testNetwork, sender: Self.alice.id, port: 7420, challenge: Self.aliceChallenge))
        let signature = forgery.signature(by: Self.alice, role: .initiator, challenge: Self.bobChallenge, for: Self.bob.id)
        #expect(machine.receive(.proof(signature: signature))
            == (forgery == .none ? [.readVector] : [.fail(.authentication("peer's proof does not verify"))]))
    }
}
