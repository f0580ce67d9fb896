import LanChatCore
import Synchronization

/// Signature checks shared by every simulated node: each distinct entry (by hash, so a forgery with the
/// same fields but another signature is a different entry) is verified once per simulation, however many
/// nodes receive it. A thousand nodes checking every delivery themselves would spend minutes in Ed25519.
final class VerificationCache: EntryVerifying {
    private let results = Mutex<[EntryHash: Bool]>([:])
    private let checks = Atomic<Int>(0)

    func verify(_ entries: [Entry]) -> Bool {
        entries.allSatisfy { entry in
            let hash = entry.hash
            if let known = results.withLock({ $0[hash] }) { return known }
            checks.add(1, ordering: .relaxed)
            let valid = entry.hasValidSignature
            results.withLock { $0[hash] = valid }
            return valid
        }
    }

    /// Ed25519 checks actually run.
    var signatureChecks: Int { checks.load(ordering: .relaxed) }
}
