import Dispatch
import Foundation
import LanChatClient
import LanChatControl
import LanChatCore
import Synchronization

struct IngestResult {
    let peers: Int
    let offered: Double
    let entries: Int
    /// Entries the peers published per second, over the window it took them.
    let sentRate: Double
    /// Entries committed per second, from the first push until the daemon held them all.
    let deliveredRate: Double
    let lost: Int
    /// Push (the peer's publish call) to commit (the daemon's follow stream), milliseconds.
    let latency: Distribution
    /// The daemon's CPU time (all threads) over the run, per entry.
    let daemonMicrosPerEntry: Double
    /// Entries that came by push and went on to be checked; pushes the daemon's full queue shed; entries that
    /// came by the syncs that repaired what push dropped (with any that push brought too).
    let byPush: UInt64
    let shed: UInt64
    let bySync: UInt64
    /// `status` answered while the pushes came in, and the daemon's memory meanwhile.
    let status: StatusSamples
    /// Ed25519 verifications per second on every core: what one check per entry would allow.
    let verificationsPerSecond: Double
    /// CPU time of one verification, µs.
    let verificationMicros: Double
}

/// One daemon takes in what `peers` simulated peers push (`BenchPeer`, at 127.0.0.2, 127.0.0.3, …), each
/// its own author publishing at `rate / peers` per second, with entries signed before the window.
enum IngestScenario {
    static func run(binaries: String, peers: Int, rates: [Int], seconds: Double) async throws -> [IngestResult] {
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let limit = SignatureRate.verificationsPerSecond(threads: cores)
        var results: [IngestResult] = []
        for rate in rates {
            print("ingest: \(peers) peers pushing \(rate)/s in all for \(seconds) s…")
            results.append(try await measure(binaries: binaries, peers: peers, rate: rate, seconds: seconds, limit: (limit, Double(cores) * 1e6 / limit)))
        }
        return results
    }

    private static func measure(binaries: String, peers count: Int, rate: Int, seconds: Double, limit: (rate: Double, micros: Double)
    ) async throws -> IngestResult {
        let cluster = try BenchCluster(binaries: binaries)
        defer { cluster.stop() }
        return try await BenchPeer.withPeers(count) { peers in
            try await measure(cluster, peers, rate: rate, seconds: seconds, limit: limit)
        }
    }

    private static func measure(
        _ cluster: BenchCluster, _ peers: [BenchPeer], rate: Int, seconds: Double, limit: (rate: Double, micros: Double)
    ) async throws -> IngestResult {
        let count = peers.count
        let perPeer = Int((Double(rate) * seconds / Double(count)).rounded(.up))
        let logs = try signLogs(peers, perPeer)
        let daemon = try await BenchPeer.startDaemon(in: cluster, with: peers)
        try cluster.followAll()
        let entriesBefore = try cluster.status(daemon).entries
        let countersBefore = try cluster.status(daemon).counters
        let cpuBefore = ProcessUsage.cpuSeconds(daemon.pid)
        let total = perPeer * count
        let probe = StatusProbe(cluster, daemon)
        let pushedAt = try await pace(peers, logs, rate: rate)
        let start = pushedAt.lazy.compactMap(\.first).min() ?? nowNanos()
        let sentRate = Double(total) / (Double((pushedAt.lazy.compactMap(\.last).max() ?? start) - start) / 1e9)
        try? waitFor("the daemon to hold all \(total) entries", timeout: 60) { try cluster.status(daemon).entries - entriesBefore >= total }
        let probed = probe.stop()
        let elapsed = Double(nowNanos() - start) / 1e9
        let status = try cluster.status(daemon)
        let held = status.entries - entriesBefore
        let counted = { (counter: KeyPath<StatusInfo.Counters, UInt64>) in status.counters[keyPath: counter] - countersBefore[keyPath: counter] }
        print(
            "ingest: the daemon's syncs: \(counted(\.syncsStarted)) started, \(counted(\.syncsCompleted)) completed, "
                + "\(counted(\.syncsFailed)) failed, \(counted(\.inboundSyncs)) inbound; \(counted(\.rateLimited)) datagrams rate limited")
        var latencies: [Double] = []
        for (peer, times) in pushedAt.enumerated() {
            for (index, at) in times.enumerated() {
                if let arrived = cluster.arrival(of: body(peer, UInt64(index + 1)))[0] { latencies.append(Double(Int64(arrived) - Int64(at)) / 1e6) }
            }
        }
        return IngestResult(
            peers: count, offered: Double(rate), entries: total, sentRate: sentRate, deliveredRate: Double(held) / elapsed, lost: total - min(held, total),
            latency: Distribution(latencies), daemonMicrosPerEntry: (ProcessUsage.cpuSeconds(daemon.pid) - cpuBefore) * 1e6 / Double(total),
            byPush: counted(\.entriesPushedIn) - counted(\.duplicates) - counted(\.pushesShed), shed: counted(\.pushesShed),
            bySync: counted(\.entriesSyncedIn),
            status: probed, verificationsPerSecond: limit.rate, verificationMicros: limit.micros)
    }

