import Foundation

/// One message every `interval` from node 0; per message, the time from the send until the last other
/// node had it committed: every other message sent through a connection the benchmark holds open, the
/// rest by starting `lanchat send`, as a person does (and as Serf is measured, through `serf event`).
/// Also the network's datagram cost per delivered message.
struct LatencyResult {
    let nodes: Int
    let messages: Int
    let samples: [Double]
    /// From starting the `lanchat send` process.
    let cliSamples: [Double]
    let pushesPerDelivery: Double
    let datagramsPerDelivery: Double
    let bytesPerDelivery: Double
    /// What one delivery cost a receiving daemon (all its threads), and one message its sender, above what
    /// the same daemons spend idle (measured just before): isolated messages, each its own push and commit.
    let receiverMicrosPerDelivery: Double
    let receiverSwitchesPerDelivery: Double
    let senderMicrosPerMessage: Double
    /// One signature check on this machine, µs: what a delivery cannot go below.
    let verifyMicros: Double
    var distribution: Distribution { Distribution(samples) }
}

enum LatencyScenario {
    /// `nodeArguments`: given to every daemon (a network key, for the key's cost).
    static func run(
        binaries: String, nodes: Int, messages: Int, interval: Double, nodeArguments: [String] = [], loopback: String = "127.0.0.1"
    ) throws -> LatencyResult {
        let cluster = try BenchCluster(binaries: binaries, loopback: loopback)
        defer { cluster.stop() }
        try cluster.startMesh(nodes, extra: nodeArguments)
        try cluster.followAll()
        let sender = try Sender(cluster.nodes[0])
        try sender.send("warm-up")
        try waitFor("the warm-up message everywhere", timeout: 30) { cluster.arrival(of: "warm-up").count == nodes }
        cluster.resetArrivals()
        let idle = DaemonUsage.rate(of: cluster.nodes, over: idleWindow)
        let usageBefore = DaemonUsage(cluster.nodes)

        let pushesBefore = try cluster.counterSum(\.pushesOut)
        let datagramsBefore = try cluster.counterSum(\.datagramsOut)
        let bytesBefore = try cluster.counterSum(\.datagramBytesOut)
        var sentAt: [String: UInt64] = [:]
        var throughCLI: Set<String> = []
        let start = nowNanos()
        for index in 0..<messages {
            let body = "latency \(index)"
            sentAt[body] = nowNanos()
            if index % 2 == 1 {
                throughCLI.insert(body)
                _ = try lanchat_bench.run("\(binaries)/lanchat", ["--socket", cluster.nodes[0].socket, "send", body])
            } else {
                try sender.send(body)
            }
            sleep(until: start + UInt64(Double(index + 1) * interval * 1e9))
        }
        let deliveries = messages * (nodes - 1)
        try waitFor("all \(deliveries) deliveries", timeout: 60) { cluster.arrivalCount(excluding: 0) >= deliveries }
        let busy = DaemonUsage(cluster.nodes).since(usageBefore).less(idle)
        let pushes = Double(try cluster.counterSum(\.pushesOut) - pushesBefore)
        let datagrams = Double(try cluster.counterSum(\.datagramsOut) - datagramsBefore)
        let bytes = Double(try cluster.counterSum(\.datagramBytesOut) - bytesBefore)

        let latency = { (body: String, sent: UInt64) in
            Double((cluster.arrival(of: body).filter { $0.key != 0 }.values.max() ?? sent) - sent) / 1e6
        }
        return LatencyResult(
            nodes: nodes, messages: messages, samples: sentAt.filter { !throughCLI.contains($0.key) }.map(latency),
            cliSamples: sentAt.filter { throughCLI.contains($0.key) }.map(latency), pushesPerDelivery: pushes / Double(deliveries),
            datagramsPerDelivery: datagrams / Double(deliveries), bytesPerDelivery: bytes / Double(deliveries),
            receiverMicrosPerDelivery: busy.cpuSeconds.dropFirst().reduce(0, +) * 1e6 / Double(deliveries),
            receiverSwitchesPerDelivery: busy.switches.dropFirst().reduce(0, +) / Double(deliveries),
            senderMicrosPerMessage: busy.cpuSeconds[0] * 1e6 / Double(messages),
            verifyMicros: 1e6 / SignatureRate.verificationsPerSecond(threads: 1))
    }

    /// Long enough that the idle daemons' probes and timers average out (a period is 200 ms).
    static let idleWindow = 5.0
}

/// CPU seconds and thread switches of each daemon of a cluster, read at one moment or over a window.
struct DaemonUsage {
    var cpuSeconds: [Double]
    var switches: [Double]
    /// Over the window: seconds since the reading.
    var elapsed: Double
    private let at: UInt64

    init(_ nodes: [BenchCluster.Node]) {
        at = nowNanos()
        cpuSeconds = nodes.map { ProcessUsage.cpuSeconds($0.pid) }
        switches = nodes.map { Double(ProcessUsage.threadSwitches($0.pid)) }
        elapsed = 0
    }

    /// What each daemon used since `earlier`.
    func since(_ earlier: DaemonUsage) -> DaemonUsage {
        var used = self
        used.cpuSeconds = zip(cpuSeconds, earlier.cpuSeconds).map(-)
        used.switches = zip(switches, earlier.switches).map(-)
        used.elapsed = Double(at - earlier.at) / 1e9
        return used
    }

    /// What each daemon used over `seconds` of doing nothing but keeping the network alive.
    static func rate(of nodes: [BenchCluster.Node], over seconds: Double) -> DaemonUsage {
        let start = DaemonUsage(nodes)
        sleep(until: start.at + UInt64(seconds * 1e9))
        return DaemonUsage(nodes).since(start)
    }

    /// This window's use above an idle window's, scaled to this window's length.
    func less(_ idle: DaemonUsage) -> DaemonUsage {
        let scale = elapsed / idle.elapsed
        var above = self
        above.cpuSeconds = zip(cpuSeconds, idle.cpuSeconds).map { $0 - $1 * scale }
        above.switches = zip(switches, idle.switches).map { $0 - $1 * scale }
        return above
    }
}
