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
    static let aliceToken = [UInt8](repeating: 0xA7, count: HandshakeTranscript.tokenBytes)
    static let bobToken = [UInt8](repeating: 0xB7, count: HandshakeTranscript.tokenBytes)
    /// Both lists of a handshake between two nodes of this build.
    static let versions = HandshakeTranscript.Versions(initiator: ProtocolVersions.spoken, responder: ProtocolVersions.spoken)
    static let aliceVector = SyncVector(heads: [alice.id: tip(3)])
    static let bobVector = SyncVector(heads: [bob.id: tip(5), carol.id: tip(1)])
    static let configuration = SyncConfiguration()
    /// Bob as Alice's connection reaches him.
    static let binding = ConnectionBinding(responder: PeerAddress(host: "10.0.0.2", port: 7421), initiatorPort: 7420)!

    static func initiator(
        expecting: AuthorID? = nil, network: String = testNetwork, identity: LocalIdentity = alice, token: [UInt8] = aliceToken
    ) -> SyncHandshake {
        SyncHandshake(
            role: .initiator(expecting: expecting), identity: identity, network: network, listenPort: 7420,
            configuration: configuration, challenge: aliceChallenge, token: token, binding: binding)
    }

    static func responder(identity: LocalIdentity = bob, token: [UInt8] = bobToken) -> SyncHandshake {
        SyncHandshake(
            role: .responder, identity: identity, network: testNetwork, listenPort: 7421, configuration: configuration,
            challenge: bobChallenge, token: token, binding: binding)
    }

    /// Alice's hello as her initiator sends it, but for the versions it lists and the ID and token it claims.
    static func aliceHello(versions: [UInt8] = ProtocolVersions.spoken, sender: AuthorID = alice.id, token: [UInt8] = aliceToken) -> SyncFrame {
        .hello(versions: versions, port: 7420, .init(network: testNetwork, sender: sender, challenge: aliceChallenge, token: token))
    }

    /// Bob's reply to Alice's hello, signed as his responder signs it.
    static let bobReply = SyncFrame.helloReply(versions: ProtocolVersions.spoken, .init(
        sender: bob.id, challenge: bobChallenge, token: bobToken,
        signature: HandshakeTranscript.sign(
            bob, role: .responder, network: testNetwork, challenge: aliceChallenge, other: alice.id, token: bobToken, versions: versions, binding: Self.binding)))

    /// Alice's proof, answering Bob's reply.
    static let aliceProof = SyncFrame.proof(signature: HandshakeTranscript.sign(
        alice, role: .initiator, network: testNetwork, challenge: bobChallenge, other: bob.id, token: aliceToken, versions: versions, binding: Self.binding))

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
        FailureCase(testDescription: "another ID than expected", initiator: initiator(expecting: carol.id), responder: responder(),
                    side: 0, failure: .authentication("peer is \(bob.id.short), expected \(carol.id.short)")),
    ])
    func aHandshakeFails(_ scenario: FailureCase) throws {
        let outcomes = try converse(scenario.initiator, scenario.responder, holdings: Self.holdings).outcomes
        #expect(outcomes[scenario.side] == .failed(scenario.failure))
        #expect(outcomes[1 - scenario.side] == .pending)
    }

    /// Ways a signature can be wrong; `.none` is the genuine one, so each table has its control case.
    enum Forgery: CaseIterable, Sendable {
        /// `relayed`: signed for the address the signer's own connection reaches it at, while the other side
        /// dialled a relay; `otherInitiatorPort`: signed for another listen port than the hello named (a
        /// man in the middle rewrote it); `otherStreamKeys`: signed over a stream sealed with other network keys.
        case none, otherKey, otherRole, otherNetwork, otherChallenge, otherRecipient, otherToken, otherVersions, relayed,
            otherInitiatorPort, otherStreamKeys, flippedBit

        func signature(
            by signer: LocalIdentity, role: HandshakeTranscript.Role, challenge: [UInt8], for other: AuthorID, token: [UInt8]
        ) -> [UInt8] {
            let otherRole: HandshakeTranscript.Role = role == .initiator ? .responder : .initiator
            var signature = HandshakeTranscript.sign(
                self == .otherKey ? carol : signer, role: self == .otherRole ? otherRole : role,
                network: self == .otherNetwork ? "other" : testNetwork,
                challenge: self == .otherChallenge ? [UInt8](repeating: 0x77, count: challenge.count) : challenge,
                other: self == .otherRecipient ? carol.id : other,
                token: self == .otherToken ? [UInt8](repeating: 0x66, count: token.count) : token,
                versions: self == .otherVersions ? .init(initiator: [2], responder: [2, 3]) : versions, binding: binding)
            if self == .flippedBit { signature[10] ^= 0x04 }
            return signature
        }

        private var binding: ConnectionBinding {
            switch self {
            case .relayed: return ConnectionBinding(responder: PeerAddress(host: "10.0.0.9", port: 7421), initiatorPort: 7420)!
            case .otherInitiatorPort: return ConnectionBinding(responder: PeerAddress(host: "10.0.0.2", port: 7421), initiatorPort: 7999)!
            case .otherStreamKeys:
                var binding = SyncHandshakeTests.binding
                binding.sealed(initiator: KeyFingerprint(value: 1), responder: KeyFingerprint(value: 2))
                return binding
            default: return SyncHandshakeTests.binding
            }
        }
    }

    @Test(arguments: Forgery.allCases)
    func theInitiatorChecksTheRepliesSignature(_ forgery: Forgery) {
        var machine = Self.initiator()
        _ = machine.start()
        let signature = forgery.signature(
            by: Self.bob, role: .responder, challenge: Self.aliceChallenge, for: Self.alice.id, token: Self.bobToken)
        let actions = machine.receive(.helloReply(
            versions: ProtocolVersions.spoken, .init(sender: Self.bob.id, challenge: Self.bobChallenge, token: Self.bobToken, signature: signature)))
        if forgery == .none {
            #expect(actions == [.send(Self.aliceProof), .readVector])
        } else {
            #expect(actions == [.fail(.authentication("peer's signature does not verify"))])
        }
    }

    @Test(arguments: Forgery.allCases)
    func theResponderChecksTheProof(_ forgery: Forgery) {
        var machine = Self.responder()
        _ = machine.start()
        _ = machine.receive(Self.aliceHello())
        let signature = forgery.signature(
            by: Self.alice, role: .initiator, challenge: Self.bobChallenge, for: Self.bob.id, token: Self.aliceToken)
        #expect(machine.receive(.proof(signature: signature))
            == (forgery == .none ? [.readVector] : [.fail(.authentication("peer's proof does not verify"))]))
    }
}
