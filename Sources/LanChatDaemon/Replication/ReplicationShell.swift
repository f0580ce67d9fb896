import Glibc
import LanChatStore
import LanChatControl
import LanChatCore
import LanChatNet
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// Owns the node's `Replicator` and carries out its directives: datagrams over UDP, syncs over TCP,
/// entries into the store. All protocol decisions are the instance's; this only moves bytes and time.
/// Everything it starts (syncs, the store drain) runs in the task group of `run()`, so a shutdown
/// cancels and awaits all of it before the daemon releases its state directory.
actor ReplicationShell: Service {
    private var replicator: Replicator
    private let transport: PeerTransport
    private let node: Node
    private let logger: Logger
    private let clock = MonotonicClock()
    /// When a failed send was last logged, and how many failed since: logged at most once per `sendErrorLogInterval`.
    private var sendErrorLog: (at: ContinuousClock.Instant, unlogged: Int)?
    static let sendErrorLogInterval = Duration.seconds(10)
    /// Pushed entries not checked yet. They are checked as a burst (`PushBurst`) while the burst before
    /// them is stored, so a burst is whatever arrived during one transaction: the busier the node, the
    /// fewer signatures per entry. At most one wake-up waits, however many pushes arrive meanwhile.
    private var unchecked: [Entry] = []
    /// Of the pushes waiting or being checked, those that came as relays: where each came from and where its
    /// arc ends, to pass it on once it is found authentic.
    private var relays: [EntryKey: (from: PeerAddress, until: UInt64)] = [:]
    /// This node's commits held back by `publishPacing`: one author's consecutive entries, pushed as one burst.
    /// Not empty exactly while the publish loop holds a burst.
    private var unpublished: [Entry] = []
    private var publishPacing = BurstPacing()
    /// The milliseconds a burst is held: the publish loop pushes it when they are over.
    private let heldBursts = AsyncStream.makeStream(of: UInt64.self, bufferingPolicy: .bufferingNewest(1))
    private let intakeWakeups = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    private let syncRequests = AsyncStream.makeStream(of: PeerAddress.self)
    /// Wants to answer from the store, one at a time; beyond a period's worth (a store that stalls), the newest wait
    /// for nothing: the asker's sync brings what it lacks.
    private let wants = AsyncStream.makeStream(
        of: (after: EntryKey, to: PeerAddress).self, bufferingPolicy: .bufferingOldest(Replicator.maxServesPerPeriod))
    private var mdnsInstances: [String: PeerAddress] = [:]
    /// Configured peers whose names did not resolve yet (DNS may come up after us); retried now and then.
    private var unresolved: [(text: String, source: PeerSource)] = []
    private var ticks: UInt64 = 0
    /// Drawn at each start and shown in every handshake: another daemon proving this identity with
    /// another token is a twin, one with this token is this daemon at another address.
    private let startToken = HandshakeTranscript.randomToken()
    /// The last entry asked for whole (`missingPayloads`): the next sync asks for those after it.
    private var fetchCursor: EntryRef?
    /// On a closed network: the keys, and the sealer of this start's datagrams.
    let keys: NetworkKeyRing?
    let network: String
    private var sealer: DatagramSealer?
    static let resolveRetryTicks: UInt64 = 50
    /// Interface addresses come and go (DHCP, IPv6 temporary addresses): asked again every 10 s.
    static let ownAddressTicks: UInt64 = 50

    init(
        node: Node, transport: PeerTransport, configuration: ReplicationConfiguration, keys: NetworkKeyRing?, logger: Logger
    ) async throws {
        self.node = node
        self.transport = transport
        self.logger = logger
        self.keys = keys
        network = configuration.network
        sealer = keys.map { DatagramSealer(ring: $0, network: configuration.network) }
        replicator = Replicator(
            configuration: configuration, identity: node.identity,
            incarnation: Replicator.startingIncarnation(wallMillis: WallClock.nowMillis()), seed: UInt64.random(in: .min ... .max),
            vector: try await node.store.syncVector(), keys: keys)
    }

    var port: UInt16 { transport.port }

    private var configuration: ReplicationConfiguration { replicator.configuration }

    /// Seeds the peer table; host names are resolved off the actor, so the instance only sees numeric addresses.
    func addPeers(_ addresses: [String], source: PeerSource) async {
        for text in addresses {
            guard let parsed = PeerAddress(parsing: text) else { continue }
            do {
                replicator.discovered(try await parsed.resolved(), source: source)
            } catch {
                logger.warning("cannot resolve peer \(text) (will retry): \(error)")
                unresolved.append((text, source))
            }
        }
    }

    func mdnsFound(_ instance: String, at announced: PeerAddress) {
        // Anyone on the LAN can answer mDNS: what it announces is judged as what a peer names.
        guard case .success(let address) = AddressPolicy.check(announced: announced) else {
            logger.debug("mDNS announced \(instance) at \(announced): not an address to send to, ignored")
            return
        }
        if let previous = mdnsInstances.updateValue(address, forKey: instance), previous != address {
            replicator.lost(previous, source: .mdns)
        }
        replicator.discovered(address, source: .mdns)
    }

    func mdnsLost(_ instance: String) {
        guard let address = mdnsInstances.removeValue(forKey: instance) else { return }
        replicator.lost(address, source: .mdns)
    }

    /// Where peers reach this node, as far as this machine knows: the bound address, or under a wildcard bind
    /// its interfaces' addresses of the families bound (named as datagrams name their sender already), with the
    /// peer port.
    private func ownAddresses() -> [PeerAddress] {
        NetworkFacts.Listening(bound: transport.host, interfaces: InterfaceAddresses.current()).addresses.map { PeerAddress(host: $0, port: port) }
    }

    nonisolated func run() async throws {
        try await untilShutdown {
            try await self.transport.tcp.executeThenClose { connections in
                try await self.transport.udp.executeThenClose { datagrams, _ in
                    try await withThrowingDiscardingTaskGroup { group in
                        group.addTask { try await self.tickLoop() }
                        group.addTask { await self.publishLoop() }
                        group.addTask { await self.intakeLoop() }
                        group.addTask { await self.serveLoop() }
                        group.addTask {
                            for try await envelope in datagrams {
                                await self.received(envelope)
                            }
                        }
                        group.addTask {
                            await withDiscardingTaskGroup { syncs in
                                for await address in self.syncRequests.stream {
                                    syncs.addTask { await self.initiateSync(with: address) }
                                }
                            }
                        }
                        for try await connection in connections {
                            group.addTask { await self.serveInbound(connection) }
                        }
                    }
                }
            }
        }
    }

    // MARK: Inputs

    private nonisolated func tickLoop() async throws {
        let period = Duration.milliseconds(Int64(await configuration.protocolPeriod))
        // The first tick at once: a node that starts pings its known peers now, not a period later.
        while true {
            await tick()
            try await Task.sleep(for: period)
        }
    }

    private func tick() async {
        ticks += 1
        if ticks % Self.ownAddressTicks == 1 { replicator.ownAddresses(ownAddresses()) }
        if ticks % Self.resolveRetryTicks == 0, !unresolved.isEmpty {
            let retry = unresolved
            unresolved.removeAll()
            for (text, source) in retry { await addPeers([text], source: source) }
        }
        await perform(replicator.tick(now: clock.nowMillis()))
    }

    /// Commits are pushed as they come, unless `publishPacing` holds them back: then this loop pushes the
    /// burst when its linger is over, while commits go on being collected into it (`localCommits` keeps
    /// only its newest 100, so it is never left unread while a burst waits).
    private nonisolated func publishLoop() async {
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await entries in self.node.localCommits { await self.collect(entries) }
                self.heldBursts.continuation.finish()
            }
            for await delay in heldBursts.stream {
                try? await Task.sleep(for: .milliseconds(Int64(delay)))
                await publishCollected()
            }
        }
    }

    private func collect(_ entries: [Entry]) async {
        let held = !unpublished.isEmpty
        unpublished += entries
        guard !held else { return }
        let delay = publishPacing.delay(now: clock.nowMillis())
        if delay > 0 {
            heldBursts.continuation.yield(delay)
        } else {
            await publishCollected()
        }
    }

    private func publishCollected() async {
        let entries = unpublished
        unpublished.removeAll(keepingCapacity: true)
        guard !entries.isEmpty else { return }
        let now = clock.nowMillis()
        publishPacing.took(entries.count, at: now)
        await perform(replicator.published(entries, now: now))
    }

    private nonisolated func serveLoop() async {
        for await want in wants.stream {
            // A store that cannot be read answers nothing: the peer's sync brings the entries instead.
            let entries = (try? await entries(author: want.after.author, after: want.after.seq, limit: Datagram.maxPushedEntries)) ?? []
            await served(entries, to: want.to)
        }
    }

    private func served(_ entries: [Entry], to address: PeerAddress) async {
        await perform(replicator.serve(entries, to: address))
    }

    private func received(_ envelope: AddressedEnvelope<ByteBuffer>) async {
        guard let from = PeerAddress(envelope.remoteAddress) else { return }
        let bytes = Array(envelope.data.readableBytesView)
        // Only an IPv6 sender without a zone of its own may be told link-local addresses of the link it
        // came in on; no other datagram needs the interface's name.
        let link = from.isIPv6 && from.zone == nil
            ? envelope.metadata?.packetInfo.map { InterfaceAddresses.name(of: UInt32(clamping: $0.interfaceIndex)) } : nil
        await perform(replicator.receive(bytes, from: from, link: link, now: clock.nowMillis(), wallMillis: WallClock.nowMillis()))
    }

    // MARK: Directives

    private func perform(_ directives: [Replicator.Directive]) async {
        var bytesOut = 0
        var failures = 0
        // One reading for the batch (a push goes to every peer at once): what a sealed datagram says it was sent at.
        let sentAt = sealer == nil ? 0 : WallClock.nowMillis()
        for directive in directives {
            switch directive {
            case .send(let datagram, let address):
                let plain = datagram.encoded()
                let bytes = sealer?.seal(plain, at: sentAt) ?? plain
                // A failed send costs that datagram only: the socket stays open (see `DatagramSender`).
                guard let socket = address.socketAddress else {
                    failures += 1
                    sendFailed(to: address, reason: "not a numeric address")
                    continue
                }
                if let code = transport.sender.send(bytes, to: socket) {
                    failures += 1
                    sendFailed(to: address, reason: String(cString: strerror(code)))
                } else {
                    bytesOut += bytes.count
                }
            case .pushed(let entry, let from, let relayUntil):
                // Bounded by the replicator (`maxPushesInFlight`), which sheds pushes beyond.
                unchecked.append(entry)
                if let relayUntil { relays[entry.key] = (from, relayUntil) }
                intakeWakeups.continuation.yield()
            case .sync(let address):
                syncRequests.continuation.yield(address)
            case .serve(let after, let address):
                wants.continuation.yield((after, address))
            }
        }
        replicator.countTraffic(datagramBytesOut: bytesOut, sendErrors: failures)
    }

    /// Logs a failed send, at most once per interval (a peer without a route fails every period).
    private func sendFailed(to address: PeerAddress, reason: String) {
        let now = ContinuousClock.now
        if let last = sendErrorLog, now - last.at < Self.sendErrorLogInterval {
            sendErrorLog?.unlogged += 1
            return
        }
        let more = sendErrorLog.map { $0.unlogged > 0 ? " (\($0.unlogged) more failed sends since the last report)" : "" } ?? ""
        logger.debug("datagram to \(address) not sent: \(reason)\(more)")
        sendErrorLog = (now, 0)
    }

    /// Checks each burst of pushes off the actor (datagrams keep coming in meanwhile), then stores it in
    /// one transaction while the next burst is checked.
    private nonisolated func intakeLoop() async {
        var pacing = BurstPacing()
        await withTaskGroup(of: Void.self) { group in
            for await _ in intakeWakeups.stream {
                while true {
                    await pace(&pacing)
                    guard let burst = await takeUnchecked() else { break }
                    pacing.took(burst.count, at: clock.nowMillis())
                    let (authentic, forged) = await ParallelVerifier.authentic(burst)
                    await relayOn(authentic, of: burst)
                    // The burst before this one, if it is still being stored (none: returns at once).
                    await group.next()
                    group.addTask { await self.store(authentic, of: burst.count, forged: forged) }
                }
            }
        }
    }

    /// Waits as long as `pacing` holds the next burst back.
    private nonisolated func pace(_ pacing: inout BurstPacing) async {
        let delay = pacing.delay(now: clock.nowMillis())
        if delay > 0 { try? await Task.sleep(for: .milliseconds(Int64(delay))) }
    }

    /// What waits to be checked, less what a sync stored meanwhile (settled at once).
    private func takeUnchecked() -> [Entry]? {
        let waiting = unchecked
        unchecked.removeAll(keepingCapacity: true)
        let burst = replicator.notHeld(waiting)
        replicator.pushesSettled(waiting.count - burst.count, held: waiting.count - burst.count)
        if burst.count < waiting.count {
            let kept = Set(burst.map(\.key))
            for entry in waiting where !kept.contains(entry.key) { relays[entry.key] = nil }
        }
        guard !burst.isEmpty else { return nil }
        return burst
    }

    /// Relays go on as soon as they are found authentic, before they are stored: a hop costs the next
    /// nodes a signature check, not a commit. A forged one goes nowhere.
    private func relayOn(_ authentic: [Entry], of burst: [Entry]) async {
        for entry in authentic {
            guard let relay = relays[entry.key] else { continue }
            await perform(replicator.relay(entry, from: relay.from, until: relay.until, now: clock.nowMillis()))
        }
        for entry in burst { relays[entry.key] = nil }
    }

    /// The authentic entries of a burst of `count` pushes; the forged and the duplicates settle with them.
    private func store(_ entries: [Entry], of count: Int, forged: Int) async {
        let fresh = replicator.notHeld(entries)
        if !fresh.isEmpty {
            do {
                replicator.tipsChanged(try await node.ingest(fresh).tips)
            } catch {
                logger.error("could not store \(fresh.count) pushed entries: \(error)")
            }
        }
        replicator.pushesSettled(count, forged: forged, held: entries.count - fresh.count)
    }

    // MARK: Sync

    private func handshake(_ role: SyncHandshake.Role, responder: PeerAddress?) throws -> SyncHandshake {
        guard let responder, let binding = ConnectionBinding(responder: responder) else { throw SyncFailure.closed }
        return SyncHandshake(
            role: role, identity: node.identity, network: configuration.network, listenPort: transport.port,
            configuration: configuration.sync, challenge: HandshakeTranscript.randomChallenge(), token: startToken, binding: binding)
    }

    private nonisolated func session(on channel: NIOAsyncChannel<[UInt8], ByteBuffer>) -> SyncSession {
        SyncSession(storage: self, channel: channel, keys: keys, network: network)
    }

    private var sessionTimeout: Duration { .milliseconds(Int64(configuration.sync.sessionTimeout)) }

    private func initiateSync(with address: PeerAddress) async {
        let outcome: Replicator.SyncOutcome
        do {
            guard let socket = address.socketAddress else { throw SyncFailure.closed }
            let opening = try handshake(.initiator(expecting: nil), responder: address)
            let channel = try await PeerTransport.connect(to: socket)
            let (result, bytes) = try await withDeadline(sessionTimeout) {
                try await self.session(on: channel).run(opening)
            }
            replicator.countTraffic(syncBytesIn: bytes)
            outcome = .completed(result)
            await node.allowWrites(because: "synced with \(address)")
            try? await node.store.rememberPeer(address, id: result.peer, seenAtMillis: WallClock.nowMillis())
        } catch {
            logger.debug("sync with \(address) failed: \(error)")
            let failure = error as? SyncFailure
            outcome = failure.map(Replicator.SyncOutcome.init) ?? .failed
            if failure == .twin { await node.twinProved(at: "\(address)") }
            if case .unauthenticated? = failure { replicator.countTraffic(unauthenticatedSyncs: 1) }
        }
        await perform(replicator.syncFinished(with: address, outcome: outcome, now: clock.nowMillis()))
    }

    private func serveInbound(_ connection: PeerTransport.Connection) async {
        let remote = connection.channel.remoteAddress.flatMap(PeerAddress.init)
        guard replicator.admitInbound(from: remote?.host) else {
            await connection.refuse()
            return
        }
        var result: SyncResult?
        let held = NIOLockedValueBox<PeerAddress?>(nil)
        do {
            let opening = try handshake(.responder, responder: connection.channel.localAddress.flatMap(PeerAddress.init))
            let channel = try await connection.open()
            let (completed, bytes) = try await withDeadline(sessionTimeout) {
                try await self.session(on: channel).run(opening) { [host = remote?.host] _, port in
                    let address = await self.holdForInbound(from: host, port: port)
                    held.withLockedValue { $0 = address }
                }
            }
            replicator.countTraffic(syncBytesIn: bytes)
            result = completed
            await node.allowWrites(because: "a peer synced with this node")
        } catch {
            // Closed already unless the session never began.
            await connection.refuse()
            logger.debug("inbound sync from \(remote.map { "\($0)" } ?? "?") failed: \(error)")
            switch error as? SyncFailure {
            case .incompatibleVersions(let theirs, let port)?:
                if let host = remote?.host, port > 0 { replicator.speaksOtherVersions(theirs, at: PeerAddress(host: host, port: port)) }
            case .twin?: await node.twinProved(at: remote.map { "\($0)" } ?? "?")
            case .unauthenticated?: replicator.countTraffic(unauthenticatedSyncs: 1)
            default: break
            }
        }
        await perform(replicator.inboundSyncEnded(from: remote?.host, held: held.withLockedValue { $0 }, result: result, now: clock.nowMillis()))
    }

    private func holdForInbound(from host: String?, port: UInt16) -> PeerAddress? {
        replicator.inboundSyncEstablished(from: host, port: port)
    }

    // MARK: Reports

    func status(mdns: String) -> NetworkStatus {
        var byState = StatusInfo.PeersByState()
        for peer in replicator.peers { byState[PeerInfo.State(peer.state)] += 1 }
        return NetworkStatus(
            name: configuration.network, port: Int(transport.port), peersByState: byState, mdns: MDNSState(mdns),
            counters: StatusInfo.Counters(replicator.counters),
            keys: (keys?.accepted ?? []).map { NetworkKeyInfo(fingerprint: "\($0.fingerprint)", sending: $0.fingerprint == keys?.sending.fingerprint) })
    }

    func facts(mdns: ServiceDiscovery.Snapshot?, names: IdentityDirectory) -> NetworkFacts {
        var facts = NetworkFacts(
            network: configuration.network, port: transport.port, mdnsState: mdns?.state ?? "disabled", announcedAs: mdns?.announcedAs,
            seesItself: mdns?.seesItself ?? false,
            services: (mdns?.services ?? []).map {
                .init(
                    instance: $0.instance, address: $0.address, network: $0.advert.network, key: $0.advert.key.map { "\($0)" },
                    protocolVersion: $0.advert.protocolVersion)
            },
            peers: replicator.peers.map {
                .init(address: $0.address, state: $0.state, sources: $0.sources, name: $0.verifiedID.map { names.displayName(of: $0) })
            },
            datagramsIn: replicator.counters.datagramsIn, inboundSyncs: replicator.counters.inboundSyncs,
            syncsCompleted: replicator.counters.syncsCompleted, otherVersions: replicator.incompatiblePeers,
            keys: (keys?.accepted ?? []).map { "\($0.fingerprint)" },
            keyMismatches: replicator.keyMismatchedPeers.compactMap { address, refusal in
                switch refusal {
                case .otherKey(let key): (address, "\(key)")
                case .unsealed: (address, nil)
                default: nil
                }
            },
            staleClocks: replicator.keyMismatchedPeers.filter { $0.refusal == .stale }.map(\.address))
        facts.listening = NetworkFacts.Listening(bound: transport.host, interfaces: InterfaceAddresses.current())
        return facts
    }

    func peerInfos(names: IdentityDirectory) -> [PeerInfo] {
        let mine = replicator.vector.total
        let known = replicator.peers.map { peer in
            PeerInfo(
                id: peer.verifiedID?.text, name: peer.verifiedID.map { names.displayName(of: $0) }, address: peer.address.description,
                state: PeerInfo.State(peer.state),
                lastSeen: peer.lastSeen.map { Timestamps.rfc3339(millis: clock.wallMillis(ofMonotonic: $0)) },
                // A peer reports its own total: never trust it to fit an Int.
                behind: peer.reportedTotal.map { Int(clamping: Int64(clamping: mine) - Int64(clamping: $0)) },
                sources: peer.sources.sorted().map(PeerInfo.Source.init))
        }
        let incompatible = replicator.incompatiblePeers.map {
            PeerInfo(
                id: nil, name: nil, address: $0.address.description, state: .offline, lastSeen: nil, behind: nil, sources: [],
                protocolVersion: Int($0.version))
        }
        return known + incompatible
    }
}

