import ArgumentParser
import Foundation
import LanChatControl
import LanChatDaemon

// Only argument parsing lives here; DaemonOptions merges flags with the environment.

@main
struct LanChatD: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lanchatd",
        abstract: "The lanchat daemon: keeps this machine's identity and log, and replicates with peers on the LAN.",
        discussion: "Every option can also be set in the environment (for systemd's EnvironmentFile=): "
            + DaemonOptions.environmentVariables.joined(separator: ", ") + ". A flag beats its variable.",
        version: LanChatVersion.current)

    @Option(help: "State directory (identity key and database).") var stateDir: String?
    @Option(help: "Control socket path.") var socket: String?
    @Option(help: "Control socket mode in octal (0600; 0660 for the system service).") var socketMode: String?
    @Option(help: "UDP and TCP port for peers; 0 picks a free one.") var port: Int?
    @Option(help: "Address to bind the peer port to (default ::, both families).") var bind: String?
    @Option(help: "A peer to contact, HOST:PORT (repeatable).") var peer: [String] = []
    @Flag(help: "Do not use mDNS discovery.") var noMdns = false
    @Option(help: "Network name; nodes only talk within one network.") var network: String?
    @Option(help: "trace, debug, info, notice, warning, error or critical.") var logLevel: String?
    @Option(help: "Drop messages' text this many days after it arrived (default: keep it).") var retainDays: Int?
    @Option(help: "Message text kept per author, in MB, beyond which the oldest is dropped (default 64).") var authorQuotaMb: Int?
    @Option(
        help: "A file of network keys (make one with `lanchat keygen`): the network is closed to nodes without one. Repeatable; the first key sends, all open.")
    var networkKeyFile: [String] = []
    @Option(
        help: "A shell command, run with /bin/sh -c for each message that mentions you as it arrives (muted people's aside), the message's JSON line (as follow --json prints it) on its stdin.")
    var onMention: String?
    @Option(help: "A shell command, run likewise for each direct message you receive.") var onDm: String?
    @Option(
        help: "Seconds a hook may run before it is stopped (default \(HookCommands.defaultTimeoutSeconds)). \(HookCommands.parallelRuns) hooks run at once and \(HookCommands.queuedRuns) may wait; beyond, events are dropped (and logged).")
    var hookTimeout: Int?
    @Option(
        help: "Import an identity backup (lanchat identity export) into the state directory and exit; lanchatd must not be running. The passphrase is read from the terminal, or from standard input's first line.")
    var importIdentity: String?
    @Option(
        help: "Peers a message is sent to one by one; past this many (of proven ID), it goes down a relay tree, each node passing it to 8 at most (default 256).")
    var directPushPeers: Int?

    /// ArgumentParser's own `main` exits 64 on a bad option; lanchatd, like lanchat, exits 2 with one line.
    static func main() async {
        // Before anything starts a thread of the runtime's pool; Daemon.run says so in the log.
        DispatchLog.quietIfReniceIsRefused()
        let command: LanChatD
        do {
            command = try parse()
        } catch {
            if exitCode(for: error) == .success { exit(withError: error) }
            usageError(message(for: error).split(separator: "\n").first.map(String.init) ?? "\(error)")
        }
        do {
            try await command.run()
        } catch {
            exit(withError: error)
        }
    }

    func run() async throws {
        let options = DaemonOptions(
            stateDirectory: stateDir, socket: socket, socketMode: socketMode, port: port, bind: bind, peers: peer,
            noMDNS: noMdns, network: network, logLevel: logLevel, retainDays: retainDays, authorQuotaMB: authorQuotaMb,
            networkKeyFiles: networkKeyFile, onMention: onMention, onDirectMessage: onDm, hookTimeout: hookTimeout,
            directPushPeers: directPushPeers)
        let config: DaemonConfiguration
        do {
            config = try options.configuration(environment: ProcessInfo.processInfo.environment)
        } catch {
            Self.usageError(error.description)
        }
        do {
            if let importIdentity {
                print(try IdentityImport.run(file: importIdentity, stateDirectory: config.stateDirectory))
                return
            }
            try await Daemon.run(config)
        } catch let error as DaemonError {
            Self.fail("\(error)", status: 1)
        }
    }

    private static func usageError(_ message: String) -> Never {
        fail(message, status: 2)
    }

    private static func fail(_ message: String, status: Int32) -> Never {
        FileHandle.standardError.write(Data("lanchatd: \(message)\n".utf8))
        Foundation.exit(status)
    }
}
