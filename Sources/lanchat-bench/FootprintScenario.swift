import Foundation
import LanChatClient
import LanChatStore

struct FootprintResult {
    let idleRSS: Double
    let idleAnonymous: Double
    /// After the idle daemon sent a message, took one in, and answered `status` and `history`.
    let usedRSS: Double
    let usedAnonymous: Double
    let largeEntries: Int
    let largeRSS: Double
    let largeAnonymous: Double
    let readySeconds: Double
    let idleNodes: Int
    let idleSeconds: Double
    let idleCPUPercent: Double
}

/// Memory of an idle daemon and of one holding a large history, its start-up time with that history,
/// and the CPU an idle network uses (it should be close to nothing: no busy polling).
enum FootprintScenario {
    static func run(binaries: String, largeEntries: Int, idleNodes: Int, idleSeconds: Double) async throws -> FootprintResult {
        let cluster = try BenchCluster(binaries: binaries)
        defer { cluster.stop() }
        try cluster.startMesh(idleNodes)
        let cpuBefore = cluster.nodes.map { ProcessUsage.cpuSeconds($0.pid) }
        let start = nowNanos()
        sleep(until: start + UInt64(idleSeconds * 1e9))  // the measurement window itself
        let elapsed = Double(nowNanos() - start) / 1e9
        let idleCPU = zip(cluster.nodes, cpuBefore).map { (ProcessUsage.cpuSeconds($0.pid) - $1) / elapsed * 100 }
        let node = cluster.nodes[0]
        let idleRSS = ProcessUsage.rssMegabytes(node.pid)
        let idleAnonymous = ProcessUsage.rssMegabytes(node.pid, field: "RssAnon")
        // Then used as a person would: idle RSS alone would hide code that every message runs.
        let before = try cluster.status(node).entries
        try Sender(node).send("footprint: sent")
        try Sender(cluster.nodes[1]).send("footprint: received")
        try waitFor("node 0 to hold both messages", timeout: 30) { try cluster.status(node).entries >= before + 2 }
        _ = try ControlClient(socketPath: node.socket).request(.history())
        let usedRSS = ProcessUsage.rssMegabytes(node.pid)
        let usedAnonymous = ProcessUsage.rssMegabytes(node.pid, field: "RssAnon")
        cluster.stop()

        let large = try BenchCluster(binaries: binaries)
        defer { large.stop() }
        let state = "\(large.root)/large"
        print("footprint: writing \(largeEntries) entries…")
        try await SyntheticHistory.make(at: state, authors: 100, total: largeEntries)
        let spawned = nowNanos()
        let largeNode = try large.start(stateDir: state)
        let ready = Double(nowNanos() - spawned) / 1e9
        // Touch the history as a person would, then measure.
        _ = try large.status(largeNode)
        return FootprintResult(
            idleRSS: idleRSS, idleAnonymous: idleAnonymous, usedRSS: usedRSS, usedAnonymous: usedAnonymous, largeEntries: largeEntries,
            largeRSS: ProcessUsage.rssMegabytes(largeNode.pid), largeAnonymous: ProcessUsage.rssMegabytes(largeNode.pid, field: "RssAnon"),
            readySeconds: ready,
            idleNodes: idleNodes, idleSeconds: elapsed, idleCPUPercent: idleCPU.reduce(0, +) / Double(idleCPU.count))
    }
}
