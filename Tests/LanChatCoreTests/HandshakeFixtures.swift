import LanChatCore
import Testing

// Two sync handshakes talking, each backed by what its node holds, kept in memory.

/// What one node holds, answering the handshake's store questions as `EntryStore` does.
struct MemoryHolding: Sendable {
    let vector: SyncVector
    let entries: [Entry]

    /// A node whose vector names made-up tips: it holds exactly those positions.
    init(vector: SyncVector) {
        self.vector = vector
        entries = []
    }

    /// A node holding these (complete) entries: its tips are the entries no other of the author links to.
    init(entries: [Entry]) {
        self.entries = entries
        let linked = Set(entries.flatMap { entry in entry.links.map { [entry.author.bytes, $0.hash.bytes] } })
        let tips = entries.filter { !linked.contains([$0.author.bytes, $0.hash.bytes]) }
        vector = SyncVector(Dictionary(grouping: tips, by: \.author).mapValues { $0.map(\.tip) })
    }

    /// Which of these positions are held.
    func held(_ positions: [AuthorID: [AuthorTip]]) -> Set<EntryHash> {
        let hashes = Set(entries.map(\.hash)).union(vector.tips.values.flatMap { $0.map(\.hash) })
        return Set(positions.values.flatMap { $0.map(\.hash) }.filter(hashes.contains))
    }

    /// The entries at `Checkpoints.seqs(below:)` each author's highest seq.
    func checkpoints(of authors: [AuthorID]) -> Checkpoints {
        Checkpoints(Dictionary(uniqueKeysWithValues: authors.map { author in
            let own = entries.filter { $0.author == author }
            let seqs = Set(Checkpoints.seqs(below: own.map(\.seq).max() ?? 0))
            return (author, own.filter { seqs.contains($0.seq) }.map(\.tip))
        }))
    }

    /// For each author, the lowest seq a walk down from the search's tips stops at, as `EntryStore` finds it.
    func forkPoints(_ searches: [AuthorID: ForkSearch]) -> [AuthorID: UInt64] {
        let byHash = Dictionary(entries.map { ($0.hash, $0) }, uniquingKeysWith: { first, _ in first })
        return searches.mapValues { search in
            ForkWalk.lowestStop(from: search.from, stop: search.stop) { byHash[$0.hash]?.links ?? [] }
        }
    }

    /// The answer to a store question of the handshake; nil for any other action.
    func answer(_ action: SyncHandshake.Action, _ machine: inout SyncHandshake) -> [SyncHandshake.Action]? {
        switch action {
        case .readVector: machine.vectorRead(vector, missing: entries.filter { $0.payload == nil }.map(\.ref))
        case .lookUp(let positions): machine.found(held(positions))
        case .readCheckpoints(let authors): machine.checkpointsRead(checkpoints(of: authors))
        case .findForkPoints(let searches): machine.forkPointsFound(forkPoints(searches))
        default: nil
        }
    }
}

enum HandshakeOutcome: Equatable {
    case pending
    case established(SyncExchange)
    case failed(SyncFailure)
}

/// What two handshakes did: each side's outcome, the frames it sent, and the store questions it asked.
struct Conversation {
    var outcomes = [HandshakeOutcome.pending, .pending]
    var sent: [[SyncFrame]] = [[], []]
    var asked: [[SyncHandshake.Action]] = [[], []]

    var sentNames: [[String]] { sent.map { $0.map(\.name) } }

    /// The exchange a side established, if it did.
    func exchange(_ side: Int) -> SyncExchange? {
        if case .established(let exchange) = outcomes[side] { exchange } else { nil }
    }

    /// The forks frames a side sent: its own findings, then its reply with checkpoints of the authors only the peer found forked.
    func forks(_ side: Int) -> [Checkpoints] {
        sent[side].compactMap { if case .forks(let checkpoints) = $0 { checkpoints } else { nil } }
    }
}

/// Two handshakes talking, every frame through its wire form. `answerEarly`: a store question is
/// answered at once; otherwise only when no frame is left to deliver (the peer's frames come first).
func converse(
    _ initiator: SyncHandshake, _ responder: SyncHandshake, holdings: [MemoryHolding], answerEarly: Bool = true
) throws -> Conversation {
    var machines = [initiator, responder]
    var result = Conversation()
    var queue = machines[0].start().map { (0, $0) } + machines[1].start().map { (1, $0) }
    var deferred: [(Int, SyncHandshake.Action)] = []
    while let (side, action) = queue.first ?? deferred.first {
        if queue.isEmpty { deferred.removeFirst() } else { queue.removeFirst() }
        switch action {
        case .send(let frame):
            result.sent[side].append(frame)
            queue += machines[1 - side].receive(try SyncFrame.decode(frame.encoded())).map { (1 - side, $0) }
        case .established(let exchange):
            result.outcomes[side] = .established(exchange)
        case .fail(let failure):
            result.outcomes[side] = .failed(failure)
        case .readVector, .lookUp, .readCheckpoints, .findForkPoints:
            guard answerEarly || queue.isEmpty else {
                deferred.append((side, action))
                continue
            }
            result.asked[side].append(action)
            queue += holdings[side].answer(action, &machines[side])!.map { (side, $0) }
        }
    }
    return result
}
