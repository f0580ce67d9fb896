import Foundation
import LanChatClient
import LanChatControl
import LanChatCore
import Testing

/// Several daemons of one sandbox on loopback, each with its own state and socket.
extension Sandbox {
    func nodePaths(_ name: String) -> (stateDir: String, socket: String) {
        ("\(root)/\(name)/state", "\(root)/\(name).sock")
    }

    /// Starts a node named `name`, optionally pointed at peers, on another network, on a fixed port, with
    /// network key files, or with more options of lanchatd.
    func startNode(
        _ name: String, peers: [Daemon] = [], network: String? = nil, port: Int? = nil, keyFiles: [String] = [],
        logLevel: String? = nil, extraArguments: [String] = []
    ) async throws -> Daemon {
        var arguments = extraArguments
        for file in keyFiles { arguments += ["--network-key-file", file] }
        if let logLevel { arguments += ["--log-level", logLevel] }
        for peer in peers { arguments += ["--peer", "127.0.0.1:\(try await peer.port())"] }
        if let network { arguments += ["--network", network] }
        if let port { arguments += ["--port", String(port)] }
        let paths = nodePaths(name)
        return try await startDaemon(stateDir: paths.stateDir, socket: paths.socket, extraArguments: arguments)
    }

    /// A new network key (`lanchat keygen`) in a file of its own, mode 0600.
    func keyFile(_ name: String) async throws -> String {
        try await newKeyFile(at: "\(root)/\(name).key")
    }

    /// Alice's node (with `aliceArguments` for lanchatd) and Bob's, connected, each knowing the other by
    /// name: ready for mentions and direct messages either way.
    func startAliceAndBob(aliceArguments: [String] = []) async throws -> (alice: Daemon, bob: Daemon) {
        let alice = try await startNode("alice", extraArguments: aliceArguments)
        let bob = try await startNode("bob", peers: [alice])
        try await alice.rename(to: "Alice")
        try await bob.rename(to: "Bob")
        for (node, other) in [(alice, "Bob"), (bob, "Alice")] {
            try await wait(until: { try await node.withControlClient { try $0.request(.who).identities ?? [] }.contains { $0.name == other } },
                           "each node to know the other by name")
        }
        return (alice, bob)
    }

    /// `count` nodes in a chain: each knows only the one before it.
    func startChain(_ count: Int) async throws -> [Daemon] {
        var nodes: [Daemon] = []
        for index in 0..<count {
            nodes.append(try await startNode("n\(index)", peers: nodes.last.map { [$0] } ?? []))
        }
        return nodes
    }
}

/// Anything with a daemon's control socket behind it: a local daemon, or one on a virtual LAN host.
protocol ControlEndpoint: Sendable {
    var socketPath: String { get }
}

extension ControlEndpoint {
    /// A blocking control-socket connection, used and closed on a Dispatch thread.
    func withControlClient<T: Sendable>(_ body: @escaping @Sendable (ControlClient) throws -> T) async throws -> T {
        let path = socketPath
        return try await DedicatedThread.run { try body(try ControlClient(socketPath: path)) }
    }

    func status() async throws -> StatusInfo {
        try await withControlClient { client in
            guard let status = try client.request(.status).status else { throw HarnessError("no status") }
            return status
        }
    }

    func port() async throws -> Int { try await status().port }

    func rename(to name: String) async throws {
        _ = try await withControlClient { try $0.request(.name(name)) }
    }

    /// Live peers whose ID is proven.
    func verifiedPeers() async throws -> [PeerInfo] {
        try await peers().filter { $0.state == .alive && $0.id != nil }
    }

    /// Whether every message of `ids` is in the general room's history.
    func holds(_ ids: Set<String>) async throws -> Bool {
        ids.isSubset(of: Set(try await history().compactMap(\.id)))
    }

    func history(room: String = "general", limit: Int = ControlLimits.maxHistory) async throws -> [ChatEvent] {
        try await withControlClient { client in
            try client.request(.history(room: room, limit: limit)).messages ?? []
        }
    }

    func peers() async throws -> [PeerInfo] {
        try await withControlClient { client in try client.request(.peers).peers ?? [] }
    }

    func whoami() async throws -> IdentityInfo {
        try await withControlClient { client in
            guard let identity = try client.request(.whoami).identity else { throw HarnessError("no identity") }
            return identity
        }
    }

    @discardableResult
    func send(_ body: String, room: String = "general") async throws -> ChatEvent {
        try await withControlClient { client in
            guard let message = try client.request(.send(body: body, room: room)).message else {
                throw HarnessError("send returned no message")
            }
            return message
        }
    }

    /// Sends "@`name` `text`", the `@name` a mention of the person `id`.
    @discardableResult
    func mention(_ id: String, as name: String, _ text: String, room: String = "general") async throws -> ChatEvent? {
        try await withControlClient { client in
            try client.request(.send(body: "@\(name) \(text)", room: room, mentions: [MentionSpan(offset: 0, length: 1 + name.utf8.count, id: id)]))
                .message
        }
    }

    /// Sends a direct message to the person `to` names.
    @discardableResult
    func directMessage(to: String, _ body: String) async throws -> ChatEvent? {
        try await withControlClient { client in try client.request(.dm(to: to, body: body)).message }
    }

    /// Sends `count` messages over one connection: far faster than one CLI process each.
    func sendMany(_ count: Int, prefix: String) async throws {
        try await withControlClient { client in
            for index in 0..<count {
                _ = try client.request(.send(body: "\(prefix) \(index)"))
            }
        }
    }
}

/// Writes what `lanchat keygen` prints to a new file, mode 0600, and returns its path.
func newKeyFile(at path: String) async throws -> String {
    let generated = try await ChildProcess.run(try Binaries.lanchat(), ["keygen"])
    guard generated.succeeded else { throw HarnessError("lanchat keygen failed: \(generated)") }
    guard FileManager.default.createFile(atPath: path, contents: Data(generated.stdout.utf8), attributes: [.posixPermissions: 0o600])
    else { throw HarnessError("cannot write \(path)") }
    return path
}

/// `follow` prints nothing until its subscription holds, so a test cannot tell when it listens: sends
/// warm-up messages through `node` until the follower shows one. What is sent after that reaches it.
func waitUntilFollowing(_ follower: StreamingProcess, sendingThrough node: ControlEndpoint) async throws {
    var round = 0
    try await wait(until: {
        if follower.events.contains(where: { $0.body?.hasPrefix("warm-up") == true }) { return true }
        if round % 10 == 0 { try await node.send("warm-up \(round)") }
        round += 1
        return false
    }, "`\(follower.command.joined(separator: " "))` to show a warm-up message")
}
