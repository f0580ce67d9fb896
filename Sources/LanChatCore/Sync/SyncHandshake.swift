/// The opening of a sync, as a value: the mutual handshake that binds the session to two proven IDs,
/// the exchange of sync vectors, and the search for forks. Each side checks the peer's tips at seqs it
/// has reached against what it holds: a tip it does not hold means that author's log forked. Both sides
/// then exchange checkpoints (`forks` frames, two rounds, so each has the other's for every forked
/// author), and each walks down from its own tips the peer lacks to the first entry the peer is known to
/// hold: above that seq it sends the peer everything of that author, every branch. Then it hands over a
/// `SyncExchange`, whose two halves run at once (neither side's sending may wait on the other's).
public struct SyncHandshake: Sendable {
    public enum Role: Equatable, Sendable {
        /// `expecting`: the ID the initiator believes it dials, if any; another one fails the handshake.
        case initiator(expecting: AuthorID?)
        case responder
    }

    public enum Action: Equatable, Sendable {
        case send(SyncFrame)
        /// Read this node's sync vector, which authors' logs it holds forked and which entries it holds
        /// without a payload it should have (`PayloadFetch`); answer with `vectorRead(_:forked:missing:)`.
        case readVector
        /// Which of these entries does this node hold? Answer with `found(_:)`.
        case lookUp([AuthorID: [AuthorTip]])
        /// Read this node's positions at `Checkpoints.seqs(below:)` its highest seq, for these authors;
        /// answer with `checkpointsRead(_:)`.
        case readCheckpoints([AuthorID])
        /// For each author, walk down from these tips of this node's log (following links) to the first
        /// entries whose hash is in the set, and answer with `forkPointsFound(_:)`: the lowest seq reached
        /// that way per author (0 if a walk reached seq 1 without meeting one).
        case findForkPoints([AuthorID: ForkSearch])
        case established(SyncExchange)
        case fail(SyncFailure)
    }

    /// What the two sides have told each other so far, after the proofs.
    private struct Negotiation: Sendable {
        let peer: AuthorID
        let peerPort: UInt16
        var mine: SyncVector?
        var theirs: SyncVector?
        /// Authors whose log this node holds forked (two entries at one seq).
        var forkedHere: Set<AuthorID> = []
        /// This side's two `forks` frames: the authors it found forked, then its replies for the authors
        /// only the peer found.
        var myForks: Checkpoints?
        var myReply: Checkpoints?
        var theirForks: Checkpoints?
        var theirReply: Checkpoints?
        /// The store question this side is waiting for.
        var asked: Question?
        /// Entries this side asked for whole, and those the peer asked for (it sends none when it lacks none).
        var myFetch: [EntryRef] = []
        var theirFetch: [EntryRef]?
    }

    private enum Question: Sendable {
        case heldTips([AuthorID: [AuthorTip]])
        case checkpoints
        case reply
        case forkPoints
    }

    private enum State: Sendable {
        case idle
        case awaitingHelloReply
        case awaitingHello
        /// What the initiator's hello said, for checking its proof.
        case awaitingProof(peer: AuthorID, peerPort: UInt16, token: [UInt8], versions: [UInt8])
        case negotiating(Negotiation)
        case over
    }

    private let role: Role
    private let identity: LocalIdentity
    private let network: String
    private let listenPort: UInt16
    private let configuration: SyncConfiguration
    private let challenge: [UInt8]
    private let token: [UInt8]
    private var binding: ConnectionBinding
    private var state = State.idle

    /// `challenge`: fresh random bytes (`HandshakeTranscript.randomChallenge()`), given so tests and
    /// the simulator can repeat a run. `token`: this node's start token (`HandshakeTranscript.randomToken()`,
    /// drawn once per start), which tells this node from a twin of its identity. `binding`: the
    /// responder's address as this connection reaches it (the address dialled, or the one accepted on);
    /// the stream keys join it through `sealed(mine:theirs:)`.
    public init(
        role: Role, identity: LocalIdentity, network: String, listenPort: UInt16, configuration: SyncConfiguration,
        challenge: [UInt8], token: [UInt8], binding: ConnectionBinding
    ) {
        self.binding = binding
        if case .initiator = role { self.binding.initiatorPort = listenPort }
        self.role = role
        self.identity = identity
        self.network = network
        self.listenPort = listenPort
        self.configuration = configuration
        self.challenge = challenge
        self.token = token
    }

