import Foundation
import LanChatControl
import LanChatCore
import Logging

public struct DaemonConfiguration: Sendable, Equatable {
    public var stateDirectory: String
    public var socketPath: String
    /// 0600 for a user's daemon; the system service passes 0660 so the `lanchat` group may connect.
    public var socketMode: UInt16
    public var port: Int
    /// Set by --port or LANCHAT_PORT: taken, it is an error. The default, taken (by another daemon on this
    /// machine), gives way to a free port.
    public var portGiven = false
    public var bindAddress: String
    /// The default: every address of both families, on one dual-stack socket.
    public static let everyAddress = "::"
    public var peers: [String]
    public var mdnsEnabled: Bool
    public var network: String
    public var logLevel: Logger.Level
    /// Messages' text is dropped this many days after it arrived; nil keeps it for ever (the default).
    public var retainDays: Int?
    /// Beyond this much message text from one author, that author's oldest is dropped.
    public var authorQuotaBytes: Int
    public static let defaultAuthorQuotaMB = 64
    /// Files holding the network keys (`NetworkKeyFile`); none: an open network.
    public var networkKeyFiles: [String]
    /// Shell commands run for mentions of this person and direct messages received (`HookRunner`).
    public var hooks: HookCommands
    /// Past this many peers of verified ID, this node's messages go down the relay tree instead of to each;
    /// nil: the protocol's default (`ReplicationConfiguration.directPushPeers`).
    public var directPushPeers: Int?

    public init(
        stateDirectory: String, socketPath: String, socketMode: UInt16 = 0o600, port: Int = 7420, portGiven: Bool = false,
        bindAddress: String = DaemonConfiguration.everyAddress, peers: [String] = [], mdnsEnabled: Bool = true, network: String = "lanchat",
        logLevel: Logger.Level = .info, retainDays: Int? = nil, authorQuotaBytes: Int = defaultAuthorQuotaMB << 20,
        networkKeyFiles: [String] = [], hooks: HookCommands = HookCommands(),
        directPushPeers: Int? = nil
    ) {
        self.hooks = hooks
        self.directPushPeers = directPushPeers
        self.networkKeyFiles = networkKeyFiles
        self.retainDays = retainDays
        self.authorQuotaBytes = authorQuotaBytes
        self.stateDirectory = stateDirectory
        self.socketPath = socketPath
        self.socketMode = socketMode
        self.port = port
        self.portGiven = portGiven
        self.bindAddress = bindAddress
        self.peers = peers
        self.mdnsEnabled = mdnsEnabled
        self.network = network
        self.logLevel = logLevel
    }
}

extension DaemonConfiguration {
    /// The replication protocol's settings: the defaults, with what the daemon's options change.
    public var replication: ReplicationConfiguration {
        var replication = ReplicationConfiguration(network: network)
        if let directPushPeers { replication.directPushPeers = directPushPeers }
        return replication
    }
}

/// `lanchatd`'s flags as given, every one optional: each falls back to its environment variable
/// (for systemd's `EnvironmentFile=`), then to the default.
public struct DaemonOptions: Sendable, Equatable {
    public var stateDirectory: String?
    public var socket: String?
    public var socketMode: String?
    public var port: Int?
    public var bind: String?
    public var peers: [String]
    public var noMDNS: Bool
    public var network: String?
    public var logLevel: String?
    public var retainDays: Int?
    public var authorQuotaMB: Int?
    public var networkKeyFiles: [String]
    public var onMention: String?
    public var onDirectMessage: String?
    public var hookTimeout: Int?
    public var directPushPeers: Int?

    public init(
        stateDirectory: String? = nil, socket: String? = nil, socketMode: String? = nil, port: Int? = nil,
        bind: String? = nil, peers: [String] = [], noMDNS: Bool = false, network: String? = nil, logLevel: String? = nil,
        retainDays: Int? = nil, authorQuotaMB: Int? = nil, networkKeyFiles: [String] = [], onMention: String? = nil,
        onDirectMessage: String? = nil, hookTimeout: Int? = nil, directPushPeers: Int? = nil
    ) {
        self.directPushPeers = directPushPeers
        self.onMention = onMention
        self.onDirectMessage = onDirectMessage
        self.hookTimeout = hookTimeout
        self.networkKeyFiles = networkKeyFiles
        self.retainDays = retainDays
        self.authorQuotaMB = authorQuotaMB
        self.stateDirectory = stateDirectory
        self.socket = socket
        self.socketMode = socketMode
        self.port = port
        self.bind = bind
        self.peers = peers
        self.noMDNS = noMDNS
        self.network = network
        self.logLevel = logLevel
    }

    /// The variables `configuration(environment:)` reads, for `--help`.
    public static let environmentVariables = [
        "LANCHAT_STATE_DIR", "LANCHAT_SOCKET", "LANCHAT_SOCKET_MODE", "LANCHAT_PORT", "LANCHAT_BIND",
        "LANCHAT_PEERS (comma separated)", "LANCHAT_NO_MDNS=1", "LANCHAT_NETWORK", "LANCHAT_LOG_LEVEL",
        "LANCHAT_RETAIN_DAYS", "LANCHAT_AUTHOR_QUOTA_MB", "LANCHAT_NETWORK_KEY_FILE (comma separated)",
        "LANCHAT_ON_MENTION", "LANCHAT_ON_DM", "LANCHAT_HOOK_TIMEOUT", "LANCHAT_DIRECT_PUSH_PEERS",
    ]

