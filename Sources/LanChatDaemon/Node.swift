import Foundation
import LanChatControl
import LanChatCore
import LanChatStore
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// One lanchat node: this identity, its store and the people following it. Serialises every local
/// write so seqs and timestamps are handed out in order. As a service, it owns the loop that
/// commits local writes; the daemon runs it first, so it stops last, after every writer.
public actor Node: Service {
    public let identity: LocalIdentity
    let store: EntryStore
    private let logger: Logger
    private var clock: HybridClock
    private(set) var directory: IdentityDirectory
    /// Locked rather than actor state, so a follower that goes away is removed at once, not by a task.
    private let followers = NIOLockedValueBox<[UUID: Follower]>([:])
    private let startedAt = Date()
    /// This node's own new entries, in commit order, for replication to push.
    nonisolated let localCommits: AsyncStream<Entry>
    private let localCommitsContinuation: AsyncStream<Entry>.Continuation

    private var renameHandler: (@Sendable (String) -> Void)?
    private var pendingLocal: [(content: EntryContent, continuation: CheckedContinuation<Result<Entry, ControlFailure>, Never>)] = []
    /// Tells the write loop that `pendingLocal` has something; one signal covers any number of writes.
    private let wakeups: AsyncStream<Void>
    private let wakeupsContinuation: AsyncStream<Void>.Continuation
    private var stopped = false

    /// Local writes waiting for the next commit at most; beyond, requests are refused as `busy`.
    static let maxPendingLocal = 1024

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

    init(identity: LocalIdentity, store: EntryStore, logger: Logger) async throws {
        self.identity = identity
        self.store = store
        self.logger = logger
        clock = HybridClock(resuming: try await store.latestTimestamp(of: identity.id), wallMillis: WallClock.nowMillis())
        directory = IdentityDirectory(records: try await store.identityRecords())
        // Bounded: if replication ever fell this far behind, anti-entropy still delivers what was dropped.
        (localCommits, localCommitsContinuation) = AsyncStream.makeStream(of: Entry.self, bufferingPolicy: .bufferingNewest(100_000))
        (wakeups, wakeupsContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// A new identity announces a default name, so peers never see a node without one. Runs before
    /// the service does, so it commits directly.
    func ensureProfile() async throws {
        guard directory.name(of: identity.id) == nil else { return }
        let name = "User \(String(format: "%04d", Int.random(in: 0...9999)))"
        _ = try await commitLocal([.profile(name: name)])
    }

    /// Commits local writes until shutdown. Writes that arrive while a commit is under way are
    /// committed together in the next transaction (group commit); meanwhile the actor serves reads.
    public nonisolated func run() async throws {
        try await untilShutdown {
            for await _ in self.wakeups {
                await self.writeLocal()
            }
        }
        await stop()
    }

    // MARK: Local actions

    func send(room: String, body: String, replyTo: String?) async throws(ControlFailure) -> ChatEvent {
        var reply: EntryKey?
        if let replyTo {
            // Seqs run from 1 to 2^63-1, as everywhere in the log.
            guard let key = EntryKey(text: replyTo), key.seq < 1 << 63 else {
                throw ControlFailure(.badRequest, "replyTo must be an ID like <author>/<seq>")
            }
            reply = key
        }
        let message: EntryContent.Message
        do {
            message = try EntryContent.Message(room: room, body: body, replyTo: reply)
        } catch {
            throw ControlFailure(.invalid, describe(error))
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
            throw ControlFailure(.invalid, describe(error))
        }
        _ = try await appendLocal(content)
        return whoami()
    }

    /// Appends to this node's log once committed, through the write loop of `run()`.
    private func appendLocal(_ content: EntryContent) async throws(ControlFailure) -> Entry {
        guard !stopped else { throw ControlFailure(.unavailable, "the daemon is stopping") }
        guard pendingLocal.count < Self.maxPendingLocal else {
            throw ControlFailure(.busy, "\(pendingLocal.count) writes are waiting to be stored; try again")
        }
        let result = await withCheckedContinuation { continuation in
            pendingLocal.append((content, continuation))
            wakeupsContinuation.yield()
        }
        return try result.get()
    }

    private func writeLocal() async {
        while !pendingLocal.isEmpty {
            let batch = pendingLocal
            pendingLocal.removeAll()
            do {
                let entries = try await commitLocal(batch.map(\.content))
                for (entry, waiting) in zip(entries, batch) { waiting.continuation.resume(returning: .success(entry)) }
            } catch {
                logger.error("could not store \(batch.count) local entries: \(error)")
                let failure = ControlFailure(.storage, "could not store the entry: \(error)")
                for waiting in batch { waiting.continuation.resume(returning: .failure(failure)) }
            }
        }
    }

    /// One transaction for all of `contents`. Timestamps are taken before the commit and only one
    /// commit runs at a time, so they rise with the seqs.
    private func commitLocal(_ contents: [EntryContent]) async throws -> [Entry] {
        let now = WallClock.nowMillis()
        let stamped = contents.map { (content: $0, timestamp: clock.tick(wallMillis: now)) }
        let entries = try await store.appendLocal(identity: identity, batch: stamped)
        committed(entries)
        for entry in entries { localCommitsContinuation.yield(entry) }
        return entries
    }

    /// Entries from peers, already verified. Stores them, tells followers about the new ones and
    /// returns the new contiguous heads of their authors.
    func ingest(_ entries: [Entry]) async throws -> [AuthorID: UInt64] {
        let fresh = try await store.insert(entries, durable: false)
        let now = WallClock.nowMillis()
        for entry in fresh { clock.observe(entry.timestamp, wallMillis: now) }
        committed(fresh)
        return try await store.heads(of: Set(fresh.map(\.author)))
    }

    private func committed(_ entries: [Entry]) {
        let following = followers.withLockedValue { Array($0.values) }
        for entry in entries {
            if case .profile(let name)? = try? entry.content(),
                directory.apply(author: entry.author, record: .init(name: name, profileSeq: entry.seq)),
                entry.author == identity.id
            {
                renameHandler?(name)
            }
            guard !following.isEmpty, let event = ChatEvent(entry: entry, directory: directory) else { continue }
            for follower in following where follower.room == nil || follower.room == event.room || event.type == .profile {
                follower.continuation.yield(event)
            }
        }
    }

    // MARK: Reading

    func history(room: String, limit: Int) async throws(ControlFailure) -> [ChatEvent] {
        let entries: [Entry]
        do {
            entries = try await store.history(room: room, limit: limit)
        } catch {
            throw ControlFailure(.storage, "could not read history: \(error)")
        }
        return entries.compactMap { ChatEvent(entry: $0, directory: directory) }
    }

    func whoami() -> IdentityInfo {
        var info = IdentityInfo(author: identity.id, directory: directory)
        info.isSelf = true
        return info
    }

    func who() async throws -> [IdentityInfo] {
        try await store.authors().map { summary in
            var info = IdentityInfo(author: summary.id, directory: directory)
            info.isSelf = summary.id == identity.id
            info.messages = summary.messages
            return info
        }.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
    }

    func rooms() async throws -> [RoomInfo] {
        try await store.rooms().map {
            RoomInfo(name: $0.name, messages: $0.messages, lastAt: Timestamps.rfc3339(millis: $0.lastTimestamp.wallMillis))
        }
    }

    func status(network: NetworkStatus) async throws -> StatusInfo {
        StatusInfo(
            id: identity.id.text, name: directory.displayName(of: identity.id), version: LanChatVersion.current,
            network: network.name, port: network.port, entries: try await store.entryCount(),
            authors: try await store.authors().count, rooms: try await store.rooms().count,
            peersByState: network.peersByState, uptimeSeconds: Date().timeIntervalSince(startedAt), mdns: network.mdns,
            counters: network.counters)
    }

    // MARK: Following

    nonisolated func subscribe(room: String?) -> AsyncStream<ChatEvent> {
        let id = UUID()
        let (stream, continuation) = AsyncStream.makeStream(
            of: ChatEvent.self, bufferingPolicy: .bufferingNewest(Self.followerBuffer))
        followers.withLockedValue { $0[id] = Follower(room: room, continuation: continuation) }
        continuation.onTermination = { [followers] _ in
            followers.withLockedValue { _ = $0.removeValue(forKey: id) }
        }
        return stream
    }

    /// Refuses further local writes, fails those still waiting, and ends every stream.
    private func stop() {
        stopped = true
        let waiting = pendingLocal
        pendingLocal.removeAll()
        for write in waiting { write.continuation.resume(returning: .failure(ControlFailure(.unavailable, "the daemon is stopping"))) }
        localCommitsContinuation.finish()
        wakeupsContinuation.finish()
        // Finished outside the lock: finishing runs onTermination, which takes it.
        let following = followers.withLockedValue { all in
            defer { all.removeAll() }
            return Array(all.values)
        }
        for follower in following { follower.continuation.finish() }
    }
}

/// What the network side reports for `status`.
struct NetworkStatus: Sendable {
    var name: String
    var port: Int
    var peersByState: StatusInfo.PeersByState
    var mdns: MDNSState
    var counters: StatusInfo.Counters
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