    /// The keys both directions are sealed with, once the peer's preamble was read (before its first frame).
    public mutating func sealed(mine: KeyFingerprint, theirs: KeyFingerprint) {
        switch role {
        case .initiator: binding.sealed(initiator: mine, responder: theirs)
        case .responder: binding.sealed(initiator: theirs, responder: mine)
        }
    }

    public mutating func start() -> [Action] {
        guard case .idle = state else { return [] }
        switch role {
        case .initiator:
            state = .awaitingHelloReply
            let hello = SyncFrame.Hello(network: network, sender: identity.id, challenge: challenge, token: token)
            return [.send(.hello(versions: ProtocolVersions.spoken, port: listenPort, hello))]
        case .responder:
            state = .awaitingHello
            return []
        }
    }

    public mutating func receive(_ frame: SyncFrame) -> [Action] {
        switch (state, frame) {
        case (.awaitingHelloReply, .helloReply(let theirVersions, let reply)):
            guard let reply, ProtocolVersions.agreed(ProtocolVersions.spoken, theirVersions) != nil else {
                return fail(.incompatibleVersions(theirs: theirVersions, port: 0))
            }
            let peer = reply.sender
            if case .initiator(let expected?) = role, expected != peer {
                return fail(.authentication("peer is \(peer.short), expected \(expected.short)"))
            }
            let versions = HandshakeTranscript.Versions(initiator: ProtocolVersions.spoken, responder: theirVersions)
            guard HandshakeTranscript.verify(
                reply.signature, by: peer, role: .responder, network: network, challenge: challenge, other: identity.id,
                token: reply.token, versions: versions, binding: binding)
            else { return fail(.authentication("peer's signature does not verify")) }
            let proof = HandshakeTranscript.sign(
                identity, role: .initiator, network: network, challenge: reply.challenge, other: peer, token: token, versions: versions,
                binding: binding)
            // This node's own ID, proven: the proof still goes out, so that the other end can tell too.
            guard peer != identity.id else { return [.send(.proof(signature: proof))] + fail(reply.token == token ? .itself : .twin) }
            state = .negotiating(Negotiation(peer: peer, peerPort: 0))
            return [.send(.proof(signature: proof)), .readVector]
        case (.awaitingHello, .hello(let theirVersions, let port, let hello)):
            guard let hello, ProtocolVersions.agreed(ProtocolVersions.spoken, theirVersions) != nil else {
                // Only the list, so that the initiator learns why; then close.
                return [.send(.helloReply(versions: ProtocolVersions.spoken, nil))]
                    + fail(.incompatibleVersions(theirs: theirVersions, port: port))
            }
            guard hello.network == network else { return fail(.authentication("peer is on network '\(hello.network)'")) }
            binding.initiatorPort = port
            // A hello with this node's own ID goes on too: only the proof tells this node from a twin.
            state = .awaitingProof(peer: hello.sender, peerPort: port, token: hello.token, versions: theirVersions)
            let signature = HandshakeTranscript.sign(
                identity, role: .responder, network: network, challenge: hello.challenge, other: hello.sender, token: token,
                versions: HandshakeTranscript.Versions(initiator: theirVersions, responder: ProtocolVersions.spoken), binding: binding)
            let reply = SyncFrame.HelloReply(sender: identity.id, challenge: challenge, token: token, signature: signature)
            return [.send(.helloReply(versions: ProtocolVersions.spoken, reply))]
        case (.awaitingProof(let peer, let port, let peerToken, let peerVersions), .proof(let signature)):
            guard HandshakeTranscript.verify(
                signature, by: peer, role: .initiator, network: network, challenge: challenge, other: identity.id, token: peerToken,
                versions: HandshakeTranscript.Versions(initiator: peerVersions, responder: ProtocolVersions.spoken), binding: binding)
            else { return fail(.authentication("peer's proof does not verify")) }
            guard peer != identity.id else { return fail(peerToken == token ? .itself : .twin) }
            state = .negotiating(Negotiation(peer: peer, peerPort: port))
            return [.readVector]
        case (.negotiating(var negotiation), .vector(let theirs)) where negotiation.theirs == nil:
            negotiation.theirs = theirs
            return advance(negotiation)
        // A peer sends its first forks frame after its vector, and its reply only after our first one.
        case (.negotiating(var negotiation), .forks(let checkpoints))
        where negotiation.mine != nil && negotiation.theirs != nil && negotiation.theirReply == nil
            && (negotiation.theirForks == nil || negotiation.myForks != nil):
            if negotiation.theirForks == nil {
                negotiation.theirForks = checkpoints
            } else {
                negotiation.theirReply = checkpoints
            }
            return advance(negotiation)
        // At most one, between the peer's vector and its first forks frame.
        case (.negotiating(var negotiation), .fetch(let refs))
        where negotiation.theirs != nil && negotiation.theirForks == nil && negotiation.theirFetch == nil:
            negotiation.theirFetch = refs
            state = .negotiating(negotiation)
            return []
        case (.over, _):
            return []
        default:
            return fail(.protocolViolation("unexpected \(frame.name) during the handshake"))
        }
    }

