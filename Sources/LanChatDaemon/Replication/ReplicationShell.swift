import LanChatControl
import LanChatCore
import LanChatNet
import Logging
import NIOCore
import ServiceLifecycle

/// Owns the node's `Replicator` and carries out its directives: datagrams over UDP, syncs over TCP,
/// entries into the store. All protocol decisions are the instance's; this only moves bytes and time.
actor ReplicationShell: Service {
    private var replicator: Replicator
    private let transport: PeerTransport
    private let node: Node
    private let network: String
    private let logger: Logger
    private let clock = MonotonicClock()
    private var outbound: NIOAsyncChannelOutboundWriter<AddressedEnvelope<ByteBuffer>>?
    private var pendingStore: [Entry] = []
    private var storing = false
    private var inboundSessions = 0
    private var counters = ShellCounters()
    private var mdnsInstances: [String: PeerAddress] = [:]
    /// Configured peers whose names did not resolve yet (DNS may come up after us); retried now and then.
    private var unresolved: [(text: String, source: PeerSource)] = []
    private var ticks: UInt64 = 0
    static let resolveRetryTicks: UInt64 = 50

    /// Concurrent inbound syncs at most; more are refused so a burst of peers cannot exhaust the node.
    static let maxInboundSessions = 32
    static let maxPendingStore = 10_000

    struct ShellCounters {
        var syncsCompleted: UInt64 = 0
        var entriesSyncedIn: UInt64 = 0
        var entriesSyncedOut: UInt64 = 0
        var inboundRefused: UInt64 = 0
        var inboundSyncs: UInt64 = 0
        var datagramBytesOut: UInt64 = 0
        var syncBytesIn: UInt64 = 0
    }

    init(node: Node, transport: PeerTransport, network: String, logger: Logger) async throws {
        self.node = node
        self.transport = transport
        self.network = network
        self.logger = logger
        let vector = try await node.store.versionVector()
        replicator = Replicator(
            configuration: .init(network: network, selfID: node.identity.id, seed: UInt64.random(in: .min ... .max)),
            vector: vector)
    }

    var port: UInt16 { transport.port }

    /// Seeds the peer table; host names are resolved here so the instance only sees numeric addresses.
    func addPeers(_ addresses: [String], source: PeerSource) {
        for text in addresses {
            guard let parsed = PeerAddress(parsing: text) else { continue }
            do {
                let socket = try parsed.socketAddress()
                guard let numeric = PeerAddress(socket) else { continue }
                replicator.discovered(numeric, source: source)
            } catch {
                logger.warning("cannot resolve peer \(text) (will retry): \(error)")
                unresolved.append((text, source))
            }
        }
    }

    func mdnsFound(_ instance: String, at address: PeerAddress) {
        if let previous = mdnsInstances.updateValue(address, forKey: instance), previous != address {
            replicator.lost(previous, source: .mdns)
        }
        replicator.discovered(address, source: .mdns)
    }

    func mdnsLost(_ instance: String) {
        guard let address = mdnsInstances.removeValue(forKey: instance) else { return }
        replicator.lost(address, source: .mdns)
    }

    nonisolated func run() async throws {
        try await untilShutdown {
            try await self.transport.tcp.executeThenClose { connections in
                try await self.transport.udp.executeThenClose { datagrams, outbound in
                    await self.attach(outbound)
                    try await withThrowingDiscardingTaskGroup { group in
                        group.addTask { try await self.tickLoop() }
                        group.addTask { await self.publishLoop() }
                        group.addTask {
                            for try await envelope in datagrams {
                                await self.received(envelope)
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

    private func attach(_ writer: NIOAsyncChannelOutboundWriter<AddressedEnvelope<ByteBuffer>>) {
        outbound = writer
    }

    // MARK: Inputs

    private nonisolated func tickLoop() async throws {
        let period = Duration.milliseconds(Int64(await replicator.configuration.protocolPeriod))
        while true {
            try await Task.sleep(for: period)
            await tick()
        }
    }

    private func tick() async {
        ticks += 1
        if ticks % Self.resolveRetryTicks == 0, !unresolved.isEmpty {
            let retry = unresolved
            unresolved.removeAll()
            for (text, source) in retry { addPeers([text], source: source) }
        }
        await perform(replicator.tick(now: clock.nowMillis()))
    }

    private nonisolated func publishLoop() async {
        for await entry in node.localCommits {
            await published(entry)
        }
    }

    private func published(_ entry: Entry) async {
        await perform(replicator.published(entry, now: clock.nowMillis()))
    }

    private func received(_ envelope: AddressedEnvelope<ByteBuffer>) async {
        guard let from = PeerAddress(envelope.remoteAddress) else { return }
        let bytes = Array(envelope.data.readableBytesView)
        await perform(replicator.receive(bytes, from: from, now: clock.nowMillis()))
    }

    // MARK: Directives

    private func perform(_ directives: [Replicator.Directive]) async {
        var envelopes: [AddressedEnvelope<ByteBuffer>] = []
        for directive in directives {
            switch directive {
            case .send(let datagram, let address):
                guard let socket = socketAddress(of: address) else { continue }
                let bytes = datagram.encoded()
                counters.datagramBytesOut += UInt64(bytes.count)
                envelopes.append(AddressedEnvelope(remoteAddress: socket, data: ByteBuffer(bytes: bytes)))
            case .store(let entries, _):
                // Bounded: beyond it, pushes are dropped and the next sync brings them.
                guard pendingStore.count < Self.maxPendingStore else { continue }
                pendingStore += entries
                if !storing {
                    storing = true
                    Task { await self.drainStore() }
                }
            case .sync(let address):
                Task { await self.initiateSync(with: address) }
            }
        }
        guard !envelopes.isEmpty, let outbound else { return }
        do {
            try await outbound.write(contentsOf: envelopes)
        } catch {
            logger.debug("datagram send failed: \(error)")
        }
    }

    /// Every address in the table is numeric (names are resolved when they enter it), so this is cheap.
    private func socketAddress(of address: PeerAddress) -> SocketAddress? {
        try? SocketAddress(ipAddress: address.host, port: Int(address.port))
    }

    /// Stores pushed entries in batches: whatever arrived while the last transaction ran goes into the next.
    private func drainStore() async {
        while !pendingStore.isEmpty {
            let batch = pendingStore
            pendingStore.removeAll(keepingCapacity: true)
            do {
                replicator.headsAdvanced(try await node.ingest(batch))
            } catch {
                logger.error("could not store \(batch.count) pushed entries: \(error)")
            }
        }
        storing = false
    }

    // MARK: Sync

    private func sessionContext() -> SyncSession.Context {
        SyncSession.Context(identity: node.identity, network: network, listenPort: transport.port, storage: self)
    }

    private func initiateSync(with address: PeerAddress) async {
        let outcome: Replicator.SyncOutcome
        do {
            guard let socket = socketAddress(of: address) else { throw SyncError.closed }
            let channel = try await PeerTransport.connect(to: socket)
            let result = try await withDeadline(.seconds(120)) { [context = sessionContext()] in
                try await SyncSession(context: context, channel: channel).initiate(expecting: nil)
            }
            record(result)
            outcome = .completed(id: result.peer, more: result.peerHasMore)
            try? await node.store.rememberPeer(address, id: result.peer, seenAtMillis: WallClock.nowMillis())
        } catch {
            logger.debug("sync with \(address) failed: \(error)")
            outcome = .failed
        }
        replicator.syncFinished(with: address, outcome: outcome, now: clock.nowMillis())
    }

    private func serveInbound(_ channel: NIOAsyncChannel<[UInt8], ByteBuffer>) async {
        guard inboundSessions < Self.maxInboundSessions else {
            counters.inboundRefused += 1
            try? await channel.channel.close()
            return
        }
        inboundSessions += 1
        defer { inboundSessions -= 1 }
        let remote = channel.channel.remoteAddress
        do {
            let result = try await withDeadline(.seconds(120)) { [context = sessionContext()] in
                try await SyncSession(context: context, channel: channel).respond()
            }
            record(result)
            counters.inboundSyncs += 1
            if let host = remote?.ipAddress, result.peerPort > 0 {
                let address = PeerAddress(host: host, port: result.peerPort)
                replicator.inboundSyncVerified(address, id: result.peer, more: result.peerHasMore, now: clock.nowMillis())
            }
        } catch {
            logger.debug("inbound sync from \(remote.map { "\($0)" } ?? "?") failed: \(error)")
        }
    }

    private func record(_ result: SyncSession.Result) {
        counters.syncsCompleted += 1
        counters.entriesSyncedIn += UInt64(result.received)
        counters.entriesSyncedOut += UInt64(result.sent)
        counters.syncBytesIn += UInt64(result.bytesReceived)
    }

    // MARK: Reports

    func status(mdns: String) -> NetworkStatus {
        var byState: [String: Int] = [:]
        for state in PeerState.allCases { byState[state.rawValue] = 0 }
        for peer in replicator.peers { byState[peer.state.rawValue, default: 0] += 1 }
        var all = replicator.counters.dictionary
        all["syncsCompleted"] = counters.syncsCompleted
        all["entriesSyncedIn"] = counters.entriesSyncedIn
        all["entriesSyncedOut"] = counters.entriesSyncedOut
        all["inboundSyncsRefused"] = counters.inboundRefused
        all["inboundSyncs"] = counters.inboundSyncs
        all["datagramBytesOut"] = counters.datagramBytesOut
        all["syncBytesIn"] = counters.syncBytesIn
        return NetworkStatus(name: network, port: Int(transport.port), peersByState: byState, mdns: mdns, counters: all)
    }

    func facts(mdns: ServiceDiscovery.Snapshot?, names: IdentityDirectory) -> NetworkFacts {
        NetworkFacts(
            network: network, port: transport.port, mdnsState: mdns?.state ?? "disabled", announcedAs: mdns?.announcedAs,
            seesItself: mdns?.seesItself ?? false,
            services: (mdns?.services ?? []).map {
                .init(instance: $0.instance, address: $0.address, network: $0.advert.network, protocolVersion: $0.advert.protocolVersion)
            },
            peers: replicator.peers.map {
                .init(address: $0.address, state: $0.state, sources: $0.sources, name: $0.verifiedID.map(names.displayName(of:)))
            },
            datagramsIn: replicator.counters.datagramsIn, inboundSyncs: counters.inboundSyncs, syncsCompleted: counters.syncsCompleted)
    }

    func peerInfos(names: IdentityDirectory) -> [PeerInfo] {
        let mine = replicator.vector.total
        return replicator.peers.map { peer in
            PeerInfo(
                id: peer.verifiedID?.text, name: peer.verifiedID.map(names.displayName(of:)), address: peer.address.description,
                state: peer.state.rawValue,
                lastSeen: peer.lastSeen.map { Timestamps.rfc3339(millis: clock.wallMillis(ofMonotonic: $0)) },
                behind: peer.reportedTotal.map { Int(mine) - Int($0) },
                sources: peer.sources.sorted().map(\.rawValue))
        }
    }
}

extension ReplicationShell: SyncStorage {
    func versionVector() async throws -> VersionVector { replicator.vector }

    nonisolated func encodedEntries(author: AuthorID, after seq: UInt64, limit: Int) async throws -> [[UInt8]] {
        try await node.store.encodedEntries(author: author, after: seq, limit: limit)
    }

    func ingest(_ entries: [Entry]) async throws {
        replicator.headsAdvanced(try await node.ingest(entries))
    }
}

/// Runs an operation, cancelling it if it outlasts the deadline.
func withDeadline<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            throw SyncError.timedOut
        }
        // The first to finish wins; the other is cancelled.
        let result = try await group.next()!
        group.cancelAll()
        return result
    }
}
