import Foundation
import LanChatCore
import LanChatStore
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

        let state = try StateDirectory(path: config.stateDirectory)
        defer { state.releaseLock() }
        let (identity, created) = try state.loadOrCreateIdentity()
        let store = try EntryStore(path: state.databasePath)
        let node = try Node(identity: identity, store: store, logger: logger)
        try await node.ensureProfile()
        let name = await node.whoami().name
        logger.info("\(created ? "created" : "loaded") identity \(identity.id.text) as \(name)")

        let socketDirectory = (config.socketPath as NSString).deletingLastPathComponent
        try StateDirectory.makeDirectory(socketDirectory, mode: 0o700)
        let controlChannel = try await ControlServer.bind(path: config.socketPath, mode: config.socketMode)
        let dispatcher = ControlDispatcher(
            node: node,
            networkStatus: {
                NetworkStatus(name: config.network, port: config.port, peersByState: [:], mdns: "disabled", counters: [:])
            },
            peers: { [] })
        let control = ControlServer(path: config.socketPath, channel: controlChannel, dispatcher: dispatcher, logger: logger)

        let group = ServiceGroup(
            services: [control], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        SystemdNotify.send("READY=1")
        logger.info("ready; control socket \(config.socketPath)")
        try await group.run()
        await node.finishFollowers()
        logger.info("stopped")
    }
}
