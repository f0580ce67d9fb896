import LanChatCore
import Testing

/// Each state of the handshake takes one frame; any other is a protocol violation that ends it for good.
@Suite("sync machine: handshake frame order")
struct SyncHandshakeOrderTests {
    typealias Fixture = SyncHandshakeTests

    /// Alice's vector where she must look Bob's tips up: his tip of himself (5) is below her highest
    /// seq of him and not her tip, so she asks her store whether she holds it.
    static let aliceAheadOfBob = SyncVector(heads: [Fixture.bob.id: tip(7)])
    /// Alice's vector where she holds another entry of Carol's than Bob's tip: a walk from it follows a fork.
    static let aliceWithCarol = SyncVector(heads: [Fixture.carol.id: tip(2, hash: 1)])
    /// A first forks frame that names Carol: the side receiving it replies with its checkpoints of her.
    static let carolForked = SyncFrame.forks(Checkpoints([Fixture.carol.id: [tip(1), tip(2)]]))

    enum Step {
        case start, frame(SyncFrame), vectorRead(SyncVector), found(Set<EntryHash>), checkpointsRead(Checkpoints)
    }

    /// The store question a state waits for, if any.
    enum Owed {
        case vector, lookUp, checkpoints, forkPoints
    }

    enum State: String, CaseIterable, Sendable {
        case initiatorNotStarted, awaitingHelloReply, initiatorAwaitingVector, initiatorHoldingTheirVector
        case initiatorAwaitingForks, initiatorAwaitingReply, initiatorLookingUpTheirTips, initiatorLookingUpHoldingTheirForks
        case initiatorReadingItsReply, initiatorWalkingToForkPoints
        case responderNotStarted, awaitingHello, awaitingProof, responderAwaitingVector, responderAwaitingForks

        /// The one frame this state takes, if any.
        var expected: String? {
            switch self {
            case .awaitingHelloReply: "hello reply"
            case .awaitingHello: "hello"
            case .awaitingProof: "proof"
            case .initiatorAwaitingVector, .responderAwaitingVector: "vector"
            // The peer's first forks frame, or its reply; either may come while this side asks its store.
            case .initiatorAwaitingForks, .responderAwaitingForks, .initiatorAwaitingReply, .initiatorLookingUpTheirTips,
                .initiatorReadingItsReply:
                "forks"
            // Waiting for its own store before it sends what the peer waits for: the peer has nothing to send.
            case .initiatorNotStarted, .responderNotStarted, .initiatorHoldingTheirVector, .initiatorLookingUpHoldingTheirForks,
                .initiatorWalkingToForkPoints:
                nil
            }
        }

        var owed: Owed? {
            switch self {
            case .initiatorAwaitingVector, .initiatorHoldingTheirVector, .responderAwaitingVector: .vector
            case .initiatorLookingUpTheirTips, .initiatorLookingUpHoldingTheirForks: .lookUp
            case .initiatorReadingItsReply: .checkpoints
            case .initiatorWalkingToForkPoints: .forkPoints
            default: nil
            }
        }

        var steps: (initiator: Bool, [Step]) {
            let reply = Step.frame(genuine[1]), theirVector = Step.frame(genuine[3]), noForks = Step.frame(.forks(Checkpoints()))
            let vectorsExchanged: [Step] = [.start, reply, .vectorRead(Fixture.aliceVector), theirVector]
            return switch self {
            case .initiatorNotStarted: (true, [])
            case .awaitingHelloReply: (true, [.start])
            case .initiatorAwaitingVector: (true, [.start, reply])
            case .initiatorHoldingTheirVector: (true, [.start, reply, theirVector])
            case .initiatorAwaitingForks: (true, vectorsExchanged)
            case .initiatorAwaitingReply: (true, vectorsExchanged + [noForks])
            case .initiatorLookingUpTheirTips: (true, [.start, reply, .vectorRead(aliceAheadOfBob), theirVector])
            case .initiatorLookingUpHoldingTheirForks: (true, [.start, reply, .vectorRead(aliceAheadOfBob), theirVector, noForks])
            case .initiatorReadingItsReply: (true, vectorsExchanged + [.frame(carolForked)])
            case .initiatorWalkingToForkPoints:
                (true, [.start, reply, .vectorRead(aliceWithCarol), theirVector, .found([tip(1).hash]), .frame(carolForked),
                        .checkpointsRead(Checkpoints()), noForks])
            case .responderNotStarted: (false, [])
            case .awaitingHello: (false, [.start])
            case .awaitingProof: (false, [.start, .frame(genuine[0])])
            case .responderAwaitingVector: (false, [.start, .frame(genuine[0]), .frame(genuine[2])])
            case .responderAwaitingForks:
                (false, [.start, .frame(genuine[0]), .frame(genuine[2]), .vectorRead(Fixture.bobVector), .frame(.vector(Fixture.aliceVector))])
            }
        }

