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
    /// CPU of the nodes that did not send, per message each of them received.
    let receiverMicrosPerDelivery: Double
    /// CPU of the sending nodes per message they sent (with 5 senders, each also receives the others').
    let senderMicrosPerMessage: Double
    /// The benchmark's own CPU (senders and the follow streams' readers), which shares the machine's cores.
    let benchCPUPercent: Double
    /// One signature check, timed in the same run: the limit is one per delivery on every core.
    let verifyMicros: Double
    /// Messages a second the machine's cores could deliver to all with one check per delivery and nothing else.
    var deliveryLimit: Double { Double(ProcessInfo.processInfo.activeProcessorCount) * 1e6 / (9 * verifyMicros) }
    /// Push datagrams the senders sent per message they sent to each peer: below 1 when commits of several
    /// sends left together (`pushes`).
    let pushesPerMessage: Double
    /// `status` of the (first) sending node, the busiest, from the first send until convergence.
    let senderStatus: StatusSamples
}

/// Sustained load on 10 nodes: senders paced at a target rate, then how much arrived everywhere,
/// how fast, how late, and at what CPU cost.
enum ThroughputScenario {
    /// Connections per sending node: enough concurrent requests for group commit to batch them.
    static let connectionsPerSender = 32

    /// `nodeArguments`: given to every daemon (a network key, for the key's cost).
    static func run(
        binaries: String, nodes: Int, rates: [Int], senders: [Int], duration: Double, nodeArguments: [String] = []
    ) throws -> [ThroughputResult] {
        let cluster = try BenchCluster(binaries: binaries)
        defer { cluster.stop() }
        try cluster.startMesh(nodes, extra: nodeArguments)
        try cluster.followAll()
        let verifyMicros = 1e6 / SignatureRate.verificationsPerSecond(threads: 1)
        var results: [ThroughputResult] = []
        for rate in rates {
            print("throughput: 1 sender at \(rate)/s…")
            results.append(try measure(cluster, label: "1 sender, \(rate)/s", rate: rate, senders: [0], duration: duration, verifyMicros: verifyMicros))
        }
        for rate in senders {
            print("throughput: 5 senders at \(rate)/s in all…")
            results.append(try measure(cluster, label: "5 senders, \(rate)/s in all", rate: rate, senders: Array(0..<5), duration: duration, verifyMicros: verifyMicros))
        }
        return results
    }

    private static func measure(_ cluster: BenchCluster, label: String, rate: Int, senders: [Int], duration: Double, verifyMicros: Double) throws -> ThroughputResult {
        cluster.resetArrivals()
        let nodes = cluster.nodes.count
        let entriesBefore = try cluster.nodes.map { try cluster.status($0).entries }
        let usageBefore = DaemonUsage(cluster.nodes)
        let benchBefore = ProcessUsage.cpuSeconds(getpid())
        let pushesBefore = try cluster.counterSum(\.pushesOut)
        let threads = senders.count * connectionsPerSender
        let perThread = Double(rate) / Double(threads)
        let probe = StatusProbe(cluster, cluster.nodes[senders[0]])
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
        // What each store holds is the truth (a follow stream may skip events for a slow reader);
        // converged or not, what is missing after the deadline is the loss.
        func newEntries() throws -> [Int] { try zip(cluster.nodes, entriesBefore).map { try cluster.status($0).entries - $1 } }
        try? waitFor("every node to hold all \(sent.count) messages", timeout: 60) { try newEntries().min() ?? 0 >= sent.count }
        let convergedAt = nowNanos()
        let pushes = Double(try cluster.counterSum(\.pushesOut) - pushesBefore)
        let senderStatus = probe.stop()
        let held = (try? newEntries().min()) ?? 0
        let elapsed = Double(convergedAt - start) / 1e9
        let used = DaemonUsage(cluster.nodes).since(usageBefore).cpuSeconds
        let benchCPU = ProcessUsage.cpuSeconds(getpid()) - benchBefore
        let receivers = cluster.nodes.indices.filter { !senders.contains($0) }
        let latencies = sent.compactMap { message -> Double? in
            let others = cluster.arrival(of: message.body).filter { $0.key != message.sender }
            guard others.count == nodes - 1, let latest = others.values.max() else { return nil }
            return Double(latest - message.at) / 1e6
        }
        return ThroughputResult(
            label: label, offered: Double(rate), sentRate: Double(sent.count) / sendElapsed,
            deliveredRate: Double(held) / elapsed, lost: sent.count - held + failures.load(ordering: .relaxed),
            p99: Distribution(latencies).p99, cpuPerNode: used.reduce(0, +) / Double(nodes) / elapsed * 100,
            receiverMicrosPerDelivery: receivers.map { used[$0] }.reduce(0, +) * 1e6 / Double(max(1, held * receivers.count)),
            senderMicrosPerMessage: senders.map { used[$0] }.reduce(0, +) * 1e6 / Double(max(1, sent.count)),
            benchCPUPercent: benchCPU / elapsed * 100, verifyMicros: verifyMicros,
            pushesPerMessage: sent.isEmpty ? 0 : pushes / Double(sent.count * (nodes - 1)), senderStatus: senderStatus)
    }
}
