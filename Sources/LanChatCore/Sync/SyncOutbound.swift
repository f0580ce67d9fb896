/// The sending half of a sync, as a value. The driver pulls one step at a time: read from the store,
/// send a frame, until `finished`. Pulling lets a slow reader slow the reads (TCP's backpressure
/// reaches the store), and bounds what is held in memory to one read.
public struct SyncOutbound: Equatable, Sendable {
    public enum Step: Equatable, Sendable {
        /// Read the author's entries after `after`, in seq order, at most `limit`; answer with `read(_:)`.
        case read(author: AuthorID, after: UInt64, limit: Int)
        /// Read these entries, those held with their payload; answer with `readWhole(_:)`.
        case readWhole([EntryRef])
        case send(SyncFrame)
        /// `done` was sent; nothing more to do.
        case finished(sent: Int)
    }

    /// Entries read from the store at once: fifty full frames.
    static let readChunk = SyncFrame.maxEntriesPerFrame * 50

    /// One author the peer lacks: the seq it is sent from (exclusive), and the highest this node
    /// offered (it never sends beyond). Every entry in between is sent, on every branch of a fork.
    struct Want: Equatable, Sendable {
        let author: AuthorID
        var after: UInt64
        let through: UInt64
    }

    private var wants: [Want]
    private var current = 0
    private var queued: [Entry] = []
    private let bound: Int
    private(set) var sent = 0
    private var awaitingRead = false
    private var requestedLimit = 0
    private var doneSent = false
    /// What the peer holds without its payload and asked for whole (its `fetch` frame): served first.
    private var fetch: [EntryRef]

    /// Sends the entries of `fetch` this node holds whole, then what `plan` names, up to `bound` entries.
    init(plan: [Want], bound: Int, fetch: [EntryRef] = []) {
        wants = plan
        self.bound = bound
        self.fetch = fetch
    }

    public mutating func next() -> Step {
        precondition(!awaitingRead, "the driver must answer a read before asking for the next step")
        if doneSent { return .finished(sent: sent) }
        if !queued.isEmpty {
            let chunk = Array(queued.prefix(SyncFrame.maxEntriesPerFrame))
            queued.removeFirst(chunk.count)
            sent += chunk.count
            return .send(.entries(chunk))
        }
        if !fetch.isEmpty {
            awaitingRead = true
            return .readWhole(fetch)
        }
        guard current < wants.count, sent < bound else {
            doneSent = true
            return .send(.done(more: current < wants.count))
        }
        awaitingRead = true
        let want = wants[current]
        requestedLimit = min(bound - sent, Self.readChunk)
        return .read(author: want.author, after: want.after, limit: requestedLimit)
    }

    /// The store's answer to the last `read`, in seq order. Entries past what was offered (written since)
    /// stay for the next session.
    public mutating func read(_ entries: [Entry]) {
        precondition(awaitingRead, "no read was asked for")
        awaitingRead = false
        let want = wants[current]
        let offered = Array(entries.prefix { $0.author == want.author && $0.seq > want.after && $0.seq <= want.through })
        guard entries.count == requestedLimit, offered.count == entries.count, let lastSeq = offered.last?.seq, lastSeq < want.through else {
            queued = offered
            current += 1
            return
        }
        // More may follow. The limit may have split the entries of the last seq (a fork): they are read
        // again next time, so none is skipped.
        let whole = offered.filter { $0.seq < lastSeq }
        queued = whole.isEmpty ? offered : whole
        wants[current].after = queued.last!.seq  // never empty: the read was full
    }

    /// The store's answer to `readWhole`: only the entries asked for, each once, with their payload (a
    /// store that lacks it too sends nothing for it), within the session's bound.
    public mutating func readWhole(_ entries: [Entry]) {
        precondition(awaitingRead, "no read was asked for")
        awaitingRead = false
        var asked = Set(fetch)
        fetch = []
        queued = Array(entries.filter { $0.payload != nil && asked.remove($0.ref) != nil }.prefix(bound))
    }
}
