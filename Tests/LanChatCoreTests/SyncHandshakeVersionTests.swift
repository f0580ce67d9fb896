import LanChatCore
import Testing

/// Versions meet in the hello: the responder answers a hello of versions it does not speak with its own
/// list instead of closing silently, so both sides learn what the other speaks; two nodes that share
/// versions use the highest; and no one between them can change a list unseen.
@Suite("sync machine: protocol versions")
struct SyncHandshakeVersionTests {
    typealias Fixture = SyncHandshakeTests

    @Test(arguments: [
        ([2], [2], 2), ([2], [3], nil), ([1, 2, 3], [2, 3, 4], 3), ([2], [1, 2], 2), ([2, 9], [1, 3, 9], 9),
    ] as [([UInt8], [UInt8], UInt8?)])
    func twoNodesUseTheHighestVersionBothSpeak(mine: [UInt8], theirs: [UInt8], agreed: UInt8?) {
        #expect(ProtocolVersions.agreed(mine, theirs) == agreed)
        #expect(ProtocolVersions.agreed(theirs, mine) == agreed)
    }

    /// A node that speaks only version 3: its hello is read up to its port, whatever follows.
    static let versionThreeHello: [UInt8] = [1, 1, 3, 0x1c, 0xfc] + [UInt8](repeating: 0xEE, count: 90)

    @Test func theResponderAnswersAHelloOfOtherVersionsWithItsOwnAndFails() throws {
        var responder = Fixture.responder()
        _ = responder.start()
        let actions = responder.receive(try SyncFrame.decode(Self.versionThreeHello))
        #expect(actions == [.send(.helloReply(versions: ProtocolVersions.spoken, nil)), .fail(.incompatibleVersions(theirs: [3], port: 7420))])
        // What goes on the wire is the list alone, which every version reads.
        #expect(SyncFrame.helloReply(versions: ProtocolVersions.spoken, nil).encoded() == [2, 1, Datagram.protocolVersion])
    }

    @Test func theInitiatorLearnsTheRespondersVersionsAndFails() throws {
        var initiator = Fixture.initiator()
        _ = initiator.start()
        // What a node speaking versions 3 and 4 answers: its list, then nothing this node could read.
        let reply = try SyncFrame.decode([2, 2, 3, 4])
        #expect(initiator.receive(reply) == [.fail(.incompatibleVersions(theirs: [3, 4], port: 0))])
    }

    /// A later node that still speaks version 2 lists both; the rest of its hello is version 2's, and the
    /// session goes on in version 2, both lists signed as they were sent.
    @Test func aHelloListingALaterVersionToo() throws {
        var responder = Fixture.responder()
        _ = responder.start()
        let versions = HandshakeTranscript.Versions(initiator: [2, 3], responder: ProtocolVersions.spoken)
        let actions = responder.receive(try SyncFrame.decode(Fixture.aliceHello(versions: [2, 3]).encoded()))
        let signature = HandshakeTranscript.sign(
            Fixture.bob, role: .responder, network: testNetwork, challenge: Fixture.aliceChallenge, other: Fixture.alice.id,
            token: Fixture.bobToken, versions: versions, binding: Fixture.binding)
        #expect(actions == [.send(.helloReply(versions: ProtocolVersions.spoken, .init(
            sender: Fixture.bob.id, challenge: Fixture.bobChallenge, token: Fixture.bobToken, signature: signature)))])
        let proof = HandshakeTranscript.sign(
            Fixture.alice, role: .initiator, network: testNetwork, challenge: Fixture.bobChallenge, other: Fixture.bob.id,
            token: Fixture.aliceToken, versions: versions, binding: Fixture.binding)
        #expect(responder.receive(.proof(signature: proof)) == [.readVector])
    }

    /// Someone between the two struck or added a version: the signatures cover both lists as each side saw them.
    @Test func aListChangedOnTheWayFailsTheHandshake() {
        var responder = Fixture.responder()
        _ = responder.start()
        // Alice sent [2]; Bob got [2, 3].
        guard case .send(let reply)? = responder.receive(Fixture.aliceHello(versions: [2, 3])).first else {
            Issue.record("no reply")
            return
        }
        var initiator = Fixture.initiator()
        _ = initiator.start()
        #expect(initiator.receive(reply) == [.fail(.authentication("peer's signature does not verify"))])
    }
}
