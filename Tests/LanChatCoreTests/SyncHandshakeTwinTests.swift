import LanChatCore
import Testing

/// A handshake that proves this node's own ID: with this node's start token it is this node at another
/// of its addresses; with another token, a twin (the same identity on another machine). Both ends learn
/// which; neither takes a mere claim of the ID, or of a token, for either.
@Suite("sync machine: own ID, twins")
struct SyncHandshakeTwinTests {
    typealias Fixture = SyncHandshakeTests
    static let holdings = [MemoryHolding(vector: Fixture.aliceVector), MemoryHolding(vector: Fixture.aliceVector)]

    @Test func ownIDWithAnotherTokenIsATwinOnBothEnds() throws {
        let conversation = try converse(
            Fixture.initiator(), Fixture.responder(identity: Fixture.alice, token: Fixture.bobToken), holdings: Self.holdings)
        #expect(conversation.outcomes == [.failed(.twin), .failed(.twin)])
        // The initiator still sends its proof, so that the responder can tell too; no vector is read.
        #expect(conversation.sentNames == [["hello", "proof"], ["hello reply"]])
        #expect(conversation.asked == [[], []])
    }

    @Test func ownIDWithOwnTokenIsThisNodeNotATwin() throws {
        let conversation = try converse(
            Fixture.initiator(), Fixture.responder(identity: Fixture.alice, token: Fixture.aliceToken), holdings: Self.holdings)
        #expect(conversation.outcomes == [.failed(.itself), .failed(.itself)])
    }

    /// Carol claims Alice's ID and a token of her own: without Alice's key her proof fails, and Alice
    /// reports no twin.
    @Test func aClaimOfOurIDWithoutOurKeyIsNoTwin() {
        var responder = Fixture.responder(identity: Fixture.alice, token: Fixture.aliceToken)
        _ = responder.start()
        _ = responder.receive(Fixture.aliceHello(token: Fixture.bobToken))
        let proof = HandshakeTranscript.sign(
            Fixture.carol, role: .initiator, network: testNetwork, challenge: Fixture.bobChallenge, other: Fixture.alice.id,
            token: Fixture.bobToken, versions: Fixture.versions, binding: Fixture.binding)
        #expect(responder.receive(.proof(signature: proof)) == [.fail(.authentication("peer's proof does not verify"))])
    }

    /// A reply of Alice's own ID whose token was changed on the way (to make her see a twin, or to hide
    /// one): the token is under the signature.
    @Test func aTokenChangedOnTheWayFailsTheHandshake() {
        var initiator = Fixture.initiator()
        _ = initiator.start()
        let signature = HandshakeTranscript.sign(
            Fixture.alice, role: .responder, network: testNetwork, challenge: Fixture.aliceChallenge, other: Fixture.alice.id,
            token: Fixture.aliceToken, versions: Fixture.versions, binding: Fixture.binding)
        let reply = SyncFrame.helloReply(
            versions: ProtocolVersions.spoken,
            .init(sender: Fixture.alice.id, challenge: Fixture.bobChallenge, token: Fixture.bobToken, signature: signature))
        #expect(initiator.receive(reply) == [.fail(.authentication("peer's signature does not verify"))])
    }
}
