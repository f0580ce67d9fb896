import Foundation
import LanChatCore
import LanChatStore

struct CatchUpResult {
    let entries: Int
    let authors: Int
    let seconds: Double
    let bytesPerEntry: Double
    /// Ed25519 verifications per second on one core, for scale: catch-up cannot beat cores × this.
    let verificationsPerCore: Double
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
        print("catch-up: a new node joins…")
        let start = nowNanos()
        let newcomer = try cluster.start(peer: seed)
        try waitFor("the newcomer to hold \(expected) entries", timeout: 600) { try cluster.status(newcomer).entries >= expected }
        let seconds = Double(nowNanos() - start) / 1e9
        let bytes = Double(try cluster.status(newcomer).counters.syncBytesIn)
        return CatchUpResult(
            entries: expected - 1, authors: authors, seconds: seconds, bytesPerEntry: bytes / Double(expected - 1),
            verificationsPerCore: verificationRate())
    }

    private static func verificationRate() -> Double {
        let identity = LocalIdentity.generate()
        let entries = (1...2000).map { seq in
            Entry.sign(by: identity, seq: UInt64(seq), timestamp: HybridTimestamp(wallMillis: 1, counter: 0), content: .profile(name: "n\(seq)"))
        }
        let start = nowNanos()
        let valid = entries.filter(\.hasValidSignature).count
        return Double(valid) / (Double(nowNanos() - start) / 1e9)
    }
}
