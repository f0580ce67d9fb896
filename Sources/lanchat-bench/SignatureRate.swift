import Dispatch
import LanChatCore
import Synchronization

/// What Ed25519 allows on this machine: the limit beside figures that one check per entry would bound.
enum SignatureRate {
    /// Signatures verified per second by `threads` threads at once, each checking the same 2,000 entries.
    static func verificationsPerSecond(threads: Int) -> Double {
        let identity = LocalIdentity.generate()
        let entries = (1...2000).map { seq in
            Entry.sign(by: identity, seq: UInt64(seq), timestamp: HybridTimestamp(wallMillis: 1, counter: 0), content: .profile(name: "n\(seq)"))
        }
        let valid = Atomic<Int>(0)
        let start = nowNanos()
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            valid.add(entries.filter(\.hasValidSignature).count, ordering: .relaxed)
        }
        return Double(valid.load(ordering: .relaxed)) / (Double(nowNanos() - start) / 1e9)
    }
}
