/// The opening of a sync, as a value: the mutual handshake that binds the session to two proven IDs,
/// then the exchange of sync vectors. Once both vectors are known it hands over a `SyncExchange`,
/// whose two halves run at once (neither side's sending may wait on the other's).
public struct SyncHandshake: Sendable {
    public enum Role: Equatable, Sendable {
        /// `expecting`: the ID the initiator believes it dials, if any; another one fails the handshake.
        case initiator(expecting: AuthorID?)
        case responder
    }

    public enum Action: Equatable, Sendable {
        case send(SyncFrame)
        /// Read this node's sync vector; answer with `vectorRead(_:)`.
        case readVector
        case established(SyncExchange)
        case fail(SyncFailure)
    }

    private enum State: Sendable {
        case idle
        case awaitingHelloReply
        case awaitingHello
        case awaitingProof(peer: AuthorID, peerPort: UInt16)
        case exchangingVectors(peer: AuthorID, peerPort: UInt16, mine: SyncVector?, theirs: SyncVector?)
        case over
    }

    private let role: Role
    private let identity: LocalIdentity
    private let network: String
    private let listenPort: UInt16
    private let configuration: SyncConfiguration
    private let challenge: [UInt8]
    private var state = State.idle

    /// `challenge`: fresh random bytes (`HandshakeTranscript.randomChallenge()`), given so tests and
    /// the simulator can repeat a run.
    public init(
        role: Role, identity: LocalIdentity, network: String, listenPort: UInt16, configuration: SyncConfiguration,
        challenge: [UInt8]
    ) {
        self.role = role
        self.identity = identity
        self.network = network
        self.listenPort = listenPort
        self.configuration = configuration
        self.challenge = challenge
    }

    public mutating func start() -> [Action] {
        guard case .idle = state else { return [] }
        switch role {
        case .initiator:
            state = .awaitingHelloReply
            return [.send(.hello(network: network, sender: identity.id, port: listenPort, challenge: challenge))]
        case .responder:
            state = .awaitingHello
            return []
        }
    }

    public mutating func receive(_ frame: SyncFrame) -> [Action] {
        switch (state, frame) {
        case (.awaitingHelloReply, .helloReply(let peer, let theirChallenge, let signature)):
            if case .initiator(let expected?) = role, expected != peer {
                return fail(.authentication("peer is \(peer.short), expected \(expected.short)"))
            }
            guard peer != identity.id else { return fail(.authentication("connected to ourselves")) }
            guard HandshakeTranscript.verify(
                signature, by: peer, role: .responder, network: network, challenge: challenge, other: identity.id)
            else { return fail(.authentication("peer's signature does not verify")) }
            state = .exchangingVectors(peer: peer, peerPort: 0, mine: nil, theirs: nil)
            let proof = HandshakeTranscript.sign(identity, role: .initiator, network: network, challenge: theirChallenge, other: peer)
            return [.send(.proof(signature: proof)), .readVector]
        case (.awaitingHello, .hello(let theirNetwork, let peer, let port, let theirChallenge)):
            guard theirNetwork == network else { return fail(.authentication("peer is on network '\(theirNetwork)'")) }
            guard peer != identity.id else { return fail(.authentication("connected to ourselves")) }
            state = .awaitingProof(peer: peer, peerPort: port)
            let signature = HandshakeTranscript.sign(identity, role: .responder, network: network, challenge: theirChallenge, other: peer)
            return [.send(.helloReply(sender: identity.id, challenge: challenge, signature: signature))]
        case (.awaitingProof(let peer, let port), .proof(let signature)):
            guard HandshakeTranscript.verify(
                signature, by: peer, role: .initiator, network: network, challenge: challenge, other: identity.id)
            else { return fail(.authentication("peer's proof does not verify")) }
            state = .exchangingVectors(peer: peer, peerPort: port, mine: nil, theirs: nil)
            return [.readVector]
        case (.exchangingVectors(let peer, let port, let mine, nil), .vector(let theirs)):
            state = .exchangingVectors(peer: peer, peerPort: port, mine: mine, theirs: theirs)
            return establishIfReady()
        case (.over, _):
            return []
        default:
            return fail(.protocolViolation("unexpected \(frame.name) during the handshake"))
        }
    }

    public mutating func vectorRead(_ mine: SyncVector) -> [Action] {
        guard case .exchangingVectors(let peer, let port, nil, let theirs) = state else { return [] }
        state = .exchangingVectors(peer: peer, peerPort: port, mine: mine, theirs: theirs)
        return [.send(.vector(mine))] + establishIfReady()
    }

    private mutating func establishIfReady() -> [Action] {
        guard case .exchangingVectors(let peer, let port, let mine?, let theirs?) = state else { return [] }
        state = .over
        return [.established(SyncExchange(
            peer: peer, peerPort: port,
            outbound: SyncOutbound(mine: mine, theirs: theirs, bound: configuration.maxEntriesPerSession),
            inbound: SyncInbound(mine: mine, offered: theirs, configuration: configuration)))]
    }

    private mutating func fail(_ failure: SyncFailure) -> [Action] {
        state = .over
        return [.fail(failure)]
    }
}

/// Both sides proved their IDs and know each other's vector: what remains is two independent halves.
public struct SyncExchange: Equatable, Sendable {
    public let peer: AuthorID
    /// The port the peer listens on, from its hello (responder side); 0 on the initiator's side.
    public let peerPort: UInt16
    public var outbound: SyncOutbound
    public var inbound: SyncInbound
}

/// What a completed sync did, for the replicator and the counters.
public struct SyncResult: Equatable, Sendable {
    public let peer: AuthorID
    public let peerPort: UInt16
    public let received: Int
    public let sent: Int
    /// The peer stopped at its bound and has more for us.
    public let peerHasMore: Bool

    public init(peer: AuthorID, peerPort: UInt16, received: Int, sent: Int, peerHasMore: Bool) {
        self.peer = peer
        self.peerPort = peerPort
        self.received = received
        self.sent = sent
        self.peerHasMore = peerHasMore
    }
}