    static func body(_ peer: Int, _ seq: UInt64) -> String { "ingest \(peer).\(seq)" }

    /// Every peer's log, signed on every core before anything is measured.
    private static func signLogs(_ peers: [BenchPeer], _ perPeer: Int) throws -> [[Entry]] {
        let logs = Mutex<[Int: [Entry]]>([:])
        let failure = Mutex<(any Error)?>(nil)
        DispatchQueue.concurrentPerform(iterations: peers.count) { index in
            do {
                let log = try peers[index].sign(perPeer) { body(index, $0) }
                logs.withLock { $0[index] = log }
            } catch {
                failure.withLock { $0 = error }
            }
        }
        if let error = failure.withLock({ $0 }) { throw error }
        return logs.withLock { dictionary in peers.indices.map { dictionary[$0] ?? [] } }
    }

    /// Publishes every log at `rate` in all, the peers in turn every millisecond; when each entry went out.
    private static func pace(_ peers: [BenchPeer], _ logs: [[Entry]], rate: Int) async throws -> [[UInt64]] {
        var sentAt = logs.map { [UInt64](repeating: 0, count: $0.count) }
        var next = [Int](repeating: 0, count: peers.count)
        let perPeer = Double(rate) / Double(peers.count)
        let start = nowNanos()
        while zip(next, logs).contains(where: { $0 < $1.count }) {
            let due = Int(Double(nowNanos() - start) / 1e9 * perPeer) + 1
            for (index, peer) in peers.enumerated() where next[index] < min(due, logs[index].count) {
                let upTo = min(due, logs[index].count)
                let at = nowNanos()
                await peer.publish(logs[index][next[index]..<upTo])
                for slot in next[index]..<upTo { sentAt[index][slot] = at }
                next[index] = upTo
            }
            try await Task.sleep(for: .milliseconds(1))
        }
        return sentAt
    }
}

/// `status` requests made during a run (one every 100 ms), from connect to reply, milliseconds, and the
/// daemon's resident memory read at each.
struct StatusSamples {
    let latency: Distribution
    /// Requests not answered at all: not in `latency`.
    let unanswered: Int
    let peakRSS: Double

    /// "p99 / max", and the unanswered if any.
    var cell: String { "\(format(latency.p99, 1)) / \(format(latency.max, 1))" + (unanswered > 0 ? ", \(unanswered) unanswered" : "") }
}

/// Asks the daemon for its status every 100 ms, as a person running `lanchat status` would, timing each
/// answer (connect, request, reply) and noting the daemon's resident memory.
final class StatusProbe: Sendable {
    private let running = Atomic<Bool>(true)
    private let samples = Mutex<(latencies: [Double], unanswered: Int, peakRSS: Double)>(([], 0, 0))
    private let done = DispatchSemaphore(value: 0)

    init(_ cluster: BenchCluster, _ node: BenchCluster.Node) {
        DispatchQueue.global().async { [self] in
            while running.load(ordering: .relaxed) {
                let start = nowNanos()
                let answered = (try? cluster.status(node)) != nil
                let millis = Double(nowNanos() - start) / 1e6
                let rss = ProcessUsage.rssMegabytes(node.pid)
                samples.withLock { sampled in
                    // A request that failed was not answered at all: it must not count as a fast answer.
                    if answered { sampled.latencies.append(millis) } else { sampled.unanswered += 1 }
                    sampled.peakRSS = max(sampled.peakRSS, rss)
                }
                usleep(100_000)
            }
            done.signal()
        }
    }

    func stop() -> StatusSamples {
        running.store(false, ordering: .relaxed)
        done.wait()
        return samples.withLock { StatusSamples(latency: Distribution($0.latencies), unanswered: $0.unanswered, peakRSS: $0.peakRSS) }
    }
}
