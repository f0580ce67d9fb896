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
        let pushes = Double(try cluster.counterSum(\.pushesOut) - pushesBefore)
        let datagrams = Double(try cluster.counterSum(\.datagramsOut) - datagramsBefore)
        let bytes = Double(try cluster.counterSum(\.datagramBytesOut) - bytesBefore)

        let latency = { (body: String, sent: UInt64) in
            Double((cluster.arrival(of: body).filter { $0.key != 0 }.values.max() ?? sent) - sent) / 1e6
        }
        return LatencyResult(
            nodes: nodes, messages: messages, samples: sentAt.filter { !throughCLI.contains($0.key) }.map(latency),
            cliSamples: sentAt.filter { throughCLI.contains($0.key) }.map(latency), pushesPerDelivery: pushes / Double(deliveries),
            datagramsPerDelivery: datagrams / Double(deliveries), bytesPerDelivery: bytes / Double(deliveries))
    }
}
