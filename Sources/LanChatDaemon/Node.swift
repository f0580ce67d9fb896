import Foundation
import LanChatCore
import LanChatStore
import Logging

/// One lanchat node: this identity, its store and the people following it. Serialises every local
/// write so seqs and timestamps are handed out in order.
public actor Node {
    public let identity: LocalIdentity
    let store: EntryStore
    private let logger: Logger
    private var clock: HybridClock
    private(set) var directory: IdentityDirectory
    private var followers: [UUID: Follower] = [:]
    private let startedAt = Date()
    /// This node's own new entries, in commit order, for replication to push.
    nonisolated let localCommits: AsyncStream<Entry>
    private let localCommitsContinuation: AsyncStream<Entry>.Continuation

    private var renameHandler: (@Sendable (String) -> Void)?
    private var pendingLocal: [(content: EntryContent, continuation: CheckedContinuation<Result<Entry, ControlFailure>, Never>)] = []
    private var writingLocal = false

    /// Called with this node's display name whenever it changes (to rename its mDNS announcement).
    func onOwnRename(_ handler: @escaping @Sendable (String) -> Void) {
        renameHandler = handler
    }

    private struct Follower {
        let room: String?
        let continuation: AsyncStream<ChatEvent>.Continuation
    }

    /// Events a slow `follow` client may fall behind by before the oldest are dropped for it.
    static let followerBuffer = 4096

    init(identity: LocalIdentity, store: EntryStore, logger: Logger) throws {
        self.identity = identity
        self.store = store
        self.logger = logger
        clock = HybridClock(last: try store.latestTimestamp(of: identity.id))
        directory = IdentityDirectory(records: try store.identityRecords())
        // Bounded: if replication ever fell this far behind, anti-entropy still delivers what was dropped.
        (localCommits, localCommitsContinuation) = AsyncStream.makeStream(of: Entry.self, bufferingPolicy: .bufferingNewest(100_000))
    }

    /// A new identity announces a default name, so peers never see a node without one.
    func ensureProfile() async throws {
        guard directory.name(of: identity.id) == nil else { return }
        let name = "User \(String(format: "%04d", Int.random(in: 0...9999)))"
        _ = try await appendLocal(.profile(name: name))
    }

    // MARK: Local actions

    func send(room: String, body: String, replyTo: String?) async throws(ControlFailure) -> ChatEvent {
        var reply: EntryKey?
        if let replyTo {
            guard let key = EntryKey(text: replyTo) else { throw ControlFailure(code: "bad_request", message: "replyTo must be an ID like <author>/<seq>") }
            reply = key
        }
        let message: EntryContent.Message
        do {
            message = try EntryContent.Message(room: room, body: body, replyTo: reply)
        } catch {
            throw ControlFailure(code: "invalid", message: describe(error))
        }
        let entry = try await appendLocal(.message(message))
        // Renders only messages, so the event always exists.
        return ChatEvent(entry: entry, directory: directory)!
    }

    func rename(to name: String) async throws(ControlFailure) -> IdentityInfo {
        let content: EntryContent
        do {
            content = try EntryContent.profile(validating: name)
        } catch {
            throw ControlFailure(code: "invalid", message: describe(error))
        }
        _ = try await appendLocal(content)
        return whoami()
    }

    /// Appends to this node's log once committed. Local writes that arrive while a commit is under way
    /// are committed together in the next transaction (group commit), and the disk work runs off this
    /// actor, so reads and further requests are served meanwhile.
    private func appendLocal(_ content: EntryContent) async throws(ControlFailure) -> Entry {
        let result = await withCheckedContinuation { continuation in
            pendingLocal.append((content, continuation))
            if !writingLocal {
                writingLocal = true
                Task { await self.writeLocal() }
            }
        }
        return try result.get()
    }

    private func writeLocal() async {
        while !pendingLocal.isEmpty {
            let batch = pendingLocal
            pendingLocal.removeAll()
            let now = WallClock.nowMillis()
            let stamped = batch.map { (content: $0.content, timestamp: clock.tick(wallMillis: now)) }
            let result = await StoreWriter.run { [store, identity] in
                try store.appendLocal(identity: identity, batch: stamped)
            }
            switch result {
            case .success(let entries):
                committed(entries)
                for (entry, waiting) in zip(entries, batch) {
                    localCommitsContinuation.yield(entry)
                    waiting.continuation.resume(returning: .success(entry))
                }
            case .failure(let error):
                logger.error("could not store \(batch.count) local entries: \(error)")
                let failure = ControlFailure(code: "storage", message: "could not store the entry: \(error)")
                for waiting in batch { waiting.continuation.resume(returning: .failure(failure)) }
            }
        }
        writingLocal = false
    }

    /// Entries from peers, already verified. Stores them, tells followers about the new ones and
    /// returns the new contiguous heads of their authors.
    func ingest(_ entries: [Entry]) async throws -> [AuthorID: UInt64] {
        let (fresh, heads) = try await StoreWriter.run { [store] in
            let fresh = try store.insert(entries, durable: false)
            return (fresh, try store.heads(of: Set(fresh.map(\.author))))
        }.get()
        let now = WallClock.nowMillis()
        for entry in fresh { clock.observe(entry.timestamp, wallMillis: now) }
        committed(fresh)
        return heads
    }

    private func committed(_ entries: [Entry]) {
        for entry in entries {
            if case .profile(let name)? = try? entry.content(),
                directory.apply(author: entry.author, record: .init(name: name, profileSeq: entry.seq)),
                entry.author == identity.id
            {
                renameHandler?(name)
            }
            guard !followers.isEmpty, let event = ChatEvent(entry: entry, directory: directory) else { continue }
            for follower in followers.values where follower.room == nil || follower.room == event.room || event.type == "profile" {
                follower.continuation.yield(event)
            }
        }
    }

    // MARK: Reading

    func history(room: String, limit: Int) throws(ControlFailure) -> [ChatEvent] {
        do {
            return try store.history(room: room, limit: limit).compactMap { ChatEvent(entry: $0, directory: directory) }
        } catch {
            throw ControlFailure(code: "storage", message: "could not read history: \(error)")
        }
    }

    func whoami() -> IdentityInfo {
        var info = IdentityInfo(author: identity.id, directory: directory)
        info.isSelf = true
        return info
    }

    func who() throws -> [IdentityInfo] {
        try store.authors().map { summary in
            var info = IdentityInfo(author: summary.id, directory: directory)
            info.isSelf = summary.id == identity.id
            info.messages = summary.messages
            return info
        }.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
    }

    func rooms() throws -> [RoomInfo] {
        try store.rooms().map {
            RoomInfo(name: $0.name, messages: $0.messages, lastAt: Timestamps.rfc3339(millis: $0.lastTimestamp.wallMillis))
        }
    }

    func status(network: NetworkStatus) throws -> StatusInfo {
        StatusInfo(
            id: identity.id.text, name: directory.displayName(of: identity.id), version: LanChatVersion.current,
            network: network.name, port: network.port, entries: try store.entryCount(),
            authors: try store.authors().count, rooms: try store.rooms().count, peers: network.peersByState.values.reduce(0, +),
            peersByState: network.peersByState, uptimeSeconds: Date().timeIntervalSince(startedAt), mdns: network.mdns,
            counters: network.counters)
    }

    // MARK: Following

    func subscribe(room: String?) -> AsyncStream<ChatEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(
            of: ChatEvent.self, bufferingPolicy: .bufferingNewest(Self.followerBuffer))
        followers[id] = Follower(room: room, continuation: continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.unsubscribe(id) }
        }
        return stream
    }

    private func unsubscribe(_ id: UUID) {
        followers.removeValue(forKey: id)
    }

    func finishStreams() {
        localCommitsContinuation.finish()
        for follower in followers.values { follower.continuation.finish() }
        followers.removeAll()
    }
}

/// What the network side reports for `status`.
struct NetworkStatus: Sendable {
    var name: String
    var port: Int
    var peersByState: [String: Int]
    var mdns: String
    var counters: [String: UInt64]
}

enum WallClock {
    static func nowMillis() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return UInt64(spec.tv_sec) * 1000 + UInt64(spec.tv_nsec) / 1_000_000
    }
}

func describe(_ error: DecodeError) -> String {
    switch error {
    case .truncated(let field): "\(field) is truncated"
    case .trailingBytes(let count): "\(count) unexpected trailing bytes"
    case .oversized(let field, let size, let limit): "\(field) is too long (\(size) bytes, at most \(limit))"
    case .unsupportedVersion(let version): "unsupported format version \(version)"
    case .invalid(let field, let reason): "\(field) \(reason)"
    }
}

/// Runs blocking database work on its own threads, so that no actor (nor Swift's few cooperative
/// threads) waits through a disk flush.
enum StoreWriter {
    private static let queue = DispatchQueue(label: "lanchat.store", attributes: .concurrent)

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async -> Result<T, any Error> {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: Result { try work() }) }
        }
    }
}
