import ArgumentParser
import Foundation
import LanChatClient
import LanChatCore
import LanChatDaemon
import Logging

@main
struct LanChatD: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lanchatd",
        abstract: "The lanchat daemon: keeps this machine's identity and log, and replicates with peers on the LAN.",
        discussion: "Every option can also be set in the environment (for systemd's EnvironmentFile=): LANCHAT_STATE_DIR, LANCHAT_SOCKET, LANCHAT_SOCKET_MODE, LANCHAT_PORT, LANCHAT_BIND, LANCHAT_PEERS (comma separated), LANCHAT_NO_MDNS=1, LANCHAT_NETWORK, LANCHAT_LOG_LEVEL.",
        version: LanChatVersion.current)

    @Option(help: "State directory (identity key and database).") var stateDir: String?
    @Option(help: "Control socket path.") var socket: String?
    @Option(help: "Control socket mode in octal (0600; 0660 for the system service).") var socketMode: String?
    @Option(help: "UDP and TCP port for peers; 0 picks a free one.") var port: Int?
    @Option(help: "Address to bind the peer port to.") var bind: String?
    @Option(help: "A peer to contact, HOST:PORT (repeatable).") var peer: [String] = []
    @Flag(help: "Do not use mDNS discovery.") var noMdns = false
    @Option(help: "Network name; nodes only talk within one network.") var network: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String?

    func run() async throws {
        let env = ProcessInfo.processInfo.environment
        let portValue = try port ?? env["LANCHAT_PORT"].map { text in
            guard let value = Int(text) else { throw ValidationError("LANCHAT_PORT must be a number") }
            return value
        } ?? 7420
        guard (0...65535).contains(portValue) else { throw ValidationError("port must be 0 to 65535") }
        let modeText = socketMode ?? env["LANCHAT_SOCKET_MODE"] ?? "0600"
        guard let mode = UInt16(modeText, radix: 8), mode & ~0o777 == 0, mode & 0o007 == 0 else {
            throw ValidationError("socket mode must be octal and give others no access, like 0600 or 0660")
        }
        let levelText = logLevel ?? env["LANCHAT_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: levelText) else { throw ValidationError("unknown log level '\(levelText)'") }
        let networkName = network ?? env["LANCHAT_NETWORK"] ?? "lanchat"
        guard NetworkName.isValid(networkName) else {
            throw ValidationError("network name must be 1 to 32 characters of a-z, 0-9, '-', '_' or '.'")
        }
        var peers = peer
        if peers.isEmpty, let list = env["LANCHAT_PEERS"] {
            peers = list.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
        }
        for candidate in peers where PeerAddress(parsing: candidate) == nil {
            throw ValidationError("peer '\(candidate)' is not HOST:PORT")
        }
        let config = DaemonConfiguration(
            stateDirectory: stateDir ?? env["LANCHAT_STATE_DIR"] ?? DefaultPaths.stateDirectory(),
            socketPath: socket ?? env["LANCHAT_SOCKET"] ?? "\(DefaultPaths.runtimeDirectory())/\(DefaultPaths.socketName)",
            socketMode: mode, port: portValue, bindAddress: bind ?? env["LANCHAT_BIND"] ?? "0.0.0.0", peers: peers,
            mdnsEnabled: !(noMdns || env["LANCHAT_NO_MDNS"] == "1"), network: networkName, logLevel: level)
        do {
            try await Daemon.run(config)
        } catch let error as DaemonError {
            FileHandle.standardError.write(Data("lanchatd: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
