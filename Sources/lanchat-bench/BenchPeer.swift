import LanChatClient
import LanChatCore
import LanChatNet
import LanChatSimulator
import LanChatStore
import NIOCore
import Synchronization

/// A peer of the ingest benchmark, in the benchmark's own process: the real `Replicator` and sync session
/// over an in-memory store, at its own loopback address (127.0.0.2, …), so a daemon's per-address limits
/// apply to it as to a machine on a LAN. It pushes what it publishes as a daemon would, answers pings, and
/// serves the syncs that repair whatever a push lost. It never opens a sync itself: it only sends.
/// The peers share one store (`BenchLog`), as if they had pushed to each other too: a sync with one of
/// them carries only what the daemon lacks, as on a LAN where every node pushes to every other.
actor BenchPeer: SyncStorage {
    let identity = LocalIdentity.generate()
    let host: String
    let transport: PeerTransport
    private var replicator: Replicator
    private let log: BenchLog
    private let startToken = HandshakeTranscript.randomToken()
    private let started = ContinuousClock.now

    init(host: String, network: String, log: BenchLog) async throws {
        self.host = host
        self.log = log
        transport = try await PeerTransport.bind(host: host, port: 0)
        replicator = Replicator(
            configuration: ReplicationConfiguration(network: network), identity: identity,
            incarnation: Replicator.startingIncarnation(wallMillis: WallClock.nowMillis()), seed: .random(in: .min ... .max))
        // As a daemon names the address its socket is bound to: a peer refutes suspicions of itself only there.
        // Without it, a peer the daemon took offline while the benchmark's process was starved of CPU stayed
        // offline, and the daemon never synced the entries it had shed.
        replicator.ownAddresses([PeerAddress(host: host, port: transport.port)])
    }

    /// Runs `body` with `count` peers at 127.0.0.2, 127.0.0.3, …, answering until it returns.
    static func withPeers<T>(_ count: Int, _ body: ([BenchPeer]) async throws -> T) async throws -> T {
        var made: [BenchPeer] = []
        let log = BenchLog()
        for index in 0..<count { made.append(try await BenchPeer(host: "127.0.0.\(index + 2)", network: "lanchat", log: log)) }
        let peers = made
        let running = Task {
            try await withThrowingDiscardingTaskGroup { group in
                for peer in peers { group.addTask { try await peer.run() } }
            }
        }
        let result: Result<T, any Error>
        do { result = .success(try await body(peers)) } catch { result = .failure(error) }
        for peer in peers { await peer.stop() }
        _ = await running.result
        return try result.get()
    }

    /// Starts a daemon in `cluster` that knows the peers, and waits until it synced with each of them.
    static func startDaemon(in cluster: BenchCluster, with peers: [BenchPeer]) async throws -> BenchCluster.Node {
        let daemon = try cluster.start(extra: peers.flatMap { ["--peer", "\($0.address)"] })
        let port = UInt16(try cluster.status(daemon).port)
        for peer in peers { await peer.know(PeerAddress(host: "127.0.0.1", port: port)) }
        try waitFor("the daemon to have synced with all \(peers.count) peers", timeout: 30) {
            try ControlClient(socketPath: daemon.socket).request(.peers).peers?.filter { $0.state == .alive && $0.id != nil }.count == peers.count
        }
        return daemon
    }

    nonisolated var address: PeerAddress { PeerAddress(host: host, port: transport.port) }

    /// `count` messages of this peer's log, each linking the one before, signed now (before any window).
    nonisolated func sign(_ count: Int, body: (UInt64) -> String) throws -> [Entry] {
        var entries: [Entry] = []
        entries.reserveCapacity(count)
        var links: [AuthorTip] = []
        for seq in 1...UInt64(count) {
            let content = EntryContent.message(try EntryContent.Message(room: "ingest", body: body(seq)))
            let entry = Entry.sign(
                by: identity, seq: seq, timestamp: HybridTimestamp(wallMillis: WallClock.nowMillis(), counter: 0), links: links, content: content)
            entries.append(entry)
            links = [entry.tip]
        }
        return entries
    }

    func know(_ address: PeerAddress) {
        replicator.discovered(address, source: .configured)
    }

    func publish(_ entries: ArraySlice<Entry>) {
        for entry in entries {
            log.insert([entry])
            perform(replicator.published([entry], now: nowMillis))
        }
    }

    /// Answers datagrams and serves syncs until `stop()`.
    nonisolated func run() async throws {
        try await transport.tcp.executeThenClose { connections in
            try await transport.udp.executeThenClose { datagrams, _ in
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask {
                        for try await envelope in datagrams {
                            guard let from = PeerAddress(envelope.remoteAddress) else { continue }
                            await self.received(Array(envelope.data.readableBytesView), from: from)
                        }
                    }
                    for try await connection in connections {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        }
    }

    nonisolated func stop() async {
        try? await transport.tcp.channel.close()
        try? await transport.udp.channel.close()
    }

    private var nowMillis: UInt64 { UInt64((ContinuousClock.now - started) / .milliseconds(1)) }

    private func received(_ bytes: [UInt8], from address: PeerAddress) {
        // What the other peers published since: this peer's pings and acks summarise the shared store.
        replicator.tipsChanged(log.vector.tips)
        perform(replicator.receive(bytes, from: address, now: nowMillis))
    }

    /// Datagrams go out; what the daemon pushes or offers to sync is left to its own syncs with this peer.
    private func perform(_ directives: [Replicator.Directive]) {
        for case .send(let datagram, let address) in directives {
            guard let socket = try? SocketAddress(ipAddress: address.host, port: Int(address.port)) else { continue }
            _ = transport.sender.send(datagram.encoded(), to: socket)
        }
    }

    private func serve(_ connection: PeerTransport.Connection) async {
        guard let local = connection.channel.localAddress.flatMap(PeerAddress.init), let binding = ConnectionBinding(responder: local),
            let channel = try? await connection.open()
        else { return await connection.refuse() }
        let opening = SyncHandshake(
            role: .responder, identity: identity, network: replicator.configuration.network, listenPort: transport.port,
            configuration: replicator.configuration.sync, challenge: HandshakeTranscript.randomChallenge(), token: startToken, binding: binding)
        _ = try? await SyncSession(storage: self, channel: channel, keys: nil, network: replicator.configuration.network).run(opening)
    }

    // MARK: SyncStorage

    func syncVector() -> SyncVector { log.vector }
    func forkedAuthors() -> Set<AuthorID> { log.read(\.forkedAuthors) }
    func held(_ positions: [AuthorID: [AuthorTip]]) -> Set<EntryHash> { log.read { $0.held(positions) } }
    func checkpoints(of authors: [AuthorID]) -> Checkpoints { log.read { $0.checkpoints(of: authors) } }
    func forkPoints(_ searches: [AuthorID: ForkSearch]) -> [AuthorID: UInt64] { log.read { $0.forkPoints(searches) } }
    func entries(author: AuthorID, after seq: UInt64, limit: Int) -> [Entry] {
        log.read { $0.entries(author: author, after: seq, limit: limit) }
    }
    /// What the daemon sends back (its own profile): verified by the session, kept so the digests can agree.
    func ingest(_ entries: [Entry]) {
        log.insert(entries)
    }
    func missingPayloads(limit: Int) -> [EntryRef] { [] }
    func wholeEntries(_ refs: [EntryRef]) -> [Entry] { [] }
    func settleFetch(_ refs: [EntryRef]) {}
}

/// The entries every bench peer holds: what all of them published, and what the daemon synced to them.
final class BenchLog: Sendable {
    private let store = Mutex(SimulatedStore())

    var vector: SyncVector { read(\.syncVector) }

    func insert(_ entries: [Entry]) {
        store.withLock { _ = $0.insert(entries) }
    }

    func read<Value: Sendable>(_ body: (SimulatedStore) -> Value) -> Value {
        store.withLock { body($0) }
    }
}
