import Foundation
import LanChatClient
import LanChatControl
import LanChatCore
import Synchronization

/// N real lanchatd processes on loopback, each with a follow stream recording when each message
/// reached it (committed: the daemon streams an event only after its transaction commits).
final class BenchCluster: @unchecked Sendable {
    struct Node {
        let index: Int
        let process: Process
        let socket: String
        let stateDir: String
        var pid: pid_t { process.processIdentifier }
    }

    let root: String
    private(set) var nodes: [Node] = []
    private let binaries: String
    /// Where every node listens: 127.0.0.1, or ::1 to measure IPv6.
    private let loopback: String
    /// Per followed node (its index), so that followers never wait for each other's lock: ten of them
    /// sharing one spent 5 % of the machine spinning in it during the throughput run. Set by `followAll`
    /// before any reading of arrivals (scenarios follow first, then measure).
    private var arrivals: [(node: Int, log: ArrivalLog)] = []
    private var followers: [Thread] = []

    init(binaries: String, loopback: String = "127.0.0.1") throws {
        self.binaries = binaries
        self.loopback = loopback
        var template = Array("/tmp/lanchat-bench-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchError("mkdtemp failed") }
        root = String(cString: made)
    }

    /// Starts a node; `peer` seeds it (peer exchange does the rest), `stateDir` reuses prepared state.
    @discardableResult
    func start(peer: Node? = nil, stateDir: String? = nil, extra: [String] = []) throws -> Node {
        let index = nodes.count
        let state = stateDir ?? "\(root)/n\(index)"
        let socket = "\(root)/n\(index).sock"
        let process = Process()
        var arguments = ["--state-dir", state, "--socket", socket, "--no-mdns", "--port", "0", "--bind", loopback, "--log-level", "warning"]
        if let peer { arguments += ["--peer", "\(PeerAddress(host: loopback, port: UInt16(try status(peer).port)))"] }
        process.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try launchTied(process, "\(binaries)/lanchatd", arguments + extra)
        let node = Node(index: index, process: process, socket: socket, stateDir: state)
        nodes.append(node)
        try waitFor("node \(index) to answer", timeout: 60) { (try? status(node)) != nil }
        return node
    }

    /// Starts `count` nodes, each seeded with node 0 and given `extra` arguments, and waits until every
    /// node knows every other.
    func startMesh(_ count: Int, extra: [String] = []) throws {
        for _ in 0..<count { try start(peer: nodes.first, extra: extra) }
        try waitUntilMeshed()
    }

    func waitUntilMeshed() throws {
        for node in nodes {
            try waitFor("node \(node.index) to know all \(nodes.count - 1) peers", timeout: 60) {
                try ControlClient(socketPath: node.socket).request(.peers).peers?
                    .filter { $0.state == .alive && $0.id != nil }.count == nodes.count - 1
            }
        }
    }

    func status(_ node: Node) throws -> StatusInfo {
        guard let status = try ControlClient(socketPath: node.socket).request(.status).status else {
            throw BenchError("no status from node \(node.index)")
        }
        return status
    }

    /// Follows every node, recording arrival times of messages by body.
    func followAll() throws {
        for node in nodes {
            let ready = DispatchSemaphore(value: 0)
            let arrived = ArrivalLog()
            arrivals.append((node.index, arrived))
            let thread = Thread {
                defer { ready.signal() }
                guard let client = try? ControlClient(socketPath: node.socket) else { return }
                try? client.follow(room: nil, subscribed: { ready.signal() }) { event, _ in
                    guard event.type == .message, let body = event.body else { return }
                    let now = nowNanos()
                    arrived.times.withLock { $0[body] = now }
                }
            }
            thread.start()
            ready.wait()
            followers.append(thread)
        }
    }

    /// When each node had the message (nil entries for nodes it has not reached).
    func arrival(of body: String) -> [Int: UInt64] {
        var found: [Int: UInt64] = [:]
        for (node, log) in arrivals {
            if let at = log.times.withLock({ $0[body] }) { found[node] = at }
        }
        return found
    }

    func arrivalCount(excluding sender: Int) -> Int {
        arrivals.filter { $0.node != sender }.reduce(0) { count, arrived in count + arrived.log.times.withLock { $0.count } }
    }

    func resetArrivals() {
        for (_, log) in arrivals { log.times.withLock { $0.removeAll() } }
    }

    func counterSum(_ counter: KeyPath<StatusInfo.Counters, UInt64>) throws -> UInt64 {
        try nodes.reduce(0) { $0 + (try status($1).counters[keyPath: counter]) }
    }

    func stop() {
        for node in nodes where node.process.isRunning { kill(node.pid, SIGTERM) }
        let deadline = nowNanos() + 5_000_000_000
        while nodes.contains(where: { $0.process.isRunning }), nowNanos() < deadline { usleep(10_000) }
        for node in nodes where node.process.isRunning { kill(node.pid, SIGKILL) }
        nodes.removeAll()
        try? FileManager.default.removeItem(atPath: root)
    }
}

/// A connection that sends messages: one per sending thread.
struct Sender {
    let client: ControlClient

    init(_ node: BenchCluster.Node) throws {
        client = try ControlClient(socketPath: node.socket)
    }

    func send(_ body: String) throws {
        _ = try client.request(.send(body: body))
    }
}

/// Sleeps until a monotonic deadline (pacing a sender, not waiting for a condition).
func sleep(until deadline: UInt64) {
    let now = nowNanos()
    if deadline > now { usleep(useconds_t((deadline - now) / 1000)) }
}

/// When each message (by body) reached one node, monotonic nanoseconds.
final class ArrivalLog: Sendable {
    let times = Mutex<[String: UInt64]>([:])
}