    public mutating func vectorRead(_ mine: SyncVector, forked: Set<AuthorID> = [], missing: [EntryRef] = []) -> [Action] {
        guard case .negotiating(var negotiation) = state, negotiation.mine == nil else { return [] }
        negotiation.mine = mine
        negotiation.forkedHere = forked
        negotiation.myFetch = PayloadFetch.request(missing)
        let fetch: [Action] = negotiation.myFetch.isEmpty ? [] : [.send(.fetch(negotiation.myFetch))]
        return [.send(.vector(mine))] + fetch + advance(negotiation)
    }

    public mutating func found(_ held: Set<EntryHash>) -> [Action] {
        guard case .negotiating(var negotiation) = state, case .heldTips(let asked)? = negotiation.asked,
            let mine = negotiation.mine, let theirs = negotiation.theirs
        else { return [] }
        negotiation.asked = nil
        // A tip of theirs at a seq this node holds, but not that entry: the author's log forked. And a log
        // this node holds forked, where the tips differ: the peer may lack a branch that was merged since
        // (the merge alone would not complete there).
        let unheld = asked.filter { _, tips in tips.contains { !held.contains($0.hash) } }.keys
        let differing = negotiation.forkedHere.filter { (mine.tips[$0] ?? []) != (theirs.tips[$0] ?? []) }
        return readCheckpoints(of: Set(unheld).union(differing).sorted(), for: .checkpoints, negotiation)
    }

    public mutating func checkpointsRead(_ checkpoints: Checkpoints) -> [Action] {
        guard case .negotiating(var negotiation) = state, let question = negotiation.asked else { return [] }
        negotiation.asked = nil
        switch question {
        case .checkpoints: negotiation.myForks = checkpoints
        case .reply: negotiation.myReply = checkpoints
        case .heldTips, .forkPoints: return []
        }
        return [.send(.forks(checkpoints))] + advance(negotiation)
    }

    public mutating func forkPointsFound(_ points: [AuthorID: UInt64]) -> [Action] {
        guard case .negotiating(let negotiation) = state, case .forkPoints? = negotiation.asked else { return [] }
        return establish(negotiation, forkPoints: points)
    }

    /// Asks the store for these authors' checkpoints, to send in a `forks` frame; with no author to ask
    /// about, answers at once with none.
    private mutating func readCheckpoints(of authors: [AuthorID], for question: Question, _ negotiation: Negotiation) -> [Action] {
        var negotiation = negotiation
        negotiation.asked = question
        state = .negotiating(negotiation)
        return authors.isEmpty ? checkpointsRead(Checkpoints()) : [.readCheckpoints(authors)]
    }

