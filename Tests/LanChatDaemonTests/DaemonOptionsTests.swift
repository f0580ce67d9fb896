import LanChatDaemon
import Testing

@Suite("lanchatd flags, environment and defaults")
struct DaemonOptionsTests {
    private let home = ["HOME": "/home/alice"]

    private func failure(_ options: DaemonOptions, _ environment: [String: String]) -> String? {
        do {
            _ = try options.configuration(environment: environment)
            return nil
        } catch {
            return error.description
        }
    }

    @Test func defaultsFollowXDGAndFallBackToHome() throws {
        let bare = try DaemonOptions().configuration(environment: home)
        #expect(bare.stateDirectory == "/home/alice/.local/state/lanchat")
        #expect(bare.socketPath.hasSuffix("/lanchat.sock") && bare.socketPath.hasPrefix("/tmp/lanchat-"))
        #expect(bare == DaemonConfiguration(stateDirectory: bare.stateDirectory, socketPath: bare.socketPath))

        let desktop = try DaemonOptions().configuration(
            environment: ["HOME": "/home/alice", "XDG_STATE_HOME": "/home/alice/.state", "XDG_RUNTIME_DIR": "/run/user/1000"])
        #expect(desktop.stateDirectory == "/home/alice/.state/lanchat")
        #expect(desktop.socketPath == "/run/user/1000/lanchat/lanchat.sock")
    }

    @Test func systemdDirectoriesWinOverXDG() throws {
        let service = try DaemonOptions().configuration(environment: [
            "STATE_DIRECTORY": "/var/lib/lanchat", "RUNTIME_DIRECTORY": "/run/lanchat:/run/other",
            "XDG_RUNTIME_DIR": "/run/user/1000", "XDG_STATE_HOME": "/home/alice/.state",
        ])
        #expect(service.stateDirectory == "/var/lib/lanchat")
        #expect(service.socketPath == "/run/lanchat/lanchat.sock")
    }