extension ReplicationShell: SyncStorage {
    func syncVector() async throws -> SyncVector {
        try await node.store.syncVector()
    }

    nonisolated func held(_ positions: [AuthorID: [AuthorTip]]) async throws -> Set<EntryHash> {
        try await node.store.held(positions)
    }

    nonisolated func checkpoints(of authors: [AuthorID]) async throws -> Checkpoints {
        try await node.store.checkpoints(of: authors)
    }

    nonisolated func forkedAuthors() async throws -> Set<AuthorID> {
        Set(try await node.store.forks().map(\.author))
    }

    nonisolated func forkPoints(_ searches: [AuthorID: ForkSearch]) async throws -> [AuthorID: UInt64] {
        try await node.store.forkPoints(searches)
    }

    nonisolated func entries(author: AuthorID, after seq: UInt64, limit: Int) async throws -> [Entry] {
        try await node.store.entries(author: author, after: seq, limit: limit)
    }

    func ingest(_ entries: [Entry]) async throws {
        let (tips, filled) = try await node.ingest(entries)
        replicator.tipsChanged(tips)
        // Counted where the payload is filled: two sessions that fetched the same one count it once.
        replicator.countTraffic(payloadsFetched: filled)
    }

    func missingPayloads(limit: Int) async throws -> [EntryRef] {
        let refs = try await node.store.missingPayloads(after: fetchCursor, limit: limit)
        fetchCursor = refs.last ?? fetchCursor
        replicator.payloadsMissing(!refs.isEmpty)
        return refs
    }

    nonisolated func wholeEntries(_ refs: [EntryRef]) async throws -> [Entry] {
        try await node.store.wholeEntries(refs)
    }

    func settleFetch(_ refs: [EntryRef]) async throws {
        try await node.store.settleFetch(refs)
    }
}
