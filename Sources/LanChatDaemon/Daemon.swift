import Foundation
import LanChatControl
import LanChatCore
import LanChatNet
import LanChatStore
import NIOCore
import Logging
import ServiceLifecycle

/// Assembles a node from its configuration and runs it until SIGTERM or SIGINT.
public enum Daemon {
    public static func run(_ config: DaemonConfiguration) async throws {
        setenv("AVAHI_COMPAT_NOWARN", "1", 1)
        // Database, key and socket are private to this user whatever the caller's umask.
        umask(0o077)
        DaemonLogHandler.bootstrap(level: config.logLevel)
        let logger = Logger(label: "lanchatd")
        if DispatchLog.isOff {
            logger.info("libdispatch's own log is off: this process may not renice its threads, and it would log a line for each (LIBDISPATCH_LOG=YES turns it on)")
        }

        let keys = try NetworkKeyFile.load(config.networkKeyFiles)
        let state = try StateDirectory(path: config.stateDirectory)
        defer { state.releaseLock() }
        let (identity, created) = try state.loadOrCreateIdentity()
        let store = try EntryStore(path: state.databasePath) {
            logger.notice("upgrading the message store to this release's format, once: a long history takes a while")
            // systemd's start timeout (90 s by default) would stop a daemon rewriting millions of messages:
            // it is asked for 10 minutes more.
            SystemdNotify.send("EXTEND_TIMEOUT_USEC=600000000")
        }
        // Deferred after the lock's release, so it runs before it: the last write (SQLite's checkpoint
        // on close) happens while this daemon still holds its state directory.
        defer { store.close() }
        let remembered = try await store.rememberedPeers()
        // An identity that has written before may have written more than this copy holds (a restored
        // backup): with peers to ask, its first write waits for their copy of its log.
        let importing = state.wasImported ? WriteGate.Importing(synced: { [state] in state.clearImportMark() }) : nil
        if importing != nil { logger.notice("identity imported from a backup: it writes once a peer has sent it its log") }
        let node = try await Node(
            identity: identity, store: store, waitForPeers: !created && !(config.peers.isEmpty && remembered.isEmpty), importing: importing,
            limits: StorageLimits(retainDays: config.retainDays, authorQuotaBytes: config.authorQuotaBytes), logger: logger)
        try await node.ensureProfile(created: created)
        let name = await node.whoami().name
        logger.info("\(created ? "created" : "loaded") identity \(identity.id.text) as \(name)")

        let transport = try await listen(config, logger)
        // The default port was taken: status says which port this node took instead.
        let portTaken = transport.port == config.port || config.port == 0 ? nil : config.port
        let replication = try await ReplicationShell(
            node: node, transport: transport, configuration: config.replication, keys: keys,
            logger: logger)
        await replication.addPeers(config.peers, source: .configured)
        await replication.addPeers(remembered.map(\.description), source: .remembered)

        var services: [any Service] = [replication]
        if !config.hooks.isEmpty { services.append(HookRunner(commands: config.hooks, node: node, logger: logger)) }
        let discovery = config.mdnsEnabled
            ? ServiceDiscovery(
                advert: keys.map { ServiceAdvert(key: $0.sending.fingerprint) } ?? ServiceAdvert(network: config.network, id: identity.id),
                port: transport.port, displayName: name)
            : nil
        if let discovery {
            await node.onOwnRename { discovery.rename(to: $0) }
            services.append(DiscoveryService(
                discovery: discovery, replication: replication, network: config.network,
                keys: Set((keys?.accepted ?? []).map(\.fingerprint)), logger: logger))
        }

        let socketDirectory = (config.socketPath as NSString).deletingLastPathComponent
        try StateDirectory.makeDirectory(socketDirectory, mode: 0o700)
        let controlChannel = try await ControlServer.bind(path: config.socketPath, mode: config.socketMode)
        let dispatcher = ControlDispatcher(
            node: node,
            networkStatus: {
                var status = await replication.status(mdns: discovery?.state ?? "disabled")
                status.portTaken = portTaken
                return status
            },
            peers: { await replication.peerInfos(names: await node.directory) },
            diagnose: {
                var facts = await replication.facts(mdns: discovery?.snapshot(), names: await node.directory)
                facts.forks = (try? await node.forkReport()) ?? ForkReport()
                return Diagnosis.checks(facts)
            })
        let control = ControlServer(
            path: config.socketPath, channel: controlChannel, dispatcher: dispatcher,
            policy: CallerPolicy(socketPath: config.socketPath, mode: config.socketMode), logger: logger)

        // Shutdown runs in reverse order: the node, which commits writes, stops after everything that writes.
        let group = ServiceGroup(
            services: [node, control] + services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        SystemdNotify.send("READY=1")
        logger.info("ready; control socket \(config.socketPath), peers on \(PeerAddress(host: transport.host, port: transport.port)), network \(config.network)")
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            // Once the services have started too, what start-up alone ran need not stay mapped for the daemon's lifetime.
            tasks.addTask {
                guard (try? await Task.sleep(for: .seconds(5))) != nil else { return }
                let released = CodePages.release()
                logger.debug("start-up over: \(released >> 20) MB of code mappings released, faulted back in as they run")
            }
            try await group.run()
            tasks.cancelAll()
        }
        logger.info("stopped")
    }

    /// The peer port, UDP and TCP. The default address, `::`, takes both families on one socket each; on a
    /// system without IPv6 at all it falls back to IPv4 alone. The default port, taken (another daemon on
    /// this machine: the system service and a user's, say), gives way to a free one, which mDNS announces.
    private static func listen(_ config: DaemonConfiguration, _ logger: Logger) async throws -> PeerTransport {
        var (host, port) = (config.bindAddress, config.port)
        while true {
            do {
                return try await PeerTransport.bind(host: host, port: port)
            } catch where isPortTaken(error) && !config.portGiven && port != 0 {
                logger.notice("port \(port) is taken (another lanchatd on this machine?): taking a free port, announced over mDNS")
                port = 0
            } catch let error as IOError
                where isEveryAddress(host) && [EAFNOSUPPORT, EPROTONOSUPPORT].contains(error.errnoCode)
            {
                logger.notice("IPv6 is not available here (\(error)): listening on IPv4 only")
                host = "0.0.0.0"
            } catch where isPortTaken(error) && port != 0 {
                throw DaemonError.configuration(
                    "port \(port) is taken, by another lanchatd perhaps (UDP or TCP): choose another with --port or LANCHAT_PORT, "
                        + "or leave both unset to take a free one")
            } catch {
                throw DaemonError.configuration("cannot listen on \(PeerAddress(host: host, port: UInt16(clamping: port))) (UDP and TCP): \(error)")
            }
        }
    }

    private static func isPortTaken(_ error: any Error) -> Bool { (error as? IOError)?.errnoCode == EADDRINUSE }

    /// The IPv6 wildcard however it is spelt (`::`, `::0`, `0:0::0`): each takes IPv4 as well, so each falls back to it.
    private static func isEveryAddress(_ host: String) -> Bool {
        PeerAddress(host: host, port: 0).hostAsSeen == DaemonConfiguration.everyAddress
    }
}