    /// Flag, else environment, else default. An invalid value is reported with where it came from.
    public func configuration(environment: [String: String]) throws(DaemonError) -> DaemonConfiguration {
        func pick(
            _ flag: String?, _ flagName: String, _ variable: String, default value: @autoclosure () -> String
        ) -> (value: String, source: String) {
            if let flag { return (flag, flagName) }
            return environment[variable].map { ($0, variable) } ?? (value(), "the default")
        }

        let port: (value: Int, source: String)
        if let flag = self.port {
            port = (flag, "--port")
        } else if let text = environment["LANCHAT_PORT"] {
            guard let value = Int(text) else { throw .configuration("LANCHAT_PORT must be a number, not '\(text)'") }
            port = (value, "LANCHAT_PORT")
        } else {
            port = (7420, "the default")
        }
        guard (0...65535).contains(port.value) else { throw .configuration("\(port.source) must be 0 to 65535") }

        let mode = pick(socketMode, "--socket-mode", "LANCHAT_SOCKET_MODE", default: "0600")
        guard let socketMode = UInt16(mode.value, radix: 8), socketMode & ~0o777 == 0, socketMode & 0o007 == 0 else {
            throw .configuration("\(mode.source) must be octal and give others no access, like 0600 or 0660, not '\(mode.value)'")
        }

        let level = pick(logLevel, "--log-level", "LANCHAT_LOG_LEVEL", default: "info")
        guard let logLevel = Logger.Level(rawValue: level.value) else {
            throw .configuration(
                "\(level.source) must be trace, debug, info, notice, warning, error or critical, not '\(level.value)'")
        }

        let network = pick(network, "--network", "LANCHAT_NETWORK", default: "lanchat")
        guard NetworkName.isValid(network.value) else {
            throw .configuration("\(network.source) must be 1 to 32 characters of a-z, 0-9, '-', '_' or '.', not '\(network.value)'")
        }

        var peers = (list: self.peers, source: "--peer")
        if peers.list.isEmpty, let text = environment["LANCHAT_PEERS"] {
            peers = (text.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init), "LANCHAT_PEERS")
        }
        for candidate in peers.list {
            guard let address = PeerAddress(parsing: candidate) else { throw .configuration("\(peers.source): '\(candidate)' is not HOST:PORT") }
            // Without the interface, a link-local address names no host: every link has one of that number.
            if address.isLinkLocal, address.zone == nil {
                throw .configuration(
                    "\(peers.source): '\(candidate)' is link-local and needs the interface it is on, like '[\(address.host)%eth0]:\(address.port)'")
            }
        }

        var keyFiles = networkKeyFiles
        if keyFiles.isEmpty, let text = environment["LANCHAT_NETWORK_KEY_FILE"] {
            keyFiles = text.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        var mdnsEnabled = true
        if noMDNS {
            mdnsEnabled = false
        } else if let text = environment["LANCHAT_NO_MDNS"] {
            switch text {
            case "1", "true", "yes": mdnsEnabled = false
            case "", "0", "false", "no": mdnsEnabled = true
            default: throw .configuration("LANCHAT_NO_MDNS must be 1 or 0, not '\(text)'")
            }
        }

        let retainDays = try Self.positive(retainDays, "--retain-days", "LANCHAT_RETAIN_DAYS", environment)
        let quota = try Self.positive(authorQuotaMB, "--author-quota-mb", "LANCHAT_AUTHOR_QUOTA_MB", environment)
            ?? DaemonConfiguration.defaultAuthorQuotaMB
        // An empty command (`LANCHAT_ON_DM=` in an environment file) is none.
        let hooks = HookCommands(
            onMention: pick(onMention, "--on-mention", "LANCHAT_ON_MENTION", default: "").value,
            onDirectMessage: pick(onDirectMessage, "--on-dm", "LANCHAT_ON_DM", default: "").value,
            timeoutSeconds: try Self.positive(hookTimeout, "--hook-timeout", "LANCHAT_HOOK_TIMEOUT", environment)
                ?? HookCommands.defaultTimeoutSeconds)

        return DaemonConfiguration(
            stateDirectory: pick(
                stateDirectory, "--state-dir", "LANCHAT_STATE_DIR", default: DefaultPaths.stateDirectory(environment: environment)
            ).value,
            socketPath: pick(
                socket, "--socket", "LANCHAT_SOCKET",
                default: "\(DefaultPaths.runtimeDirectory(environment: environment))/\(DefaultPaths.socketName)"
            ).value,
            socketMode: socketMode, port: port.value, portGiven: port.source != "the default", bindAddress: pick(bind, "--bind", "LANCHAT_BIND", default: DaemonConfiguration.everyAddress).value,
            peers: peers.list, mdnsEnabled: mdnsEnabled, network: network.value, logLevel: logLevel, retainDays: retainDays,
            authorQuotaBytes: quota << 20, networkKeyFiles: keyFiles, hooks: hooks,
            directPushPeers: try Self.positive(directPushPeers, "--direct-push-peers", "LANCHAT_DIRECT_PUSH_PEERS", environment))
    }

    /// A whole number of at least 1 from the flag, else the variable; nil if neither is given.
    private static func positive(
        _ flag: Int?, _ flagName: String, _ variable: String, _ environment: [String: String]
    ) throws(DaemonError) -> Int? {
        let given: (value: Int?, source: String)
        if let flag {
            given = (flag, flagName)
        } else if let text = environment[variable] {
            given = (Int(text), variable)
        } else {
            return nil
        }
        guard let value = given.value, (1...1_000_000).contains(value) else {
            throw .configuration("\(given.source) must be a whole number from 1 to 1000000")
        }
        return value
    }
}