    @Test func environmentBeatsDefaultsAndFlagsBeatEnvironment() throws {
        let environment = [
            "LANCHAT_STATE_DIR": "/env/state", "LANCHAT_SOCKET": "/env/sock", "LANCHAT_SOCKET_MODE": "0660",
            "LANCHAT_PORT": "7500", "LANCHAT_BIND": "10.0.0.1", "LANCHAT_PEERS": "a:1, b:2", "LANCHAT_NO_MDNS": "1",
            "LANCHAT_NETWORK": "office", "LANCHAT_LOG_LEVEL": "debug",
        ]
        let fromEnvironment = try DaemonOptions().configuration(environment: environment)
        #expect(fromEnvironment == DaemonConfiguration(
            stateDirectory: "/env/state", socketPath: "/env/sock", socketMode: 0o660, port: 7500, portGiven: true, bindAddress: "10.0.0.1",
            peers: ["a:1", "b:2"], mdnsEnabled: false, network: "office", logLevel: .debug))

        let flags = DaemonOptions(
            stateDirectory: "/flag/state", socket: "/flag/sock", socketMode: "0600", port: 0, bind: "127.0.0.1",
            peers: ["c:3"], network: "lab", logLevel: "warning")
        #expect(try flags.configuration(environment: environment) == DaemonConfiguration(
            stateDirectory: "/flag/state", socketPath: "/flag/sock", socketMode: 0o600, port: 0, portGiven: true, bindAddress: "127.0.0.1",
            peers: ["c:3"], mdnsEnabled: false, network: "lab", logLevel: .warning))
        #expect(try DaemonOptions().configuration(environment: home).portGiven == false)
        #expect(try DaemonOptions(noMDNS: true).configuration(environment: home).mdnsEnabled == false)
        #expect(try DaemonOptions().configuration(environment: ["LANCHAT_NO_MDNS": "0"]).mdnsEnabled)
    }

    @Test(arguments: [
        (["LANCHAT_PORT": "seventy"], "LANCHAT_PORT must be a number"),
        (["LANCHAT_PORT": "70000"], "LANCHAT_PORT must be 0 to 65535"),
        (["LANCHAT_SOCKET_MODE": "0666"], "LANCHAT_SOCKET_MODE must be octal"),
        (["LANCHAT_SOCKET_MODE": "rw"], "LANCHAT_SOCKET_MODE must be octal"),
        (["LANCHAT_LOG_LEVEL": "loud"], "LANCHAT_LOG_LEVEL must be trace"),
        (["LANCHAT_NETWORK": "Bad Name"], "LANCHAT_NETWORK must be 1 to 32"),
        (["LANCHAT_PEERS": "nohost"], "LANCHAT_PEERS: 'nohost' is not HOST:PORT"),
        (["LANCHAT_PEERS": "[fe80::1]:7420"], "LANCHAT_PEERS: '[fe80::1]:7420' is link-local and needs the interface it is on, like '[fe80::1%eth0]:7420'"),
        (["LANCHAT_NO_MDNS": "maybe"], "LANCHAT_NO_MDNS must be 1 or 0"),
        (["LANCHAT_RETAIN_DAYS": "0"], "LANCHAT_RETAIN_DAYS must be a whole number"),
        (["LANCHAT_AUTHOR_QUOTA_MB": "lots"], "LANCHAT_AUTHOR_QUOTA_MB must be a whole number"),
        (["LANCHAT_HOOK_TIMEOUT": "0"], "LANCHAT_HOOK_TIMEOUT must be a whole number"),
        (["LANCHAT_DIRECT_PUSH_PEERS": "many"], "LANCHAT_DIRECT_PUSH_PEERS must be a whole number"),
    ])
    func badEnvironmentValuesNameTheVariable(environment: [String: String], message: String) {
        #expect(failure(DaemonOptions(), environment)?.hasPrefix(message) == true, "\(environment)")
    }

    @Test func retentionIsOffAndTheQuotaIs64MBUnlessGiven() throws {
        let defaults = try DaemonOptions().configuration(environment: [:])
        #expect(defaults.retainDays == nil && defaults.authorQuotaBytes == 64 << 20)
        let given = try DaemonOptions(retainDays: 30).configuration(environment: ["LANCHAT_RETAIN_DAYS": "7", "LANCHAT_AUTHOR_QUOTA_MB": "2"])
        #expect(given.retainDays == 30 && given.authorQuotaBytes == 2 << 20)
    }

    /// The relay tree's threshold reaches the replication settings the daemon runs with.
    @Test func directPushPeersIs256UnlessGiven() throws {
        #expect(try DaemonOptions().configuration(environment: [:]).replication.directPushPeers == 256)
        #expect(try DaemonOptions().configuration(environment: ["LANCHAT_DIRECT_PUSH_PEERS": "40"]).replication.directPushPeers == 40)
        #expect(try DaemonOptions(directPushPeers: 3).configuration(environment: ["LANCHAT_DIRECT_PUSH_PEERS": "40"]).replication.directPushPeers == 3)
    }

    @Test func hooksComeFromFlagsElseTheEnvironmentAndAnEmptyOneIsNone() throws {
        #expect(try DaemonOptions().configuration(environment: [:]).hooks == HookCommands(timeoutSeconds: 10))
        let environment = ["LANCHAT_ON_MENTION": "notify-me", "LANCHAT_ON_DM": "", "LANCHAT_HOOK_TIMEOUT": "3"]
        #expect(try DaemonOptions().configuration(environment: environment).hooks == HookCommands(onMention: "notify-me", timeoutSeconds: 3))
        let flags = DaemonOptions(onMention: "", onDirectMessage: "cat >> dms", hookTimeout: 20)
        #expect(try flags.configuration(environment: environment).hooks == HookCommands(onDirectMessage: "cat >> dms", timeoutSeconds: 20))
        #expect(try flags.configuration(environment: environment).hooks.onMention == nil)
    }

    @Test func badFlagsNameTheFlag() {
        #expect(failure(DaemonOptions(port: -1), [:])?.hasPrefix("--port must be 0 to 65535") == true)
        #expect(failure(DaemonOptions(peers: ["x"]), [:])?.hasPrefix("--peer: 'x'") == true)
        #expect(failure(DaemonOptions(socketMode: "0777"), [:])?.hasPrefix("--socket-mode must be octal") == true)
        // A valid flag hides a bad variable behind it.
        #expect(failure(DaemonOptions(port: 7420), ["LANCHAT_PORT": "bad"]) == nil)
    }
}
