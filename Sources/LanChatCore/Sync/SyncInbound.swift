/// The receiving half of a sync, as a value: every rule for what a node accepts from a peer. Entries
/// are batched, verified (by the driver, on every core) and only then stored; the session finishes
/// when the peer said `done` and every batch is stored.
public struct SyncInbound: Equatable, Sendable {
    public enum Action: Equatable, Sendable {
        /// Check these entries' signatures; answer with `verified(_:valid:)`.
        case verify([Entry])
        /// Verified entries to store; answer with `stored()`.
        case store([Entry])
        /// These entries, held here without their payload, came whole as asked and are stored: the
        /// store notes which payloads it holds now. No answer.
        case fetched([EntryRef])
        case finished(received: Int, peerHasMore: Bool)
        case fail(SyncFailure)
    }

    private let mine: SyncVector
    private let offered: SyncVector
    /// Authors whose log forked: the peer sends everything above the seq both agree on.
    private let forked: Set<AuthorID>
    private let configuration: SyncConfiguration
    private var pending: [Entry] = []
    private(set) var received = 0
    /// Batches handed to the driver to verify or store and not stored yet.
    private var inFlight = 0
    /// Set when `done` arrived: whether the peer stopped at its bound.
    private var peerHasMore: Bool?
    private var failed = false
    /// Entries this node asked for whole (its `fetch` frame) that have not come yet.
    private var requested: Set<EntryRef>
    private var fetched: [EntryRef] = []

    /// `mine` is what this node sent, `offered` the peer's vector: the peer may send only entries
    /// of authors it offered, up to what it offered, and above what this node holds unless the
    /// author's log forked; and, once each and with their payload, the entries this node `requested`.
    public init(
        mine: SyncVector, offered: SyncVector, forked: Set<AuthorID> = [], requested: [EntryRef] = [], configuration: SyncConfiguration
    ) {
        self.mine = mine
        self.offered = offered
        self.forked = forked
        self.requested = Set(requested)
        self.configuration = configuration
    }

    public mutating func receive(_ frame: SyncFrame) -> [Action] {
        guard !failed else { return [] }
        guard peerHasMore == nil else { return fail(.protocolViolation("\(frame.name) after done")) }
        switch frame {
        case .entries(let entries):
            for entry in entries {
                // The hash names the exact header this node holds; the payload was checked against the
                // signed hash as the frame was decoded, and the signature is checked with the batch.
                if entry.payload != nil, requested.remove(entry.ref) != nil {
                    fetched.append(entry.ref)
                    continue
                }
                let top = offered.highestSeq(of: entry.author)
                guard entry.seq <= top else {
                    return fail(.outOfBounds(top == 0 ? "entries of an author the peer did not offer" : "entries beyond what the peer offered"))
                }
                guard forked.contains(entry.author) || entry.seq > mine.highestSeq(of: entry.author) else {
                    return fail(.outOfBounds("entries this node said it holds"))
                }
            }
            received += entries.count
            guard received <= configuration.maxEntriesPerSession else {
                return fail(.outOfBounds("more entries than a session carries"))
            }
            pending += entries
            return pending.count >= configuration.batchSize ? flush() : []
        case .done(let more):
            peerHasMore = more
            return flush() + finishIfComplete()
        case .hello, .helloReply, .proof, .vector, .forks, .fetch:
            return fail(.protocolViolation("unexpected \(frame.name) while receiving entries"))
        }
    }

    /// The peer said `done` and batches are still being stored: nothing more will arrive, so a driver
    /// that stores in the background waits for those now.
    public var awaitsStores: Bool { !failed && peerHasMore != nil && inFlight > 0 }

    public mutating func verified(_ entries: [Entry], valid: Bool) -> [Action] {
        guard !failed else { return [] }
        return valid ? [.store(entries)] : fail(.badSignature)
    }

    public mutating func stored() -> [Action] {
        guard !failed else { return [] }
        inFlight -= 1
        return finishIfComplete()
    }

    private mutating func flush() -> [Action] {
        guard !pending.isEmpty else { return [] }
        defer { pending.removeAll(keepingCapacity: true) }
        inFlight += 1
        return [.verify(pending)]
    }

    private func finishIfComplete() -> [Action] {
        guard let peerHasMore, inFlight == 0 else { return [] }
        return (fetched.isEmpty ? [] : [.fetched(fetched)]) + [.finished(received: received, peerHasMore: peerHasMore)]
    }

    private mutating func fail(_ failure: SyncFailure) -> [Action] {
        failed = true
        return [.fail(failure)]
    }
}