        /// A handshake brought to this state by genuine frames and store answers.
        func machine() -> SyncHandshake {
            let (isInitiator, steps) = steps
            var machine = isInitiator ? Fixture.initiator() : Fixture.responder()
            for step in steps { _ = Self.apply(step, to: &machine) }
            return machine
        }

        static func apply(_ step: Step, to machine: inout SyncHandshake) -> [SyncHandshake.Action] {
            switch step {
            case .start: machine.start()
            case .frame(let frame): machine.receive(frame)
            case .vectorRead(let vector): machine.vectorRead(vector)
            case .found(let held): machine.found(held)
            case .checkpointsRead(let checkpoints): machine.checkpointsRead(checkpoints)
            }
        }
    }

    /// One well-formed frame of each type, signed as the happy path signs them.
    static let genuine: [SyncFrame] = [
        Fixture.aliceHello(),
        Fixture.bobReply,
        Fixture.aliceProof,
        .vector(Fixture.bobVector),
        .forks(Checkpoints()),
        .entries([]),
        .done(more: false),
    ]

    static let unexpected: [(State, SyncFrame)] = State.allCases.flatMap { state in
        (genuine + [carolForked]).filter { $0.name != state.expected }.map { (state, $0) }
    }

    @Test(arguments: unexpected)
    func anUnexpectedFrameIsAViolation(state: State, frame: SyncFrame) {
        var machine = state.machine()
        #expect(machine.receive(frame) == [.fail(.protocolViolation("unexpected \(frame.name) during the handshake"))])
        // Over: not even the frame the state was waiting for revives it.
        for next in Self.genuine { #expect(machine.receive(next).isEmpty) }
    }

    /// The control: in every state that takes a frame, that frame (with the store answer the state
    /// still owes, and the ones that follow) moves it on without a failure.
    @Test(arguments: State.allCases.filter { $0.expected != nil })
    func theExpectedFrameIsTaken(state: State) throws {
        var machine = state.machine()
        let frame = try #require(Self.genuine.first { $0.name == state.expected })
        let holding = MemoryHolding(vector: state.steps.initiator ? Fixture.aliceVector : Fixture.bobVector)
        var pending = machine.receive(frame)
        switch state.owed {
        case .vector: pending += machine.vectorRead(holding.vector)
        case .lookUp: pending += machine.found([])
        case .checkpoints: pending += machine.checkpointsRead(Checkpoints())
        case .forkPoints, nil: break
        }
        var seen: [SyncHandshake.Action] = []
        while !pending.isEmpty {
            let action = pending.removeFirst()
            seen.append(action)
            pending += holding.answer(action, &machine) ?? []
        }
        #expect(!seen.isEmpty)
        #expect(!seen.contains { if case .fail = $0 { true } else { false } })
    }

    /// Store answers nobody asked for are ignored, in every state.
    @Test(arguments: State.allCases)
    func unaskedStoreAnswersDoNothing(state: State) {
        var machine = state.machine()
        if state.owed != .vector { #expect(machine.vectorRead(Fixture.aliceVector).isEmpty) }
        if state.owed != .lookUp { #expect(machine.found([]).isEmpty) }
        if state.owed != .checkpoints { #expect(machine.checkpointsRead(Checkpoints()).isEmpty) }
        if state.owed != .forkPoints { #expect(machine.forkPointsFound([:]).isEmpty) }
    }

    /// The control of the walk state: the fork points it waits for establish the session.
    @Test func forkPointsEstablishTheSessionTheWalkWaitsFor() {
        var machine = State.initiatorWalkingToForkPoints.machine()
        let actions = machine.forkPointsFound([Fixture.carol.id: 0])
        #expect(actions.count == 1)
        #expect(actions.allSatisfy { if case .established = $0 { true } else { false } })
    }

    @Test func startingTwiceOrReadingAVectorUnaskedDoesNothing() {
        var machine = Fixture.initiator()
        #expect(machine.vectorRead(Fixture.aliceVector).isEmpty)
        #expect(machine.start().count == 1)
        #expect(machine.start().isEmpty)
        #expect(machine.vectorRead(Fixture.aliceVector).isEmpty)
    }
}
