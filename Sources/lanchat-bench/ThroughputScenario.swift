import Foundation
import Synchronization

struct ThroughputResult {
    let label: String
    let offered: Double
    let sentRate: Double
    let deliveredRate: Double
    let lost: Int
    let p99: Double
    let cpuPerNode: Double
}

/// Sustained load on 10 nodes: senders paced at a target rate, then how much arrived everywhere,
/// how fast, how late, and at what CPU cost.
enum ThroughputScenario {
    /// Connections per sending node: enough concurrent requests for group commit to batch them.
    static let connectionsPerSender = 8

    static func run(binaries: String, nodes: Int, rates: [Int], senders: [Int], duration: Double) throws -> [ThroughputResult] {
        let cluster = try BenchCluster(binaries: binaries)
        defer { cluster.stop() }
        try cluster.startMesh(nodes)
        try cluster.followAll()
        var results: [ThroughputResult] = []
        for rate in rates {
            print("throughput: 1 sender at \(rate)/s…")
            results.append(try measure(cluster, label: "1 sender, \(rate)/s", rate: rate, senders: [0], duration: duration))
        }
        for rate in senders {
            print("throughput: 5 senders at \(rate)/s in all…")
            results.append(try measure(cluster, label: "5 senders, \(rate)/s in all", rate: rate, senders: Array(0..<5), duration: duration))
        }
        return results
    }

    private static func measure(_ cluster: BenchCluster, label: String, rate: Int, senders: [Int], duration: Double) throws -> ThroughputResult {
        cluster.resetArrivals()
        let nodes = cluster.nodes.count
        let cpuBefore = cluster.nodes.map { ProcessUsage.cpuSeconds($0.pid) }
        let threads = senders.count * connectionsPerSender
        let perThread = Double(rate) / Double(threads)
        let sendTimes = Mutex<[(body: String, sender: Int, at: UInt64)]>([])
        let failures = Atomic<Int>(0)
        let group = DispatchGroup()
        let start = nowNanos()
        let end = start + UInt64(duration * 1e9)
        for (slot, node) in senders.flatMap({ node in Array(repeating: node, count: connectionsPerSender) }).enumerated() {
            let target = cluster.nodes[node]
            DispatchQueue.global().async(group: group) {
                guard let sender = try? Sender(target) else { failures.add(1, ordering: .relaxed); return }
                var mine: [(String, Int, UInt64)] = []
                var index = 0
                while true {
                    let due = start + UInt64(Double(index) / perThread * 1e9)
                    guard due < end else { break }
                    sleep(until: due)
                    let body = "\(label) \(slot) \(index)"
                    let at = nowNanos()
                    if (try? sender.send(body)) == nil { failures.add(1, ordering: .relaxed) }
                    mine.append((body, node, at))
                    index += 1
                }
                sendTimes.withLock { $0 += mine.map { (body: $0.0, sender: $0.1, at: $0.2) } }
            }
        }
        group.wait()
        let sendElapsed = Double(nowNanos() - start) / 1e9
        let sent = sendTimes.withLock { $0 }
        let expected = sent.count * (nodes - 1)
        // Converged or not, the count after the deadline is the loss.
        try? waitFor("\(expected) deliveries", timeout: 60) { cluster.arrivalCount() - sent.count >= expected }
        let elapsed = Double(nowNanos() - start) / 1e9
        let cpu = zip(cluster.nodes, cpuBefore).map { (ProcessUsage.cpuSeconds($0.pid) - $1) / elapsed * 100 }

        var latencies: [Double] = []
        var delivered = 0
        var lastArrival = start
        for message in sent {
            let others = cluster.arrival(of: message.body).filter { $0.key != message.sender }
            delivered += others.count
            if let latest = others.values.max() {
                lastArrival = max(lastArrival, latest)
                if others.count == nodes - 1 { latencies.append(Double(latest - message.at) / 1e6) }
            }
        }
        let deliveryWindow = Double(lastArrival - start) / 1e9
        return ThroughputResult(
            label: label, offered: Double(rate), sentRate: Double(sent.count) / sendElapsed,
            deliveredRate: Double(delivered) / Double(nodes - 1) / max(deliveryWindow, 1e-9),
            lost: expected - delivered + failures.load(ordering: .relaxed), p99: Distribution(latencies).p99,
            cpuPerNode: cpu.reduce(0, +) / Double(cpu.count))
    }
}
