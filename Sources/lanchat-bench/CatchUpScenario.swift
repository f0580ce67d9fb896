import Foundation
import LanChatCore
import LanChatStore

struct CatchUpResult {
    let entries: Int
    let authors: Int
    let seconds: Double
    let bytesPerEntry: Double
    /// Ed25519 verifications per second on one core, for scale.
    let verificationsPerCore: Double
    /// The same entries inserted straight into a fresh store, in sync-sized batches: what catch-up can reach.
    let storeInsertsPerSecond: Double
    /// CPU time (all threads, user + system) per entry: the newcomer's from its start until it held them
    /// all, and the seed's over the same time. Unlike the wall-clock figure, a busy machine hardly moves it.
    let newcomerMicrosPerEntry: Double
    let seedMicrosPerEntry: Double
    var entriesPerSecond: Double { Double(entries) / seconds }
}

/// A node that missed everything rejoins a node holding `total` messages from `authors` people:
/// seconds until it holds them all (signatures verified, committed), from its start.
enum CatchUpScenario {
    static func run(binaries: String, authors: Int, total: Int) async throws -> CatchUpResult {
        let cluster = try BenchCluster(binaries: binaries)
        defer { cluster.stop() }
        let seedState = "\(cluster.root)/seed"
        print("catch-up: writing \(total) messages from \(authors) authors…")
        try await SyntheticHistory.make(at: seedState, authors: authors, total: total)
        let seed = try cluster.start(stateDir: seedState)
        let expected = try cluster.status(seed).entries + 1  // and the newcomer's own profile
        let seedCPUBefore = ProcessUsage.cpuSeconds(seed.pid)
        print("catch-up: a new node joins…")
        let start = nowNanos()
        let newcomer = try cluster.start(peer: seed)
        try waitFor("the newcomer to hold \(expected) entries", timeout: 600) { try cluster.status(newcomer).entries >= expected }
        let seconds = Double(nowNanos() - start) / 1e9
        let micros = { (cpu: Double) in cpu * 1e6 / Double(expected - 1) }
        let newcomerCPU = micros(ProcessUsage.cpuSeconds(newcomer.pid))
        let seedCPU = micros(ProcessUsage.cpuSeconds(seed.pid) - seedCPUBefore)
        let bytes = Double(try cluster.status(newcomer).counters.syncBytesIn)
        return CatchUpResult(
            entries: expected - 1, authors: authors, seconds: seconds, bytesPerEntry: bytes / Double(expected - 1),
            verificationsPerCore: SignatureRate.verificationsPerSecond(threads: 1), storeInsertsPerSecond: try await insertRate(from: seedState, into: "\(cluster.root)/insert"),
            newcomerMicrosPerEntry: newcomerCPU, seedMicrosPerEntry: seedCPU)
    }

    /// Reads every entry of the seed's store and inserts it into a fresh one as a sync would: by author,
    /// in batches of `SyncConfiguration().batchSize`, without the disk flush of local writes.
    private static func insertRate(from seedState: String, into directory: String) async throws -> Double {
        let seed = try EntryStore(path: "\(seedState)/lanchat.sqlite")
        defer { seed.close() }
        var entries: [Entry] = []
        for author in try await seed.syncVector().tips.keys {
            entries += try await seed.entries(author: author, after: 0, limit: .max)
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let fresh = try EntryStore(path: "\(directory)/lanchat.sqlite")
        defer { fresh.close() }
        let batch = SyncConfiguration().batchSize
        let start = nowNanos()
        for first in stride(from: 0, to: entries.count, by: batch) {
            _ = try await fresh.insert(Array(entries[first..<min(first + batch, entries.count)]), durable: false)
        }
        return Double(entries.count) / (Double(nowNanos() - start) / 1e9)
    }
}
