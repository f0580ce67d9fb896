import LanChatCore
import Testing

/// Each state of the handshake takes one frame; any other is a protocol violation that ends it for good.
@Suite("sync machine: handshake frame order")
struct SyncHandshakeOrderTests {
    typealias Fixture = SyncHandshakeTests

    enum State: String, CaseIterable, Sendable {
        case initiatorNotStarted, awaitingHelloReply, initiatorAwaitingVector, initiatorHoldingTheirVector
        case responderNotStarted, awaitingHello, awaitingProof, responderAwaitingVector

        /// The one frame this state takes, if any.
        var expected: String? {
            switch self {
            case .awaitingHelloReply: "hello reply"
            case .awaitingHello: "hello"
            case .awaitingProof: "proof"
            case .initiatorAwaitingVector, .responderAwaitingVector: "vector"
            case .initiatorNotStarted, .responderNotStarted, .initiatorHoldingTheirVector: nil
            }
        }

        /// A handshake brought to this state by genuine frames.
        func machine() -> SyncHandshake {
            let (isInitiator, started, steps): (Bool, Bool, [SyncFrame]) = switch self {
            case .initiatorNotStarted: (true, false, [])
            case .awaitingHelloReply: (true, true, [])
            case .initiatorAwaitingVector: (true, true, [genuine[1]])
            case .initiatorHoldingTheirVector: (true, true, [genuine[1], genuine[3]])
            case .responderNotStarted: (false, false, [])
            case .awaitingHello: (false, true, [])
            case .awaitingProof: (false, true, [genuine[0]])
            case .responderAwaitingVector: (false, true, [genuine[0], genuine[2]])
            }
            var machine = isInitiator ? Fixture.initiator() : Fixture.responder()
            if started { _ = machine.start() }
            for frame in steps { _ = machine.receive(frame) }
            return machine
        }
    }

    /// One well-formed frame of each type, signed as the happy path signs them.
    static let genuine: [SyncFrame] = [
        .hello(network: testNetwork, sender: Fixture.alice.id, port: 7420, challenge: Fixture.aliceChallenge),
        .helloReply(sender: Fixture.bob.id, challenge: Fixture.bobChallenge, signature: HandshakeTranscript.sign(
            Fixture.bob, role: .responder, network: testNetwork, challenge: Fixture.aliceChallenge, other: Fixture.alice.id)),
        .proof(signature: HandshakeTranscript.sign(
            Fixture.alice, role: .initiator, network: testNetwork, challenge: Fixture.bobChallenge, other: Fixture.bob.id)),
        .vector(Fixture.bobVector),
        .entries([]),
        .done(more: false),
    ]

    static let unexpected: [(State, SyncFrame)] = State.allCases.flatMap { state in
        genuine.filter { $0.name != state.expected }.map { (state, $0) }
    }

    @Test(arguments: unexpected)
    func anUnexpectedFrameIsAViolation(state: State, frame: SyncFrame) {
        var machine = state.machine()
        #expect(machine.receive(frame) == [.fail(.protocolViolation("unexpected \(frame.name) during the handshake"))])
        // Over: not even the frame the state was waiting for revives it.
        for next in Self.genuine { #expect(machine.receive(next).isEmpty) }
    }

    /// The control: in every state that takes a frame, that frame moves it on.
    @Test(arguments: State.allCases.filter { $0.expected != nil })
    func theExpectedFrameIsTaken(state: State) throws {
        var machine = state.machine()
        let frame = try #require(Self.genuine.first { $0.name == state.expected })
        var actions = machine.receive(frame)
        #expect(!actions.contains { if case .fail = $0 { true } else { false } })
        // A vector arriving before ours is read waits for it; then the handshake is done.
        if state.expected == "vector" { actions = machine.vectorRead(Fixture.aliceVector) }
        #expect(!actions.isEmpty)
        #expect(!actions.contains { if case .fail = $0 { true } else { false } })
    }

    @Test func startingTwiceOrReadingAVectorUnaskedDoesNothing() {
        var machine = Fixture.initiator()
        #expect(machine.vectorRead(Fixture.aliceVector).isEmpty)
        #expect(machine.start().count == 1)
        #expect(machine.start().isEmpty)
        #expect(machine.vectorRead(Fixture.aliceVector).isEmpty)
    }
}
