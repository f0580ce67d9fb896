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
    /// The private half of the key this identity's profile publishes for direct messages.
    let dmKey: DirectMessagePrivateKey
    let store: EntryStore
    private let logger: Logger
    private var clock: HybridClock
    var directory: IdentityDirectory
    /// Locked rather than actor state, so that one subscribes without waiting for the actor.
    private let followers = NIOLockedValueBox<[FollowerQueue]>([])
    private let startedAt = Date()
    /// This node's own new entries, one commit's at a time in commit order, for replication to push.
    nonisolated let localCommits: AsyncStream<[Entry]>
    private let localCommitsContinuation: AsyncStream<[Entry]>.Continuation

    private var renameHandler: (@Sendable (String) -> Void)?
    private var pendingLocal: [(content: EntryContent, continuation: CheckedContinuation<Result<Entry, ControlFailure>, Never>)] = []
    /// Tells the write loop that `pendingLocal` has something; one signal covers any number of writes.
    private let wakeups: AsyncStream<Void>
    private let wakeupsContinuation: AsyncStream<Void>.Continuation
    private var stopped = false
    /// A commit of local writes is under way: only one at a time, so timestamps rise with seqs.
    private var committing = false
    /// Closed at start while this identity may have written elsewhere (a restored state directory):
    /// local writes wait until a sync with a peer brought its latest entries, or `restoreWait` passed.
    private var writesAllowed: Bool
    /// An open `lanchat link` (`Node+Devices`).
    var invitation: LinkInvitation?
    /// People this machine's views hide (`Node+Mutes`), by person.
    var muted: Set<AuthorID>
    /// Tasks waiting for the write gate to open (`waitUntilWritesAllowed`).
    private var gateWaiters: [CheckedContinuation<Void, Never>] = []
    /// Set once this daemon has written since it started: own entries arriving after that come from a twin.
    private var wroteSinceStart = false
    private var twinSeen = false
    static let restoreWait: Duration = .seconds(3)
    private let limits: StorageLimits

    /// Local writes waiting for the next commit at most; beyond, requests are refused as `busy`.
    static let maxPendingLocal = 1024

    /// Called with this node's display name whenever it changes (to rename its mDNS announcement).
    func onOwnRename(_ handler: @escaping @Sendable (String) -> Void) {
        renameHandler = handler
    }

    /// Events a slow `follow` client may fall behind by: a quarter more, and the oldest are dropped down to this.
    static let followerBuffer = 4096

    /// Commits not yet shown to followers, oldest first, each with the followers it was committed for (one
    /// who subscribes later does not get it). A sync commits thousands of entries at once; rendered in one
    /// turn they held the actor, and every `status` and `send` behind it, for over 100 ms.
    private var unshown: [(entries: ArraySlice<Entry>, followers: [FollowerQueue])] = []
    private var showingFollowers = false
    /// Entries rendered for followers in one turn of the actor.
    static let showChunk = 256

    /// The write gate of an imported identity: closed until a sync, however long (`WriteGate.importing`).
    private let importing: WriteGate.Importing?

    /// `waitForPeers`: an existing identity that knows peers asks them for its own latest entries before
    /// its first write, so that a restored backup does not fork its log.
    init(
        identity: LocalIdentity, store: EntryStore, waitForPeers: Bool = false, importing: WriteGate.Importing? = nil,
        limits: StorageLimits = StorageLimits(), logger: Logger
    ) async throws {
        self.importing = importing
        self.identity = identity
        dmKey = identity.directMessageKey
        self.store = store
        self.limits = limits
        self.logger = logger
        writesAllowed = !waitForPeers && importing == nil
        clock = HybridClock(resuming: try await store.latestTimestamp(of: identity.id), wallMillis: WallClock.nowMillis())
        muted = try await store.mutedPeople()
        var directory = IdentityDirectory(records: try await store.identityRecords())
        for (person, name) in try await store.aliases() { directory.setAlias(name, for: person) }
        directory.applyLinks(try await store.linkEntries())
        self.directory = directory
        // Bounded: 100 commits of at most `maxPendingLocal` entries each. If replication ever fell this far behind,
        // anti-entropy still delivers what was dropped.
        (localCommits, localCommitsContinuation) = AsyncStream.makeStream(of: [Entry].self, bufferingPolicy: .bufferingNewest(100))
        (wakeups, wakeupsContinuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// A new identity announces a default name, so peers never see a node without one. Runs before
    /// the service does, so it commits directly: nothing of a new identity exists anywhere to fork from.
    func ensureProfile(created: Bool) async throws {
        guard created, directory.name(of: identity.id) == nil else { return }
        _ = try await commitLocal([.profile(name: Self.defaultName(), dmKey: dmKey.publicKey)])
    }

    private static func defaultName() -> String { "User \(String(format: "%04d", Int.random(in: 0...9999)))" }

    /// An existing identity whose profile lacks this key for direct messages (written before there were
    /// any), or that has none here (imported into an empty state directory), publishes one once writes
    /// are allowed: after the write gate, its peers' copy of its log has come, its name with it.
    private func publishProfileIfNeeded() async {
        await waitUntilWritesAllowed()
        guard !stopped, directory.name(of: identity.id) == nil || directory.dmKey(of: identity.id) != dmKey.publicKey else { return }
        do {
            _ = try await appendLocal(.profile(name: directory.name(of: identity.id) ?? Self.defaultName(), dmKey: dmKey.publicKey))
        } catch {
            logger.error("could not publish this identity's profile: \(error.message)")
        }
    }

    private func waitUntilWritesAllowed() async {
        guard !writesAllowed else { return }
        await withCheckedContinuation { gateWaiters.append($0) }
    }

    /// Commits local writes until shutdown. Writes that arrive while a commit is under way are
    /// committed together in the next transaction (group commit); meanwhile the actor serves reads.
    public nonisolated func run() async throws {
        try await untilShutdown {
            await withDiscardingTaskGroup { group in
                if await !self.writesAllowed, self.importing == nil {
                    group.addTask {
                        try? await Task.sleep(for: Self.restoreWait)
                        await self.allowWrites(because: "no peer answered within \(Self.restoreWait)")
                    }
                }
                group.addTask { await self.maintainStorage() }
                group.addTask { await self.publishProfileIfNeeded() }
                for await _ in self.wakeups {
                    await self.writeLocal()
                }
                // Before the group's tasks are awaited: one of them may be waiting for a write.
                await self.stop()
                group.cancelAll()
            }
        }
        await stop()
    }

    /// Applies the retention period and the per-author quota now, then every `StorageLimits.period`.
    private nonisolated func maintainStorage() async {
        while !Task.isCancelled {
            do {
                if let days = limits.retainDays {
                    let cutoff = WallClock.nowMillis() - min(WallClock.nowMillis(), UInt64(days) * 86_400_000)
                    let expired = try await store.dropPayloads(arrivedBefore: cutoff)
                    if expired > 0 { logger.info("dropped the text of \(expired) messages older than \(days) days") }
                }
                let over = try await store.enforceQuota(bytes: limits.authorQuotaBytes)
                if over > 0 { logger.notice("dropped the text of \(over) messages beyond an author's quota of \(limits.authorQuotaBytes >> 20) MB") }
            } catch {
                logger.error("could not apply the storage limits: \(error)")
            }
            try? await Task.sleep(for: StorageLimits.period)
        }
    }

    /// Opens the write gate (once): a sync brought this identity's latest entries, or none came in time.
    func allowWrites(because reason: String) {
        guard !writesAllowed else { return }
        writesAllowed = true
        logger.info("writing: \(reason)")
        importing?.synced()
        wakeupsContinuation.yield()
        for waiter in gateWaiters { waiter.resume() }
        gateWaiters.removeAll()
    }

    // MARK: Local actions

    func send(room: String, body: String, replyTo: String?, mentions: [MentionSpan] = []) async throws(ControlFailure) -> ChatEvent {
        var reply: EntryRef?
        if let replyTo {
            guard let key = EntryKey(text: replyTo) else { throw ControlFailure(.badRequest, "replyTo must be an ID like <author>/<seq>") }
            reply = try await resolve(key)
        }
        let named = try mentions.map { span throws(ControlFailure) in
            guard let person = AuthorID(text: span.id) else { throw ControlFailure(.badRequest, "a mention's id must be a full ID, not '\(span.id)'") }
            return Mention(offset: span.offset, length: span.length, person: person)
        }
        let message: EntryContent.Message
        do {
            message = try EntryContent.Message(room: room, body: body, replyTo: reply, mentions: named)
        } catch {
            throw ControlFailure(.invalid, describe(error))
        }
        let entry = try await appendLocal(.message(message))
        // Renders only messages, so the event always exists.
        return ChatEvent(entry: entry, directory: directory, me: identity.id)!
    }

    func rename(to name: String) async throws(ControlFailure) -> IdentityInfo {
        let content: EntryContent
        do {
            content = try EntryContent.profile(validating: name, dmKey: dmKey.publicKey)
        } catch {
            throw ControlFailure(.invalid, describe(error))
        }
        _ = try await appendLocal(content)
        return whoami()
    }

    /// Deletes one of this identity's own messages; every node drops its text.
    func delete(_ id: String) async throws(ControlFailure) -> ChatEvent {
        let target = try await ownMessage(id)
        let entry = try await appendLocal(.delete(target: target))
        return ChatEvent(
            type: .message, id: target.key.text, author: me, sentAt: Timestamps.rfc3339(millis: entry.timestamp.wallMillis), deleted: true)
    }

    /// Replaces the text of one of this identity's own messages.
    func edit(_ id: String, body: String) async throws(ControlFailure) -> ChatEvent {
        let target = try await ownMessage(id)
        let content: EntryContent
        do {
            content = try EntryContent.edit(of: target, validating: body)
        } catch {
            throw ControlFailure(.invalid, describe(error))
        }
        let entry = try await appendLocal(content)
        return ChatEvent(
            type: .message, id: target.key.text, author: me, body: body, editedAt: Timestamps.rfc3339(millis: entry.timestamp.wallMillis))
    }

    private var me: AuthorRef { AuthorRef(id: identity.id.text, name: directory.displayName(of: identity.id)) }

    /// A message of this identity, not deleted: what `edit` and `delete` may act on.
    private func ownMessage(_ id: String) async throws(ControlFailure) -> EntryRef {
        guard let key = EntryKey(text: id) else { throw ControlFailure(.badRequest, "the id must look like <author>/<seq>") }
        guard key.author == identity.id else {
            throw ControlFailure(.noPermission, "\(key.text) is someone else's message: you can edit and delete only your own")
        }
        let target = try await resolve(key)
        let deleted: Bool
        do {
            deleted = try await store.isDeleted(target)
        } catch {
            throw ControlFailure(.storage, "could not look up \(key.text): \(error)")
        }
        guard !deleted else { throw ControlFailure(.notFound, "\(key.text) was deleted") }
        return target
    }

    /// The full reference of a message people named by `<author>/<seq>`.
    private func resolve(_ key: EntryKey) async throws(ControlFailure) -> EntryRef {
        let found: EntryRef?
        do {
            found = try await store.resolve(key)
        } catch {
            throw ControlFailure(.storage, "could not look up \(key.text): \(error)")
        }
        guard let found else { throw ControlFailure(.notFound, "no message \(key.text) is held here") }
        return found
    }

    /// Appends to this node's log once committed, through the write loop of `run()`.
    func appendLocalEntry(_ content: EntryContent) async throws(ControlFailure) -> Entry {
        try await appendLocal(content)
    }

    private func appendLocal(_ content: EntryContent) async throws(ControlFailure) -> Entry {
        guard !stopped else { throw ControlFailure(.unavailable, "the daemon is stopping") }
        // Waiting would hang the caller for as long as no peer answers: say why instead.
        guard writesAllowed || importing == nil else {
            throw ControlFailure(
                .unavailable,
                "this identity was imported: it writes once a peer has sent it its log (none has yet; is a peer of your network running? lanchat doctor)")
        }
        guard pendingLocal.count < Self.maxPendingLocal else {
            throw ControlFailure(.busy, "\(pendingLocal.count) writes are waiting to be stored; try again")
        }
        // Nothing to group it with: the caller commits it, which spares waking the write loop's task and
        // coming back (a lone `send` crossed threads that much more). Writes arriving meanwhile wait for the loop.
        if writesAllowed, !committing, pendingLocal.isEmpty {
            committing = true
            defer {
                committing = false
                if !pendingLocal.isEmpty { wakeupsContinuation.yield() }
            }
            do {
                return try await commitLocal([content])[0]
            } catch {
                // Cancelled (the daemon is shutting its connections down): the transaction was rolled back.
                if Task.isCancelled { throw ControlFailure(.unavailable, "the daemon is stopping") }
                throw storeFailure(error, count: 1)
            }
        }
        let result = await withCheckedContinuation { continuation in
            pendingLocal.append((content, continuation))
            wakeupsContinuation.yield()
        }
        return try result.get()
    }

    /// Commits what waits, batch after batch. A caller's own commit may be under way (`appendLocal`): it
    /// wakes the loop again when done.
    private func writeLocal() async {
        guard !committing else { return }
        committing = true
        defer { committing = false }
        while writesAllowed, !pendingLocal.isEmpty {
            let batch = pendingLocal
            pendingLocal.removeAll()
            do {
                let entries = try await commitLocal(batch.map(\.content))
                for (entry, waiting) in zip(entries, batch) { waiting.continuation.resume(returning: .success(entry)) }
            } catch {
                let failure = storeFailure(error, count: batch.count)
                for waiting in batch { waiting.continuation.resume(returning: .failure(failure)) }
            }
        }
    }

    private func storeFailure(_ error: any Error, count: Int) -> ControlFailure {
        logger.error("could not store \(count) local entries: \(error)")
        return ControlFailure(.storage, "could not store the entry: \(error)")
    }

    /// One transaction for all of `contents`. Timestamps are taken before the commit and only one
    /// commit runs at a time, so they rise with the seqs.
    private func commitLocal(_ contents: [EntryContent]) async throws -> [Entry] {
        let now = WallClock.nowMillis()
        let stamped = contents.map { (content: $0, timestamp: clock.tick(wallMillis: now)) }
        let entries = try await store.appendLocal(identity: identity, batch: stamped)
        wroteSinceStart = true
        committed(entries)
        localCommitsContinuation.yield(entries)
        return entries
    }

    /// Entries from peers, already verified. Stores them, tells followers about the new ones and those
    /// whose text came only now, and returns the new tips of their authors and how many held entries
    /// took their payload (fetched: asked for, or resent).
    func ingest(_ entries: [Entry]) async throws -> (tips: [AuthorID: [AuthorTip]], filled: Int) {
        let result = try await store.insert(entries, durable: false)
        let now = WallClock.nowMillis()
        for entry in result.fresh { clock.observe(entry.timestamp, wallMillis: now) }
        // Filled entries were held already: neither a twin's nor a restore's evidence.
        noticeOwnEntries(result)
        committed(result.fresh + result.filled)
        return (result.tips, result.filled.count)
    }

    /// Entries of this identity that this daemon did not write. Written before it started: what a
    /// restored state directory missed. Written since, after this daemon wrote too: a twin (the same
    /// identity running elsewhere).
    private func noticeOwnEntries(_ result: InsertResult) {
        let started = UInt64(startedAt.timeIntervalSince1970 * 1000)
        let own = result.fresh.filter { $0.author == identity.id }
        let since = own.filter { $0.timestamp.wallMillis >= started }
        if result.newlyForked.contains(identity.id) {
            logger.warning(
                "this identity's log forked (two entries at one seq): a restored backup, or this identity on two machines; the next message merges it")
        }
        guard !own.isEmpty else { return }
        if wroteSinceStart, !since.isEmpty {
            twinFound("entries of this identity arrived that this daemon did not write")
        } else {
            logger.info("recovered \(own.count) entries of this identity from peers")
        }
    }

    /// A sync handshake with `peer` proved this identity with another start token: a twin, found even
    /// before either of them wrote.
    func twinProved(at peer: String) {
        twinFound("a daemon at \(peer) proved this identity in a sync handshake, with another start token")
    }

    private func twinFound(_ evidence: String) {
        if !twinSeen {
            logger.warning(
                "\(evidence): this identity runs on another machine too (a copied state directory); stop the other one. To use one identity on two devices, give the second its own state directory and link them: lanchat link here, lanchat link CODE there")
        }
        twinSeen = true
    }

    private func committed(_ entries: [Entry]) {
        directory.applyLinks(entries.filter { $0.kind == .link || $0.kind == .unlink })
        for entry in entries where entry.kind == .profile {
            if case .profile(let name, let key)? = try? entry.content(),
                directory.apply(author: entry.author, record: .init(name: name, profileSeq: entry.seq, dmKey: key, profileAt: entry.timestamp)),
                entry.author == identity.id
            {
                renameHandler?(name)
            }
        }
        let following = followers.withLockedValue { $0 }
        guard !following.isEmpty else { return }
        unshown.append((entries[...], following))
        guard !showingFollowers else { return }
        showFollowers()
        guard !unshown.isEmpty else { return }
        showingFollowers = true
        Task { await showFollowersInTurns() }
    }

    /// The rest of a large commit, a chunk per turn of the actor, in commit order: whatever commits
    /// meanwhile waits behind it in `unshown`.
    private func showFollowersInTurns() async {
        while !unshown.isEmpty {
            await Task.yield()
            showFollowers()
        }
        showingFollowers = false
    }

    /// Renders the oldest `showChunk` entries of `unshown` for the followers of their commit.
    private func showFollowers() {
        guard var commit = unshown.first else { return }
        let chunk = commit.entries.prefix(Self.showChunk)
        commit.entries = commit.entries.dropFirst(chunk.count)
        if commit.entries.isEmpty { unshown.removeFirst() } else { unshown[0] = commit }
        let now = WallClock.nowMillis()
        var shown = commit.followers.map { _ in [ChatEvent]() }
        for entry in chunk {
            let shownAt = EntryStore.shownAt(entry, arrivedMillis: now)
            guard let event = ChatEvent(entry: entry, shownAt: shownAt, directory: directory, me: identity.id) ?? directEvent(for: entry, shownAt: shownAt)
            else { continue }
            if hides(event, of: entry) { continue }
            for (index, follower) in commit.followers.enumerated() where follower.room == nil || follower.room == event.room || event.type != .message {
                shown[index].append(event)
            }
        }
        // A follower that went away is forgotten at the first commit after.
        let gone = zip(commit.followers, shown).compactMap { follower, events in follower.append(events) ? nil : ObjectIdentifier(follower) }
        if !gone.isEmpty { followers.withLockedValue { $0.removeAll { gone.contains(ObjectIdentifier($0)) } } }
    }

    // MARK: Reading

    func history(room: String, limit: Int) async throws(ControlFailure) -> [ChatEvent] {
        let entries: [StoredEntry]
        do {
            entries = try await store.history(room: room, limit: limit, hiding: hiddenAuthors)
        } catch {
            throw ControlFailure(.storage, "could not read history: \(error)")
        }
        return entries.compactMap { messageEvent($0, room: room) }
    }

    /// A message of `room` as history shows it: deleted, or with its newest edit's text.
    func messageEvent(_ stored: StoredEntry, room: String) -> ChatEvent? {
        if stored.deleted {
            return ChatEvent(
                type: .message, id: stored.entry.key.text,
                author: AuthorRef(id: stored.entry.author.text, name: directory.displayName(of: stored.entry.author)), room: room,
                sentAt: Timestamps.rfc3339(millis: stored.shownAt.wallMillis), deleted: true)
        }
        var event = ChatEvent(entry: stored.entry, shownAt: stored.shownAt, directory: directory, me: identity.id)
        if let edit = stored.edit {
            // The spans were over the text the edit replaced.
            event?.mentions = nil
            event?.mentionsMe = nil
            event?.body = edit.body
            event?.editedAt = Timestamps.rfc3339(millis: edit.at.wallMillis)
        }
        return event
    }

    /// This identity's key under a passphrase, for `lanchat identity import` on a new machine. scrypt
    /// takes 64 MiB and a tenth of a second: off the actor's executor, on a global queue.
    nonisolated func exportIdentity(passphrase: String) async throws(ControlFailure) -> String {
        let result = await withCheckedContinuation { continuation in
            DispatchQueue.global().async { [identity] in
                continuation.resume(returning: Result { () throws(IdentityBackup.Failure) in
                    try IdentityBackup.seal(identity, passphrase: passphrase)
                })
            }
        }
        do {
            return try result.get()
        } catch {
            throw ControlFailure(.invalid, "\(error)")
        }
    }

    func whoami() -> IdentityInfo {
        var info = IdentityInfo(author: identity.id, directory: directory)
        info.isSelf = true
        return info
    }

    /// Everyone this node holds entries of, a person with linked devices once (its messages from all of them).
    func who() async throws -> [IdentityInfo] {
        let me = directory.person(of: identity.id)
        let byPerson = Dictionary(grouping: try await store.authors()) { directory.person(of: $0.id) }
        return byPerson.map { person, summaries in
            var info = IdentityInfo(author: person, directory: directory)
            info.isSelf = person == me
            info.messages = summaries.reduce(0) { $0 + $1.messages }
            info.fork = summaries.compactMap(\.fork).first.map(ForkState.init)
            info.muted = muted.contains(person) ? true : nil
            return info
        }.sorted { ($0.name.lowercased(), $0.id) < ($1.name.lowercased(), $1.id) }
    }

    func status(network: NetworkStatus) async throws -> StatusInfo {
        let tally = try await store.tally()
        return StatusInfo(
            id: identity.id.text, name: directory.displayName(of: identity.id), version: LanChatVersion.current,
            network: network.name, port: network.port, portTaken: network.portTaken, entries: tally.entries, authors: tally.authors, rooms: tally.rooms,
            peersByState: network.peersByState, uptimeSeconds: Date().timeIntervalSince(startedAt), mdns: network.mdns,
            counters: network.counters, networkKeys: network.keys, forks: forkReport(tally),
            storage: StorageReport(
                retainDays: limits.retainDays, authorQuotaBytes: limits.authorQuotaBytes, payloadsDropped: tally.payloadsDropped,
                payloadsMissing: tally.payloadsMissing))
    }

    func forkReport() async throws -> ForkReport { forkReport(try await store.tally()) }

    private func forkReport(_ tally: StoreTally) -> ForkReport {
        ForkReport(
            forked: tally.forks.count, open: tally.forks.count { $0.tips > 1 },
            own: tally.forks.first { $0.author == identity.id }.map { $0.tips > 1 ? .open : .closed }, twin: twinSeen,
            refusedBranches: tally.refusedBranches)
    }

    // MARK: Following

    /// The events of every commit from now on (of `room`, and every profile); the follower calls
    /// `finish()` on the queue when it goes away.
    nonisolated func subscribe(room: String?) -> FollowerQueue {
        let queue = FollowerQueue(room: room, limit: Self.followerBuffer)
        // Those gone since the last commit too, or a client that follows again and again on a quiet network would pile them up.
        followers.withLockedValue { followers in
            followers.removeAll(where: \.isFinished)
            followers.append(queue)
        }
        return queue
    }

    /// Refuses further local writes, fails those still waiting, and ends every stream.
    private func stop() {
        stopped = true
        // A gate that never opened (an imported identity no peer answered) releases its waiters, which see `stopped`.
        for waiter in gateWaiters { waiter.resume() }
        gateWaiters.removeAll()
        let waiting = pendingLocal
        pendingLocal.removeAll()
        for write in waiting { write.continuation.resume(returning: .failure(ControlFailure(.unavailable, "the daemon is stopping"))) }
        localCommitsContinuation.finish()
        wakeupsContinuation.finish()
        // What committed is shown before the streams end, hooks included.
        while !unshown.isEmpty { showFollowers() }
        let following = followers.withLockedValue { all in
            defer { all.removeAll() }
            return all
        }
        for follower in following { follower.finish() }
    }
}

/// How much a node keeps (configuration, applied by the node's maintenance loop).
struct StorageLimits: Sendable {
    var retainDays: Int?
    var authorQuotaBytes = DaemonConfiguration.defaultAuthorQuotaMB << 20
    static let period: Duration = .seconds(600)
}

/// What the network side reports for `status`.
struct NetworkStatus: Sendable {
    var name: String
    var port: Int
    var peersByState: StatusInfo.PeersByState
    var mdns: MDNSState
    var counters: StatusInfo.Counters
    var keys: [NetworkKeyInfo]
    /// The port asked for, when another process held it and this node took a free one instead.
    var portTaken: Int?
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