    /// Takes the negotiation as far as what is known allows.
    private mutating func advance(_ negotiation: Negotiation) -> [Action] {
        var negotiation = negotiation
        state = .negotiating(negotiation)
        guard negotiation.asked == nil, let mine = negotiation.mine, let theirs = negotiation.theirs else { return [] }
        guard let myForks = negotiation.myForks else {
            // Their tips at seqs this node has reached that are not its own tips: entries it holds (it is
            // ahead on the same line) or not (the log forked). The store tells which.
            var toCheck: [AuthorID: [AuthorTip]] = [:]
            for (author, tips) in theirs.tips {
                guard let own = mine.tips[author], own != tips else { continue }
                let reached = own.last?.seq ?? 0
                let unknown = tips.filter { $0.seq <= reached && !own.contains($0) }
                if !unknown.isEmpty { toCheck[author] = unknown }
            }
            negotiation.asked = .heldTips(toCheck)
            state = .negotiating(negotiation)
            // Nothing to look up: the logs forked here still decide.
            return toCheck.isEmpty ? found([]) : [.lookUp(toCheck)]
        }
        guard let theirForks = negotiation.theirForks else { return [] }
        guard negotiation.myReply != nil else {
            // Authors only the peer found forked: it needs this node's checkpoints of them too.
            let onlyTheirs = theirForks.positions.keys.filter { myForks.positions[$0] == nil }.sorted()
            return readCheckpoints(of: onlyTheirs, for: .reply, negotiation)
        }
        guard let theirReply = negotiation.theirReply else { return [] }
        // For every forked author: from each of this node's tips the peer does not have as a tip, down
        // to an entry the peer reported holding.
        var searches: [AuthorID: ForkSearch] = [:]
        for author in Set(myForks.positions.keys).union(theirForks.positions.keys) {
            let theirTips = theirs.tips[author] ?? []
            let from = (mine.tips[author] ?? []).filter { !theirTips.contains($0) }
            guard !from.isEmpty else { continue }
            let stop = theirForks.positions[author] ?? theirReply.positions[author] ?? []
            searches[author] = ForkSearch(from: from, stop: Set(stop.map(\.hash)))
        }
        guard !searches.isEmpty else { return establish(negotiation, forkPoints: [:]) }
        negotiation.asked = .forkPoints
        state = .negotiating(negotiation)
        return [.findForkPoints(searches)]
    }

    /// What each side lacks: for an author whose log forked, everything above the fork point found by
    /// the walk, on every branch; for every other author, what lies above the peer's highest seq.
    private mutating func establish(_ negotiation: Negotiation, forkPoints: [AuthorID: UInt64]) -> [Action] {
        guard let mine = negotiation.mine, let theirs = negotiation.theirs, let myForks = negotiation.myForks,
            let theirForks = negotiation.theirForks
        else { return [] }
        state = .over
        let forked = Set(myForks.positions.keys).union(theirForks.positions.keys)
        var plan = mine.missing(in: theirs).filter { !forked.contains($0.author) }.map {
            SyncOutbound.Want(author: $0.author, after: $0.after, through: mine.highestSeq(of: $0.author))
        }
        for (author, point) in forkPoints where mine.highestSeq(of: author) > point {
            plan.append(SyncOutbound.Want(author: author, after: point, through: mine.highestSeq(of: author)))
        }
        return [.established(SyncExchange(
            peer: negotiation.peer, peerPort: negotiation.peerPort,
            outbound: SyncOutbound(
                plan: plan.sorted { $0.author < $1.author }, bound: configuration.maxEntriesPerSession, fetch: negotiation.theirFetch ?? []),
            inbound: SyncInbound(mine: mine, offered: theirs, forked: forked, requested: negotiation.myFetch, configuration: configuration)))]
    }

    private mutating func fail(_ failure: SyncFailure) -> [Action] {
        state = .over
        return [.fail(failure)]
    }
}

/// Where to look for the point a forked log split, as seen from one side: its own tips the peer lacks,
/// and the entries the peer reported holding.
public struct ForkSearch: Equatable, Sendable {
    public let from: [AuthorTip]
    public let stop: Set<EntryHash>

    public init(from: [AuthorTip], stop: Set<EntryHash>) {
        self.from = from
        self.stop = stop
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
