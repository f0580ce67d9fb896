@testable import LanChatCore
import Testing

/// The opening of a sync between Alice (initiator, listening on 7420) and Bob (responder): the mutual
/// proof, the vector exchange, the two rounds of (empty) forks frames, and every way it fails. The search for forks
/// is `SyncForkSearchTests`.
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

    /// Alice and Bob holding `aliceVector` and `bobVector` (no author in common: no fork to look for).
    static let holdings = [MemoryHolding(vector: aliceVector), MemoryHolding(vector: bobVector)]

    @Test(arguments: [(true, nil), (false, nil), (true, bob.id)] as [(Bool, AuthorID?)])
    func bothSidesEstablishWithTheOthersProvenIDAndVector(answerEarly: Bool, expecting: AuthorID?) throws {
        let conversation = try converse(
            Self.initiator(expecting: expecting), Self.responder(), holdings: Self.holdings, answerEarly: answerEarly)
        let configuration = Self.configuration
        #expect(conversation.outcomes[0] == .established(SyncExchange(
            peer: Self.bob.id, peerPort: 0,
            outbound: SyncOutbound(mine: Self.aliceVector, theirs: Self.bobVector, bound: configuration.maxEntriesPerSession),
            inbound: SyncInbound(mine: Self.aliceVector, offered: Self.bobVector, configuration: configuration))))
        #expect(conversation.outcomes[1] == .established(SyncExchange(
            peer: Self.alice.id, peerPort: 7420,
            outbound: SyncOutbound(mine: Self.bobVector, theirs: Self.aliceVector, bound: configuration.maxEntriesPerSession),
            inbound: SyncInbound(mine: Self.bobVector, offered: Self.aliceVector, configuration: configuration))))
        #expect(conversation.sentNames == [["hello", "proof", "vector", "forks", "forks"], ["hello reply", "vector", "forks", "forks"]])
        #expect(conversation.forks(0) == [Checkpoints(), Checkpoints()] && conversation.forks(1) == [Checkpoints(), Checkpoints()])
        #expect(conversation.asked == [[.readVector], [.readVector]])
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
        let outcomes = try converse(scenario.initiator, scenario.responder, holdings: Self.holdings).outcomes
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
