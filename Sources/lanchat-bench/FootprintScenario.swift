import Foundation
import LanChatStore

struct FootprintResult {
    let idleRSS: Double
    let idleAnonymous: Double
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
        let idleRSS = ProcessUsage.rssMegabytes(cluster.nodes[0].pid)
        let idleAnonymous = ProcessUsage.rssMegabytes(cluster.nodes[0].pid, field: "RssAnon")
        cluster.stop()

        let large = try BenchCluster(binaries: binaries)
        defer { large.stop() }
        let state = "\(large.root)/large"
        print("footprint: writing \(largeEntries) entries…")
        try await SyntheticHistory.make(at: state, authors: 100, total: largeEntries)
        let spawned = nowNanos()
        let node = try large.start(stateDir: state)
        let ready = Double(nowNanos() - spawned) / 1e9
        // Touch the history as a person would, then measure.
        _ = try large.status(node)
        return FootprintResult(
            idleRSS: idleRSS, idleAnonymous: idleAnonymous, largeEntries: largeEntries,
            largeRSS: ProcessUsage.rssMegabytes(node.pid), largeAnonymous: ProcessUsage.rssMegabytes(node.pid, field: "RssAnon"),
            readySeconds: ready,
            idleNodes: idleNodes, idleSeconds: elapsed, idleCPUPercent: idleCPU.reduce(0, +) / Double(idleCPU.count))
    }
}
